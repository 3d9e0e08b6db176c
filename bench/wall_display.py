"""What a visitor sees: the real wall (``run_wall``, full screen) on a real X display (Xvfb).

For each screen size (default 1920x1080 and 3840x2160) and each renderer asked for, a private Xvfb
(``-screen 0 WxHx24``) is started and the wall runs in its own process with the frame-time recorder on
(``PORTRAIT_WALL_FRAMES``): every flip's time and the wall's CPU time. Meanwhile this script samples the
CPU of the wall and of the X server from ``/proc``. Four runs each:

1. fades: a 1.5 s crossfade every 1.6 s, Ken Burns off: fps and 5th-percentile fps from the intervals
   between flips during fades, CPU ms per frame (wall process; the X server's copy of each frame too);
2. pans: Ken Burns on, between fades: the same, for the frames of a pan (the software path moves in
   eighths of a pixel at 1080p, thirds at 4K, and skips a frame that would look the same, so a very
   slow pan, at its start and end, flips less often). The recorder logs such a due frame too
   (``drawn`` False): pacing is taken over the frames that fell due, since one that looks the same as
   the screen is on time for whoever watches; ``pans_flips`` gives the flips alone;
3. cycle: the default timings (12 s slides, 1.5 s fade, Ken Burns on): CPU share over one whole slide;
4. idle: Ken Burns off, between fades: CPU share when nothing moves.

With ``--live``, also the live painting's latency: the tiny model renders a 512x512 portrait in 8 steps
(on the CPU) while the wall watches the live folder; reported are the seconds from the render's start to
the first step written, to the first flip that shows it, and to the first flips where it has faded in
halfway and all the way.

The machine is shared: ``cpu_available`` (the share of a core a busy loop gets) is measured before and
after, and ``--repeat N`` reports medians. Run: ``python bench/wall_display.py [--sizes 1920x1080]
[--renderers before|auto|gpu|software ...] [--repeat 3] [--live]``.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
# bench/ last, not first: a script there named like a standard module (queue.py) must not shadow it
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != BENCH] + [str(BENCH)]

from wall import cpu_available, make_portraits  # noqa: E402

TICK = os.sysconf("SC_CLK_TCK")

WALL_SCRIPT = """
import json, sys
sys.path.append(sys.argv[1])
from pathlib import Path
from wall import artworks
from installation.config import WallConfig
from installation.wall.loop import run_wall

paths = [Path(p) for p in json.loads(sys.argv[2])]
config = WallConfig.model_validate(json.loads(sys.argv[3]))
items = artworks(paths)
class Feed:
    def wall_artworks(self):
        return list(items)
run_wall(Feed(), config, max_seconds=float(sys.argv[4]))
"""

# name -> (wall settings, seconds to run)
RUNS: dict[str, tuple[dict[str, Any], float]] = {
    "fades": ({"slide_seconds": 1.6, "fade_seconds": 1.5, "ken_burns": False}, 9.0),
    "pans": ({"slide_seconds": 12.0, "fade_seconds": 1.5, "ken_burns": True}, 9.0),
    "cycle": ({"slide_seconds": 12.0, "fade_seconds": 1.5, "ken_burns": True}, 17.0),
    "idle": ({"slide_seconds": 12.0, "fade_seconds": 1.5, "ken_burns": False}, 10.0),
}


class Xvfb:
    """A private X server of ``size`` on a free display number."""

    def __init__(self, size: tuple[int, int]) -> None:
        read, write = os.pipe()
        self.process = subprocess.Popen(
            ["Xvfb", "-displayfd", str(write), "-screen", "0", f"{size[0]}x{size[1]}x24", "-nolisten", "tcp"],
            pass_fds=(write,),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(write)
        with os.fdopen(read) as pipe:
            number = pipe.readline().strip()
        if not number:
            self.process.kill()
            raise SystemExit("Xvfb did not start")
        self.display = f":{number}"

    def close(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def cpu_seconds(pid: int) -> float:
    """utime + stime of a process, in seconds (to the kernel's clock tick)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


class CpuSampler:
    """Samples the CPU seconds of some processes every ``period`` seconds in a thread."""

    def __init__(self, pids: dict[str, int], period: float = 0.1) -> None:
        self.pids, self.period = pids, period
        self.samples: list[tuple[float, dict[str, float]]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.samples.append((time.monotonic(), {k: cpu_seconds(p) for k, p in self.pids.items()}))
            except (OSError, IndexError):
                return
            self._stop.wait(self.period)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def share(self, name: str, start: float, end: float) -> float:
        """CPU seconds of ``name`` per second between two moments (nearest samples inside)."""
        inside = [(t, s[name]) for t, s in self.samples if start <= t <= end]
        if len(inside) < 2 or inside[-1][0] <= inside[0][0]:
            return float("nan")
        return (inside[-1][1] - inside[0][1]) / (inside[-1][0] - inside[0][0])


def run_wall(
    display: str,
    paths: list[Path],
    settings: dict[str, Any],
    seconds: float,
    env_extra: dict[str, str] | None = None,
    xvfb_pid: int | None = None,
    during: Any = None,
) -> tuple[list[Any], CpuSampler]:
    """The wall for ``seconds`` on ``display``; its flips and the CPU samples."""
    from installation.wall.frames import FRAMES_ENV, read_frames

    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "frames.jsonl"
        env = {**os.environ, "DISPLAY": display, "SDL_VIDEODRIVER": "x11", "SDL_AUDIODRIVER": "dummy",
               FRAMES_ENV: str(log), "PYGAME_HIDE_SUPPORT_PROMPT": "1", **(env_extra or {})}  # fmt: skip
        config = {"kiosk_url": "http://kiosk.local/", "fullscreen": True, **settings}
        wall = subprocess.Popen(
            [sys.executable, "-c", WALL_SCRIPT, str(BENCH), json.dumps([str(p) for p in paths]), json.dumps(config),
             str(seconds)],
            env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip
        pids = {"wall": wall.pid, **({"xvfb": xvfb_pid} if xvfb_pid else {})}
        sampler = CpuSampler(pids)
        if during is not None:
            during()
        out, _ = wall.communicate(timeout=seconds + 60)
        sampler.stop()
        if wall.returncode != 0:
            raise SystemExit(f"the wall failed ({wall.returncode}):\n{out}")
        renderer_lines = [line for line in out.splitlines() if "renderer" in line]
        sampler.log = renderer_lines  # type: ignore[attr-defined]
        return read_frames(log), sampler


def intervals(frames: list[Any], keep: Any) -> list[tuple[Any, Any]]:
    """Consecutive flip pairs that both satisfy ``keep`` and are less than half a second apart."""
    return [(a, b) for a, b in itertools.pairwise(frames) if keep(a) and keep(b) and b.at - a.at < 0.5]


def rate(pairs: list[tuple[Any, Any]], sampler: CpuSampler | None = None) -> dict[str, float]:
    if not pairs:
        return {"frames": 0}
    gaps = sorted(b.at - a.at for a, b in pairs)
    cpu = [b.cpu - a.cpu for a, b in pairs]
    result = {
        "frames": len(pairs),
        "fps": round(len(gaps) / sum(gaps), 1),
        "p5_fps": round(1 / gaps[min(len(gaps) - 1, int(len(gaps) * 0.95))], 1),
        "worst_ms": round(gaps[-1] * 1000, 1),
        "cpu_ms_per_frame": round(statistics.mean(cpu) * 1000, 2),
    }
    if sampler is not None and "xvfb" in sampler.pids:
        start, end = pairs[0][0].at, pairs[-1][1].at
        xshare = sampler.share("xvfb", start, end)
        result["xvfb_ms_per_frame"] = round(xshare * (end - start) / len(pairs) * 1000, 2)
    return result


def measure(size: tuple[int, int], renderer: str, paths: list[Path]) -> dict[str, Any]:
    """The four runs on one screen size and renderer (``before``: no renderer key, the old wall)."""
    extra = {} if renderer == "before" else {"renderer": renderer}
    server = Xvfb(size)
    try:
        out: dict[str, Any] = {}
        for name, (settings, seconds) in RUNS.items():
            frames, sampler = run_wall(server.display, paths, {**settings, **extra}, seconds,
                                       xvfb_pid=server.process.pid)  # fmt: skip
            if getattr(sampler, "log", None):
                out["log"] = sampler.log[-1].split("wall: ")[-1]  # type: ignore[attr-defined]
            first = frames[0].at if frames else time.monotonic()
            if name == "fades":
                later = [f for f in frames if f.at > first + 1.7]  # past the first (from black) fade
                out[name] = rate(intervals(later, lambda f: f.fading), sampler)
            elif name == "pans":
                later = [f for f in frames if f.at > first + 1.7]
                panning = [f for f in later if f.moving and not f.fading]
                # What a visitor sees: every frame that fell due, flipped or already on screen (see above)
                out[name] = rate(intervals(later, lambda f: f.moving and not f.fading), sampler)
                out[name]["not_drawn"] = sum(not f.drawn for f in panning)
                # ... and the flips alone, where a frame the pan did not need reads as a missing one
                out["pans_flips"] = rate(intervals([f for f in later if f.drawn], lambda f: f.moving and not f.fading))
            elif name == "cycle":  # one whole slide: 12 s from 2 s after the first flip, one fade inside
                start, end = first + 2.0, first + 14.0
                out[name] = {
                    "cpu_share": round(sampler.share("wall", start, end), 3),
                    "xvfb_share": round(sampler.share("xvfb", start, end), 3),
                    "flips": sum(start <= f.at <= end for f in frames),
                }
            else:  # idle: after the first fade, before the next
                start, end = first + 2.5, first + 9.0
                out[name] = {
                    "cpu_share": round(sampler.share("wall", start, end), 4),
                    "xvfb_share": round(sampler.share("xvfb", start, end), 4),
                    "flips": sum(start <= f.at <= end for f in frames),
                }
        return out
    finally:
        server.close()


def live_latency(size: tuple[int, int], renderer: str, folder: Path) -> dict[str, Any]:
    """The tiny model renders while the wall watches the live folder: render start -> first flip of a step."""
    import torch

    from installation.compose.prompt import Prompt
    from installation.config import ProvenanceConfig, RenderConfig
    from installation.jobs.live import live_painting
    from installation.render.preview import PreviewStep
    from installation.render.run import open_renderer, render

    torch.set_num_threads(1)
    config = RenderConfig(model="tiny", device="cpu", cache_dir=folder / "model-cache", warm_up=False,
                          provenance=ProvenanceConfig(enabled=False))  # fmt: skip
    model = open_renderer(config)  # built before the wall starts: the render is what is timed
    prompt = Prompt("a lighthouse at dusk", "", "oil", seed=3, width=512, height=512, steps=8, guidance=0)
    live_dir = folder / "live"
    started: list[float] = []

    def during() -> None:
        time.sleep(4.0)  # the wall is up and showing its idle screen
        with live_painting(live_dir, "live-bench-job") as writer:
            written: list[float] = []

            def preview(step: PreviewStep) -> None:
                writer(step)
                written.append(time.monotonic())

            started.append(time.monotonic())
            render(prompt, config, folder / "live-bench.png", renderer=model, preview=preview)
        started.append(written[0])

    server = Xvfb(size)
    extra = {} if renderer == "before" else {"renderer": renderer}
    try:
        settings = {"ken_burns": False, "live": True, "live_dir": str(live_dir), **extra}
        frames, _ = run_wall(server.display, [], settings, 9.0, during=during)
    finally:
        server.close()
    shown = [f for f in frames if f.live_step is not None and f.at >= started[0]]
    if not shown:
        return {"first_step_on_wall_s": None, "steps_shown": 0}
    half = next((f for f in shown if (f.live_alpha or 0) >= 0.5), None)
    full = next((f for f in shown if (f.live_alpha or 0) >= 1), None)
    return {
        "first_step_written_s": round(started[1] - started[0], 3),  # render start -> first preview on disk
        "first_step_on_wall_s": round(shown[0].at - started[0], 3),  # render start -> first flip showing it
        # ... -> the first flip where it has faded in halfway, and all the way (LIVE_FADE_SECONDS)
        "half_up_s": round(half.at - started[0], 3) if half is not None else None,
        "fully_up_s": round(full.at - started[0], 3) if full is not None else None,
        "steps_shown": len({f.live_step for f in shown}),
    }


def median_of(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Field-wise median of several results of the same shape."""
    first = runs[0]
    out: dict[str, Any] = {}
    for key, value in first.items():
        if isinstance(value, dict):
            out[key] = median_of([r[key] for r in runs])
        elif isinstance(value, int | float) and not isinstance(value, bool):
            numbers = [r[key] for r in runs if isinstance(r.get(key), int | float)]
            out[key] = round(statistics.median(numbers), 4) if numbers else None
        else:
            out[key] = value
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=["1920x1080", "3840x2160"])
    parser.add_argument("--renderers", nargs="+", default=["software", "gpu"],
                        help="before (the wall without a renderer key), auto, gpu, software")  # fmt: skip
    parser.add_argument("--repeat", type=int, default=1, help="runs of each; medians reported")
    parser.add_argument("--live", action="store_true", help="also the live painting's first-step latency")
    args = parser.parse_args()
    if shutil.which("Xvfb") is None:
        raise SystemExit("needs Xvfb (apt-get install xvfb)")
    results: dict[str, Any] = {
        "cpus": os.cpu_count(), "load_average": round(os.getloadavg()[0], 1), "cpu_available_before": cpu_available(),
    }  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        paths = make_portraits(Path(tmp))
        for text in args.sizes:
            w, h = (int(x) for x in text.split("x"))
            for renderer in args.renderers:
                runs = [measure((w, h), renderer, paths) for _ in range(args.repeat)]
                key = f"{text} {renderer}"
                results[key] = median_of(runs)
                if args.live:
                    lives = [live_latency((w, h), renderer, Path(tmp)) for _ in range(args.repeat)]
                    results[key]["live"] = median_of(lives)
                print(key, json.dumps(results[key]), file=sys.stderr, flush=True)
    results["cpu_available_after"] = cpu_available()
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
