"""Per-post language, words, lemmas, stop words and "is this a word of the language", without a parser.

Stop words are spaCy's lists (read from spaCy's files, so importing spaCy, thinc and torch is never paid
for), lemmas come from simplemma (54 languages, pure Python), the language of an untagged post from
py3langid restricted to the languages we read, and word frequencies from wordfreq. Lemmas only group
spellings of one word: a keyword is always shown in a form the person wrote.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from extractors.errors import DescribeError

# Languages read with their own stop words and lemmas; other posts are read with the profile's main one.
LANGUAGES = ("en", "de", "es", "fr", "it", "pt", "nl", "ru", "da", "sv", "nb", "fi", "pl")
_SPACY_CODE = {"no": "nb"}  # platform tags that spaCy and simplemma spell differently
_SIMPLEMMA_CODE = {"nb": "nb"}
# A word: letters (any script), inner hyphens or apostrophes; numbers and handles never match.
WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
_SENTENCE_END = re.compile(r"[.!?…:;]\s*$|\n\s*$")
# Left-overs of links and markup, in every language.
_NOISE = frozenset({"http", "https", "www", "com", "org", "net", "html", "htm", "php", "amp", "nbsp", "quot",
                    "utm", "jpg", "png", "gif", "lol", "haha", "hahaha", "omg", "rt", "via"})
_MIN_DETECT_WORDS = 3


def code(lang: str | None) -> str | None:
    """Our code for a post's language tag, or None for a language we do not read."""
    if not lang:
        return None
    lang = _SPACY_CODE.get(lang, lang)
    return lang if lang in LANGUAGES else None


@lru_cache(maxsize=1)
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    ident.set_languages([("no" if c == "nb" else c) for c in LANGUAGES])
    return ident


def detect(text: str) -> str | None:
    """The language of an untagged post among ``LANGUAGES``, or None when it is too short to tell."""
    if len(WORD.findall(text)) < _MIN_DETECT_WORDS:
        return None
    found, prob = _identifier().classify(text[:300])  # the first few hundred characters decide as well
    return code(str(found)) if prob >= 0.6 else None


@lru_cache(maxsize=32)
def stop_words(lang: str) -> frozenset[str]:
    """spaCy's stop-word list for ``lang`` (empty for a language spaCy has none for)."""
    spec = find_spec("spacy")
    if spec is None or not spec.submodule_search_locations:
        raise DescribeError("spaCy's stop-word lists are missing (pip install spacy)")
    path = Path(next(iter(spec.submodule_search_locations))) / "lang" / lang / "stop_words.py"
    if not path.is_file():
        return frozenset()
    namespace: dict[str, Any] = {}
    # The files are plain literals (STOP_WORDS = set(...)); reading them costs microseconds, spaCy 3 s.
    exec(compile(path.read_text(encoding="utf-8"), str(path), "exec"), namespace)
    return frozenset(str(w).lower() for w in namespace.get("STOP_WORDS", ()))


@lru_cache(maxsize=32)
def _lemmatiser(lang: str) -> Callable[[str], str]:
    import simplemma

    target = _SIMPLEMMA_CODE.get(lang, lang)
    try:
        simplemma.lemmatize("test", lang=target)
    except (ValueError, KeyError, OSError):
        return lambda word: word.lower()

    @lru_cache(maxsize=200_000)
    def lemma(word: str) -> str:
        return str(simplemma.lemmatize(word, lang=target)).lower()

    return lemma


def lemma(word: str, lang: str) -> str:
    """The lemma of ``word`` in ``lang``, lower case: only a key that groups spellings, never shown."""
    return _lemmatiser(lang)(word)


@lru_cache(maxsize=32)
def _zipf(lang: str) -> Callable[[str], float]:
    import wordfreq

    target = "nb" if lang == "nb" else lang
    try:
        known = target in wordfreq.available_languages() and wordfreq.zipf_frequency("a", target) >= 0
    except (ImportError, LookupError, ValueError):
        known = False
    if not known:
        return lambda word: 0.0

    @lru_cache(maxsize=200_000)
    def zipf(word: str) -> float:
        return float(wordfreq.zipf_frequency(word, target))

    return zipf


def zipf(word: str, lang: str) -> float:
    """How everyday ``word`` is in ``lang``: wordfreq's Zipf scale (7: "the", 3: "meteor", 0: unknown)."""
    return _zipf(lang)(word)


def is_noise(word: str) -> bool:
    return word.lower() in _NOISE


def sentence_start(text: str, start: int) -> bool:
    """Whether the word at ``start`` opens a sentence, where a capital letter says nothing."""
    return start == 0 or _SENTENCE_END.search(text[max(0, start - 3) : start]) is not None
