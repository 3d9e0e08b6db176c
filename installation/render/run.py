"""The renderer: a prompt becomes an artwork (a PNG with its generation data, and a sidecar JSON).

    prompt -> renderer.generate (local diffusers or a remote service) -> safety flag -> PNG + JSON

``render()`` is the one entry; ``vary()`` makes image-to-image variations of a finished artwork. A
worker process keeps one renderer warm (``open_renderer``); a failed render raises a ``RenderError``
and nothing else, so it fails the job, never the worker. The renderer knows prompts, not people: the
files carry the prompt, its settings and timings, and nothing about the visitor; every PNG carries a
signed C2PA manifest and the IPTC digital source type (``installation.render.provenance``).
"""

from __future__ import annotations

import contextlib
import re
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from installation.compose.prompt import Prompt
from installation.config import ProvenanceConfig, RenderConfig
from installation.errors import RenderError
from installation.render.artwork import Artwork
from installation.render.backends.local import A1111_SAMPLERS
from installation.render.base import Renderer, SafetyChecker, VaryingRenderer, backend_for, check_prompt
from installation.render.pngmeta import (
    encode_png,
    format_parameters,
    parse_parameters,
    read_parameters,
    read_sidecar,
    sidecar_path,
    write_bytes_atomic,
    write_json_atomic,
)
from installation.render.preview import Preview, PreviewingRenderer
from installation.render.provenance import open_signer, xmp_packet

if TYPE_CHECKING:
    from PIL import Image

__all__ = [
    "Artwork",
    "MadeWith",
    "Renderer",
    "SafetyChecker",
    "VaryingRenderer",
    "open_renderer",
    "read_made_with",
    "render",
    "vary",
]

SIDECAR_FORMAT = "social-portrait/artwork@1"
TEST_NOISE_NOTE = "the tiny test model paints untrained noise, not a portrait (it checks the wiring)"

def render(
    prompt: Prompt,
    config: RenderConfig,
    output: Path | None = None,
    *,
    renderer: Renderer | None = None,
    safety_checker: SafetyChecker | None = None,
    preview: Preview | None = None,
) -> Artwork:
    """Paint ``prompt`` and write it. ``output``: a ``.png`` file, or a folder (default ``render.output_dir``).

    ``preview`` is handed each denoising step's picture by a renderer that can show its work (the local
    one); other renderers paint without previews.
    """
    started = time.perf_counter()
    # 1. Check inputs and decide where the files go.
    check_prompt(prompt)
    image_path = _artwork_path(prompt, output or config.output_dir)
    # 2. The renderer (loaded once per process) and, if configured, the safety checker.
    renderer = renderer or open_renderer(config)
    checker = safety_checker or (open_safety_checker(config) if config.safety_checker else None)
    # 3. Generate.
    timings: dict[str, float] = {}
    with _timed(timings, "generate"), _as_render_error(renderer):
        if preview is not None and isinstance(renderer, PreviewingRenderer):
            image = renderer.generate_previewed(prompt, preview)
        else:
            image = renderer.generate(prompt)
    # 4. Flag, never black out.
    with _timed(timings, "safety"):
        flagged = _check_safety(checker, image)
    # 5. Write the sidecar, then the PNG: whoever sees the PNG finds its sidecar already there.
    return _write_artwork(image, image_path, prompt, renderer, flagged, timings, started, provenance=config.provenance)


def vary(
    artwork: Path,
    config: RenderConfig,
    *,
    strength: float = 0.4,
    count: int = 4,
    output_dir: Path | None = None,
    model: str | None = None,
    renderer: VaryingRenderer | None = None,
) -> list[Artwork]:
    """``count`` image-to-image variations of a finished artwork, with the weights that painted it."""
    from PIL import Image

    # 1. Check inputs.
    if not 0 < strength <= 1:
        raise RenderError(f"strength must be in (0, 1] but is {strength}")
    if count < 1:
        raise RenderError(f"count must be at least 1 but is {count}")
    if not artwork.is_file():
        raise RenderError(f"{artwork}: no such artwork")
    # 2. The prompt and weights it was made with, from its metadata.
    made = read_made_with(artwork)
    prompt = made.prompt
    if renderer is None:
        if model is None and made.backend not in (None, "local"):
            raise RenderError(f"{artwork}: painted by the {made.backend} service; name local weights with --model")
        loaded = open_renderer(config, model or made.model or config.model, warm_up=False)
        if not isinstance(loaded, VaryingRenderer):
            raise RenderError(f"the {loaded.name!r} backend cannot make variations; use a local model (--model)")
        renderer = loaded
    try:
        with Image.open(artwork) as opened:
            source = opened.convert("RGB")
    except OSError as exc:
        raise RenderError(f"{artwork}: not a readable image ({exc})") from exc
    # 3. One variation per seed after the original's.
    folder = output_dir or artwork.parent
    results = []
    for number in range(1, count + 1):
        started = time.perf_counter()
        varied = replace(prompt, seed=(prompt.seed + number) % 2**32)
        timings: dict[str, float] = {}
        with _timed(timings, "generate"), _as_render_error(renderer):
            image = renderer.vary(source, varied, strength)
        path = folder / f"{artwork.stem}-var{number}.png"
        results.append(_write_artwork(image, path, varied, renderer, False, timings, started, (artwork.name, strength),
                                      provenance=config.provenance))  # fmt: skip
    return results


@dataclass(frozen=True)
class MadeWith:
    """How a finished artwork was made, as its metadata tells."""

    prompt: Prompt
    model: str | None
    backend: str | None  # None when only the PNG's A1111 text was there


def read_made_with(path: Path) -> MadeWith:
    """The prompt, model and backend of an artwork: from its sidecar, else from the PNG's A1111 text."""
    try:
        sidecar = read_sidecar(path)
        if sidecar and sidecar.get("format") == SIDECAR_FORMAT:
            prompt = Prompt(
                positive=sidecar["prompt"],
                negative=sidecar["negative_prompt"],
                style=sidecar["style"],
                seed=int(sidecar["seed"]),
                width=int(sidecar["width"]),
                height=int(sidecar["height"]),
                steps=int(sidecar["steps"]),
                guidance=float(sidecar["guidance"]),
                scheduler=sidecar.get("scheduler"),
                keywords_used=tuple(sidecar.get("keywords_used", ())),
                mood=sidecar.get("mood", ""),
            )
            return MadeWith(prompt, sidecar.get("model"), sidecar.get("backend"))
        text = read_parameters(path)
        if text is None:
            raise RenderError(f"{path}: carries no generation data (no sidecar JSON, no 'parameters' text chunk)")
        positive, negative, settings = parse_parameters(text)
        width, height = (int(x) for x in settings["Size"].split("x"))
        prompt = Prompt(
            positive=positive,
            negative=negative,
            style="variation",
            seed=int(settings["Seed"]),
            width=width,
            height=height,
            steps=int(settings.get("Steps", "1")),
            guidance=float(settings.get("CFG scale", "0")),
            scheduler=_SCHEDULERS.get(settings.get("Sampler", "")),
        )
        return MadeWith(prompt, settings.get("Model"), None)
    except (KeyError, ValueError, TypeError) as exc:
        raise RenderError(f"{path}: its generation data lacks or garbles {type(exc).__name__}: {exc}") from exc
    except OSError as exc:
        raise RenderError(f"{path}: not a readable artwork ({exc})") from exc


def open_renderer(config: RenderConfig, model: str | None = None, *, warm_up: bool | None = None) -> Renderer:
    """This process's renderer for ``config`` (``model`` forces a local model), loaded once and kept.

    Only the settings that decide what is loaded pick the renderer: a curator's edit of steps or size
    reuses the weights in memory, an edit of the model replaces them (the old ones are let go first, so
    two models never share the GPU). A new renderer is warmed up with one throw-away render when
    ``warm_up`` (default ``render.warm_up``).
    """
    global _CURRENT
    key = _load_key(config, model)
    with _LOCK:
        if _CURRENT is not None and _CURRENT[0] == key:
            return _CURRENT[1]
        if _CURRENT is not None:
            _CURRENT = None
            _free_device_memory()
        renderer = _load_renderer(config, model)
        if config.warm_up if warm_up is None else warm_up:
            renderer.warm_up()
        _CURRENT = (key, renderer)
    return renderer


def _load_key(config: RenderConfig, model: str | None) -> tuple[object, ...]:
    backend = backend_for(config, model)
    return (backend.name, backend.reload_key(config, model))


def _free_device_memory() -> None:
    import gc

    gc.collect()
    import torch

    if torch.cuda.is_available():
        torch.cuda.empty_cache()


def open_safety_checker(config: RenderConfig) -> SafetyChecker:
    """The configured safety checker, loaded once per process."""
    from installation.render.safety import DiffusersSafetyChecker

    with _LOCK:
        checker = _CHECKERS.get(config.safety_model)
        if checker is None:
            checker = _CHECKERS[config.safety_model] = DiffusersSafetyChecker.load(config)
    return checker


_LOCK = threading.Lock()
_CURRENT: tuple[tuple[object, ...], Renderer] | None = None
_CHECKERS: dict[str, SafetyChecker] = {}
_SCHEDULERS = {sampler: cls for cls, sampler in A1111_SAMPLERS.items()}


def _load_renderer(config: RenderConfig, model: str | None) -> Renderer:
    return backend_for(config, model).load(config, model)


def _artwork_path(prompt: Prompt, output: Path) -> Path:
    if output.suffix.lower() == ".png":
        return output
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    style = re.sub(r"[^A-Za-z0-9_-]+", "-", prompt.style).strip("-") or "portrait"
    return output / f"{stamp}-{style}-{prompt.seed}-{uuid.uuid4().hex[:8]}.png"


def _check_safety(checker: SafetyChecker | None, image: Image.Image) -> bool:
    if checker is None:
        return False
    try:
        return bool(checker(image))
    except RenderError:
        raise
    except Exception as exc:
        raise RenderError(f"the safety checker failed: {type(exc).__name__}: {exc}") from exc


def _write_artwork(
    image: Image.Image,
    image_path: Path,
    prompt: Prompt,
    renderer: Renderer,
    flagged: bool,
    timings: dict[str, float],
    started: float,
    variation: tuple[str, float] | None = None,
    *,
    provenance: ProvenanceConfig,
) -> Artwork:
    """Encode the PNG with its A1111 parameters, XMP and C2PA manifest, then write the sidecar and the PNG."""
    # 1. The A1111 parameters text, inside the PNG.
    sampler = renderer.sampler(prompt)
    settings: dict[str, object] = {
        "Steps": prompt.steps,
        "Sampler": sampler,
        "CFG scale": prompt.guidance,
        "Seed": prompt.seed,
        "Size": f"{image.width}x{image.height}",
        "Model": renderer.model,
    }
    if variation:
        settings["Denoising strength"] = variation[1]
    with _timed(timings, "encode"):
        png = encode_png(image, format_parameters(prompt.positive, prompt.negative, settings), xmp=xmp_packet())
        # The C2PA manifest: how it was made (model, backend, installation), nothing about the visitor.
        if provenance.enabled:
            png = open_signer(provenance).sign_png(png, model=renderer.model, backend=renderer.name)
    # 2. The sidecar: the prompt and its settings, how it was made, and nothing about the visitor.
    sidecar: dict[str, object] = {
        "format": SIDECAR_FORMAT,
        "image": image_path.name,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "prompt": prompt.positive,
        "negative_prompt": prompt.negative,
        "style": prompt.style,
        "keywords_used": list(prompt.keywords_used),
        "mood": prompt.mood,
        "seed": prompt.seed,
        "width": prompt.width,
        "height": prompt.height,
        "steps": prompt.steps,
        "guidance": prompt.guidance,
        "scheduler": prompt.scheduler,
        "sampler": sampler,
        "backend": renderer.name,
        "model": renderer.model,
        "flagged": flagged,
        "is_test_noise": renderer.is_test_noise,
        "timings_ms": {name: round(ms, 2) for name, ms in timings.items()},
    }
    if variation:
        sidecar["variation_of"], sidecar["strength"] = variation
    # 3. Sidecar first: whoever sees the PNG finds its sidecar already there.
    metadata_path = sidecar_path(image_path)
    try:
        with _timed(timings, "write"):
            write_json_atomic(metadata_path, sidecar)
            write_bytes_atomic(image_path, png)
    except OSError as exc:
        raise RenderError(f"cannot write the artwork {image_path}: {exc}") from exc
    timings["total"] = (time.perf_counter() - started) * 1000
    return Artwork(
        image_path=image_path,
        metadata_path=metadata_path,
        prompt=prompt,
        backend=renderer.name,
        model=renderer.model,
        sampler=sampler,
        timings=dict(timings),
        flagged=flagged,
        is_test_noise=renderer.is_test_noise,
    )


@contextlib.contextmanager
def _as_render_error(renderer: Renderer) -> Iterator[None]:
    """Whatever a renderer raises leaves as a RenderError: a failed render fails the job, not the worker."""
    try:
        yield
    except RenderError:
        raise
    except Exception as exc:
        raise RenderError(f"the {renderer.name} renderer failed: {type(exc).__name__}: {exc}") from exc


@contextlib.contextmanager
def _timed(timings: dict[str, float], name: str) -> Iterator[None]:
    """Records the milliseconds the block takes as ``timings[name]``."""
    start = time.perf_counter()
    try:
        yield
    finally:
        timings[name] = (time.perf_counter() - start) * 1000
