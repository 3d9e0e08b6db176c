"""What never reaches a picture: the curator's blocklist and the personal-data check."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from extractors.intake.clean import clean_text
from installation.config import Config
from installation.errors import ConfigError

SHIPPED_BLOCKLIST = Path(__file__).parent / "data" / "blocklist.txt"


@dataclass(frozen=True)
class Blocklist:
    """Words and phrases that never reach a picture: whole words, any case; ``word*`` blocks a prefix."""

    terms: tuple[str, ...]
    pattern: re.Pattern[str] | None = field(compare=False)

    @classmethod
    def of(cls, terms: Iterable[str]) -> Blocklist:
        kept = tuple(dict.fromkeys(t.strip().casefold() for t in terms if t.strip()))
        if not kept:
            return cls((), None)

        def regex(term: str) -> str:
            stem, wildcard = (term[:-1], r"\w*") if term.endswith("*") else (term, "")
            return r"\s+".join(re.escape(w) for w in stem.split()) + wildcard

        alternatives = "|".join(regex(t) for t in sorted(kept, key=len, reverse=True))
        return cls(kept, re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE))

    def find(self, text: str) -> list[str]:
        """The blocked words in ``text``, as they appear there."""
        return [m.group(0) for m in self.pattern.finditer(text)] if self.pattern else []

    def scrub(self, text: str) -> str:
        return self.pattern.sub(" ", text) if self.pattern else text


def load_blocklist(config: Config, private: Sequence[str] = ()) -> Blocklist:
    """``compose.blocklist`` (relative to the config file; default: the shipped list), plus
    ``compose.blocked_words`` and ``private``."""
    settings = config.compose
    path = settings.blocklist or SHIPPED_BLOCKLIST
    if not path.is_absolute() and config.source is not None:
        path = config.source.parent / path
    try:
        stat = path.stat()
    except OSError as exc:
        raise ConfigError(f"compose.blocklist: {path} cannot be read ({exc.strerror})") from exc
    terms = _blocklist_terms(path, stat.st_mtime_ns, stat.st_size)
    return Blocklist.of((*terms, *settings.blocked_words, *private))


@functools.lru_cache(maxsize=4)
def _blocklist_terms(path: Path, mtime_ns: int, size: int) -> tuple[str, ...]:
    # mtime and size are part of the cache key so an edited file is read again.
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"compose.blocklist: {path} cannot be read ({exc})") from exc
    lines = (line.split("#", 1)[0].strip() for line in text.splitlines())
    return tuple(line for line in lines if line)


def looks_personal(text: str) -> bool:
    """True if the cleaning of every reader would remove something: a URL, e-mail, phone or @handle."""
    plain = " ".join(text.replace("#", " ").split())
    return clean_text(plain) != plain
