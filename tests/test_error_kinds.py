"""A failed job's kind: the worker names it from the error's type, and the kiosk's visitor sentence is
chosen from the kind, not from the wording of the technical error."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors.errors import (
    DescribeError,
    EmptyProfileError,
    ExportTooLargeError,
    IntakeError,
    PortraitError,
    RemoteFetchError,
    UnknownFormatError,
    UnsafeArchiveError,
)
from installation.errors import ComposeError, RenderError
from installation.jobs.store import ERROR_KINDS, SqliteJobStore, new_job_id
from installation.jobs.worker import error_kind
from installation.kiosk.outcomes import FAILURES, failure_of_job


@pytest.mark.parametrize(("exc", "kind"), [
    (ExportTooLargeError("export.zip: larger than 200 MB"), "too_large"),
    (UnsafeArchiveError("export.zip: a zip bomb"), "unsafe_export"),
    (RemoteFetchError("the server did not answer"), "remote"),
    (EmptyProfileError("no posts"), "no_text"),
    (DescribeError("nothing to describe"), "no_text"),
    (UnknownFormatError("no reader knows this"), "unreadable_export"),
    (IntakeError("truncated"), "unreadable_export"),
    (RenderError("the model ran out of memory"), "render_failed"),
    (ComposeError("no style named 'x'"), "internal"),
    (PortraitError("anything"), "internal"),
    (ValueError("not ours"), "internal"),
])
def test_the_worker_names_the_kind_from_the_errors_type(exc: BaseException, kind: str) -> None:
    assert error_kind(exc) == kind and kind in ERROR_KINDS


def failed_job(tmp_path: Path, error: str, kind: str | None) -> object:
    store = SqliteJobStore(tmp_path / "jobs.sqlite3")
    job_id = new_job_id()
    store.submit(job_id, work_dir=tmp_path, source="handle", handle="@a@b.social")
    claim = store.claim()
    assert claim is not None
    store.fail(claim, error, kind)  # type: ignore[arg-type]
    return store.get(job_id)


@pytest.mark.parametrize(("kind", "shown"), [
    ("too_large", "too_large"), ("unreadable_export", "unreadable"), ("unsafe_export", "unsafe"),
    ("no_text", "empty"), ("remote", "remote"), ("render_failed", "internal"), ("attempts", "attempts"),
    ("internal", "internal"),
])
def test_the_visitor_sentence_comes_from_the_kind_not_the_wording(tmp_path: Path, kind: str, shown: str) -> None:
    # The wording says "gave up after": read by wording, every one of these would be the attempts sentence.
    job = failed_job(tmp_path, "gave up after 3 attempts: the worker stopped while the job was rendering", kind)
    assert failure_of_job(job) == FAILURES[shown]  # type: ignore[arg-type,index]


def test_a_job_without_a_kind_is_read_from_its_wording(tmp_path: Path) -> None:
    job = failed_job(tmp_path, "gave up after 3 attempts: the worker stopped while the job was rendering", None)
    assert failure_of_job(job) == FAILURES["attempts"]  # type: ignore[arg-type]
