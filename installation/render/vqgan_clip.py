"""VQGAN+CLIP, the essay's pre-diffusion method: optimise a VQ autoencoder's latent until CLIP sees the prompt.

    prompt --CLIP text--> target embedding
    seed --> random codebook entries z --VQ decode--> image --cutouts, flips, noise--> CLIP image embeddings
    loss = spherical distance(image, prompt) - 0.5 x distance(image, negative prompt); Adam on z; N steps

The VQ model is a diffusers ``VQModel`` (by default Kandinsky 2.2's MoVQ, a VQGAN descendant); its
quantiser passes gradients straight through, so the image is always made of codebook entries while
``z`` moves freely. CLIP is transformers' ``CLIPModel``. Slow on purpose: every step decodes the image and
runs CLIP on ``cutouts`` augmented crops of it. Each step's CLIP score (cosine similarity of the whole
image and the prompt) is reported to ``progress`` and logged.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from installation.errors import RenderError

if TYPE_CHECKING:
    import torch
    from PIL import Image

logger = logging.getLogger(__name__)

Progress = Callable[[int, int, float], None]  # (step, steps, CLIP score)
# OpenAI CLIP's pixel normalisation (every released CLIP uses it).
CLIP_MEAN = (0.48145466, 0.4578275, 0.40821073)
CLIP_STD = (0.26862954, 0.26130258, 0.27577711)
_NEGATIVE_WEIGHT = 0.5


@dataclass(frozen=True)
class VqganClipOutput:
    image: Image.Image
    scores: tuple[float, ...]  # the CLIP score before the first step and after each step


class VqganClip:
    """One VQ model and one CLIP model, frozen; ``__call__`` paints one prompt."""

    def __init__(
        self,
        vq: Any,
        clip: Any,
        tokenizer: Any,
        *,
        device: str = "cpu",
        learning_rate: float = 0.1,
        cutouts: int = 16,
        cut_power: float = 1.0,
    ) -> None:
        self.vq = vq.to(device).eval().requires_grad_(False)
        self.clip = clip.to(device).eval().requires_grad_(False)
        self.tokenizer = tokenizer
        self.device = device
        self.learning_rate = learning_rate
        self.cutouts = cutouts
        self.cut_power = cut_power
        self.factor = 2 ** (len(vq.config.block_out_channels) - 1)  # pixels per latent cell
        self.clip_size = int(clip.config.vision_config.image_size)

    def __call__(
        self,
        prompt: str,
        negative: str = "",
        *,
        width: int,
        height: int,
        steps: int,
        seed: int,
        progress: Progress | None = None,
    ) -> VqganClipOutput:
        import torch

        # 1. Check inputs.
        self.check_inputs(prompt, width, height, steps)
        generator = torch.Generator("cpu").manual_seed(seed % 2**63)
        # 2. Encode the prompt and the negative prompt.
        target = self.encode_text(prompt)
        avoid = self.encode_text(negative) if negative.strip() else None
        # 3. Prepare the latent: random codebook entries, as VQGAN+CLIP notebooks start.
        z = self.prepare_latents(width, height, generator).requires_grad_(True)
        optimiser = torch.optim.Adam([z], lr=self.learning_rate)
        scores = [self.score(self.decode_latents(z), target)]
        # 4. The optimisation loop.
        for step in range(1, steps + 1):
            optimiser.zero_grad(set_to_none=True)
            image = self.decode_latents(z)
            embeddings = self.encode_images(self.make_cutouts(image, generator))
            loss = _spherical_distance(embeddings, target).mean()
            if avoid is not None:
                loss = loss - _NEGATIVE_WEIGHT * _spherical_distance(embeddings, avoid).mean()
            loss.backward()  # type: ignore[no-untyped-call]
            optimiser.step()
            scores.append(self.score(self.decode_latents(z), target))
            if progress is not None:
                progress(step, steps, scores[-1])
            if step == steps or step % max(1, steps // 10) == 0:
                logger.info("VQGAN+CLIP: step %d/%d, CLIP score %.4f", step, steps, scores[-1])
        # 5. Decode the final latent.
        with torch.no_grad():
            final = self.decode_latents(z)
        return VqganClipOutput(_to_pil(final), tuple(scores))

    def check_inputs(self, prompt: str, width: int, height: int, steps: int) -> None:
        if not prompt.strip():
            raise RenderError("VQGAN+CLIP: the prompt is empty")
        if width % self.factor or height % self.factor:
            raise RenderError(
                f"VQGAN+CLIP: width and height must be multiples of {self.factor} but the size is {width}x{height}"
            )
        if steps < 1:
            raise RenderError(f"VQGAN+CLIP: steps must be at least 1 but is {steps}")

    def encode_text(self, text: str) -> torch.Tensor:
        import torch

        tokens = self.tokenizer(text, padding="max_length", truncation=True, return_tensors="pt",
                                max_length=self.clip.config.text_config.max_position_embeddings)  # fmt: skip
        ids, mask = tokens.input_ids.to(self.device), tokens.attention_mask.to(self.device)
        with torch.no_grad():
            features = _features(self.clip.get_text_features(input_ids=ids, attention_mask=mask))
        return torch.nn.functional.normalize(features, dim=-1)

    def prepare_latents(self, width: int, height: int, generator: torch.Generator) -> torch.Tensor:
        import torch

        codebook = self.vq.quantize.embedding.weight  # (codes, dim)
        cells = (height // self.factor) * (width // self.factor)
        picks = torch.randint(codebook.shape[0], (cells,), generator=generator).to(self.device)
        z = codebook[picks].reshape(1, height // self.factor, width // self.factor, codebook.shape[1])
        latent: torch.Tensor = z.permute(0, 3, 1, 2).contiguous().detach().clone()
        return latent

    def decode_latents(self, z: torch.Tensor) -> torch.Tensor:
        """Pixels in [0, 1]; quantised, with gradients passed straight through the quantiser."""
        pixels: torch.Tensor = (self.vq.decode(z).sample.clamp(-1, 1) + 1) / 2
        return pixels

    def make_cutouts(self, image: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
        """``cutouts`` random square crops (sizes drawn with ``cut_power``), resized, flipped and noised."""
        import torch
        import torch.nn.functional as F

        _, _, side_y, side_x = image.shape
        biggest = min(side_x, side_y)
        smallest = min(biggest, max(self.clip_size // 4, 1))
        cuts = []
        for _ in range(self.cutouts):
            draw = torch.rand((4,), generator=generator).tolist()
            size = int(draw[0] ** self.cut_power * (biggest - smallest) + smallest)
            x0 = int(draw[1] * (side_x - size + 1))
            y0 = int(draw[2] * (side_y - size + 1))
            cut = F.interpolate(image[:, :, y0 : y0 + size, x0 : x0 + size], size=(self.clip_size, self.clip_size),
                                mode="bilinear", align_corners=False)  # fmt: skip
            cuts.append(cut.flip(3) if draw[3] < 0.5 else cut)
        batch = torch.cat(cuts)
        noise = torch.randn(batch.shape, generator=generator).to(batch.device) * 0.05
        return (batch + noise).clamp(0, 1)

    def encode_images(self, pixels: torch.Tensor) -> torch.Tensor:
        import torch

        mean = torch.tensor(CLIP_MEAN, device=pixels.device).view(1, 3, 1, 1)
        std = torch.tensor(CLIP_STD, device=pixels.device).view(1, 3, 1, 1)
        features = _features(self.clip.get_image_features(pixel_values=(pixels - mean) / std))
        return torch.nn.functional.normalize(features, dim=-1)

    def score(self, image: torch.Tensor, target: torch.Tensor) -> float:
        """CLIP's cosine similarity of the whole image (no augmentation) and the prompt."""
        import torch
        import torch.nn.functional as F

        with torch.no_grad():
            whole = F.interpolate(image, size=(self.clip_size, self.clip_size), mode="bilinear", align_corners=False)
            return float((self.encode_images(whole) * target).sum(-1).mean())


def _features(output: Any) -> torch.Tensor:
    """The projected embedding: a tensor, or (transformers 5) the output's ``pooler_output``."""
    import torch

    if isinstance(output, torch.Tensor):
        return output
    pooled: torch.Tensor = output.pooler_output
    return pooled


def _spherical_distance(x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """The squared great-circle distance between unit vectors (as the VQGAN+CLIP notebooks use it)."""
    distance: torch.Tensor = (x - y).norm(dim=-1).div(2).arcsin().pow(2).mul(2)
    return distance


def _to_pil(pixels: torch.Tensor) -> Image.Image:
    from PIL import Image

    array = (pixels[0].permute(1, 2, 0).clamp(0, 1) * 255).round().byte().cpu().numpy()
    return Image.fromarray(array, "RGB")


# --- the tiny models for tests -----------------------------------------------------------------------------


def build_tiny_vq() -> Any:
    """A seeded, untrained ``VQModel`` (MoVQ layout, 8x smaller latents) with a codebook of 256 entries."""
    import torch
    from diffusers import VQModel

    from installation.render.tiny_kandinsky import TINY_MOVQ_CONFIG

    torch.manual_seed(0)
    vq: Any = VQModel(**{**TINY_MOVQ_CONFIG, "num_vq_embeddings": 256})  # type: ignore[no-untyped-call]
    # A fresh codebook is drawn within +-1/256: spread it like a trained one, so steps move between codes.
    with torch.no_grad():
        vq.quantize.embedding.weight.normal_(0.0, 1.0)
    return vq


def build_tiny_clip() -> tuple[Any, Any]:
    """A seeded, untrained ``CLIPModel`` (32-pixel images) and our in-memory CLIP tokenizer."""
    import torch
    from transformers import CLIPConfig, CLIPModel

    from installation.render.tiny import build_tiny_tokenizer

    tokenizer = build_tiny_tokenizer()
    tokenizer.model_max_length = 77
    text = {"bos_token_id": tokenizer.bos_token_id, "eos_token_id": tokenizer.eos_token_id,
            "pad_token_id": tokenizer.pad_token_id, "hidden_size": 32, "intermediate_size": 37,
            "num_attention_heads": 4, "num_hidden_layers": 2, "vocab_size": len(tokenizer),
            "max_position_embeddings": 77}  # fmt: skip
    vision = {"hidden_size": 32, "intermediate_size": 37, "num_attention_heads": 4, "num_hidden_layers": 2,
              "image_size": 32, "patch_size": 8}  # fmt: skip
    torch.manual_seed(0)
    model = CLIPModel(CLIPConfig(text_config=text, vision_config=vision, projection_dim=32))
    return model.eval(), tokenizer  # type: ignore[no-untyped-call]
