"""The wall's frame-time recorder: what each flip showed and when, for ``bench/wall_display.py``.

Off by default and free when off: ``run_wall(on_frame=...)`` takes a callable, or the environment
variable ``PORTRAIT_WALL_FRAMES`` (read once when the wall starts) names a JSON-lines file that a
``FrameLog`` writes when the wall stops. Each line is one ``FrameStat``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from installation.errors import DisplayError

FRAMES_ENV = "PORTRAIT_WALL_FRAMES"

__all__ = ["FRAMES_ENV", "FrameHook", "FrameLog", "FrameStat", "frame_log_from_env", "read_frames"]


@dataclass(frozen=True)
class FrameStat:
    """One flip of the wall's screen, or one due frame that needed none (``drawn`` False)."""

    at: float  # time.monotonic() right after the flip (the same clock in every process of this machine)
    cpu: float  # time.process_time() right after the flip: this process's CPU seconds so far
    fading: bool  # a slide was part-transparent: a crossfade
    moving: bool  # a fade or a pan was under way
    live_step: int | None = None  # the live painting's step on screen, if one was drawn
    live_alpha: float | None = None  # and how far it had faded in, 0..1
    # False: a frame fell due while something moved, but it would look the same as the one on screen
    # (a slow pan's start and end move less than the pan's smallest step), so nothing was drawn or flipped
    drawn: bool = True


FrameHook = Callable[[FrameStat], None]


@dataclass
class FrameLog:
    """Keeps every ``FrameStat`` in memory and writes them to ``path`` at the end (no I/O per frame)."""

    path: Path
    frames: list[FrameStat] = field(default_factory=list)

    def __call__(self, stat: FrameStat) -> None:
        self.frames.append(stat)

    def write(self) -> None:
        tmp = self.path.with_suffix(self.path.suffix + ".tmp")
        try:
            with tmp.open("w", encoding="utf-8") as f:
                f.writelines(json.dumps(asdict(s)) + "\n" for s in self.frames)
            os.replace(tmp, self.path)
        except OSError as exc:
            raise DisplayError(f"cannot write the wall's frame log {self.path}: {exc}") from exc


def frame_log_from_env() -> FrameLog | None:
    """A ``FrameLog`` when ``PORTRAIT_WALL_FRAMES`` names a file, else None."""
    value = os.environ.get(FRAMES_ENV, "").strip()
    return FrameLog(Path(value)) if value else None


def read_frames(path: Path) -> list[FrameStat]:
    """The frames a ``FrameLog`` wrote."""
    with path.open(encoding="utf-8") as f:
        return [FrameStat(**json.loads(line)) for line in f if line.strip()]
