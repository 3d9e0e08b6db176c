"""The software path draws only what changed (dirty rectangles), pans by copies shifted by a fraction of a
pixel, reads the next slides in a thread, and the live folder's waker notices a step at once. SDL's dummy
driver: the drawing is checked on the window's surface, pixel by pixel."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image
from test_wall import BLUE, RED, art, close, config, edge_art, solid

from installation.jobs.live import LiveWriter
from installation.render.preview import PreviewStep
from installation.wall.live import LiveFolder
from installation.wall.loop import ChangeWaker
from installation.wall.show import Caption, Frame, Layer, LiveLayer
from installation.wall.software import Paint, WallViewer, dirty_rects, phase_count

SCREEN = (0, 0, 320, 180)
MARK = (255, 0, 255)


def paint(key: object, rect: tuple[int, int, int, int]) -> Paint:
    return Paint(key, rect, lambda: None)


@pytest.fixture
def viewer(monkeypatch: pytest.MonkeyPatch) -> Iterator[WallViewer]:
    import pygame

    from installation.wall.draw import open_screen

    monkeypatch.setenv("SDL_VIDEODRIVER", "dummy")
    pygame.display.init()
    pygame.font.init()
    try:
        cfg = config(window_size=(320, 180), show_qr=False)
        wall = WallViewer(open_screen(cfg, fullscreen=False), cfg)
        yield wall
        wall.close()
    finally:
        pygame.quit()


def slide_frame(layer: Layer, *, paused: bool = False, live: LiveLayer | None = None) -> Frame:
    return Frame(layers=(layer,), paused=paused, moving=False, wake_at=math.inf, live=live)


def test_dirty_rects_are_those_of_items_that_came_went_or_changed() -> None:
    before = [paint("slide", SCREEN), paint("caption", (10, 100, 50, 20)), paint("qr", (250, 110, 60, 60))]
    assert dirty_rects(None, before, SCREEN) == [SCREEN], "nothing known about the screen: all of it"
    assert dirty_rects(before, list(before), SCREEN) == [], "the same frame: nothing to draw"
    label = paint("paused", (200, 5, 40, 10))
    assert dirty_rects(before, [*before, label], SCREEN) == [(200, 5, 40, 10)]
    recaptioned = [before[0], paint("another caption", (10, 90, 70, 30)), before[2]]
    assert sorted(dirty_rects(before, recaptioned, SCREEN)) == [(10, 90, 70, 30), (10, 100, 50, 20)]
    assert dirty_rects(before, [paint("panned", SCREEN), *before[1:]], SCREEN) == [SCREEN]


def test_a_pause_label_redraws_its_own_rectangle_and_nothing_else(viewer: WallViewer, tmp_path: Path) -> None:
    red = art(1, solid(tmp_path / "red.png", (90, 90), RED))
    assert viewer.prepare(red)
    layer = Layer(red, 1.0, (0.5, 0.5), Caption(("Visitor",)))
    assert viewer.draw(slide_frame(layer))
    viewer.screen.set_at((160, 90), MARK)  # a mark the next frame would wipe if it drew the whole screen
    assert not viewer.draw(slide_frame(layer)), "an unchanged frame is not drawn"
    assert viewer.draw(slide_frame(layer, paused=True))
    assert close(viewer.screen.get_at((160, 90)), MARK), "only the label's rectangle was drawn again"
    label = [p for p in viewer.paints(slide_frame(layer, paused=True)) if p.key[0] == "paused"]  # type: ignore[index]
    x, y, w, h = label[0].rect
    assert x > 160 and y < 90 and w > 0 and h > 0, "the label sits top right"
    viewer.invalidate()
    assert viewer.draw(slide_frame(layer, paused=True))
    assert close(viewer.screen.get_at((160, 90)), RED), "invalidated: the whole screen again"


def test_a_new_live_step_at_full_strength_redraws_only_its_picture(viewer: WallViewer, tmp_path: Path) -> None:
    folder = tmp_path / "live"
    writer = LiveWriter(folder, "j9")
    red = art(1, solid(tmp_path / "red.png", (90, 90), RED))
    assert viewer.prepare(red)
    layer = Layer(red, 1.0, (0.5, 0.5), Caption(()))

    def live(n: int, colour: tuple[int, int, int]) -> LiveLayer:
        writer(PreviewStep(Image.new("RGB", (8, 8), colour), n, 4))
        return LiveLayer("j9", n, 4, writer.image_path, 1.0, False, Caption(("Being painted",)))

    assert viewer.draw(slide_frame(layer, live=live(1, BLUE)))
    assert close(viewer.screen.get_at((160, 90)), BLUE), "the painting, fitted, in the middle"
    viewer.screen.set_at((5, 5), MARK)  # on the plain ground beside the (square) picture
    assert viewer.draw(slide_frame(layer, live=live(2, RED)))
    assert close(viewer.screen.get_at((160, 90)), RED), "the new step is on the wall"
    assert close(viewer.screen.get_at((5, 5)), MARK), "the ground around it was not drawn again"
    fading = Layer(red, 0.6, (0.5, 0.5), Caption(()))
    assert not viewer.draw(slide_frame(fading, live=live(2, RED))), "a slide changing under the painting costs nothing"


def test_a_pan_is_one_copy_of_the_slide_shifted_by_a_fraction_made_once(viewer: WallViewer, tmp_path: Path) -> None:
    cfg = config(window_size=(320, 180), ken_burns=True, ken_burns_zoom=1.5, show_qr=False)
    viewer.config = cfg
    viewer.resize(viewer.screen)
    assert viewer.slide_size == (480, 270)
    artwork = edge_art(viewer.slide_size, tmp_path)  # black, white from column 240 on
    assert viewer.prepare(artwork)
    margin = (viewer.slide_size[0] - 320, viewer.slide_size[1] - 180)

    def column_199(x: float) -> int:
        layer = Layer(artwork, 1.0, (x / margin[0], 45 / margin[1]), Caption(()))
        viewer.invalidate()
        assert viewer.draw(Frame(layers=(layer,), paused=False, moving=True, wake_at=math.inf))
        return int(viewer.screen.get_at((199, 90))[0])

    assert column_199(40.0) < 10  # the pan's start: its axis is not known yet
    slide = viewer._slides[(artwork.job_id, artwork.image_path)]
    blended = column_199(40.375)  # 3/8: blended over the portrait this once, and the shifted copy made
    assert (0, 3) in slide.phases and 80 < blended < 110
    assert column_199(40.375) == blended, "the shifted copy shows the same as the blend did"
    assert set(slide.phases) == {(0, 3)}, "only the fractions a pan reaches are made"
    assert phase_count((2074, 1166)) == 8 and phase_count((4147, 2333)) == 3, "eighths at 1080p, thirds at 4K"


def test_the_next_slide_is_read_in_the_background_and_a_bad_one_is_reported(viewer: WallViewer, tmp_path: Path) -> None:
    good = art(1, solid(tmp_path / "good.png", (90, 90), BLUE))
    (tmp_path / "bad.png").write_bytes(b"not an image" * 10)
    bad = art(2, tmp_path / "bad.png")

    def settle(artwork: object) -> bool:
        deadline = time.monotonic() + 10
        while (ready := viewer.preload(artwork)) is None:  # type: ignore[arg-type]
            assert time.monotonic() < deadline, "the loader never finished"
            time.sleep(0.01)
        return ready

    assert settle(good) is True and viewer.preload(good) is True
    assert settle(bad) is False
    assert viewer.draw(slide_frame(Layer(good, 1.0, (0.5, 0.5), Caption(()))))
    assert close(viewer.screen.get_at((160, 90)), BLUE)


def test_the_live_folder_waker_notices_a_step_at_once_and_sleeps_otherwise(tmp_path: Path) -> None:
    folder = tmp_path / "live"
    watched = LiveFolder(folder)
    assert not watched.wait_for_change(0.05), "no folder, no change"
    woken = threading.Event()
    waker = ChangeWaker(watched, woken.set, timeout=0.5).start()
    try:
        time.sleep(0.1)
        LiveWriter(folder, "job-1")(PreviewStep(Image.new("RGB", (8, 8)), 1, 4))
        assert woken.wait(2.0) and waker.changed.is_set(), "the waker heard the step"
        time.sleep(0.2)  # the step's two renames (picture, then state) may wake it twice
        woken.clear()
        assert not woken.wait(0.3), "nothing new: no wake-up"
    finally:
        waker.stop()
