"""Counting a prompt's CLIP tokens: the counter the composer fits prompts with.

The composer never loads a tokenizer itself (that needs the model's files, which the render stage owns):
the caller hands it a ``TokenCounter``, built by ``installation.render.tokens.token_counter``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class TokenCounter:
    """Counts the CLIP tokens of a text, the start and end tokens included."""

    source: str
    count: Callable[[str], int] = field(compare=False)


# CLIP's pre-tokenizer splits letters runs, single digits and punctuation runs; a long or rare word
# becomes several BPE pieces, so the estimate charges one token per six letters.
_ESTIMATE_PIECES = re.compile(r"[^\W\d_]+|\d|[^\w\s]+")


def estimate_tokens(text: str) -> int:
    """A word-based guess at CLIP's count, used only when no tokenizer is on this machine."""
    pieces = _ESTIMATE_PIECES.findall(text)
    return 2 + sum(-(-len(p) // 6) if p[0].isalpha() else 1 for p in pieces)


WORD_ESTIMATE = TokenCounter("word estimate", estimate_tokens)
