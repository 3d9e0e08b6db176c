"""The party worker: paints the steps the prompt master asked for, one at a time, oldest first.

    claim a queued step (a lease) -> its prompt -> render (or repaint the source image) -> record

``PartyWorker.paint_next`` is the recipe; ``run`` repeats it until stopped (and, idle long enough, feeds
the neural generation stream of ``installation.party.idle``), and ``run_party_worker`` is
``portrait party worker``. It uses the installation's renderer (``open_renderer``/``render`` of
``installation.render.run``), so a party image carries the same PNG metadata, sidecar and provenance as
a portrait. A worker killed mid-render leaves its step claimed; when the lease runs out the next worker
paints it again with the same seed, into the same file.
"""

from __future__ import annotations

import contextlib
import json
import logging
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from installation.compose.prompt import Prompt
from installation.config import Config
from installation.errors import PortraitError, RenderError, StoreError
from installation.party.idle import feed_idle_stream, visitors_waiting
from installation.party.records import Step
from installation.party.store import PartyStore, open_party_store
from installation.party.words import wall_words
from installation.render.base import Renderer, VaryingRenderer
from installation.render.run import open_renderer, render

if TYPE_CHECKING:
    from PIL import Image

log = logging.getLogger("portrait.party")


@dataclass(frozen=True)
class PaintedStep:
    """What one turn of the worker did."""

    step_id: int
    number: int
    image_path: Path | None  # None when it failed
    error: str | None
    recorded: bool  # False when another worker took the step over meanwhile


class Repainting:
    """A renderer that paints image-to-image from one source image: ``render()`` then writes it as usual."""

    def __init__(self, inner: VaryingRenderer, source: Image.Image, strength: float) -> None:
        self.inner, self.source, self.strength = inner, source, strength
        self.name, self.model, self.is_test_noise = inner.name, inner.model, inner.is_test_noise

    def warm_up(self) -> None:
        self.inner.warm_up()

    def sampler(self, prompt: Prompt) -> str:
        return self.inner.sampler(prompt)

    def generate(self, prompt: Prompt) -> Image.Image:
        return self.inner.vary(self.source, prompt, self.strength)


class PartyWorker:
    """Paints queued party steps with one renderer, kept warm."""

    def __init__(
        self, store: PartyStore, config: Config, *, renderer: Renderer | None = None, model: str | None = None,
        busy: Callable[[], bool] = lambda: False,
    ) -> None:
        self.store, self.config, self.model, self.busy = store, config, model, busy
        self._renderer = renderer
        self.words = wall_words(config)
        self.stop = threading.Event()

    def renderer(self) -> Renderer:
        if self._renderer is None:
            self._renderer = open_renderer(self.config.render, self.model, warm_up=False)
        return self._renderer

    def paint_next(self) -> PaintedStep | None:
        """Paint the oldest waiting step; None when there is none."""
        # 1. Claim a step (a queued one, or one whose worker's lease ran out).
        claimed = self.store.claim_step(self.config.party.lease_seconds)
        if claimed is None:
            return None
        step, token = claimed
        try:
            # 2. Its prompt, exactly as recorded, and the file it is painted into.
            prompt = step_prompt(step)
            image_path = self.image_path(step)
            image_path.parent.mkdir(parents=True, exist_ok=True)
            # 3. Paint: from noise, or repainting the source step's image.
            renderer = self.renderer()
            if step.settings.kind != "prompt":
                renderer = self.repainter(step, renderer)
            with self._lease_kept(step, token):
                artwork = render(prompt, self.config.render, image_path, renderer=renderer)
            # 4. Record the image with its metadata; a lost lease means another worker records it.
            metadata = _read_json(artwork.metadata_path)
        except (PortraitError, OSError) as exc:
            error = str(exc) if isinstance(exc, PortraitError) else f"cannot write the image: {exc}"
            log.warning("party step %s of session %s failed: %s", step.number, step.session_id, error)
            recorded = self.store.fail_step(step.id, token, error)
            return PaintedStep(step.id, step.number, None, error, recorded)
        recorded = self.store.finish_step(
            step.id, token, image_path=artwork.image_path, metadata=metadata, model=artwork.model,
            backend=artwork.backend,
        )
        return PaintedStep(step.id, step.number, artwork.image_path, None, recorded)

    @contextlib.contextmanager
    def _lease_kept(self, step: Step, token: str) -> Iterator[None]:
        """Renew the step's lease every third of it while the block runs: a slow render is never taken over."""
        lease = self.config.party.lease_seconds
        done = threading.Event()

        def renew() -> None:
            while not done.wait(lease / 3):
                try:
                    if not self.store.renew_step(step.id, token, lease):
                        return
                except StoreError as exc:
                    log.warning("party step %s: its lease could not be renewed: %s", step.number, exc)

        keeper = threading.Thread(target=renew, name=f"party-lease-{step.id}", daemon=True)
        keeper.start()
        try:
            yield
        finally:
            done.set()
            keeper.join()

    def repainter(self, step: Step, renderer: Renderer) -> Repainting:
        """A renderer repainting the source step's image (a variation, or image-to-image)."""
        from PIL import Image

        if not isinstance(renderer, VaryingRenderer):
            raise RenderError(f"the {renderer.name!r} backend cannot repaint an image; use a local model")
        source = self.store.step(step.settings.source_step) if step.settings.source_step else None
        if source is None or source.image_path is None:
            raise RenderError(f"step {step.number} repaints a step that has no image")
        try:
            with Image.open(source.image_path) as opened:
                image = opened.convert("RGB")
        except OSError as exc:
            raise RenderError(f"{source.image_path}: not a readable image ({exc})") from exc
        return Repainting(renderer, image, step.settings.strength)

    def image_path(self, step: Step) -> Path:
        return self.config.party.image_dir / step.session_id / f"step-{step.number:03d}-{step.seed}.png"

    def drain(self) -> list[PaintedStep]:
        """Paint every waiting step, then return what was done."""
        done = []
        while (painted := self.paint_next()) is not None:
            done.append(painted)
        return done

    def run(self) -> None:
        """Paint steps as they come, until ``stop`` is set; idle for ``idle_after_seconds``, feed the stream."""
        idle_since = time.monotonic()
        while not self.stop.is_set():
            if self.paint_next() is not None:
                idle_since = time.monotonic()
                continue
            if time.monotonic() - idle_since >= self.config.party.idle_after_seconds and feed_idle_stream(
                self.store, self.config, self.words, busy=self.busy
            ):
                continue
            self.stop.wait(self.config.party.poll_seconds)


def step_prompt(step: Step) -> Prompt:
    """The prompt a recorded step is painted with."""
    return Prompt(
        positive=step.positive, negative=step.negative, style=step.settings.style or "party", seed=step.seed,
        width=step.width, height=step.height, steps=step.steps, guidance=step.guidance, scheduler=step.scheduler,
    )


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def open_provenance(config: Config) -> None:
    """Open the C2PA signer before the first step: a certificate that cannot sign stops the start, and the
    warning that the local CA signs (viewers will not know the signer) comes now, not mid-party."""
    from installation.render.provenance import open_signer

    if config.render.provenance.enabled:
        open_signer(config.render.provenance)


def run_party_worker(config: Config, *, once: bool = False, model: str | None = None) -> list[PaintedStep]:
    """``portrait party worker``: paint party steps until stopped (``once``: until none is waiting)."""
    open_provenance(config)
    store = open_party_store(config.party.store_path)
    worker = PartyWorker(store, config, model=model, busy=stream_guard(config))
    try:
        if once:
            return worker.drain()
        worker.run()
        return []
    finally:
        store.close()


def stream_guard(config: Config) -> Callable[[], bool]:
    """What holds the stream back: visitors' portraits waiting in the job store, when a stream is configured."""
    if not config.party.idle_prompts and config.party.idle_from is None:
        return lambda: False
    return visitors_waiting(config)
