"""Transactional uploads: staged privately, visible only once committed, leftovers of kills swept away."""

from __future__ import annotations

import os
import socket
import time
from pathlib import Path

from test_kiosk import Kiosk
from test_kiosk_shared_screen import state

from installation.jobs.records import new_job_id


def everything(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


def age(path: Path, seconds: float) -> None:
    then = time.time() - seconds
    for p in [path, *path.rglob("*")]:
        os.utime(p, (then, then))


def test_a_killed_uploads_staging_folder_is_deleted_at_the_next_start(tmp_path: Path) -> None:
    kiosk = Kiosk(tmp_path)
    staging = state(kiosk).staging
    dead = staging.root / f"{socket.gethostname()}-999999" / new_job_id()  # a pid no process has
    dead.mkdir(parents=True)
    (dead / "outbox.json").write_text('{"orderedItems": ["half an upload"]}')
    Kiosk(tmp_path)  # the kiosk starts again
    assert not dead.parent.exists()


def test_an_upload_is_published_only_with_its_job_and_its_answer_clears_the_unseen_mark(tmp_path: Path) -> None:
    kiosk = Kiosk(tmp_path)
    staging = state(kiosk).staging
    job_id = kiosk.upload()
    job = kiosk.store.get(job_id)
    assert job is not None and job.work_dir == kiosk.config.kiosk.upload_dir.absolute() / job_id
    assert job.export_path is not None and job.export_path.is_file()
    assert everything(staging.root) == [] and list(staging.unseen_dir.iterdir()) == []


def test_a_refused_upload_leaves_nothing_anywhere(tmp_path: Path) -> None:
    kiosk = Kiosk(tmp_path)
    refused = kiosk.submit({"export": ("posts.txt", b"\x00\x01binary")})
    assert refused.status_code == 415  # type: ignore[attr-defined]
    store_files = {kiosk.config.store.path.name}
    assert [p for p in everything(tmp_path / "var") if not p.name.startswith(tuple(store_files))] == []
    assert list(kiosk.config.kiosk.upload_dir.iterdir()) == []


def test_a_job_whose_visitor_never_got_a_page_is_dropped_after_the_grace_time(tmp_path: Path) -> None:
    kiosk = Kiosk(tmp_path, kiosk={"orphan_grace_seconds": 30})
    kiosk_state = state(kiosk)
    staging = kiosk_state.staging
    # The kiosk dies between committing the job and answering: the unseen mark stays.
    job_id = new_job_id()
    folder = staging.stage(job_id)
    (folder / "posts.txt").write_text("Morning swim in the fjord.")
    final = staging.publish(folder, job_id)
    kiosk.store.submit(job_id, work_dir=final, source="upload", export_path=final / "posts.txt")
    kiosk_state.sweep()
    assert kiosk.store.get(job_id) is not None  # within the grace time it stays
    age(staging.unseen_dir / job_id, 60)
    kiosk_state.sweep()
    assert kiosk.store.get(job_id) is None and not final.exists()
    assert list(staging.unseen_dir.iterdir()) == []


def test_upload_folders_no_job_points_at_and_failed_leftovers_are_swept(tmp_path: Path) -> None:
    kiosk = Kiosk(tmp_path, kiosk={"orphan_grace_seconds": 30})
    uploads = kiosk.config.kiosk.upload_dir
    stray, fresh = uploads / new_job_id(), uploads / new_job_id()
    for folder in (stray, fresh):
        folder.mkdir()
        (folder / "outbox.json").write_text("{}")
    age(stray, 60)
    failed = kiosk.upload()
    claim = kiosk.store.claim()
    assert claim is not None
    kiosk.store.fail(claim, "gave up after 3 attempts: the worker stopped while the job was extracted")
    (uploads / failed / "profile.json").write_text("{}")
    age(uploads / failed, 60)
    state(kiosk).sweep()
    assert not stray.exists() and fresh.exists() and not (uploads / failed).exists()


def test_the_kiosk_scrubs_expired_snippets_with_no_worker_running(tmp_path: Path) -> None:
    kiosk = Kiosk(tmp_path)
    job_id = kiosk.upload()
    assert kiosk.worker.work_one()
    job = kiosk.store.get(job_id)
    assert job is not None and job.portrait and any(k["evidence"] for k in job.portrait["keywords"])
    with kiosk.store._write() as conn:  # the configured minutes have passed
        conn.execute("UPDATE jobs SET evidence_until = 1 WHERE id = ?", (job_id,))
    state(kiosk).sweep()
    scrubbed = kiosk.store.get(job_id)
    assert scrubbed is not None and scrubbed.portrait is not None
    assert all(not k["evidence"] for k in scrubbed.portrait["keywords"])
