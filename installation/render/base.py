"""What paints: the ``Renderer`` interface every backend implements, the checks that apply to every
backend, and the registry that finds a backend by its name.

A backend is one module under ``installation/render/backends/`` that defines ``BACKEND``; the registry
finds it there by name, so adding one touches that module and its config section in
``installation.config`` (a ``RemoteBackendConfig`` field of ``RenderConfig`` named like the backend).
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from installation.compose.prompt import Prompt
from installation.config import RenderConfig
from installation.errors import RenderError

if TYPE_CHECKING:
    from PIL import Image

SafetyChecker = Callable[["Image.Image"], bool]
"""Looks at a finished image; True flags it for a curator (it is never blacked out)."""


class Renderer(Protocol):
    """What paints: a local pipeline or a remote service."""

    name: str  # the backend: "local", "stability", "openai"
    model: str
    is_test_noise: bool  # True for the tiny untrained model

    def warm_up(self) -> None:
        """Get ready for the first visitor (load kernels, check the API key)."""
        ...

    def sampler(self, prompt: Prompt) -> str:
        """The sampler name recorded in the PNG (A1111 spelling where one exists)."""
        ...

    def generate(self, prompt: Prompt) -> Image.Image: ...


@runtime_checkable
class VaryingRenderer(Renderer, Protocol):
    """A renderer that can also repaint an image (image-to-image)."""

    def vary(self, image: Image.Image, prompt: Prompt, strength: float) -> Image.Image: ...


@dataclass(frozen=True)
class Backend:
    """One way to paint, registered by name."""

    name: str
    load: Callable[[RenderConfig, str | None], Renderer]  # config, forced model -> a ready renderer
    # What the loaded renderer depends on: when this changes on reload, the renderer is loaded again.
    reload_key: Callable[[RenderConfig, str | None], Hashable]


def check_prompt(prompt: Prompt) -> None:
    """What every backend needs of a prompt, checked before any work."""
    if prompt.width % 8 or prompt.height % 8 or prompt.width < 64 or prompt.height < 64:
        size = f"{prompt.width}x{prompt.height}"
        raise RenderError(f"width and height must be multiples of 8 and at least 64, but the size is {size}")
    if prompt.steps < 1:
        raise RenderError(f"steps must be at least 1 but is {prompt.steps}")
    if not 0 <= prompt.seed < 2**64:
        raise RenderError(f"seed must be in [0, 2**64) but is {prompt.seed}")


@cache
def backends() -> dict[str, Backend]:
    """Every backend module's ``BACKEND``, by name."""
    from installation.render import backends as package

    found: dict[str, Backend] = {}
    for info in pkgutil.iter_modules(package.__path__):
        if info.name.startswith("_"):
            continue
        backend = getattr(importlib.import_module(f"{package.__name__}.{info.name}"), "BACKEND", None)
        if isinstance(backend, Backend):
            found[backend.name] = backend
    return found


def backend_for(config: RenderConfig, model: str | None = None) -> Backend:
    """The configured backend; a forced ``model`` always means local weights."""
    name = "local" if model is not None else config.backend
    found = backends()
    if name not in found:
        raise RenderError(f"render.backend: no backend named {name!r} (backends: {', '.join(sorted(found))})")
    return found[name]
