"""The live painting's channel: the worker writes each step's preview, the wall reads the folder.

One job paints at a time per worker; while it renders, its folder (``live_folder(config)``, by default
``<render.output_dir>/live``) holds ``<job id>.png`` (the latest step, decoded cheaply) and
``<job id>.json`` (``{"format": ..., "step": 3, "total": 20, "image": "<job id>.png"}``). Both are
written atomically (a temporary file, then ``os.replace``), the picture first, so a reader that finds
the JSON finds its picture; both are deleted when the render ends, finished or failed.

Only jobs whose artwork will go straight to the wall paint live: none while ``[store] auto_approve``
is off, none whose prompt is held by the wall policy (``Prompt.hold_reason``). Each step's picture is
marked like every PNG the installation writes (``live_encoder``: IPTC source type, C2PA manifest).
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from installation.config import Config

if TYPE_CHECKING:
    from installation.compose.prompt import Prompt
    from installation.render.preview import PreviewStep

log = logging.getLogger(__name__)

LIVE_FORMAT = "social-portrait/live@1"

__all__ = [
    "LIVE_FORMAT", "LiveStep", "LiveWriter", "live_encoder", "live_folder", "live_painting", "paints_live", "read_live",
]


@dataclass(frozen=True)
class LiveStep:
    """The latest step of a portrait being painted, as the live folder holds it."""

    job_id: str
    step: int  # 1 .. total
    total: int
    image_path: Path


def live_folder(config: Config) -> Path:
    """Where live previews go: ``[wall] live_dir``, else ``<render.output_dir>/live``."""
    return config.wall.live_dir or config.render.output_dir / "live"


def paints_live(config: Config, prompt: Prompt) -> bool:
    """Whether this job's render is shown step by step: live on, and its artwork goes straight to the wall."""
    return config.wall.live and config.store.auto_approve and prompt.hold_reason is None


def live_encoder(config: Config) -> Callable[[PreviewStep], bytes]:
    """A step's PNG marked as machine-made (``marked_png``), fast to write: it lives for seconds."""
    from installation.render.provenance import marked_png

    provenance = config.render.provenance
    title = f"{provenance.installation} live painting"

    def encode(step: PreviewStep) -> bytes:
        return marked_png(step.image, f"live painting, step {step.step} of {step.total}", provenance,
                          model=config.render.model, backend=config.render.backend, title=title, compress_level=1)

    return encode


def _plain_png(step: PreviewStep) -> bytes:
    buffer = io.BytesIO()
    step.image.save(buffer, format="PNG", compress_level=1)
    return buffer.getvalue()


class LiveWriter:
    """Called with each ``PreviewStep``; writes it for the wall. A failed write is logged, never raised.

    ``encode`` turns a step into PNG bytes (the worker's marks it, ``live_encoder``); by default plain.
    """

    def __init__(self, folder: Path, job_id: str, encode: Callable[[PreviewStep], bytes] | None = None) -> None:
        self.folder = folder
        self.job_id = job_id
        self.encode = encode or _plain_png
        self.image_path = folder / f"{job_id}.png"
        self.state_path = folder / f"{job_id}.json"
        self._warned = False

    def __call__(self, step: PreviewStep) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            png = self.encode(step)
            _write_atomic(self.image_path, lambda f: f.write(png))
            state = {"format": LIVE_FORMAT, "step": step.step, "total": step.total, "image": self.image_path.name}
            data = json.dumps(state).encode()
            _write_atomic(self.state_path, lambda f: f.write(data))
        except OSError as exc:
            if not self._warned:  # the render goes on; the wall just sees no live painting
                log.warning("live painting of job %s: cannot write to %s (%s)", self.job_id, self.folder, exc)
                self._warned = True

    def remove(self) -> None:
        """The render ended: the state first, so no reader takes the picture for a live one."""
        for path in (self.state_path, self.image_path):
            path.unlink(missing_ok=True)


@contextlib.contextmanager
def live_painting(
    folder: Path, job_id: str, encode: Callable[[PreviewStep], bytes] | None = None
) -> Iterator[LiveWriter]:
    """A ``LiveWriter`` whose files are gone when the block ends, however it ends."""
    writer = LiveWriter(folder, job_id, encode)
    try:
        yield writer
    finally:
        writer.remove()


def read_live(folder: Path) -> list[LiveStep]:
    """The renders under way, by job id; a half-written or foreign file is passed over."""
    steps = []
    try:
        names = sorted(entry.name for entry in os.scandir(folder) if entry.name.endswith(".json"))
    except FileNotFoundError:
        return []
    for name in names:
        try:
            state = json.loads((folder / name).read_text(encoding="utf-8"))
            if state.get("format") != LIVE_FORMAT:
                continue
            image = folder / str(state["image"])
            if image.parent != folder or not image.is_file():
                continue
            steps.append(LiveStep(name[: -len(".json")], int(state["step"]), int(state["total"]), image))
        except (OSError, ValueError, KeyError, TypeError):
            continue  # removed or being replaced right now: the next look finds it whole
    return steps


def _write_atomic(path: Path, write: Callable[[BinaryIO], object]) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    with tmp.open("wb") as f:
        write(f)
    os.replace(tmp, path)
