"""The token counter for a model: its own CLIP tokenizer from local files, else CLIP's shipped vocabulary."""

from __future__ import annotations

import functools
import logging

from installation.compose.tokens import TokenCounter, shipped_clip_counter
from installation.config import Config, RenderConfig
from installation.render.tiny import TINY
from installation.render.weights import load_tokenizer

log = logging.getLogger(__name__)


def counter_for(config: Config) -> TokenCounter:
    """The counter ``compose`` fits prompts with: ``compose.tokenizer``, else the render model's."""
    return token_counter(config.compose.tokenizer or config.render.model, config.render)


@functools.lru_cache(maxsize=8)
def token_counter(model: str, render: RenderConfig) -> TokenCounter:
    """The CLIP tokenizer of ``model`` (a local folder or a Hugging Face id already in the local cache).

    Nothing is downloaded. Without a local tokenizer, CLIP's vocabulary shipped with the composer counts:
    every Stable Diffusion text encoder reads that same vocabulary. The Prompt names which one counted.
    """

    if model == TINY:
        # The test model's toy vocabulary spells most words letter by letter: it says nothing about the
        # window of a real CLIP, which is what the budget protects.
        return shipped_clip_counter()
    tokenizer = load_tokenizer(model, render)
    if tokenizer is None:
        log.info("no local CLIP tokenizer for %s: counting with the shipped CLIP vocabulary", model)
        return shipped_clip_counter()
    # The fast backend counts past the 77-token window without the library's "too long" warning.
    backend = tokenizer.backend_tokenizer

    def count(text: str) -> int:
        return len(backend.encode(text).ids)

    return TokenCounter(f"CLIP tokenizer ({model})", count)


