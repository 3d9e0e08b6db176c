"""VQGAN+CLIP as a backend: a VQ model and CLIP from local weights (or ``tiny``), optimised per prompt.

``[render] backend = "vqgan_clip"`` with ``[render.vqgan_clip]`` naming the two models. Weights come
from the local hub cache or a folder, like the diffusers models; ``tiny`` builds untrained test models.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from installation.compose.prompt import Prompt
from installation.config import RenderConfig, VqganClipConfig
from installation.errors import ModelNotAvailableError
from installation.render.backends.local import pick_device
from installation.render.base import Backend, check_prompt
from installation.render.tiny import TINY, quiet_progress
from installation.render.vqgan_clip import Progress, VqganClip, build_tiny_clip, build_tiny_vq
from installation.render.weights import first_line, hub_snapshot, pull_command

if TYPE_CHECKING:
    from PIL import Image


class VqganClipRenderer:
    """Paints by optimisation: ``settings.steps`` Adam steps on a VQ latent per portrait."""

    name = "vqgan_clip"

    def __init__(self, engine: VqganClip, settings: VqganClipConfig, progress: Progress | None = None) -> None:
        self.engine = engine
        self.settings = settings
        self.model = f"{settings.vq_model} + {settings.clip_model}"
        self.is_test_noise = TINY in (settings.vq_model, settings.clip_model)
        self.progress = progress
        self.last_scores: tuple[float, ...] = ()  # the CLIP score over the steps of the latest render
        self._lock = threading.Lock()

    @classmethod
    def load(cls, config: RenderConfig) -> VqganClipRenderer:
        settings = config.vqgan_clip
        device = pick_device(config.device)
        with quiet_progress():
            vq, (clip, tokenizer) = load_vq(settings, config), load_clip(settings, config)
        engine = VqganClip(vq, clip, tokenizer, device=device, learning_rate=settings.learning_rate,
                           cutouts=settings.cutouts, cut_power=settings.cut_power)  # fmt: skip
        return cls(engine, settings)

    def warm_up(self) -> None:
        """One step at the smallest size: loads the kernels, checks both models fit together."""
        size = 8 * self.engine.factor
        self.engine("warm-up", width=size, height=size, steps=1, seed=0)

    def sampler(self, prompt: Prompt) -> str:
        return f"VQGAN+CLIP Adam {self.settings.steps} steps"

    def generate(self, prompt: Prompt) -> Image.Image:
        check_prompt(prompt)
        with self._lock:
            output = self.engine(
                prompt.positive, prompt.negative, width=prompt.width, height=prompt.height,
                steps=self.settings.steps, seed=prompt.seed, progress=self.progress,
            )  # fmt: skip
            self.last_scores = output.scores
        return output.image


def load_vq(settings: VqganClipConfig, config: RenderConfig) -> Any:
    """The diffusers ``VQModel`` named by ``vq_model`` (and ``vq_subfolder``)."""
    from diffusers import VQModel

    if settings.vq_model == TINY:
        return build_tiny_vq()
    sub = settings.vq_subfolder.strip("/")
    prefix = f"{sub}/" if sub else ""
    folder = _folder(settings.vq_model, config, (f"{prefix}*.json", f"{prefix}*.safetensors"))
    try:
        return VQModel.from_pretrained(folder, subfolder=sub or None)  # type: ignore[no-untyped-call]
    except (OSError, ValueError) as exc:
        raise ModelNotAvailableError(
            f"render.vqgan_clip.vq_model {settings.vq_model!r}: no VQModel in {folder / sub} ({first_line(exc)})"
        ) from exc


def load_clip(settings: VqganClipConfig, config: RenderConfig) -> tuple[Any, Any]:
    """transformers' ``CLIPModel`` and its tokenizer named by ``clip_model``."""
    from transformers import CLIPModel, CLIPTokenizer

    if settings.clip_model == TINY:
        return build_tiny_clip()
    folder = _folder(settings.clip_model, config, ("*.json", "*.txt", "*.safetensors"))
    try:
        return CLIPModel.from_pretrained(folder), CLIPTokenizer.from_pretrained(folder)
    except (OSError, ValueError) as exc:
        raise ModelNotAvailableError(
            f"render.vqgan_clip.clip_model {settings.clip_model!r}: no CLIP model in {folder} ({first_line(exc)})"
        ) from exc


def _folder(name: str, config: RenderConfig, patterns: tuple[str, ...]) -> Path:
    path = Path(name).expanduser()
    if path.is_dir():
        return path
    if name.startswith(("/", ".", "~")) or name.count("/") > 1:
        raise ModelNotAvailableError(f"{path}: model folder not found (fetch it with: {pull_command(name)})")
    return hub_snapshot(name, config, patterns)


def _reload_key(config: RenderConfig, model: str | None) -> tuple[object, ...]:
    return (config.vqgan_clip, config.device, config.cache_dir, config.download)


BACKEND = Backend("vqgan_clip", lambda config, model: VqganClipRenderer.load(config), _reload_key)
