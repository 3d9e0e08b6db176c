"""The live painting on a real X window: the tiny model renders, each step shows on the wall as it is
painted, then the finished artwork takes its place. Xvfb and ImageMagick's ``import`` take the pictures."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Literal

import pytest
import torch
from PIL import Image, ImageChops, ImageStat
from test_wall_xvfb import pytestmark as xvfb_marks
from test_wall_xvfb import screenshot, xvfb  # noqa: F401 (the fixture)

from installation.compose.prompt import Prompt
from installation.config import ProvenanceConfig, RenderConfig
from installation.jobs.live import live_painting
from installation.render.preview import PreviewStep
from installation.render.run import open_renderer, render
from installation.wall.frames import FRAMES_ENV, read_frames

pytestmark = xvfb_marks

WINDOW = (640, 480)
PROBE = (160, 40, 560, 300)  # inside the picture, clear of the caption panel (bottom left)

WALL_SCRIPT = """
import json, sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal
from installation.config import WallConfig
from installation.compose.prompt import Prompt
from installation.jobs.store import WallArtwork
from installation.render.artwork import Artwork
from installation.wall.loop import run_wall

feed_file, live_dir = Path(sys.argv[1]), Path(sys.argv[2])
prompt = Prompt("a portrait", "", "", seed=1, width=64, height=64, steps=1, guidance=0)
class Feed:
    def wall_artworks(self):  # the finished artworks the test has listed so far
        paths = json.loads(feed_file.read_text()) if feed_file.exists() else []
        return [
            WallArtwork(f"job-{i}", i, Artwork(Path(p), Path(p).with_suffix(".json"), prompt, "local", "tiny", "Euler",
                        {}, False, True), "", (), (), datetime.now(UTC))
            for i, p in enumerate(paths, 1)
        ]
config = WallConfig(window_size=(640, 480), fade_seconds=0.3, ken_burns=False, show_qr=False, poll_seconds=0.2,
                    live_dir=live_dir, renderer="software")
run_wall(Feed(), config, windowed=True, max_seconds=90)
"""


@pytest.fixture(scope="module")
def render_config(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RenderConfig]:
    cache = tmp_path_factory.getbasetemp() / "model-cache"  # shared by name: the tiny model is built once
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield RenderConfig(model="tiny", device="cpu", cache_dir=cache, warm_up=False,
                       provenance=ProvenanceConfig(key_dir=cache / "c2pa"))  # fmt: skip
    torch.set_num_threads(threads)


def fitted(picture: Image.Image, background: Literal["blur", "colour"]) -> Image.Image:
    """``picture`` as the wall fits it to the window (the same pygame scaling, so pixels compare closely)."""
    import pygame

    from installation.wall.draw import fit_image

    surface = fit_image(picture.convert("RGB"), WINDOW, background).surface
    return Image.frombytes("RGB", WINDOW, pygame.image.tobytes(surface, "RGB"))


def difference(shot: Image.Image, expected: Image.Image) -> float:
    """Mean difference (0-255) between the window's probe area and what it should show there."""
    diff = ImageChops.difference(shot.crop(PROBE), expected.crop(PROBE))
    return sum(ImageStat.Stat(diff).mean) / 3


def wait_for(display: str, expected: Image.Image, seconds: float = 20) -> float:
    """Screenshots until the window shows ``expected``; its difference, or pytest.fail."""
    deadline = time.monotonic() + seconds
    best = 255.0
    while time.monotonic() < deadline:
        best = min(best, difference(screenshot(display), expected))
        if best < 4:
            return best
        time.sleep(0.25)  # import holds the X server while it copies: leave the wall room to draw
    pytest.fail(f"the wall never showed the picture (closest mean difference {best:.1f})")


def test_a_portrait_paints_itself_in_on_the_wall_then_the_artwork_takes_over(
    xvfb: str,  # noqa: F811 (the fixture)
    tmp_path: Path,
    render_config: RenderConfig,
) -> None:
    feed, live_dir, frames = tmp_path / "feed.json", tmp_path / "live", tmp_path / "frames.jsonl"
    env = {**os.environ, "DISPLAY": xvfb, "SDL_VIDEODRIVER": "x11", "SDL_AUDIODRIVER": "dummy",
           "SDL_VIDEO_WINDOW_POS": "0,0", FRAMES_ENV: str(frames)}  # fmt: skip
    wall = subprocess.Popen(
        [sys.executable, "-c", WALL_SCRIPT, str(feed), str(live_dir)],
        env=env,
        cwd=Path(__file__).parent.parent,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    renderer = open_renderer(render_config)
    prompt = Prompt("a lighthouse at dusk", "", "oil", seed=3, width=256, height=256, steps=3, guidance=0)
    seen: dict[int, float] = {}
    try:
        time.sleep(1.0)  # the wall is up, showing its idle screen

        # 1. Each step: written to the live folder, then the render waits until the wall shows it
        with live_painting(live_dir, "job-1") as writer:

            def preview(step: PreviewStep) -> None:
                writer(step)
                seen[step.step] = wait_for(xvfb, fitted(step.image, "colour"))

            artwork = render(prompt, render_config, tmp_path / "art.png", renderer=renderer, preview=preview)
        assert sorted(seen) == [1, 2, 3]

        # 2. The finished artwork reaches the store: it crossfades in over the painting and stays
        feed.write_text(json.dumps([str(artwork.image_path)]))
        with Image.open(artwork.image_path) as final:
            wait_for(xvfb, fitted(final, "blur"))
    finally:
        if wall.poll() is None:
            wall.send_signal(signal.SIGTERM)
        try:
            wall.wait(timeout=10)
        finally:
            if wall.poll() is None:
                wall.kill()
    assert wall.returncode == 0, wall.stdout.read() if wall.stdout else ""
    # The wall's own record: it flipped frames showing each step
    assert {f.live_step for f in read_frames(frames)} >= {1, 2, 3}
