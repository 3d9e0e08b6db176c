"""Personal data that hides in plain words: what ``clean`` removes beyond URLs, addresses and handles.

- e-mail addresses written out to dodge filters ("ana at example dot com", "ana [at] example [dot] org");
- bare domains and handles without an ``@`` ("example.com", "sea.bsky.social");
- bank and card numbers (IBANs, 12 to 19 digit card-like runs);
- street addresses in the shapes of the languages visitors write in ("12 Baker Street", "Hauptstraße 5",
  "3 rue de la Paix", "calle Mayor 7", "Nørrebrogade 12");
- other people's full names: a known first name followed by a known family name (Faker's locale lists),
  so "dinner with Maria Gonzalez" keeps the dinner and loses the person.

Each pattern is linear (possessive or bounded quantifiers): a hostile post cannot stall the worker.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import import_module

_TLD = (
    r"(?:com|org|net|io|co|de|uk|dk|es|fr|it|nl|ly|me|social|app|dev|gl|gg|tv|be|at|ch|se|no|fi|eu|info|xyz"
    r"|pt|pl|ru|online|site|blog)"
)
_AT = r"(?:\s*+(?:\(at\)|\[at\]|\{at\})\s*+|\s++at\s++)"
_DOT = r"(?:\s*+(?:\(dot\)|\[dot\]|\{dot\})\s*+|\s++dot\s++|\.)"
_SPELLED_EMAIL = re.compile(
    rf"(?i)(?<![\w.])[a-z0-9._%+-]++{_AT}[a-z0-9-]++(?:{_DOT}[a-z0-9-]++)*?{_DOT}{_TLD}(?:\.[a-z]{{2,3}})?\b"
)
_BARE_DOMAIN = re.compile(rf"(?i)(?<![\w@./-])[a-z0-9](?:[a-z0-9-]{{0,62}}\.){{1,4}}{_TLD}(?![\w-]|\.\w)")
_IBAN = re.compile(r"(?<![A-Z0-9])[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?(?![A-Z0-9])")
_CARD = re.compile(r"(?<![\d.])\d(?:[ -]?\d){11,18}(?![\d.])")
_STREET = re.compile(
    r"(?<![\w])(?:"
    # 12 Baker Street, 221B Baker St., 5 Elm Road
    r"\d{1,5}[A-Za-z]?,?\s(?:[A-Z][\w'-]{1,30}\s){1,3}"
    r"(?:Street|St\.?|Road|Rd\.?|Avenue|Ave\.?|Lane|Ln\.?|Drive|Dr\.?|Boulevard|Blvd\.?|Way|Close|Court|Place|"
    r"Square|Terrace|Crescent|Gardens)"
    # Hauptstraße 5, Am Ring 3a, Nørrebrogade 12, Vesterbrogade 4
    r"|[A-ZÄÖÜÆØÅ][\wäöüßæøå-]{1,40}(?:straße|strasse|str\.|weg|gasse|platz|allee|ring|gade|vej|stræde|allé)"
    r"\s\d{1,4}[a-z]?"
    # 3 rue de la Paix, 12 avenue Victor Hugo
    r"|\d{1,4},?\s(?:rue|avenue|boulevard|place|chemin|impasse)\s(?:(?:de|du|des|la|le|l')\s){0,2}[A-Z][\w'-]{1,30}"
    # calle Mayor 7, via Roma 12, piazza Navona 3, rua Augusta 10
    r"|(?i:calle|avenida|plaza|paseo|via|viale|piazza|corso|rua|travessa)\s(?:[A-Z][\w'-]{1,30}\s?){1,3},?\s\d{1,4}"
    r")(?![\w])"
)
_NAME_PAIR = re.compile(r"(?<![\w])([A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ'-]{1,30}) ([A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ'-]{1,30}|[A-Z]\.)(?![\w])")
# Locales whose names visitors' posts are expected to mention.
_NAME_LOCALES = (
    "en_US", "en_GB", "en_IE", "de_DE", "de_AT", "de_CH", "es_ES", "es_MX", "da_DK", "sv_SE", "no_NO",
    "nl_NL", "fr_FR", "it_IT", "pt_PT", "pt_BR", "pl_PL", "fi_FI", "ru_RU",
)


@lru_cache(maxsize=1)
def person_names() -> tuple[frozenset[str], frozenset[str]]:
    """First names and family names from Faker's locale data (empty sets if Faker is missing)."""
    first: set[str] = set()
    last: set[str] = set()
    for locale in _NAME_LOCALES:
        try:
            provider = import_module(f"faker.providers.person.{locale}").Provider
        except ImportError:
            continue
        for attr in ("first_names", "first_names_male", "first_names_female", "first_names_nonbinary"):
            first.update(str(n) for n in getattr(provider, attr, ()) or ())
        for attr in ("last_names", "last_names_male", "last_names_female"):
            last.update(str(n) for n in getattr(provider, attr, ()) or ())
    return frozenset(n for n in first if n.isalpha()), frozenset(n for n in last if n.replace("-", "").isalpha())


def _drop_name_pair(match: re.Match[str]) -> str:
    first_names, last_names = person_names()
    first, last = match.group(1), match.group(2)
    if first in first_names and (last in last_names or (len(last) == 2 and last.endswith("."))):
        return " "
    return match.group(0)


def remove_personal(text: str) -> str:
    """``text`` without spelled-out e-mails, bare domains, bank/card numbers, street addresses and full names."""
    lowered = text.lower()
    if " at " in lowered or "(at)" in lowered or "[at]" in lowered or "{at}" in lowered:
        text = _SPELLED_EMAIL.sub(" ", text)
    if "." in text:
        text = _BARE_DOMAIN.sub(" ", text)
    digits = sum(c.isdigit() for c in text)
    if digits >= 10:
        text = _IBAN.sub(" ", text)
    if digits >= 12:
        text = _CARD.sub(" ", text)
    if digits:
        text = _STREET.sub(" ", text)
    return _NAME_PAIR.sub(_drop_name_pair, text)
