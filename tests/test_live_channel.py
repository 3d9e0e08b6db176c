"""The live painting's channel: the worker's writer, the folder's format, the wall's watcher and controller."""

from __future__ import annotations

import dataclasses
import io
import json
import os
from pathlib import Path

import pytest
from PIL import Image
from test_wall import art, config
from test_worker import queue_upload
from worker_fakes import FAKE_PIPELINE, config_for, fake_render

from installation.compose.prompt import Prompt
from installation.jobs.live import LIVE_FORMAT, LiveStep, LiveWriter, live_folder, live_painting, paints_live, read_live
from installation.jobs.pipeline import Stages
from installation.jobs.worker import Worker, open_configured_store
from installation.render.artwork import Artwork
from installation.render.preview import Preview, PreviewStep
from installation.wall.live import LiveWatcher
from installation.wall.loop import wall_config
from installation.wall.show import LIVE_GRACE_SECONDS, REVEAL_SECONDS, Slideshow


def step(n: int, total: int = 4, colour: tuple[int, int, int] = (200, 30, 30)) -> PreviewStep:
    return PreviewStep(Image.new("RGB", (8, 8), colour), n, total)


PROMPT = Prompt("a portrait", "", "oil", seed=1, width=64, height=64, steps=4, guidance=0)


# --- the folder -------------------------------------------------------------------------------------


def test_the_writer_leaves_a_whole_step_that_the_reader_finds_and_removes_it_when_done(tmp_path: Path) -> None:
    folder = tmp_path / "live"
    with live_painting(folder, "job-1") as writer:
        writer(step(1))
        writer(step(2, colour=(10, 200, 40)))
        [found] = read_live(folder)
        assert (found.job_id, found.step, found.total) == ("job-1", 2, 4)
        with Image.open(found.image_path) as image:
            assert image.getpixel((3, 3)) == (10, 200, 40)
        assert sorted(p.name for p in folder.iterdir()) == ["job-1.json", "job-1.png"]  # no temporary left
    assert list(folder.iterdir()) == [] and read_live(folder) == []


def test_a_failed_render_leaves_nothing_in_the_folder(tmp_path: Path) -> None:
    folder = tmp_path / "live"
    with pytest.raises(RuntimeError), live_painting(folder, "job-1") as writer:
        writer(step(1))
        raise RuntimeError("the UNet fell over")
    assert list(folder.iterdir()) == []


def test_the_reader_passes_over_foreign_half_written_and_orphaned_files(tmp_path: Path) -> None:
    folder = tmp_path / "live"
    LiveWriter(folder, "good")(step(3))
    (folder / "other.json").write_text(json.dumps({"format": "someone-else@1", "step": 1, "total": 1, "image": "x"}))
    (folder / "torn.json").write_text('{"format": "social-por')
    (folder / "orphan.json").write_text(json.dumps({"format": LIVE_FORMAT, "step": 1, "total": 2, "image": "no.png"}))
    (folder / "escape.json").write_text(
        json.dumps({"format": LIVE_FORMAT, "step": 1, "total": 2, "image": "../good.png"})
    )
    assert [s.job_id for s in read_live(folder)] == ["good"]
    assert read_live(tmp_path / "missing") == []


def test_a_writer_that_cannot_write_logs_once_and_lets_the_render_go_on(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocker = tmp_path / "live"
    blocker.write_text("a file where the folder should be")
    writer = LiveWriter(blocker, "job-1")
    writer(step(1))
    writer(step(2))
    warnings = [r.getMessage() for r in caplog.records if "live painting" in r.getMessage()]
    assert len(warnings) == 1 and warnings[0].startswith(f"live painting of job job-1: cannot write to {blocker}")


def test_only_jobs_that_go_straight_to_the_wall_paint_live(tmp_path: Path) -> None:
    cfg = config_for(tmp_path)
    assert paints_live(cfg, PROMPT)
    assert not paints_live(cfg, dataclasses.replace(PROMPT, hold_reason="mostly policy words"))
    assert not paints_live(config_for(tmp_path, store={"auto_approve": False}), PROMPT)
    assert not paints_live(config_for(tmp_path, wall={"live": False}), PROMPT)
    assert live_folder(cfg) == cfg.render.output_dir / "live"
    assert live_folder(config_for(tmp_path, wall={"live_dir": str(tmp_path / "x")})) == tmp_path / "x"
    assert wall_config(cfg).live_dir == cfg.render.output_dir / "live"  # the wall watches where the worker writes


# --- the worker -------------------------------------------------------------------------------------


def live_stages(seen: list[list[str]], pictures: list[bytes] | None = None) -> Stages:
    """Fake stages whose render hands two previews over and notes what the live folder held meanwhile."""

    def render_live(prompt: Prompt, path: Path, preview: Preview) -> Artwork:
        folder = path.parent / "live"
        for n in (1, 2):
            preview(step(n, 2))
            seen.append(sorted(p.name for p in folder.iterdir()))
            if pictures is not None:
                pictures.extend(p.read_bytes() for p in folder.glob("*.png"))
        return fake_render(prompt, path)

    return dataclasses.replace(FAKE_PIPELINE, render_live=render_live)


def test_the_worker_paints_live_into_the_folder_and_clears_it_when_the_job_is_done(tmp_path: Path) -> None:
    seen: list[list[str]] = []
    cfg = config_for(tmp_path)
    store = open_configured_store(cfg)
    job = queue_upload(cfg, store)
    assert Worker(store, live_stages(seen), cfg).run(once=True) == 1
    assert seen == [[f"{job.id}.json", f"{job.id}.png"]] * 2
    assert list(live_folder(cfg).iterdir()) == []
    done = store.get(job.id)
    assert done is not None and done.state == "done"


def test_each_live_step_is_marked_as_machine_made_and_names_no_one(tmp_path: Path) -> None:
    from installation.render.pngmeta import read_xmp
    from installation.render.provenance import TRAINED_ALGORITHMIC_MEDIA, read_provenance

    pictures: list[bytes] = []
    cfg = config_for(tmp_path, render={"provenance": {"key_dir": str(tmp_path / "c2pa"), "installation": "Feeds"}})
    store = open_configured_store(cfg)
    queue_upload(cfg, store)
    assert Worker(store, live_stages([], pictures), cfg).run(once=True) == 1
    assert len(pictures) == 2
    for png in pictures:
        found = read_provenance(png)
        assert found is not None and found.state == "Valid"
        assert [f for f in found.failures if f != "signingCredential.untrusted"] == []
        assert found.digital_source_type == TRAINED_ALGORITHMIC_MEDIA
        (tmp_path / "step.png").write_bytes(png)
        assert TRAINED_ALGORITHMIC_MEDIA in (read_xmp(tmp_path / "step.png") or "")
        with Image.open(io.BytesIO(png)) as image:
            assert image.getpixel((3, 3)) == (200, 30, 30)
            assert "live painting, step" in str(image.info.get("parameters"))


def test_no_live_painting_when_curators_approve_first_or_live_is_off(tmp_path: Path) -> None:
    sections_each: list[dict[str, dict[str, object]]] = [{"store": {"auto_approve": False}}, {"wall": {"live": False}}]
    for sections in sections_each:
        seen: list[list[str]] = []
        cfg = config_for(tmp_path / str(len(os.listdir(tmp_path))), **sections)
        store = open_configured_store(cfg)
        queue_upload(cfg, store)
        assert Worker(store, live_stages(seen), cfg).run(once=True) == 1
        assert seen == [] and not live_folder(cfg).exists()


# --- the wall ---------------------------------------------------------------------------------------


def test_the_watcher_reads_the_folder_only_when_it_changed(tmp_path: Path) -> None:
    folder = tmp_path / "live"
    watcher = LiveWatcher(folder, interval=0.1)
    assert watcher.poll(0.0) == []  # no folder yet: nothing painting
    assert watcher.poll(0.05) is None  # not due
    assert watcher.poll(0.2) is None  # due, but still no folder
    LiveWriter(folder, "job-1")(step(1))
    assert [s.step for s in watcher.poll(0.4) or []] == [1]
    assert watcher.poll(0.6) is None  # nothing new
    os.utime(folder, ns=(1, 1))  # a rename into the folder changes its time; here by hand
    assert [s.step for s in watcher.poll(0.8) or []] == [1]


def live_step(folder: Path, job_id: str, n: int, total: int = 4) -> list[LiveStep]:
    LiveWriter(folder, job_id)(step(n, total))
    return list(read_live(folder))


def test_the_wall_shows_the_painting_over_the_slide_then_its_artwork_crossfades_in(tmp_path: Path) -> None:
    show = Slideshow(config())
    show.update([art(1)], 0.0)
    show.frame(0.0)
    steps = live_step(tmp_path, "j2", 1)
    show.live(steps, 3.0)
    rising = show.frame(3.1)
    assert rising.live is not None and rising.live.step == 1 and 0 < rising.live.alpha < 1 and rising.moving
    assert rising.live.caption.lines == ("Being painted", "step 1 of 4")
    show.live(live_step(tmp_path, "j2", 3), 3.5)
    up = show.frame(3.5)
    assert up.live is not None and up.live.step == 3 and up.live.alpha == 1 and not up.live.under
    assert [layer.artwork.job_id for layer in up.layers] == ["j1"]  # the slide stays below
    # The render ends, its files go; a second later the store has the artwork: it fades in over the painting
    show.live([], 4.0)
    assert show.frame(4.5).live is not None  # waiting for it
    show.update([art(1), art(2)], 5.0)
    show.frame(5.0)  # an arrival: at once
    crossfade = show.frame(6.0)
    assert crossfade.live is not None and crossfade.live.under and crossfade.moving
    assert [(layer.artwork.job_id, layer.alpha) for layer in crossfade.layers] == [("j2", 0.5)]
    done = show.frame(7.5)
    assert done.live is None and [layer.artwork.job_id for layer in done.layers] == ["j2"]


def test_a_painting_whose_artwork_never_comes_fades_out_after_the_grace_time(tmp_path: Path) -> None:
    show = Slideshow(config())
    show.update([art(1)], 0.0)
    show.live(live_step(tmp_path, "held", 2), 1.0)
    show.live([], 2.0)  # held, flagged or failed: no artwork arrives
    assert (show.frame(2.0 + LIVE_GRACE_SECONDS - 0.1).live or pytest.fail("gone too soon")).alpha == 1
    fading = show.frame(2.0 + LIVE_GRACE_SECONDS + 1.0).live
    assert fading is not None and fading.alpha == pytest.approx(0.5)
    assert show.frame(2.0 + LIVE_GRACE_SECONDS + 2.1).live is None


def test_a_one_step_model_gets_a_slower_reveal(tmp_path: Path) -> None:
    show = Slideshow(config())
    show.live(live_step(tmp_path, "quick", 1, total=1), 0.0)
    half = show.frame(REVEAL_SECONDS / 2).live
    assert half is not None and half.alpha == pytest.approx(0.5)
    assert not show.frame(0.0).idle  # the painting shows even before the first portrait exists
