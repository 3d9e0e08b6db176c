"""The composer: a verbal portrait and a curator's style become a text-to-image prompt.

``compose(portrait, style=None, config=None)`` is the one entry. The recipe: pick the style (fixed,
rotation, seeded random or mood-matched), pass every word through the blocklist and a personal-data
check, fill the style's template, drop the least important keywords until the prompt fits CLIP's token
budget (never cutting a word), scrub the finished prompt once more, and attach the render parameters.
The seed comes from the portrait itself, so the same export gives the same prompt and image twice.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from extractors.clean import clean_text
from extractors.portrait import VerbalPortrait
from installation.config import ComposeConfig, Config, RenderConfig, StyleConfig, load_config
from installation.errors import ComposeError, ConfigError

log = logging.getLogger(__name__)

SHIPPED_BLOCKLIST = Path(__file__).parent / "data" / "blocklist.txt"

OVER_BUDGET = "over token budget"
BLOCKED = "blocked"
PERSONAL = "personal data"
DUPLICATE = "duplicate"
OVER_LIMIT = "over keyword limit"

_MAX_THEMES = 3
_KEEP_KEYWORDS = 3  # dropped last, after the extra palette and lighting words


@dataclass(frozen=True)
class Prompt:
    """What the renderer needs, and nothing about the person."""

    positive: str
    negative: str
    style: str
    seed: int
    width: int
    height: int
    steps: int
    guidance: float
    scheduler: str | None = None
    keywords_used: tuple[str, ...] = ()
    keywords_dropped: tuple[tuple[str, str], ...] = ()  # (keyword, why)
    mood: str = ""
    tokens: int = 0  # of the positive prompt, start and end tokens included
    counted_by: str = ""  # "CLIP tokenizer (<model>)" or "word estimate"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Prompt:
        return cls(
            **{
                **data,
                "keywords_used": tuple(data.get("keywords_used", ())),
                "keywords_dropped": tuple(tuple(x) for x in data.get("keywords_dropped", ())),
            }
        )


# --- token counting ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TokenCounter:
    """Counts the CLIP tokens of a text, the start and end tokens included."""

    source: str
    count: Callable[[str], int] = field(compare=False)


# CLIP's pre-tokenizer splits letters runs, single digits and punctuation runs; a long or rare word
# becomes several BPE pieces, so the estimate charges one token per six letters.
_ESTIMATE_PIECES = re.compile(r"[^\W\d_]+|\d|[^\w\s]+")


def estimate_tokens(text: str) -> int:
    """A word-based guess at CLIP's count, used only when no tokenizer is on this machine."""
    pieces = _ESTIMATE_PIECES.findall(text)
    return 2 + sum(-(-len(p) // 6) if p[0].isalpha() else 1 for p in pieces)


WORD_ESTIMATE = TokenCounter("word estimate", estimate_tokens)


@functools.lru_cache(maxsize=8)
def token_counter(model: str, render: RenderConfig) -> TokenCounter:
    """The CLIP tokenizer of ``model`` (a local folder or a Hugging Face id already in the local cache).

    Nothing is downloaded; without a local tokenizer the word estimate stands in, and the Prompt says so.
    """
    from installation.render import load_tokenizer
    from installation.tiny import TINY

    if model == TINY:
        # The test model's toy vocabulary spells most words letter by letter: it says nothing about the
        # window of a real CLIP, which is what the budget protects.
        return WORD_ESTIMATE
    tokenizer = load_tokenizer(model, render)
    if tokenizer is None:
        log.info("no local CLIP tokenizer for %s: counting tokens by word estimate", model)
        return WORD_ESTIMATE
    # The fast backend counts past the 77-token window without the library's "too long" warning.
    backend = tokenizer.backend_tokenizer

    def count(text: str) -> int:
        return len(backend.encode(text).ids)

    return TokenCounter(f"CLIP tokenizer ({model})", count)


# --- safety ------------------------------------------------------------------------------------------


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


# --- the composer ------------------------------------------------------------------------------------


def compose(
    portrait: VerbalPortrait,
    style: str | None = None,
    config: Config | None = None,
    *,
    turn: int = 0,
    private: Sequence[str] = (),
    counter: TokenCounter | None = None,
) -> Prompt:
    """The prompt for ``portrait`` in ``style`` (default: chosen by ``compose.selection``).

    ``config`` defaults to ./config.toml. ``turn`` is the how-many-th portrait this is, for rotation
    (the worker passes the job's sequence number). ``private`` holds words known to be personal, such
    as the nickname a visitor typed: they are blocked like the blocklist. ``counter`` overrides the
    token counter (default: the CLIP tokenizer of ``compose.tokenizer`` or ``render.model``).
    """
    # 1. Check inputs
    config = config if config is not None else load_config()
    check_config(config)
    settings = config.compose

    # 2. The seed, from the portrait; then the style
    seed = portrait_seed(portrait)
    name = pick_style(portrait, config, style, seed=seed, turn=turn)
    spec = config.styles[name]

    # 3. Every word through the blocklist and the personal-data check
    blocklist = load_blocklist(config, private)
    keywords, dropped = _safe_keywords(portrait, blocklist, settings.max_keywords)
    extras = {
        "palette": _safe_words(portrait.mood.palette, blocklist),
        "lighting": _safe_words(portrait.mood.lighting, blocklist),
        "themes": _safe_words([t.name for t in portrait.themes][:_MAX_THEMES], blocklist),
    }
    mood_words = _safe_words([portrait.mood.label], blocklist)

    # 4. Fill the template, dropping the least important words until it fits the budget
    counter = counter or token_counter(settings.tokenizer or config.render.model, config.render)

    def fill(words: Sequence[str]) -> str:
        return _fill(spec, settings, words, extras, mood_words[0] if mood_words else "")

    # Keywords carry the person, so colour and light words give way before the last few keywords do.
    positive = fill(keywords)
    while (tokens := counter.count(positive)) > settings.max_tokens:
        if len(keywords) > _KEEP_KEYWORDS:
            dropped.append((keywords.pop(), OVER_BUDGET))
        elif trimmable := [words for words in extras.values() if len(words) > 1]:
            trimmable[0].pop()
        elif len(keywords) > 1:
            dropped.append((keywords.pop(), OVER_BUDGET))
        else:
            raise ComposeError(
                f"style {name!r}: {tokens} tokens with {len(keywords)} keyword(s), over the budget of "
                f"{settings.max_tokens}: shorten its template or modifiers"
            )
        positive = fill(keywords)

    # 5. The finished prompt once more: a curator's template or a mood word may carry a blocked term
    if found := blocklist.find(positive):
        log.warning("style %s: blocked words removed from the prompt: %s", name, ", ".join(found))
        positive = _tidy(blocklist.scrub(positive))
        tokens = counter.count(positive)
    if looks_personal(positive):
        log.warning("style %s: something personal-looking (URL, e-mail, handle) removed from the prompt", name)
        positive = _tidy(", ".join(clean_text(term) for term in positive.split(",")))
        tokens = counter.count(positive)
    negative = _fit_terms(_tidy(f"{settings.negative}, {spec.negative}"), counter, settings.max_tokens)

    # 6. The render parameters: the style's own over [render]
    render = config.render
    return Prompt(
        positive=positive,
        negative=negative,
        style=name,
        seed=seed,
        width=spec.width or render.width,
        height=spec.height or render.height,
        steps=spec.steps or render.steps,
        guidance=render.guidance if spec.guidance is None else spec.guidance,
        scheduler=spec.scheduler or render.scheduler,
        keywords_used=tuple(keywords),
        keywords_dropped=tuple(dropped),
        mood=mood_words[0] if mood_words else "",
        tokens=tokens,
        counted_by=counter.source,
    )


def check_config(config: Config) -> None:
    """The cross-references within the compose settings: named styles exist, the blocklist is readable."""
    where = f"{config.source}: " if config.source else ""
    names = ", ".join(config.styles) or "none"
    if not config.styles:
        raise ConfigError(f"{where}styles: no style defined; add a [styles.NAME] table")
    if config.compose.default_style not in config.styles:
        raise ConfigError(
            f"{where}compose.default_style: no style named {config.compose.default_style!r} (styles: {names})"
        )
    for pooled in config.compose.pool:
        if pooled not in config.styles:
            raise ConfigError(f"{where}compose.pool: no style named {pooled!r} (styles: {names})")
    try:
        load_blocklist(config)
    except ConfigError as exc:
        raise ConfigError(f"{where}{exc}") from exc


def portrait_seed(portrait: VerbalPortrait) -> int:
    """A stable seed from the portrait's keywords and mood: the same export, the same seed."""
    digest = hashlib.blake2b(digest_size=8, person=b"portrait-seed")
    for phrase in sorted(k.phrase.casefold() for k in portrait.keywords):
        digest.update(phrase.encode("utf-8") + b"\0")
    digest.update(b"\1" + portrait.mood.label.casefold().encode("utf-8"))
    # 31 bits: every backend (torch, the remote services) accepts it.
    return int.from_bytes(digest.digest()[:4], "big") & 0x7FFFFFFF


def pick_style(portrait: VerbalPortrait, config: Config, style: str | None, *, seed: int, turn: int = 0) -> str:
    """The named style, or the one ``compose.selection`` chooses."""
    if style is not None:
        if style not in config.styles:
            raise ComposeError(f"no style named {style!r}; styles: {', '.join(config.styles)}")
        return style
    settings = config.compose
    pool = list(settings.pool or config.styles)
    if settings.selection == "fixed":
        return settings.default_style
    if settings.selection == "rotation":
        return pool[turn % len(pool)]
    if settings.selection == "random":
        return pool[seed % len(pool)]
    label = portrait.mood.label.casefold()
    suited = [n for n in pool if label in (m.casefold() for m in config.styles[n].moods)]
    if not suited:
        log.info("no style declares the mood %r: using %s", portrait.mood.label, settings.default_style)
        return settings.default_style
    return suited[seed % len(suited)]


def _safe_keywords(
    portrait: VerbalPortrait, blocklist: Blocklist, limit: int
) -> tuple[list[str], list[tuple[str, str]]]:
    kept: list[str] = []
    dropped: list[tuple[str, str]] = []
    seen: set[str] = set()
    ranked = sorted(portrait.keywords, key=lambda k: k.score, reverse=True)
    for keyword in ranked:
        # A comma would split the phrase into two prompt terms.
        phrase = " ".join(keyword.phrase.replace(",", " ").split())
        if not phrase:
            continue
        if looks_personal(phrase):
            log.warning("a keyword was dropped: it looked like a URL, e-mail, phone number or handle")
            dropped.append((phrase, PERSONAL))
        elif found := blocklist.find(phrase):
            log.warning("a keyword was dropped: blocked word %r", found[0].casefold())
            dropped.append((phrase, BLOCKED))
        elif phrase.casefold() in seen:
            dropped.append((phrase, DUPLICATE))
        elif len(kept) >= limit:
            dropped.append((phrase, OVER_LIMIT))
        else:
            seen.add(phrase.casefold())
            kept.append(phrase)
    return kept, dropped


def _safe_words(words: Iterable[str], blocklist: Blocklist) -> list[str]:
    kept = []
    for word in words:
        word = " ".join(word.replace(",", " ").split())
        if found := blocklist.find(word):
            log.warning("a mood or theme word was dropped: blocked word %r", found[0].casefold())
        elif word and not looks_personal(word):
            kept.append(word)
    return kept


def _fill(
    spec: StyleConfig, settings: ComposeConfig, keywords: Sequence[str], extras: dict[str, list[str]], mood: str
) -> str:
    slots = {
        "keywords": ", ".join(keywords),
        "themes": ", ".join(extras["themes"]),
        "subject": spec.subject if spec.subject is not None else settings.subject,
        "mood": mood,
        "palette": ", ".join(extras["palette"]),
        "lighting": ", ".join(extras["lighting"]),
    }
    slots["prompt"] = settings.prompt.format_map(slots)
    slots.update(
        technique=spec.technique, artist=spec.artist, period=spec.period, modifiers=", ".join(spec.modifiers)
    )
    return _tidy(spec.template.format_map(slots))


def _tidy(text: str) -> str:
    """One space between words, no empty or repeated comma-separated terms."""
    terms: dict[str, str] = {}
    for term in text.split(","):
        term = " ".join(term.split())
        if term:
            terms.setdefault(term.casefold(), term)
    return ", ".join(terms.values())


def _fit_terms(text: str, counter: TokenCounter, budget: int) -> str:
    """Whole comma-separated terms from the end dropped until ``text`` fits (for the negative prompt)."""
    terms = text.split(", ") if text else []
    while terms and counter.count(", ".join(terms)) > budget:
        terms.pop()
    return ", ".join(terms)
