"""Retention: every file under the data folder, listed after each state a job passes through, holds
nothing of the visitor's beyond what the retention settings allow.

- submitted: the raw export, in the job's private upload folder only (staging and unseen marks empty);
- extracted, described, composed: the raw export is gone (deleted as soon as it was read);
- done: no upload folder at all; the artwork and its sidecar, and the store;
- failed: no upload folder, no artwork; the store keeps the reason only.
No file other than the store's ever holds a line of the visitor's posts once the export was read.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any

from test_kiosk import POSTS, Kiosk
from test_kiosk_shared_screen import state
from worker_fakes import FAKE_PIPELINE

from installation.jobs.worker import Worker

LINE = b"Morning swim in the fjord"


def listing(root: Path, store: Path) -> dict[str, bytes]:
    """Every file under ``root`` (the store's own files aside), by path, with its bytes."""
    skip = store.name
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and not p.name.startswith(skip)}


def test_each_state_keeps_only_what_retention_allows(tmp_path: Path) -> None:
    kiosk = Kiosk(tmp_path)
    var = tmp_path / "var"
    store_path = kiosk.config.store.path
    seen: dict[str, dict[str, bytes]] = {}

    def snapshot(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def run(*args: Any) -> Any:
            seen[name] = listing(var, store_path)
            return fn(*args)
        return run

    stages = dataclasses.replace(
        FAKE_PIPELINE, read=snapshot("submitted", FAKE_PIPELINE.read),
        describe=snapshot("extracted", FAKE_PIPELINE.describe), compose=snapshot("described", FAKE_PIPELINE.compose),
        render=snapshot("composed", FAKE_PIPELINE.render),
    )
    job_id = kiosk.upload(POSTS)
    assert Worker(kiosk.store, stages, kiosk.config).work_one()
    seen["done"] = listing(var, store_path)
    # submitted: the export, in its job's folder only
    assert list(seen["submitted"]) == [f"uploads/{job_id}/export.txt"]
    assert seen["submitted"][f"uploads/{job_id}/export.txt"] == POSTS
    staging = state(kiosk).staging
    assert not any(p.is_file() for p in staging.root.rglob("*")) and not any(staging.unseen_dir.iterdir())
    # after reading: the raw export is gone, and no file outside the store quotes the posts
    for name in ("extracted", "described", "composed", "done"):
        assert not any(path.endswith("export.txt") for path in seen[name]), (name, list(seen[name]))
        assert not any(LINE in data for path, data in seen[name].items() if "profile" not in path), name
        assert not any(path.startswith("uploads/") for path in seen[name] if name == "done"), seen[name]
    # done: the artwork and its sidecar only
    job = kiosk.store.get(job_id)
    assert job is not None and job.image_path is not None and job.sidecar_path is not None
    assert sorted(seen["done"]) == sorted(str(p.relative_to(var)) for p in (job.image_path, job.sidecar_path))


def test_a_failed_job_keeps_nothing_of_the_visitor(tmp_path: Path) -> None:
    kiosk = Kiosk(tmp_path)
    job_id = kiosk.upload(b"id,body\n1,Morning swim in the fjord\n", name="posts.csv")
    kiosk.worker.run(once=True)
    job = kiosk.store.get(job_id)
    assert job is not None and job.state == "failed" and job.portrait is None
    assert listing(tmp_path / "var", kiosk.config.store.path) == {}
    assert LINE not in (job.error or "").encode()


def test_after_leaving_and_after_forgetting_nothing_quotes_the_posts(tmp_path: Path) -> None:
    kiosk = Kiosk(tmp_path)
    job_id = kiosk.upload(POSTS)
    assert kiosk.worker.work_one()
    state(kiosk).store.scrub_evidence(job_id)
    job = kiosk.store.get(job_id)
    assert job is not None and job.portrait is not None
    assert LINE.decode() not in str(job.portrait) and LINE.decode() not in str(job.prompt)
    kiosk.client.post("/forget", data={"csrf": kiosk.csrf("/forget"), "code": job.code})
    assert listing(tmp_path / "var", kiosk.config.store.path) == {}
