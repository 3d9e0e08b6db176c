"""The local renderer: a diffusers text-to-image pipeline on this machine's GPU (or CPU).

Weights come from a Hugging Face id (looked up in the local hub cache), a local diffusers folder, or
``tiny`` (the untrained test model), found by ``installation.render.weights``; Stable Diffusion,
Kandinsky 2.2 and Kandinsky 3 folders load alike (``installation.render.families``).

Loading is slow and rendering fast, so a worker loads one ``LocalRenderer`` and keeps it (see
``installation.render.run.open_renderer``). Every failure leaves as a ``RenderError``.
"""

from __future__ import annotations

import gc
import json
import math
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from installation.compose.prompt import Prompt
from installation.config import RenderConfig
from installation.errors import ModelNotAvailableError, OutOfMemoryError, RenderError
from installation.render.base import Backend, check_prompt
from installation.render.families import call_options, load_text2image
from installation.render.tiny import TINY, quiet_progress
from installation.render.weights import first_line, pull_command, resolve_model

if TYPE_CHECKING:
    import torch
    from PIL import Image

    from installation.render.preview import Preview


T = TypeVar("T")

# diffusers scheduler class -> the sampler name A1111 writes (and readers of its metadata expect).
A1111_SAMPLERS = {
    "EulerDiscreteScheduler": "Euler",
    "EulerAncestralDiscreteScheduler": "Euler a",
    "DPMSolverMultistepScheduler": "DPM++ 2M",
    "DPMSolverSinglestepScheduler": "DPM++ SDE",
    "KDPM2DiscreteScheduler": "DPM2",
    "KDPM2AncestralDiscreteScheduler": "DPM2 a",
    "HeunDiscreteScheduler": "Heun",
    "LMSDiscreteScheduler": "LMS",
    "DDIMScheduler": "DDIM",
    "PNDMScheduler": "PLMS",
    "UniPCMultistepScheduler": "UniPC",
    "LCMScheduler": "LCM",
}


def pick_device(choice: str) -> str:
    """``auto``: the first of cuda, mps, cpu that torch can use; an explicit choice must be usable."""
    import torch

    available = {
        "cuda": torch.cuda.is_available(),
        "mps": torch.backends.mps.is_available(),
        "cpu": True,
    }
    if choice == "auto":
        return next(name for name, ok in available.items() if ok)
    if not available.get(choice, False):
        raise RenderError(f"render.device is {choice!r} but torch {torch.__version__} cannot use it here")
    return choice


def pick_dtype(choice: str, device: str) -> torch.dtype:
    """``auto``: half precision on a GPU, full on the CPU (where float16 is slow or unsupported)."""
    import torch

    if choice == "auto":
        return torch.float16 if device in ("cuda", "mps") else torch.float32
    dtype: torch.dtype = getattr(torch, choice)
    return dtype


def sampler_name(scheduler_class: str) -> str:
    return A1111_SAMPLERS.get(scheduler_class, scheduler_class)


class LocalRenderer:
    """One diffusers pipeline, loaded once, rendering one prompt at a time."""

    name = "local"

    def __init__(
        self,
        pipe: Any,
        *,
        model: str,
        device: str,
        is_test_noise: bool = False,
        warm_size: tuple[int, int] = (512, 512),
    ) -> None:
        self.pipe = pipe
        self.model = model
        self.device = device
        self.is_test_noise = is_test_noise
        self.warm_size = warm_size
        self._lock = threading.Lock()  # the pipeline and its scheduler are not safe to share mid-render
        self._base_scheduler = pipe.scheduler
        self._schedulers: dict[str, Any] = {}
        self._img2img: Any | None = None

    @classmethod
    def load(cls, config: RenderConfig, model: str | None = None) -> LocalRenderer:
        """Find the weights, load them onto the device, and set the configured scheduler."""
        import torch

        # 1. Where the weights are, and where they go.
        model = model or config.model
        folder = resolve_model(model, config)
        device = pick_device(config.device)
        dtype = pick_dtype(config.dtype, device)
        # 2. Load. Never the bundled safety checker: it blacks images out; ours only flags them.
        kwargs: dict[str, Any] = {"dtype": dtype}
        index = json.loads((folder / "model_index.json").read_text(encoding="utf-8"))
        if "safety_checker" in index:
            kwargs.update(safety_checker=None, requires_safety_checker=False)
        if dtype == torch.float16 and _has_fp16_variant(folder):
            kwargs["variant"] = "fp16"
        try:
            with quiet_progress():
                pipe = load_text2image(folder, config, kwargs)  # Stable Diffusion, Kandinsky 2.2 or 3
        except OSError as exc:
            raise ModelNotAvailableError(
                f"model {model!r} is incomplete or unreadable in {folder} ({first_line(exc)}); "
                f"fetch it again with: {pull_command(model)}"
            ) from exc
        except Exception as exc:
            raise RenderError(f"model {model!r} could not be loaded: {type(exc).__name__}: {first_line(exc)}") from exc
        # 3. Onto the device. Attention is PyTorch SDPA: diffusers' default processor on torch >= 2.
        pipe.to(device)
        pipe.set_progress_bar_config(disable=True)
        renderer = cls(
            pipe, model=model, device=device, is_test_noise=model == TINY, warm_size=(config.width, config.height)
        )
        if config.scheduler:
            renderer.pipe.scheduler = renderer._base_scheduler = renderer._scheduler(config.scheduler)
        return renderer

    def warm_up(self) -> None:
        """One throw-away render at the usual size, so the first visitor does not pay for kernel selection."""

        width, height = self.warm_size
        self.generate(Prompt("warm-up", "", "-", seed=0, width=width, height=height, steps=1, guidance=0))

    def sampler(self, prompt: Prompt) -> str:
        scheduler = self._scheduler(prompt.scheduler) if prompt.scheduler else self._base_scheduler
        return sampler_name(type(scheduler).__name__)

    def generate(self, prompt: Prompt) -> Image.Image:
        """The image for ``prompt``; the same prompt and seed give the same pixels on the same device."""
        check_prompt(prompt)
        return self._text_to_image(prompt)

    def generate_previewed(self, prompt: Prompt, preview: Preview) -> Image.Image:
        """``generate``, handing ``preview`` a cheap picture of the latents after every denoising step."""
        from installation.render.preview import PreviewStep, latents_to_image

        check_prompt(prompt)

        def on_step(pipe: Any, step: int, timestep: Any, tensors: dict[str, Any]) -> dict[str, Any]:
            total = int(getattr(pipe, "num_timesteps", 0) or prompt.steps)
            preview(PreviewStep(latents_to_image(tensors["latents"]), step + 1, total))
            return tensors

        return self._text_to_image(
            prompt, callback_on_step_end=on_step, callback_on_step_end_tensor_inputs=["latents"]
        )

    def _text_to_image(self, prompt: Prompt, **extra: Any) -> Image.Image:
        """One text-to-image call of the pipeline for ``prompt`` (``extra``: more pipeline arguments)."""
        image: Image.Image = self._run(
            prompt,
            lambda: self.pipe(
                prompt=prompt.positive,
                negative_prompt=prompt.negative or None,
                width=prompt.width,
                height=prompt.height,
                num_inference_steps=prompt.steps,
                guidance_scale=prompt.guidance,
                generator=_generator(prompt.seed),
                **extra,
                **call_options(self.pipe, prompt.steps),
            ).images[0],
        )
        return image

    def vary(self, image: Image.Image, prompt: Prompt, strength: float) -> Image.Image:
        """A variation of ``image``: image-to-image with the same weights (no second copy in memory)."""
        from diffusers import AutoPipelineForImage2Image

        check_prompt(prompt)
        if not 0 < strength <= 1:
            raise RenderError(f"strength must be in (0, 1] but is {strength}")
        if self._img2img is None:
            self._img2img = AutoPipelineForImage2Image.from_pipe(self.pipe)
            self._img2img.set_progress_bar_config(disable=True)
        pipe = self._img2img
        # img2img runs steps * strength denoising steps: at least one must remain.
        steps = max(prompt.steps, math.ceil(1 / strength))
        varied: Image.Image = self._run(
            prompt,
            lambda: pipe(
                prompt=prompt.positive,
                negative_prompt=prompt.negative or None,
                image=image.convert("RGB").resize((prompt.width, prompt.height)),
                strength=strength,
                num_inference_steps=steps,
                guidance_scale=prompt.guidance,
                generator=_generator(prompt.seed),
            ).images[0],
        )
        return varied

    def _run(self, prompt: Prompt, call: Callable[[], T]) -> T:
        """Run one pipeline call; on out-of-memory free the cache and retry once with sliced attention."""
        with self._lock:
            scheduler = self._scheduler(prompt.scheduler) if prompt.scheduler else self._base_scheduler
            self.pipe.scheduler = scheduler
            if self._img2img is not None:
                self._img2img.scheduler = scheduler
            try:
                try:
                    return call()
                except Exception as exc:
                    if not _is_oom(exc):
                        raise
                    self._free_memory()
                    # Slicing computes attention head by head: slower, but needs a fraction of the memory.
                    self.pipe.enable_attention_slicing()
                    try:
                        return call()
                    except Exception as again:
                        if _is_oom(again):
                            self._free_memory()
                            raise OutOfMemoryError(
                                f"{self.device} ran out of memory rendering {prompt.width}x{prompt.height} "
                                f"with {self.model!r}, even with attention slicing; try a smaller size"
                            ) from again
                        raise
            except RenderError:
                raise
            except Exception as exc:
                raise RenderError(f"{self.model!r} failed to render: {type(exc).__name__}: {first_line(exc)}") from exc

    def _scheduler(self, name: str) -> Any:
        """The named diffusers scheduler, built from the model's own scheduler config (and kept)."""
        import diffusers

        if name not in self._schedulers:
            cls = getattr(diffusers, name, None)
            if not (isinstance(cls, type) and issubclass(cls, diffusers.SchedulerMixin)):
                raise RenderError(f"scheduler {name!r} is not a diffusers scheduler (e.g. EulerDiscreteScheduler)")
            self._schedulers[name] = cls.from_config(self._base_scheduler.config)  # type: ignore[no-untyped-call]
        return self._schedulers[name]

    def _free_memory(self) -> None:
        import torch

        gc.collect()
        if self.device == "cuda":
            torch.cuda.empty_cache()
        elif self.device == "mps":
            torch.mps.empty_cache()


def _generator(seed: int) -> torch.Generator:
    # A CPU generator makes the starting noise identical on every device.
    import torch

    return torch.Generator("cpu").manual_seed(seed)


def _is_oom(exc: BaseException) -> bool:
    import torch

    return isinstance(exc, torch.cuda.OutOfMemoryError) or (
        isinstance(exc, RuntimeError) and "out of memory" in str(exc).lower()
    )


def _has_fp16_variant(folder: Path) -> bool:
    """True when every component with weights also has ``*.fp16.safetensors`` (half the bytes to load)."""
    weights = list(folder.glob("*/*.safetensors"))
    components = {p.parent for p in weights}
    halves = {p.parent for p in weights if p.name.endswith(".fp16.safetensors")}
    return bool(components) and components == halves


def _reload_key(config: RenderConfig, model: str | None) -> tuple[object, ...]:
    return (
        model or config.model, config.device, config.dtype, config.cache_dir, config.download, config.scheduler,
        config.prior,
    )


BACKEND = Backend("local", lambda config, model: LocalRenderer.load(config, model), _reload_key)
