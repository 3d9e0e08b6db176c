"""The visitor's languages: gettext catalogues (``locales/<lang>/LC_MESSAGES/messages.po``) read with Babel.

The .po files are the source; they are compiled in memory with Babel's API the first time a language is
asked for, so a fresh ``pip install -e .`` (or a wheel) needs no build step. ``translator(lang)`` is the
one call a page or the wall needs: a function from an English message to the visitor's language, which
gives the English back for a message no catalogue knows (a curator's own consent or idle text).
"""

from __future__ import annotations

import functools
import io
from collections.abc import Callable
from pathlib import Path

from babel import negotiate_locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

LOCALES = Path(__file__).parent / "locales"
DEFAULT = "en"
# The kiosk's languages, each named in its own language for the switcher.
LANGUAGES: dict[str, str] = {
    "en": "English", "de": "Deutsch", "fr": "Français", "es": "Español", "ru": "Русский", "zh": "中文",
}

__all__ = ["DEFAULT", "LANGUAGES", "N_", "WALL_MESSAGES", "catalogue", "choose", "translator"]


def N_(message: str) -> str:
    """Marks a message for extraction where it is defined; it is translated where it is shown."""
    return message


# The wall's visitor-visible words (``installation.wall.show.WORDS``, [wall] arrival_text and idle_text) and
# the consent text's default, copied here so that extraction finds them; tests/test_i18n.py checks the
# copies still match. The wall shows ``translator(lang)(WORDS[key])``.
WALL_MESSAGES = (
    N_("Being painted"),
    N_("step {step} of {total}"),  # the wall fills it with str.format
    N_("paused"),
    N_("Just painted"),
    N_("Hand your social-media export to the kiosk and watch your portrait appear here"),
)
CONSENT_DEFAULT = N_(
    "We read the posts in the export you give us (your own posts and replies, nothing else) to find "
    "keywords and a mood, and paint a portrait from them. The export is deleted as soon as it has "
    "been read. The snippets shown on your result card are deleted when you leave it. The portrait "
    "and its keywords stay on the wall for the exhibition. Your forget-me code removes everything, "
    "at any time, on the forget page or at the desk."
)


@functools.cache
def catalogue(lang: str) -> Translations:
    """The compiled catalogue of ``lang`` (one of ``LANGUAGES``); English is the messages themselves."""
    if lang not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)} but is {lang!r}")
    with (LOCALES / lang / "LC_MESSAGES" / "messages.po").open("rb") as po:
        parsed = read_po(po, locale=lang)
    compiled = io.BytesIO()
    write_mo(compiled, parsed)
    compiled.seek(0)
    return Translations(compiled, domain="messages")


def translator(lang: str) -> Callable[[str], str]:
    """``gettext`` of ``lang``: an English message in that language, or as it is when no catalogue has it."""
    return catalogue(lang).gettext


def choose(asked: str | None, cookie: str | None, accept_language: str | None) -> str:
    """The visitor's language: the one just picked, else the remembered one, else the browser's best match."""
    for lang in (asked, cookie):
        if lang in LANGUAGES:
            return str(lang)
    preferred = []
    for part in (accept_language or "").split(","):
        tag, _, q = part.strip().partition(";q=")
        try:
            weight = float(q) if q else 1.0
        except ValueError:
            continue
        if tag:
            preferred.append((weight, tag.replace("-", "_")))
    ordered = [tag for _, tag in sorted(preferred, key=lambda p: -p[0])]
    # A region of a language (de_AT, zh_Hans_CN) still gets the language.
    ordered += [tag.split("_")[0].lower() for tag in ordered]
    found = negotiate_locale(ordered, list(LANGUAGES), sep="_")
    return found or DEFAULT


# Where the visitor's messages are written: the kiosk's code and templates, and this module's copies.
SOURCES = ("kiosk", "i18n.py")
_KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}


def source_messages() -> dict[str | tuple[str, ...], str]:
    """Every message the sources mark (Babel's extract), with the file that first has it."""
    from babel.messages.extract import extract_from_dir, extract_from_file

    root = Path(__file__).parent
    found: dict[str | tuple[str, ...], str] = {}
    methods = [("**/templates/**.html", "jinja2.ext:babel_extract"), ("**.py", "python")]
    options = {"**/templates/**.html": {"extensions": "jinja2.ext.i18n"}}
    for name in SOURCES:
        path = root / name
        if path.is_dir():
            for filename, _, message, _, _ in extract_from_dir(path, methods, options, keywords=_KEYWORDS):
                found.setdefault(message, f"{name}/{filename}")
        else:
            for _, message, _, _ in extract_from_file("python", path, keywords=_KEYWORDS):
                found.setdefault(message, name)
    return found
