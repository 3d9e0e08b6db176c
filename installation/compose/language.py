"""Prompts in the portrait's own language, for models that read it (Kandinsky reads Russian and German).

A style with ``prompt_language = "portrait"`` (or a two-letter code) asks for its prompt in the portrait's
main language. ``wording(spec, name, settings, portrait_language)`` says which language the prompt is
written in and with which words: the style's own (its ``[styles.NAME.language.CODE]`` table, the
curator's translation of its template) and the composer's (``data/lang_CODE.toml``: the subject, how the
motifs join it, mood, palette and lighting words, the lexicon's motifs and settings). A language without
either falls back to English, and the log says so. ``localize(...)`` then turns the scene's English words
into that language: what the lexicon paints for a symbol ("RSS" an orange beacon) takes its
translation; a concrete word (rated so by the norms, itself or as the English noun the lexicon's
translations give it) is painted as the person wrote it ("телескоп", "Sauerteig"); the composer's
English words with no translation are left out rather than mixed in.
"""

from __future__ import annotations

import functools
import logging
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from extractors.describe.portrait import Theme
from installation.compose.motifs import Lexicon
from installation.compose.scene import scene_text
from installation.config import ComposeConfig, Config, StyleConfig
from installation.config.compose import StyleLanguageConfig
from installation.errors import ConfigError

log = logging.getLogger(__name__)

DATA = Path(__file__).parent / "data"
ENGLISH = "en"


@dataclass(frozen=True)
class LanguageText:
    """The composer's own words in one language, keyed by the English they replace."""

    code: str
    name: str  # "Russian"
    subject: str  # "портрет одного человека"
    prompt: str  # what {prompt} stands for
    scene: str  # how the motifs join the subject: "{subject}, рядом: {motifs}"
    and_word: str  # between the last two motifs
    moods: Mapping[str, str] = field(compare=False)  # mood label -> word
    words: Mapping[str, str] = field(compare=False)  # palette, lighting and rhythm-theme words
    motifs: Mapping[str, str] = field(compare=False)  # the lexicon's motif text -> this language's
    settings: Mapping[str, str] = field(compare=False)  # the lexicon's setting -> this language's


@dataclass(frozen=True)
class Wording:
    """The words one prompt is written with: the style's and the composer's, all in one language."""

    code: str  # "en", "ru", ...
    template: str
    prompt: str  # what {prompt} stands for
    subject: str
    technique: str
    artist: str
    period: str
    modifiers: tuple[str, ...]
    negative: str  # the style's own, in this language
    text: LanguageText | None  # None for English

    def scene(self, subject: str, setting: str, motifs: Sequence[str], place: str) -> str:
        """The {scene} slot: ``subject`` in its ``setting`` with the ``motifs``, where the style puts it."""
        if self.text is None:
            return scene_text(subject, setting, motifs, place)
        listed = ""
        if motifs:
            listed = motifs[0] if len(motifs) == 1 else ", ".join(motifs[:-1]) + f" {self.text.and_word} {motifs[-1]}"
        placed = bool(setting) and place != "left out"
        head = f"{subject} {setting}" if placed and place == "after subject" else subject
        body = self.text.scene.format(subject=head, motifs=listed) if motifs else head
        return f"{body}, {setting}" if placed and place == "at the end" else body


def shipped_languages() -> tuple[str, ...]:
    """The codes with shipped text (``data/lang_CODE.toml``)."""
    return tuple(sorted(p.stem.removeprefix("lang_") for p in DATA.glob("lang_*.toml")))


def load_language(code: str) -> LanguageText | None:
    """The shipped text for ``code``, or None when there is none."""
    path = DATA / f"lang_{code}.toml"
    return _read(path) if path.is_file() else None


@functools.lru_cache(maxsize=16)
def _read(path: Path) -> LanguageText:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        prompt = data["prompt"]
        tables = {
            t: {str(k): str(v) for k, v in dict(data.get(t, {})).items()}
            for t in ("moods", "words", "motifs", "settings")
        }
        text = LanguageText(
            path.stem.removeprefix("lang_"),
            str(data["name"]),
            str(prompt["subject"]),
            str(prompt["prompt"]),
            str(prompt["scene"]),
            str(prompt["and"]),
            tables["moods"],
            tables["words"],
            tables["motifs"],
            tables["settings"],
        )
        text.scene.format(subject="", motifs="")
    except (
        OSError,
        UnicodeDecodeError,
        tomllib.TOMLDecodeError,
        KeyError,
        TypeError,
        ValueError,
        AttributeError,
        IndexError,
    ) as exc:
        raise ConfigError(f"{path}: not a language text for the composer ({type(exc).__name__}: {exc})") from exc
    return text


def check_languages(config: Config) -> None:
    """Every language a style names has shipped text, and that text reads (a ConfigError names the key)."""
    where = f"{config.source}: " if config.source else ""
    shipped = shipped_languages()
    for name, spec in config.styles.items():
        named = [(f"styles.{name}.language.{code}", code) for code in spec.language]
        if spec.prompt_language not in ("english", "portrait"):
            named.append((f"styles.{name}.prompt_language", spec.prompt_language))
        for key, code in named:
            if code not in shipped:
                raise ConfigError(
                    f"{where}{key}: no shipped language text for {code!r} (shipped: {', '.join(shipped)}); "
                    f"add installation/compose/data/lang_{code}.toml"
                )
            load_language(code)


def wording(spec: StyleConfig, name: str, settings: ComposeConfig, portrait_language: str) -> Wording:
    """The language style ``name`` writes its prompt in for a portrait in ``portrait_language``, and its words."""
    # 1. The language the style asks for
    asked = spec.prompt_language
    code = portrait_language if asked == "portrait" else ENGLISH if asked == "english" else asked
    english = Wording(
        ENGLISH,
        spec.template,
        settings.prompt,
        spec.subject if spec.subject is not None else settings.subject,
        spec.technique,
        spec.artist,
        spec.period,
        spec.modifiers,
        spec.negative,
        None,
    )
    if code == ENGLISH:
        return english

    # 2. Its words: the shipped text and the style's own table, else English with a log line
    text = load_language(code)
    own: StyleLanguageConfig | None = spec.language.get(code)
    if text is None or own is None:
        missing = "shipped language text" if text is None else f"[styles.{name}.language.{code}] table"
        log.info("style %s: no %s for %r: the prompt is in English", name, missing, code)
        return english
    return Wording(
        code,
        own.template,
        text.prompt,
        own.subject if own.subject is not None else text.subject,
        own.technique,
        own.artist,
        own.period,
        own.modifiers,
        own.negative,
        text,
    )


@dataclass(frozen=True)
class Localized:
    """The scene's words in the prompt's language, and the keywords that lost their motif there."""

    motifs: tuple[tuple[str, str], ...]  # (keyword, what is painted for it, in the language)
    setting: str
    mood: str
    palette: tuple[str, ...]
    lighting: tuple[str, ...]
    themes: tuple[str, ...]
    dropped: tuple[tuple[str, str], ...]  # (keyword, why)


def localize(
    text: LanguageText,
    lexicon: Lexicon,
    motifs: Sequence[tuple[str, str]],
    setting: str,
    mood: str,
    palette: Sequence[str],
    lighting: Sequence[str],
    themes: Sequence[Theme],
) -> Localized:
    """The English scene words (motifs as the lexicon paints them, the setting, mood words) in ``text``'s language."""
    # 1. Motifs: the norms' concrete words as the person wrote them, the lexicon's through the table
    painted: dict[str, str] = {}
    kept: list[tuple[str, str]] = []
    dropped: list[tuple[str, str]] = []
    concrete = _concrete_words(lexicon)
    for keyword, english in motifs:
        # A symbol without a translation: the person's own word still names what the lexicon paints.
        local = keyword if concrete(keyword, english) else text.motifs.get(english, keyword)
        if local.casefold() in painted:
            dropped.append((keyword, f"same motif as {painted[local.casefold()]!r}"))
            continue
        painted[local.casefold()] = keyword
        kept.append((keyword, local))

    # 2. The composer's own words through the table; English without one is left out, never mixed in
    def words(english: Sequence[str], table: Mapping[str, str], what: str) -> tuple[str, ...]:
        missing = [w for w in english if w not in table]
        if missing:
            log.info("no %s text for the %s %s: left out of the prompt", text.name, what, ", ".join(missing))
        return tuple(table[w] for w in english if w in table)

    # Hashtags and keyword clusters are the person's own words; posting rhythms are the describe stage's.
    own_themes = [t.name for t in themes if t.source != "rhythm"]
    rhythm = words([t.name for t in themes if t.source == "rhythm"], text.words, "theme")
    return Localized(
        motifs=tuple(kept),
        setting=next(iter(words([setting] if setting else [], text.settings, "setting")), ""),
        mood=next(iter(words([mood] if mood else [], text.moods, "mood")), ""),
        palette=words(palette, text.words, "palette words"),
        lighting=words(lighting, text.words, "lighting words"),
        themes=(*own_themes, *rhythm),
        dropped=tuple(dropped),
    )


def _concrete_words(lexicon: Lexicon) -> Callable[[str, str], bool]:
    """Whether a keyword names a thing (painted as written) rather than stands for a symbol (translated).

    The norms and the translations table say it for the word itself ("телескоп" as telescope); for a word
    only the lexicon knows ("Sauerteig"), its motif says it: a motif the lexicon also paints for a word the
    norms rate concrete ("sourdough") shows the thing itself, one painted only for abstract words ("love":
    a red locket) is a symbol.
    """
    # Without the lexicon's motifs a word is judged by the norms alone, as written or translated.
    plain = Lexicon({}, {}, lexicon.threshold, lexicon.translations)
    things: set[str] = set()
    for key, motif in lexicon.motifs.items():
        if motif and plain.motif(key.rstrip("*")).source.startswith("concreteness"):
            things.add(motif)

    def concrete(keyword: str, motif: str) -> bool:
        return motif in things or plain.motif(keyword).source.startswith("concreteness")

    return concrete
