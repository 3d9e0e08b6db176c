"""The uploaded export's content hash in the job store (both implementations, the fixtures of
``test_store``): kept with the job, found again for a repeated upload, gone when the job fails or is
forgotten, and old stores migrate."""
# ruff: noqa: F811 - the fixtures come from test_store and are named again as parameters

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
from test_store import AnyStore, Backend, Clock, backend, clock, finish, pg_url, store  # noqa: F401

from installation.errors import StoreError
from installation.jobs.store import MIGRATIONS, SqliteJobStore, forget, new_job_id

HASH = hashlib.sha256(b"the same export").hexdigest()


def upload(store: AnyStore, tmp_path: Path, clock: Clock, content_hash: str | None = HASH) -> str:
    clock.now += 1
    job_id = new_job_id()
    folder = tmp_path / job_id
    folder.mkdir()
    (folder / "export.txt").write_text("the same export")
    store.submit(job_id, work_dir=folder, source="upload", export_path=folder / "export.txt",
                 content_hash=content_hash)
    return job_id


def test_a_repeated_upload_finds_the_newest_earlier_job_of_its_content(store: AnyStore, tmp_path: Path,
                                                                       clock: Clock) -> None:
    first = upload(store, tmp_path, clock)
    upload(store, tmp_path, clock, content_hash=hashlib.sha256(b"another").hexdigest())
    upload(store, tmp_path, clock, content_hash=None)
    second = upload(store, tmp_path, clock)
    third = store.get(upload(store, tmp_path, clock))
    assert third is not None and third.content_hash == HASH
    earlier = store.earlier_upload(third)
    assert earlier is not None and earlier.id == second
    forget(store, earlier.code)
    earlier = store.earlier_upload(third)
    assert earlier is not None and earlier.id == first
    forget(store, earlier.code)
    assert store.earlier_upload(third) is None
    no_hash = store.get(upload(store, tmp_path, clock, content_hash=None))
    assert no_hash is not None and store.earlier_upload(no_hash) is None


def test_a_hidden_or_failed_job_is_no_earlier_portrait(store: AnyStore, tmp_path: Path, clock: Clock) -> None:
    hidden = upload(store, tmp_path, clock)
    claim = store.claim()
    assert claim is not None and claim.job.id == hidden
    finish(store, claim, tmp_path)
    failed = upload(store, tmp_path, clock)
    now = store.get(upload(store, tmp_path, clock))
    assert now is not None
    assert store.earlier_upload(now).id == failed  # type: ignore[union-attr]
    claim = store.claim()
    assert claim is not None and claim.job.id == failed
    store.fail(claim, "export.txt: not an export", "unreadable_export")
    assert store.get(failed).content_hash is None  # type: ignore[union-attr]  # a failed job keeps nothing
    assert store.earlier_upload(now).id == hidden  # type: ignore[union-attr]
    store.review(hidden, "hide")
    assert store.earlier_upload(now) is None


def test_a_content_hash_is_a_sha256_or_refused(store: AnyStore, tmp_path: Path, clock: Clock) -> None:
    with pytest.raises(StoreError, match="64 hex digits"):
        upload(store, tmp_path, clock, content_hash="my-export.zip")


def test_the_hash_goes_with_the_forgotten_job(store: AnyStore, backend: Backend, tmp_path: Path,
                                              clock: Clock) -> None:
    job = store.get(upload(store, tmp_path, clock))
    assert job is not None
    forget(store, job.code)
    assert HASH.encode() not in backend.raw_bytes()


def test_a_version_3_store_gains_the_content_hash(tmp_path: Path) -> None:
    path = tmp_path / "v3.sqlite3"
    job_id = new_job_id()
    with sqlite3.connect(path) as conn:
        conn.executescript("".join(MIGRATIONS[:3]) + "PRAGMA user_version = 3;")
        conn.execute("INSERT INTO jobs (id, code, state, source, work_dir, created_at, updated_at) "
                     "VALUES (?, 'ABCDEFGH', 'submitted', 'upload', ?, 1, 2)", (job_id, str(tmp_path)))
    store = SqliteJobStore(path)
    assert store.schema_version() == len(MIGRATIONS)
    job = store.get(job_id)
    assert job is not None and job.content_hash is None and store.earlier_upload(job) is None
