"""Honest states: the visitor's page from a small state machine, failures in one plain sentence, retries."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
from test_kiosk import TOKEN, Kiosk

from installation.jobs.records import Job
from installation.kiosk.outcomes import FAILURES, failure_of, view_of


@pytest.fixture
def kiosk(tmp_path: Path) -> Kiosk:
    return Kiosk(tmp_path, kiosk={"curator_token": TOKEN})


def job_in(kiosk: Kiosk, state: str, **fields: object) -> Job:
    job = kiosk.store.get(kiosk.upload())
    assert job is not None
    return replace(job, state=state, **fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(("state", "attempts", "key", "current"), [
    ("submitted", 0, "queued", "Waiting in line"), ("submitted", 1, "reading", "Reading your posts"),
    ("extracted", 1, "describing", "Finding your words and mood"),
    ("described", 1, "composing", "Writing the painter's brief"), ("rendering", 1, "painting", "Painting"),
    ("done", 1, "done", "Done"),
])
def test_each_working_state_marks_one_current_step_and_those_before_it_done(
    kiosk: Kiosk, state: str, attempts: int, key: str, current: str
) -> None:
    view = view_of(job_in(kiosk, state, attempts=attempts), 1, [])
    assert view.key == key and [s.label for s in view.steps if s.current] == [current]
    at = [s.label for s in view.steps].index(current)
    assert all(s.done for s in view.steps[:at]) and not any(s.done for s in view.steps[at + 1:] if key != "done")
    assert view.failure is None


@pytest.mark.parametrize("state", ["failed", "held", "hidden"])
def test_an_ended_job_does_not_look_in_progress(kiosk: Kiosk, state: str) -> None:
    view = view_of(job_in(kiosk, state, error="boom" if state == "failed" else None), 0, [])
    assert not view.waiting and not any(s.current for s in view.steps)
    assert "on its way" not in view.heading
    assert (view.failure is not None) == (state == "failed") and (view.note is not None) == (state != "failed")


def test_the_queue_shows_the_real_place_and_an_estimate_from_recent_jobs(kiosk: Kiosk) -> None:
    job = job_in(kiosk, "submitted")
    assert view_of(job, 3, []).wait_text() == "Place in the queue: 3."
    recent = [replace(job, state="done", created_at=0.0, finished_at=float(s)) for s in (50, 60, 70)]
    assert view_of(job, 3, recent).wait_text() == "Place in the queue: 3. About 3 minutes to go."
    assert view_of(job, 1, recent).wait_text() == "You are next. About 1 minute to go."


@pytest.mark.parametrize(("error", "kind"), [
    ("gave up after 3 attempts: the worker stopped while the job was rendering", "attempts"),
    ("internal error in the worker (ValueError); the technician has the log", "internal"),
    ("@a@b.social: cannot reach b.social (ConnectError)", "remote"),
    ("export.zip: member '../x' points outside the archive", "unsafe"),
    ("posts.csv: not an export this installation understands: twitter, mastodon, ...", "unreadable"),
    ("Shares.csv: line 3 is longer than the cap of 1048576 bytes", "too_large"),
    ("tweets.js: a Twitter archive with no posts of the person's own", "empty"),
    ("something nobody foresaw", "internal"),
])
def test_technical_errors_become_one_plain_sentence_without_their_text(error: str, kind: str) -> None:
    failure = failure_of(error)
    assert failure is FAILURES[kind]  # type: ignore[index]
    assert failure.sentence.count(".") == 1 and failure.next_step
    for word in re.findall(r"[\w.@'()]{8,}", error):
        assert word not in failure.sentence + failure.next_step, word


def fail(kiosk: Kiosk, job_id: str, message: str) -> None:
    claim = kiosk.store.claim()
    assert claim is not None and claim.job.id == job_id
    kiosk.store.fail(claim, message)


def test_an_attempt_limit_failure_reads_plainly_and_the_visitor_can_try_again(kiosk: Kiosk) -> None:
    job_id = kiosk.upload()
    fail(kiosk, job_id, "gave up after 3 attempts: the worker stopped while the job was rendering")
    page = kiosk.client.get(f"/job/{job_id}").text
    assert FAILURES["attempts"].sentence in page and "gave up" not in page and "rendering" not in page
    assert "on its way" not in page and 'class=" current"' not in page
    csrf = re.search(r'name="csrf" value="([^"]+)"', page)
    assert csrf
    again = kiosk.client.post(f"/job/{job_id}/retry", data={"csrf": csrf.group(1)}, follow_redirects=False)
    assert again.headers["location"] == f"/job/{job_id}"
    job = kiosk.store.get(job_id)
    assert job is not None and (job.state, job.attempts, job.error) == ("submitted", 0, None)
    assert kiosk.worker.work_one()
    assert kiosk.client.get(f"/job/{job_id}").url.path == f"/job/{job_id}/result"


def test_trying_again_without_the_export_drops_the_failed_job_and_asks_for_the_file(kiosk: Kiosk) -> None:
    job_id = kiosk.upload(b"id,body\n1,no text column here\n", name="posts.csv")
    kiosk.worker.run(once=True)
    page = kiosk.client.get(f"/job/{job_id}").text
    csrf = re.search(r'name="csrf" value="([^"]+)"', page)
    assert csrf and FAILURES["unreadable"].sentence in page
    again = kiosk.client.post(f"/job/{job_id}/retry", data={"csrf": csrf.group(1)}, follow_redirects=False)
    assert again.headers["location"] == "/?again=1" and kiosk.store.get(job_id) is None


def test_the_curator_sees_the_technical_error_retries_and_clears_failed_jobs(kiosk: Kiosk) -> None:
    first, second = kiosk.upload(), kiosk.upload(b"Knitting again by the fjord.")
    fail(kiosk, first, "gave up after 3 attempts: the worker stopped while the job was rendering")
    kiosk.client.post("/curator/login", data={"csrf": kiosk.csrf("/curator/login"), "token": TOKEN})
    queue = kiosk.client.get("/curator?state=failed").text
    assert "gave up after 3 attempts" in queue and FAILURES["attempts"].sentence in queue
    assert first in queue and second not in queue
    assert f"/curator/job/{first}/retry" in queue and f"/curator/job/{first}/approve" not in queue
    csrf = kiosk.csrf("/curator")
    assert kiosk.client.post(f"/curator/job/{second}/retry", data={"csrf": csrf}).status_code == 404
    assert kiosk.client.post(f"/curator/job/{first}/retry", data={"csrf": csrf}).url.path == "/curator"
    retried = kiosk.store.get(first)
    assert retried is not None and retried.state == "submitted"
    fail(kiosk, second, "internal error in the worker (ValueError); the technician has the log")
    kiosk.client.post("/curator/clear-failed", data={"csrf": csrf})
    assert kiosk.store.get(second) is None and kiosk.store.get(first) is not None
