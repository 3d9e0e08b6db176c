"""One artwork per job: a worker that dies between "render done" and "recorded" leaves a file the next
attempt adopts, and reconciliation deletes the files no job records."""

from __future__ import annotations

import dataclasses
import os
import time
from pathlib import Path

import pytest
from test_worker import queue_upload
from worker_fakes import FAKE_PIPELINE, config_for, fake_render

from installation.compose.prompt import Prompt
from installation.jobs.artworks import artwork_path, reconcile
from installation.jobs.store import new_job_id
from installation.jobs.worker import Worker, open_configured_store
from installation.render.artwork import Artwork


class _Killed(BaseException):
    """Stands for SIGKILL: nothing in the worker catches it, so nothing after the render runs."""


def test_a_render_whose_worker_died_before_recording_is_adopted_not_painted_again(tmp_path: Path) -> None:
    config = config_for(tmp_path, store={"lease_seconds": 0.3})
    store = open_configured_store(config)
    renders: list[Path] = []

    def render_then_die(prompt: Prompt, path: Path) -> Artwork:
        renders.append(path)
        fake_render(prompt, path)
        raise _Killed

    job = queue_upload(config, store)
    dying = Worker(store, dataclasses.replace(FAKE_PIPELINE, render=render_then_die), config)
    with pytest.raises(_Killed):
        dying.run(once=True)
    left = store.get(job.id)
    assert left is not None and left.state == "rendering" and len(renders) == 1
    time.sleep(0.4)  # the dead worker's lease runs out

    def render(prompt: Prompt, path: Path) -> Artwork:
        renders.append(path)
        return fake_render(prompt, path)

    Worker(store, dataclasses.replace(FAKE_PIPELINE, render=render), config).run(once=True)
    done = store.get(job.id)
    assert done is not None and done.state == "done"
    assert len(renders) == 1, "the job was painted twice"
    assert done.image_path == renders[0]
    assert sorted(p.name for p in config.render.output_dir.iterdir()) == [f"{job.id}-1.json", f"{job.id}-1.png"]


def test_reconcile_keeps_what_a_job_records_or_may_adopt_and_deletes_the_rest(tmp_path: Path) -> None:
    config = config_for(tmp_path)
    store = open_configured_store(config)
    out = config.render.output_dir
    worker = Worker(store, FAKE_PIPELINE, config)
    finished = queue_upload(config, store)
    worker.run(once=True)
    done = store.get(finished.id)
    assert done is not None and done.image_path is not None
    waiting = queue_upload(config, store)  # still submitted: a file of its may be adopted
    pending = artwork_path(out, waiting.id, 1)
    stale_attempt = artwork_path(out, finished.id, 7)  # an attempt the record does not point to
    unknown = artwork_path(out, new_job_id(), 1)  # a job that was forgotten
    stale_temp = out / f".{unknown.name}.abc123.tmp"
    fresh_temp = out / f".{pending.name}.def456.tmp"
    hand_made = out / "20261202T080000Z-oil-42-abcdef12.png"  # `portrait render` output
    for path in (pending, stale_attempt, unknown, stale_temp, fresh_temp, hand_made):
        path.write_bytes(b"png")
    unknown.with_suffix(".json").write_text("{}")
    os.utime(stale_temp, (time.time() - 3600, time.time() - 3600))

    result = reconcile(store, out)

    assert set(result.deleted) == {stale_attempt, unknown, unknown.with_suffix(".json"), stale_temp}
    assert result.kept_for_adoption == (pending,)
    for path in (done.image_path, done.image_path.with_suffix(".json"), pending, fresh_temp, hand_made):
        assert path.exists(), path
    assert reconcile(store, out).deleted == ()


def test_a_failed_job_leaves_no_artwork_behind_after_reconcile(tmp_path: Path) -> None:
    config = config_for(tmp_path)
    store = open_configured_store(config)

    def broken(prompt: Prompt, path: Path) -> Artwork:
        fake_render(prompt, path)
        from installation.errors import RenderError

        raise RenderError("the painter dropped the brush")

    job = queue_upload(config, store)
    Worker(store, dataclasses.replace(FAKE_PIPELINE, render=broken), config).run(once=True)
    failed = store.get(job.id)
    assert failed is not None and failed.state == "failed"
    reconcile(store, config.render.output_dir)
    assert list(config.render.output_dir.glob(f"{job.id}*")) == []
