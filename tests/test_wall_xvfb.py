"""The wall in a real X window: Xvfb, a screenshot, and the portrait's pixels where it is drawn."""

from __future__ import annotations

import io
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image, ImageChops

pytestmark = [
    pytest.mark.xvfb,
    pytest.mark.skipif(
        shutil.which("Xvfb") is None or shutil.which("import") is None,
        reason="needs Xvfb and ImageMagick's import (apt-get install xvfb imagemagick)",
    ),
]

# The portrait: four quadrants, so a stretch, a crop or a mirror would all show
QUADRANTS = {"tl": (230, 30, 40), "tr": (30, 60, 230), "bl": (40, 200, 60), "br": (240, 220, 30)}
PORTRAIT = (300, 400)
WINDOW = (640, 480)

WALL_SCRIPT = """
import sys
from datetime import UTC, datetime
from pathlib import Path
from installation.config import WallConfig
from installation.compose.prompt import Prompt
from installation.jobs.store import WallArtwork
from installation.render.artwork import Artwork
from installation.wall.loop import run_wall

image = Path(sys.argv[1])
prompt = Prompt("a portrait", "", "", seed=1, width=64, height=64, steps=1, guidance=0)
made = Artwork(image, image.with_suffix(".json"), prompt, "fake", "fake", "none", {}, False, False)
artwork = WallArtwork("job-1", 1, made, "", (), (), datetime.now(UTC))
class Feed:
    def wall_artworks(self):
        return [artwork]
config = WallConfig(window_size=(640, 480), fade_seconds=0.2, ken_burns=False, show_qr=False)
run_wall(Feed(), config, windowed=True, max_seconds=60)
"""


@pytest.fixture
def xvfb() -> Iterator[str]:
    """A private X server on a free display number (Xvfb picks it and reports it on a pipe)."""
    read, write = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", "800x600x24", "-nolisten", "tcp"],
        pass_fds=(write,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    with os.fdopen(read) as pipe:
        number = pipe.readline().strip()
    if not number:
        server.kill()
        pytest.fail("Xvfb did not start")
    try:
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def make_portrait(path: Path) -> Path:
    w, h = PORTRAIT
    image = Image.new("RGB", PORTRAIT)
    image.paste(QUADRANTS["tl"], (0, 0, w // 2, h // 2))
    image.paste(QUADRANTS["tr"], (w // 2, 0, w, h // 2))
    image.paste(QUADRANTS["bl"], (0, h // 2, w // 2, h))
    image.paste(QUADRANTS["br"], (w // 2, h // 2, w, h))
    image.save(path)
    return path


def screenshot(display: str) -> Image.Image:
    png = subprocess.run(
        ["import", "-display", display, "-window", "root", "png:-"], capture_output=True, check=True, timeout=20
    ).stdout
    return Image.open(io.BytesIO(png)).convert("RGB")


def close(a: tuple[int, ...], b: tuple[int, ...], tolerance: int = 6) -> bool:
    return all(abs(x - y) <= tolerance for x, y in zip(a, b, strict=True))


def find_colour(shot: Image.Image, colour: tuple[int, int, int]) -> tuple[int, int, int, int] | None:
    """Bounding box of the pixels of ``colour`` (give or take a little), or None."""
    bands = [
        band.point(lambda v, c=c: 255 if abs(v - c) <= 6 else 0) for band, c in zip(shot.split(), colour, strict=True)
    ]
    mask = ImageChops.darker(ImageChops.darker(bands[0], bands[1]), bands[2])  # all three bands match
    return mask.getbbox()


def test_wall_window_shows_the_portrait_at_its_aspect(xvfb: str, tmp_path: Path) -> None:
    portrait = make_portrait(tmp_path / "portrait.png")
    env = {**os.environ, "DISPLAY": xvfb, "SDL_VIDEODRIVER": "x11", "SDL_AUDIODRIVER": "dummy"}
    env["SDL_VIDEO_WINDOW_POS"] = "0,0"
    wall = subprocess.Popen(
        [sys.executable, "-c", WALL_SCRIPT, str(portrait)],
        env=env,
        cwd=Path(__file__).parent.parent,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        # 1. Wait until the red quadrant is on screen and the fade is over
        red = None
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and wall.poll() is None:
            shot = screenshot(xvfb)
            red = find_colour(shot, QUADRANTS["tl"])
            if red is not None and (red[2] - red[0]) > 100:
                time.sleep(0.5)  # past the 0.2 s fade
                shot = screenshot(xvfb)
                red = find_colour(shot, QUADRANTS["tl"])
                break
        assert red is not None, "the portrait never appeared"
        # 2. The portrait fills the window's height at its own aspect: each quadrant is 180 x 240
        x0, y0, x1, y1 = red
        w, h = x1 - x0, y1 - y0
        height = WINDOW[1]
        assert abs(h - height // 2) <= 2 and abs(w - height * PORTRAIT[0] // PORTRAIT[1] // 2) <= 2
        # 3. The other quadrants sit where the portrait puts them
        for name, (dx, dy) in {"tr": (w, 0), "bl": (0, h), "br": (w, h)}.items():
            pixel = shot.getpixel((x0 + dx + w // 2, y0 + dy + h // 2))
            assert isinstance(pixel, tuple) and close(pixel, QUADRANTS[name]), (name, pixel)
        # 4. Left of the portrait is the darkened background, not the portrait stretched
        side = shot.getpixel((max(0, x0 - 40), y0 + h // 2))
        assert isinstance(side, tuple) and not any(close(side, c) for c in QUADRANTS.values())
    finally:
        # 5. Stop it the way `portrait serve` would: SIGTERM becomes SDL's quit event, a clean exit
        if wall.poll() is None:
            wall.send_signal(signal.SIGTERM)
        try:
            wall.wait(timeout=10)
        finally:
            if wall.poll() is None:
                wall.kill()
    assert wall.returncode == 0, wall.stdout.read() if wall.stdout else ""
