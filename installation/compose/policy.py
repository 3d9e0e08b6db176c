"""The wall policy: what may be shown in public, in every language the describe stage handles.

``load_policy(config)`` reads the shipped ``data/policy.toml`` (or the curator's ``compose.policy.file``),
switches categories on and off as ``compose.policy`` says, adds the curator's terms and categories, and
returns a ``WallPolicy``; ``policy.check(text, lang)`` names the category of the first policy word in a
text, or None. Everyday look-alikes in the file's allow table are taken out before matching.
"""

from __future__ import annotations

import functools
import re
import tomllib
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from installation.config import Config
from installation.errors import ConfigError

SHIPPED_POLICY = Path(__file__).parent / "data" / "policy.toml"
LANGUAGES = ("en", "de", "es", "fr", "it", "pt", "nl", "ru", "da")


@dataclass(frozen=True)
class Category:
    name: str
    label: str  # plain words for the curator page: "political (party names and politicians)"
    terms: tuple[str, ...]
    pattern: re.Pattern[str] | None = field(compare=False)


@dataclass(frozen=True)
class WallPolicy:
    """The categories in force and the everyday words allowed despite them."""

    categories: tuple[Category, ...]
    allow: Mapping[str, re.Pattern[str] | None] = field(compare=False)  # language ("all") -> pattern

    def check(self, text: str, lang: str = "und") -> Category | None:
        """The category of the first policy word in ``text``, None if there is none."""
        plain = _normal(text)
        for key in ("all", lang):
            if (allowed := self.allow.get(key)) is not None:
                plain = allowed.sub(" ", plain)
        for category in self.categories:
            if category.pattern is not None and category.pattern.search(plain):
                return category
        return None

    def category(self, name: str) -> Category | None:
        return next((c for c in self.categories if c.name == name), None)


def load_policy(config: Config) -> WallPolicy:
    """The policy ``compose.policy`` asks for (the file is read again when it changes)."""
    # 1. Check inputs: the file, then the names the curator switches on and off
    settings = config.compose.policy
    path = settings.file or SHIPPED_POLICY
    if not path.is_absolute() and config.source is not None:
        path = config.source.parent / path
    try:
        stat = path.stat()
    except OSError as exc:
        raise ConfigError(f"compose.policy.file: {path} cannot be read ({exc.strerror})") from exc
    shipped, allow = _read(path, stat.st_mtime_ns, stat.st_size)
    known = {name for name, _, _, _ in shipped} | set(settings.categories)
    for key, names in (("include", settings.include), ("exclude", settings.exclude), ("add", settings.add)):
        for name in names:
            if name not in known:
                raise ConfigError(f"compose.policy.{key}: no category named {name!r} ({', '.join(sorted(known))})")

    # 2. The categories in force, with the curator's terms and own categories
    categories = []
    for name, label, on, terms in shipped:
        if name in settings.exclude or not (on or name in settings.include):
            continue
        categories.append(_category(name, label, (*terms, *settings.add.get(name, ()))))
    for name, own in settings.categories.items():
        categories.append(_category(name, own.label or name, (*own.terms, *settings.add.get(name, ()))))
    return WallPolicy(tuple(categories), {lang: _pattern(words) for lang, words in allow.items()})


@functools.lru_cache(maxsize=4)
def _read(
    path: Path, mtime_ns: int, size: int
) -> tuple[tuple[tuple[str, str, bool, tuple[str, ...]], ...], dict[str, tuple[str, ...]]]:
    # mtime and size are part of the cache key so an edited file is read again.
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        categories = tuple(
            (name, str(table.get("label", name)), bool(table.get("on", True)),
             tuple(str(t) for words in dict(table.get("terms", {})).values() for t in words))
            for name, table in dict(data.get("categories", {})).items()
        )
        allow = {str(lang): tuple(str(w) for w in words) for lang, words in dict(data.get("allow", {})).items()}
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, TypeError, ValueError, AttributeError) as exc:
        raise ConfigError(f"compose.policy.file: {path} is not a policy file ({exc})") from exc
    return categories, allow


def _category(name: str, label: str, terms: Iterable[str]) -> Category:
    kept = tuple(dict.fromkeys(_normal(t).strip() for t in terms if t.strip()))
    return Category(name, label, kept, _pattern(kept))


def _pattern(terms: Iterable[str]) -> re.Pattern[str] | None:
    """Whole words; ``word*`` a prefix, ``*word`` a suffix; a phrase across any spaces."""

    def regex(term: str) -> str:
        head = r"\w*" if term.startswith("*") else ""
        tail = r"\w*" if term.endswith("*") else ""
        words = term.strip("*").split()
        return head + r"\s+".join(re.escape(w) for w in words) + tail

    kept = sorted({_normal(t).strip() for t in terms if t.strip("* ")}, key=len, reverse=True)
    if not kept:
        return None
    return re.compile(rf"(?<!\w)(?:{'|'.join(regex(t) for t in kept)})(?!\w)")


def _normal(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold()
