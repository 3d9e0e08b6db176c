"""The wall's frame rate during crossfades at 1920x1080, and its CPU share while idle between them.

Runs headless on SDL's dummy driver with invented 1024x1024 portraits (and one tall one):

1. crossfade fps, uncapped: the loop's drawing path (controller frame, viewer draw, flip) as fast as it
   goes while a crossfade is always under way; what the machine can do (target >= 60), per wall-clock
   second and per CPU-second (the second does not depend on what else the machine is running);
2. crossfade fps through ``run_wall`` with the configured cap of 60, counting the frames it flips;
3. CPU share between transitions: ``run_wall`` at the default timings showing a portrait, measured
   with ``time.process_time`` over wall time once the first fade is over (target <= 0.5 core), with
   Ken Burns off and on.

``cpu_available`` is the share of a core a busy loop gets before and after: on a shared machine the
wall-clock frame rates are bounded by it. Run: ``python bench/wall.py [--seconds 8]``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

from installation.compose.prompt import Prompt
from installation.jobs.store import WallArtwork
from installation.render.artwork import Artwork

SIZE = (1920, 1080)


def make_portraits(folder: Path) -> list[Path]:
    """Noisy gradients, so no codec or blit takes a shortcut on flat colour."""
    from PIL import Image, ImageFilter

    paths = []
    rng = random.Random(0)
    for i, size in enumerate([(1024, 1024), (1024, 1024), (768, 1344), (1024, 1024)]):
        noise = Image.effect_noise(size, 60).convert("RGB")
        tint = Image.new("RGB", size, tuple(rng.randrange(40, 220) for _ in range(3)))
        image = Image.blend(tint, noise, 0.35).filter(ImageFilter.SMOOTH)
        path = folder / f"portrait-{i}.png"
        image.save(path)
        paths.append(path)
    return paths


def artworks(paths: list[Path]) -> list[WallArtwork]:
    return [
        WallArtwork(
            job_id=f"bench-{i}",
            seq=i + 1,
            artwork=bench_artwork(p, seed=i),
            caption=f"Visitor {i}",
            keywords=("sea", "light", "tea"),
            themes=("nature",),
            finished_at=datetime.now(UTC),
        )
        for i, p in enumerate(paths)
    ]


def bench_artwork(path: Path, seed: int) -> Artwork:
    """The render record the wall gets with each portrait; the bench's pictures were painted by Pillow."""
    prompt = Prompt("a portrait", "", "oil-portrait", seed=seed, width=1024, height=1024, steps=1, guidance=0)
    return Artwork(path, path.with_suffix(".json"), prompt, "bench", "pillow-noise", "none", {}, False, True)


class Feed:
    def __init__(self, items: list[WallArtwork]) -> None:
        self.items = items

    def wall_artworks(self) -> list[WallArtwork]:
        return list(self.items)


def fps_uncapped(items: list[WallArtwork], seconds: float, ken_burns: bool) -> dict[str, float]:
    """Frames per second of the draw path while a crossfade is always under way."""
    import pygame

    from installation.config import WallConfig
    from installation.wall.draw import open_screen
    from installation.wall.show import Slideshow
    from installation.wall.software import WallViewer

    config = WallConfig(
        window_size=SIZE, slide_seconds=1.6, fade_seconds=1.5, ken_burns=ken_burns, kiosk_url="http://kiosk.local/"
    )
    pygame.display.init()
    pygame.font.init()
    try:
        viewer = WallViewer(open_screen(config, fullscreen=False), config)
        show = Slideshow(config)
        show.update(items, 0.0)
        for artwork in items:
            viewer.prepare(artwork)
        fading_frames = 0
        start, cpu = time.monotonic(), time.process_time()
        while (now := time.monotonic()) - start < seconds:
            frame = show.frame(now)
            if viewer.draw(frame):
                pygame.display.flip()
                fading_frames += any(layer.alpha < 1 for layer in frame.layers)
        elapsed, cpu = time.monotonic() - start, time.process_time() - cpu
        # Per CPU-second too: on a busy machine the wall-clock rate is the scheduler's share, not ours
        return {"fps": round(fading_frames / elapsed, 1), "fps_per_cpu_second": round(fading_frames / cpu, 1)}
    finally:
        pygame.quit()


def run_measured(items: list[WallArtwork], seconds: float, skip: float, **settings: object) -> dict[str, float]:
    """``run_wall`` for ``seconds``; flips counted, CPU share measured after the first ``skip`` seconds."""
    import pygame

    from installation.config import WallConfig
    from installation.wall.loop import run_wall

    config = WallConfig.model_validate({"window_size": SIZE, "kiosk_url": "http://kiosk.local/", **settings})
    flips = [0]
    real_flip = pygame.display.flip

    def counting_flip() -> None:
        flips[0] += 1
        real_flip()

    sample: dict[str, float] = {}

    def sampler() -> None:
        time.sleep(skip)
        sample["cpu0"], sample["wall0"], sample["flips0"] = time.process_time(), time.monotonic(), flips[0]
        time.sleep(seconds - skip - 0.2)
        sample["cpu1"], sample["wall1"], sample["flips1"] = time.process_time(), time.monotonic(), flips[0]

    pygame.display.flip = counting_flip
    thread = threading.Thread(target=sampler)
    thread.start()
    try:
        run_wall(Feed(items), config, windowed=True, max_seconds=seconds)
    finally:
        pygame.display.flip = real_flip
        thread.join()
    span = sample["wall1"] - sample["wall0"]
    result = {
        "cpu_share": round((sample["cpu1"] - sample["cpu0"]) / span, 3),
        "fps": round((sample["flips1"] - sample["flips0"]) / span, 1),
    }
    if config.fade_seconds and config.slide_seconds <= 2 * config.fade_seconds:
        # Back-to-back fades: between two of them the screen holds still for slide - fade seconds.
        share = config.fade_seconds / config.slide_seconds
        result["fps_while_fading"] = round(result["fps"] / share, 1)
    return result


def cpu_available(seconds: float = 1.0) -> float:
    """The share of a core a busy loop gets now: below 1, other processes are taking the machine."""
    start, cpu = time.monotonic(), time.process_time()
    while time.monotonic() - start < seconds:
        pass
    return round((time.process_time() - cpu) / (time.monotonic() - start), 2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=8.0, help="length of each crossfade measurement")
    args = parser.parse_args()
    os.environ["SDL_VIDEODRIVER"] = "dummy"
    os.environ["SDL_AUDIODRIVER"] = "dummy"
    os.environ["PYGAME_HIDE_SUPPORT_PROMPT"] = "1"
    with tempfile.TemporaryDirectory() as tmp:
        items = artworks(make_portraits(Path(tmp)))
        s = args.seconds
        results = {
            "screen": f"{SIZE[0]}x{SIZE[1]}",
            "cpus": os.cpu_count(),
            "load_average": round(os.getloadavg()[0], 1),
            "cpu_available_before": cpu_available(),
            "crossfade_uncapped": fps_uncapped(items, s, ken_burns=False),
            "crossfade_uncapped_ken_burns": fps_uncapped(items, s, ken_burns=True),
            # Always fading: a 1.5 s fade every 1.6 s, at the default cap of 60
            "crossfade_run_wall_fps60": run_measured(
                items, s, 2.0, slide_seconds=1.6, fade_seconds=1.5, ken_burns=False, fps=60
            ),
            # Between transitions, at the default timings: from 3 s (first fade over) to 11.3 s (next at 12)
            "idle_between_transitions": run_measured(items, 11.5, 3.0, ken_burns=False),
            "idle_between_transitions_ken_burns": run_measured(items, 11.5, 3.0, ken_burns=True),
            "cpu_available_after": cpu_available(),
        }
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
