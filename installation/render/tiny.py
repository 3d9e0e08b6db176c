"""The tiny test model: an untrained Stable Diffusion pipeline small enough to run on any CPU in milliseconds.

It is built from configs (no download), seeded so every build has the same weights, saved with
``save_pretrained`` into a cache folder and then loaded back by the same loader as a real model, so
tests exercise the real loading path. It paints noise: anything rendered with it is marked as test noise.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import string
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

TINY = "tiny"
# Bump when the recipe below changes, so a stale cached copy is never reused.
TINY_VERSION = 2
_PIECES = ("th", "he", "in", "er", "an", "re", "on", "en", "at", "or", "es", "st", "ar", "al", "ou", "ing")


def default_cache_dir() -> Path:
    """Where built models live when the config names no folder (``$XDG_CACHE_HOME/social-portrait``)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "social-portrait"


def tiny_model_path(cache_dir: Path | None = None) -> Path:
    """The folder of the tiny pipeline, built on first use; later calls reuse it."""
    # 1. Reuse a complete earlier build (model_index.json is written last by save_pretrained's caller).
    root = cache_dir or default_cache_dir()
    folder = root / f"tiny-sd-v{TINY_VERSION}"
    if (folder / "model_index.json").is_file():
        return folder
    # 2. Build into a temporary sibling and rename it into place, so a half-written folder is never seen.
    root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".tiny-sd-", dir=root))
    try:
        with quiet_progress():
            build_tiny_pipeline().save_pretrained(staging)
        try:
            os.replace(staging, folder)
        except OSError:
            # Another process finished first: its copy is identical, keep it.
            if not (folder / "model_index.json").is_file():
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return folder


def build_tiny_pipeline() -> Any:
    """A seeded, untrained ``StableDiffusionPipeline`` with the geometry of a real one (latents are 1/8 size)."""
    import torch
    from diffusers import AutoencoderKL, EulerDiscreteScheduler, StableDiffusionPipeline, UNet2DConditionModel
    from transformers import CLIPTextConfig, CLIPTextModel

    tokenizer = build_tiny_tokenizer()
    torch.manual_seed(0)
    unet = UNet2DConditionModel(  # type: ignore[no-untyped-call]
        block_out_channels=(8, 16),
        layers_per_block=1,
        sample_size=8,
        in_channels=4,
        out_channels=4,
        down_block_types=("DownBlock2D", "CrossAttnDownBlock2D"),
        up_block_types=("CrossAttnUpBlock2D", "UpBlock2D"),
        cross_attention_dim=32,
        attention_head_dim=2,
        norm_num_groups=4,
    )
    torch.manual_seed(0)
    vae = AutoencoderKL(  # type: ignore[no-untyped-call]
        block_out_channels=(4, 4, 8, 8),
        in_channels=3,
        out_channels=3,
        down_block_types=("DownEncoderBlock2D",) * 4,
        up_block_types=("UpDecoderBlock2D",) * 4,
        latent_channels=4,
        layers_per_block=1,
        norm_num_groups=2,
        sample_size=64,
    )
    torch.manual_seed(0)
    text_encoder = CLIPTextModel(
        CLIPTextConfig(
            bos_token_id=tokenizer.bos_token_id,
            eos_token_id=tokenizer.eos_token_id,
            pad_token_id=tokenizer.pad_token_id,
            hidden_size=32,
            intermediate_size=37,
            layer_norm_eps=1e-05,
            num_attention_heads=4,
            num_hidden_layers=2,
            vocab_size=len(tokenizer),
            max_position_embeddings=tokenizer.model_max_length,
        )
    )
    # SD-Turbo's scheduler settings, so one step is a valid render as with the default real model.
    scheduler = EulerDiscreteScheduler(  # type: ignore[no-untyped-call]
        beta_start=0.00085, beta_end=0.012, beta_schedule="scaled_linear", timestep_spacing="trailing", steps_offset=1
    )
    return StableDiffusionPipeline(  # type: ignore[no-untyped-call]
        vae=vae,
        text_encoder=text_encoder.eval(),  # type: ignore[no-untyped-call]
        tokenizer=tokenizer,
        unet=unet,
        scheduler=scheduler,
        safety_checker=None,
        feature_extractor=None,
        requires_safety_checker=False,
    )


def build_tiny_tokenizer() -> Any:
    """An in-memory CLIP BPE tokenizer: letters, digits, punctuation and a few common English pieces."""
    from transformers import CLIPTokenizer

    vocab: dict[str, int] = {"<|startoftext|>": 0, "<|endoftext|>": 1}
    for symbol in string.ascii_lowercase + string.digits + string.punctuation:
        vocab.setdefault(symbol, len(vocab))
        vocab.setdefault(symbol + "</w>", len(vocab))
    merges: list[tuple[str, str]] = []
    for piece in _PIECES:
        # Each piece is built by merging its prefix with its last letter, inside a word and at its end.
        head, last = piece[:-1], piece[-1]
        for tail in (last, last + "</w>"):
            if (head, tail) not in merges:
                merges.append((head, tail))
                vocab.setdefault(head + tail, len(vocab))
    # This vocabulary spells most words letter by letter: a prompt that fits a real CLIP's 77 tokens takes
    # a few hundred here, and a longer window keeps it whole instead of truncating it with a warning.
    # The tokenizers backend wants pairs; transformers' annotation says strings.
    return CLIPTokenizer(vocab=vocab, merges=merges, model_max_length=384)  # type: ignore[arg-type]


@contextlib.contextmanager
def quiet_progress() -> Iterator[None]:
    """No loading or saving progress bars in a worker's log; restored afterwards."""
    from diffusers.utils import logging as diffusers_logging
    from transformers.utils import logging as transformers_logging

    was_diffusers = diffusers_logging.is_progress_bar_enabled()
    was_transformers = transformers_logging.is_progress_bar_enabled()
    diffusers_logging.disable_progress_bar()
    transformers_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
    try:
        yield
    finally:
        if was_diffusers:
            diffusers_logging.enable_progress_bar()
        if was_transformers:
            transformers_logging.enable_progress_bar()  # type: ignore[no-untyped-call]
