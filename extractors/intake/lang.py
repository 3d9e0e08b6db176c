"""Language of a post: the platform's tag where it has one, else a detection with a shipped model."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

# Tags platforms use for "no language" (Twitter: und, qme = media only, qam = mentions only, ...).
_UNKNOWN = {"", "und", "zxx", "qme", "qam", "qht", "qct", "qst", "qro", "art"}
_MIN_DETECT_CHARS = 12


def normalise_tag(tag: str | None) -> str | None:
    """An ISO 639-1 code from a platform tag ("en-GB" -> "en"), or None for the unknown tags."""
    if not tag:
        return None
    base = tag.strip().lower().replace("_", "-").split("-")[0]
    if base in _UNKNOWN or not base.isalpha() or len(base) not in (2, 3):
        return None
    return base


@lru_cache(maxsize=1)
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect(text: str) -> str | None:
    """The most probable language of ``text``, or None when the text is too short to tell."""
    if len(text.strip()) < _MIN_DETECT_CHARS:
        return None
    # The first few hundred characters decide as well as the whole post, at a fraction of the cost.
    code, prob = _identifier().classify(text[:300])
    return str(code) if prob >= 0.5 else None


def language_of(tag: str | None, text: str) -> str | None:
    return normalise_tag(tag) or detect(text)
