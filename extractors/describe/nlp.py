"""The models of the verbal portrait, each loaded once per process and reused (a worker loads them at start).

The sentence encoder (``encoders``), VADER, the NRC emotion lexicon, the mood lexicon of the other
languages (``data/mood_lexicon.toml``) and a list of first names (Faker's
locale data) that keeps private people's names out of the keywords. Words, lemmas and stop words per
language are in ``languages``; no spaCy pipeline is loaded, so describing never imports spaCy or torch.
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import import_module
from pathlib import Path
from typing import Any

from extractors.describe import languages
from extractors.describe.encoders import encoder
from extractors.errors import DescribeError
from extractors.settings import DescribeConfig

# Locales whose first names are kept out of the keywords: the languages visitors are expected to write in.
_NAME_LOCALES = (
    "en_US", "en_GB", "en_IE", "de_DE", "de_AT", "de_CH", "es_ES", "es_MX", "da_DK", "sv_SE", "no_NO",
    "nl_NL", "fr_FR", "it_IT", "pt_PT", "pt_BR", "pl_PL", "fi_FI", "ru_RU",
)


@lru_cache(maxsize=1)
def vader() -> Any:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


@lru_cache(maxsize=1)
def emotion_lexicon() -> Any:
    """NRCLex with its bundled NRC emotion lexicon (fed our lemmas, so TextBlob corpora are never needed)."""
    from nrclex import NRCLex

    return NRCLex()


@lru_cache(maxsize=1)
def mood_lexicon() -> dict[str, Any]:
    """The mood lexicon of the languages besides English (``data/mood_lexicon.toml``), as parsed, per language."""
    path = Path(__file__).resolve().parent / "data" / "mood_lexicon.toml"
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise DescribeError(f"the mood lexicon {path} cannot be read: {exc.strerror}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise DescribeError(f"the mood lexicon {path} is not valid TOML: {exc}") from exc


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


def load_models(config: DescribeConfig) -> None:
    """Load what every portrait needs now (a worker's start-up), so the first visitor does not wait."""
    encoder(config.embedding_model, config.max_tokens).encode(["warm up"])
    vader()
    emotion_lexicon()
    mood_lexicon()  # the nine-language mood words: read, and a broken file named, before the first visitor
    first_names()
    languages.detect("load the language identifier once")
    for lang in languages.LANGUAGES:
        languages.stop_words(lang)
