"""Previews of a render in progress: each denoising step's latents, decoded cheaply to a small picture.

``render(..., preview=callable)`` hands the callable a ``PreviewStep`` after every step of a renderer
that can (``PreviewingRenderer``: the local diffusers one, through ``callback_on_step_end``). The
latents are not run through the VAE: a fixed 4x3 matrix maps Stable Diffusion's four latent channels to
RGB (the approximation A1111 and ComfyUI show as their "latent preview"), which costs well under a
millisecond and gives a picture of the latent size (1/8 of the image's side).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from installation.compose.prompt import Prompt

if TYPE_CHECKING:
    import torch
    from PIL import Image

__all__ = ["LATENT_RGB", "Preview", "PreviewStep", "PreviewingRenderer", "latents_to_image"]

# Stable Diffusion 1.x/2.x latent channel -> (R, G, B) contribution
LATENT_RGB = (
    (0.3512, 0.2297, 0.3227),
    (0.3250, 0.4974, 0.2350),
    (-0.2829, 0.1762, 0.2721),
    (-0.2120, -0.2616, -0.7177),
)


@dataclass(frozen=True)
class PreviewStep:
    """The picture after one denoising step."""

    image: Image.Image
    step: int  # 1 .. total
    total: int


Preview = Callable[[PreviewStep], None]


@runtime_checkable
class PreviewingRenderer(Protocol):
    """A renderer that can show its work step by step."""

    def generate_previewed(self, prompt: Prompt, preview: Preview) -> Image.Image: ...


def latents_to_image(latents: torch.Tensor) -> Image.Image:
    """The first latent of a batch as an RGB picture of its own size (linear approximation, no VAE)."""
    import torch
    from PIL import Image

    if latents.ndim != 4 or latents.shape[1] < 1:
        raise ValueError(f"latents must be (batch, channels, height, width) but are {tuple(latents.shape)}")
    latent = latents[0].detach().float()
    channels = latent.shape[0]
    if channels == len(LATENT_RGB):
        factors = torch.tensor(LATENT_RGB, device=latent.device)
        rgb = torch.einsum("chw,cr->rhw", latent, factors)
    else:  # another latent space: its first three channels (repeated if fewer), scaled like SD's
        picked = [latent[i % channels] for i in range(3)]
        rgb = torch.stack(picked) * 0.5
    pixels = ((rgb + 1) * 127.5).clamp(0, 255).to(torch.uint8).permute(1, 2, 0).contiguous().cpu().numpy()
    return Image.fromarray(pixels, "RGB")
