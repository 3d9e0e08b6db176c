"""Counting a prompt's CLIP tokens: the counter the composer fits prompts with.

The composer never picks a tokenizer itself (the model's own files belong to the render stage): the caller
hands it a ``TokenCounter``, built by ``installation.render.tokens.counter_for``. Where a model's files are
not on disk, ``shipped_clip_counter`` counts with CLIP's vocabulary shipped in ``data/``.
"""

from __future__ import annotations

import functools
import gzip
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from installation.errors import ComposeError


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


# OpenAI CLIP's byte-pair vocabulary (MIT licence, OpenAI 2021), as the CLIP repository and its PyPI
# build clip-anytorch ship it. Every Stable Diffusion text encoder (SD 1.x, 2.x, SD-Turbo, SDXL) reads
# this same vocabulary, so it counts their 77-token window exactly when a model's own files are absent.
SHIPPED_CLIP_BPE = Path(__file__).parent / "data" / "bpe_simple_vocab_16e6.txt.gz"
SHIPPED_CLIP_SOURCE = "CLIP tokenizer (shipped OpenAI CLIP BPE vocabulary)"
_CLIP_MERGES = 49152 - 256 - 2  # the merges CLIP uses: its vocabulary is 49,408 entries


def shipped_clip_counter() -> TokenCounter:
    """Counts with CLIP's own tokenizer, built from the shipped vocabulary (the first call takes a second)."""
    backend = shipped_clip_tokenizer().backend_tokenizer

    def count(text: str) -> int:
        # The fast backend counts past the 77-token window without the library's "too long" warning.
        return len(backend.encode(text).ids)

    return TokenCounter(SHIPPED_CLIP_SOURCE, count)


@functools.lru_cache(maxsize=1)
def shipped_clip_tokenizer() -> Any:
    """CLIP's tokenizer (a transformers ``CLIPTokenizer``), built in memory; nothing is downloaded."""
    from transformers import CLIPTokenizer

    # 1. The merges, as the reference tokenizer reads them (the first line is a version header)
    try:
        lines = gzip.decompress(SHIPPED_CLIP_BPE.read_bytes()).decode("utf-8").split("\n")
    except (OSError, EOFError, UnicodeDecodeError) as exc:
        raise ComposeError(f"{SHIPPED_CLIP_BPE}: the CLIP vocabulary cannot be read ({exc})") from exc
    merges = [(a, b) for a, b in (line.split() for line in lines[1 : _CLIP_MERGES + 1])]

    # 2. The vocabulary: bytes, bytes ending a word, every merge, then the start and end tokens
    symbols = list(_bytes_to_unicode().values())
    vocab = [*symbols, *(s + "</w>" for s in symbols), *("".join(m) for m in merges)]
    vocab += ["<|startoftext|>", "<|endoftext|>"]
    # The tokenizers backend wants (left, right) pairs, whatever the type hint of transformers says.
    return CLIPTokenizer(vocab={v: i for i, v in enumerate(vocab)}, merges=merges)  # type: ignore[arg-type]


def _bytes_to_unicode() -> dict[int, str]:
    """GPT-2's and CLIP's map from bytes to printable characters."""
    printable = [*range(ord("!"), ord("~") + 1), *range(ord("¡"), ord("¬") + 1), *range(ord("®"), ord("ÿ") + 1)]
    chars = printable[:]
    extra = 0
    for b in range(256):
        if b not in printable:
            printable.append(b)
            chars.append(256 + extra)
            extra += 1
    return dict(zip(printable, (chr(c) for c in chars), strict=True))
