"""The Stable Diffusion safety checker, used to flag a portrait for a curator (never to black it out)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from installation.config import RenderConfig
from installation.errors import ModelNotAvailableError
from installation.render.tiny import quiet_progress
from installation.render.weights import CHECKER_FILES, first_line, hub_snapshot, pull_command

if TYPE_CHECKING:
    from PIL import Image


class DiffusersSafetyChecker:
    """The Stable Diffusion safety checker, used to flag a portrait for a curator instead of blacking it out."""

    def __init__(self, checker: Any, processor: Any) -> None:
        self.checker = checker
        self.processor = processor

    @classmethod
    def load(cls, config: RenderConfig) -> DiffusersSafetyChecker:
        from diffusers.pipelines.stable_diffusion.safety_checker import StableDiffusionSafetyChecker
        from transformers import CLIPImageProcessor

        path = Path(config.safety_model).expanduser()
        folder = path if path.is_dir() else hub_snapshot(config.safety_model, config, CHECKER_FILES)
        try:
            with quiet_progress():
                checker = StableDiffusionSafetyChecker.from_pretrained(folder).eval()  # type: ignore[no-untyped-call]
                processor = CLIPImageProcessor.from_pretrained(folder)
        except OSError as exc:
            raise ModelNotAvailableError(
                f"safety checker {config.safety_model!r} is incomplete in {folder} ({first_line(exc)}); "
                f"fetch it with: {pull_command(config.safety_model)}"
            ) from exc
        return cls(checker, processor)

    def __call__(self, image: Image.Image) -> bool:
        import numpy as np
        import torch

        clip_input = self.processor(images=[image], return_tensors="pt").pixel_values
        pixels = np.asarray(image.convert("RGB"), dtype=np.float32)[None] / 255.0
        with torch.no_grad():
            # The checker blacks out its own copy of the pixels; only its verdict is used.
            _, flagged = self.checker(images=pixels.copy(), clip_input=clip_input)
        return bool(flagged[0])
