"""Which drawing path the wall takes: the GPU (SDL's renderer) or software (pygame surfaces).

``[wall] renderer``: ``auto`` takes the GPU path where OpenGL is a real GPU and the software path where
it is Mesa's software rasteriser or missing (on Xvfb the software path is the faster one: it sends each
frame to the X server once, where SDL's renderer first rasterises it on the CPU); ``gpu`` and
``software`` force one. The choice is logged once at start-up.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Literal, Protocol

from installation.config import WallConfig
from installation.errors import DisplayError
from installation.jobs.store import WallArtwork
from installation.wall.show import Frame

log = logging.getLogger(__name__)

DrawingPath = Literal["gpu", "software"]

__all__ = ["Choice", "Viewer", "choose_renderer", "open_viewer"]


class Viewer(Protocol):
    """What the loop asks of a drawing path."""

    name: str
    paced: bool  # present() waits for the display's refresh (vsync)

    def preload(self, artwork: WallArtwork) -> bool | None: ...

    def prepare(self, artwork: WallArtwork) -> bool: ...

    def draw(self, frame: Frame) -> bool: ...

    def present(self) -> None: ...

    def invalidate(self) -> None: ...

    def set_fullscreen(self, fullscreen: bool) -> None: ...

    def close(self) -> None: ...


@dataclass(frozen=True)
class Choice:
    """The drawing path taken, and why."""

    path: DrawingPath
    reason: str


def choose_renderer(wanted: str, gpu_found: bool, hardware: bool, description: str) -> Choice:
    """The path for ``[wall] renderer = wanted`` given what probing the GPU found."""
    if wanted == "software":
        return Choice("software", "wall.renderer is software")
    if wanted == "gpu":
        if not gpu_found:
            raise DisplayError(f"wall.renderer is gpu but {description}; set it to auto or software")
        return Choice("gpu", f"wall.renderer is gpu ({description})")
    if wanted != "auto":
        raise DisplayError(f"wall.renderer must be auto, gpu or software but is {wanted!r}")
    if not gpu_found:
        return Choice("software", f"auto: {description}")
    if not hardware:
        return Choice("software", f"auto: {description} draws on the CPU, so pygame surfaces are faster")
    return Choice("gpu", f"auto: {description}")


def open_viewer(config: WallConfig, *, fullscreen: bool) -> Viewer:
    """Open the wall's window on the chosen path and log which."""
    from installation.wall.draw import open_screen
    from installation.wall.software import WallViewer

    if config.renderer == "software":
        choice = choose_renderer("software", False, False, "")
        viewer: Viewer = WallViewer(open_screen(config, fullscreen=fullscreen), config)
    else:
        from installation.wall.gpu import probe_gpu

        probe = probe_gpu(config, fullscreen=fullscreen)
        choice = choose_renderer(config.renderer, probe.viewer is not None, probe.hardware, probe.description)
        if choice.path == "gpu" and probe.viewer is not None:
            viewer = probe.viewer
        else:
            if probe.viewer is not None:
                probe.viewer.close()
            viewer = WallViewer(open_screen(config, fullscreen=fullscreen), config)
    log.info("wall: %s renderer (%s)", choice.path, choice.reason)
    return viewer
