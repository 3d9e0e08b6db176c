"""The local model families: which diffusers pipeline a weights folder holds, how it loads, its licence.

    Stable Diffusion (1.x, 2.x, XL, Turbo)   one folder, AutoPipelineForText2Image
    Kandinsky 2.2                            a prior (text -> image embedding) and a decoder (-> pixels):
                                             one combined folder, or the decoder with render.prior beside it
    Kandinsky 3                              one folder (T5 text encoder, its UNet, MoVQ)
    VQGAN+CLIP                               no diffusion: see ``installation.render.vqgan_clip``

A family is recognised by the ``_class_name`` in the folder's ``model_index.json``. Kandinsky is the
heir of ruDALL-E (Sber AI): trained on Russian and English captions.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from installation.config import RenderConfig
from installation.errors import ModelNotAvailableError, RenderError
from installation.render.weights import first_line, pull_command, resolve_model


@dataclass(frozen=True)
class ModelFamily:
    """One kind of local model."""

    name: str
    pipelines: tuple[str, ...]  # the diffusers pipeline classes a folder of this family names
    example: str  # a Hugging Face id of real weights
    licence: str  # as the model card states it
    needs_gpu: bool  # usable speed needs a GPU (all run on the CPU, slowly)


FAMILIES = (
    ModelFamily(
        "stable-diffusion",
        ("StableDiffusionPipeline", "StableDiffusionXLPipeline", "StableDiffusion3Pipeline"),
        "stabilityai/sd-turbo",
        "per model: sd-turbo and sdxl-turbo Stability AI Community License; SD 1.5 CreativeML OpenRAIL-M; "
        "SD 2.1 and SDXL CreativeML OpenRAIL++-M",
        needs_gpu=False,
    ),
    ModelFamily(
        "kandinsky-2.2",
        ("KandinskyV22CombinedPipeline", "KandinskyV22Pipeline"),
        "kandinsky-community/kandinsky-2-2-decoder",
        "Apache-2.0 (kandinsky-community/kandinsky-2-2-decoder and -prior model cards)",
        needs_gpu=True,
    ),
    ModelFamily(
        "kandinsky-3",
        ("Kandinsky3Pipeline",),
        "kandinsky-community/kandinsky-3",
        "Apache-2.0 (kandinsky-community/kandinsky-3 model card)",
        needs_gpu=True,
    ),
)


def pipeline_class(folder: Path) -> str:
    """The ``_class_name`` of a diffusers folder."""
    try:
        index = json.loads((folder / "model_index.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelNotAvailableError(f"{folder}: no readable model_index.json ({first_line(exc)})") from exc
    return str(index.get("_class_name", ""))


def family_of(folder: Path) -> ModelFamily | None:
    """The family of the weights in ``folder``, or None for a pipeline we know nothing special about."""
    name = pipeline_class(folder)
    return next((family for family in FAMILIES if name in family.pipelines), None)


def load_text2image(folder: Path, config: RenderConfig, kwargs: dict[str, Any]) -> Any:
    """The text-to-image pipeline of ``folder``; a Kandinsky 2.2 decoder is joined to ``render.prior``."""
    from diffusers import AutoPipelineForText2Image

    if pipeline_class(folder) != "KandinskyV22Pipeline":
        return AutoPipelineForText2Image.from_pretrained(folder, **kwargs)  # type: ignore[no-untyped-call]
    # A decoder alone turns image embeddings into pixels: the prior turns the prompt into one.
    from diffusers import KandinskyV22Pipeline, KandinskyV22PriorPipeline

    prior_folder = resolve_model(config.prior, config)
    if pipeline_class(prior_folder) != "KandinskyV22PriorPipeline":
        raise RenderError(
            f"render.prior {config.prior!r} is not a Kandinsky 2.2 prior (its pipeline is "
            f"{pipeline_class(prior_folder) or 'unnamed'}); fetch one with: {pull_command(config.prior)}"
        )
    prior = KandinskyV22PriorPipeline.from_pretrained(prior_folder, **kwargs)  # type: ignore[no-untyped-call]
    decoder = KandinskyV22Pipeline.from_pretrained(folder, **kwargs)  # type: ignore[no-untyped-call]
    return combine_kandinsky22(prior, decoder)


def combine_kandinsky22(prior: Any, decoder: Any) -> Any:
    """One ``KandinskyV22CombinedPipeline`` from a prior pipeline and a decoder pipeline (no copies)."""
    from diffusers import KandinskyV22CombinedPipeline

    return KandinskyV22CombinedPipeline(  # type: ignore[no-untyped-call]
        unet=decoder.unet, scheduler=decoder.scheduler, movq=decoder.movq, prior_prior=prior.prior,
        prior_image_encoder=prior.image_encoder, prior_text_encoder=prior.text_encoder,
        prior_tokenizer=prior.tokenizer, prior_scheduler=prior.scheduler, prior_image_processor=prior.image_processor,
    )  # fmt: skip


def call_options(pipe: Any, steps: int) -> dict[str, Any]:
    """Family-specific arguments of one text-to-image call (Kandinsky 2.2's prior gets the same steps)."""
    if type(pipe).__name__ == "KandinskyV22CombinedPipeline":
        return {"prior_num_inference_steps": steps}
    return {}
