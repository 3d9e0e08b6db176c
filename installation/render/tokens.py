"""The token counter for a model: its own tokenizer from local files (CLIP, T5), else CLIP's shipped vocabulary."""

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
    """The tokenizer of ``model`` (a local folder or a Hugging Face id already in the local cache).

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
    # The fast backend counts past the model's window without the library's "too long" warning.
    backend = getattr(tokenizer, "backend_tokenizer", None)

    def count(text: str) -> int:
        if backend is not None:
            return len(backend.encode(text).ids)
        return len(tokenizer(text, truncation=False, verbose=False).input_ids)

    return TokenCounter(f"{tokenizer_kind(tokenizer)} ({model})", count)


def tokenizer_kind(tokenizer: object) -> str:
    """"CLIP tokenizer", "T5 tokenizer" or the class's name: what the Prompt's ``counted_by`` says."""
    name = type(tokenizer).__name__.removesuffix("Fast").removesuffix("Tokenizer")
    return f"{name} tokenizer" if name else type(tokenizer).__name__


