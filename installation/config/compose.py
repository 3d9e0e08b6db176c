"""The compose stage's sections of config.toml: [compose] (with its policy and scene tables) and [styles.*].

Kept apart from the rest of the schema (``installation.config``) so that each file stays small; every name
here is re-exported there.
"""

from __future__ import annotations

import re
import string
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator, model_validator

from extractors.settings import Section

# The slots a template may name. Portrait slots are filled from the verbal portrait; style slots from
# the style's own keys; {prompt} (as in A1111 styles) stands for compose.prompt filled in.
PORTRAIT_SLOTS = ("scene", "motifs", "setting", "keywords", "themes", "subject", "mood", "palette", "lighting")
# {scene} is the subject in its setting with the motifs; {keywords} (older templates) stands for {motifs}.
WORD_SLOTS = {"scene", "motifs", "keywords"}
STYLE_SLOTS = ("technique", "artist", "period", "modifiers")
TEMPLATE_SLOTS = (*PORTRAIT_SLOTS, *STYLE_SLOTS, "prompt")


def template_slots(template: str, allowed: tuple[str, ...]) -> set[str]:
    """The slot names a template uses; a malformed or unknown slot is a ValueError naming it."""
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError as exc:
        raise ValueError(f"malformed template ({exc}); write a literal brace as {{{{ or }}}}") from exc
    used: set[str] = set()
    for _, name, spec, conversion in parsed:
        if name is None:
            continue
        if name not in allowed or spec or conversion:
            shown = "{" + name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
            raise ValueError(f"unknown slot {shown}; slots: " + ", ".join("{" + s + "}" for s in allowed))
        used.add(name)
    return used


_CODE = re.compile(r"[a-z]{2}")


def _check_word_slots(template: str) -> str:
    """A template must show the portrait: a slot of its words, or {prompt}."""
    if not template_slots(template, TEMPLATE_SLOTS) & {*WORD_SLOTS, "prompt"}:
        raise ValueError(
            "the template names neither {scene}, {motifs}, {keywords} nor {prompt}: the portrait would not show"
        )
    return template


def _check_style_slots(template: str, words: object) -> None:
    """A template's style slots ({technique} ...) need the style (or its language table) to set them."""
    used = template_slots(template, TEMPLATE_SLOTS)
    for slot in STYLE_SLOTS:
        if slot in used and not getattr(words, slot):
            raise ValueError(f"the template names {{{slot}}} but the style sets no {slot}")


class StyleLanguageConfig(Section):
    """A style's own words in one language (``[styles.NAME.language.ru]``), for prompts in that language.

    (Owned by the compose stage.) The template is the style's, translated by the curator; its style slots
    take the words set here, never the English ones, so that the prompt stays in one language.
    """

    template: str
    subject: str | None = None  # default: the shipped language text's subject
    technique: str = ""
    artist: str = ""
    period: str = ""
    modifiers: tuple[str, ...] = ()
    negative: str = ""  # added to compose.negative and the style's own negative

    @field_validator("template")
    @classmethod
    def _known_slots(cls, template: str) -> str:
        return _check_word_slots(template)

    @model_validator(mode="after")
    def _slots(self) -> StyleLanguageConfig:
        _check_style_slots(self.template, self)
        return self


class StyleConfig(Section):
    """One curator style: a template with named slots, a negative prompt and render overrides.

    (Owned by the compose stage.) Unset render keys fall back to [render].
    """

    template: str = "{prompt}"
    label: str = ""  # the name shown on contact sheets and captions; default: the table name
    negative: str = ""  # added to compose.negative
    subject: str | None = None  # default: compose.subject
    technique: str = ""
    artist: str = ""
    period: str = ""
    modifiers: tuple[str, ...] = ()
    moods: tuple[str, ...] = ()  # mood labels this style suits, for selection = "mood"
    motifs: int = Field(4, ge=1, le=6)  # how many motifs of the portrait the scene shows at most
    setting: Literal["after subject", "at the end", "left out"] = "after subject"  # where {scene} sets it
    width: int | None = Field(None, ge=64, le=2048, multiple_of=8)
    height: int | None = Field(None, ge=64, le=2048, multiple_of=8)
    steps: int | None = Field(None, ge=1, le=200)
    guidance: float | None = Field(None, ge=0, le=30)
    scheduler: str | None = None
    # "english", "portrait" (the portrait's main language, for models that read it, such as Kandinsky)
    # or an ISO 639-1 code; a language without shipped text or a table below falls back to English.
    prompt_language: str = "english"
    language: dict[str, StyleLanguageConfig] = Field(default_factory=dict)  # code -> the style's own words
    models: tuple[str, ...] = ()  # render models it is written for (part of the id); empty: any model
    max_tokens: int | None = Field(None, ge=8)  # the model's own window; default: compose.max_tokens

    @field_validator("template")
    @classmethod
    def _known_slots(cls, template: str) -> str:
        return _check_word_slots(template)

    @model_validator(mode="after")
    def _style_slots_filled(self) -> StyleConfig:
        _check_style_slots(self.template, self)
        return self

    @field_validator("prompt_language")
    @classmethod
    def _known_language(cls, value: str) -> str:
        value = value.strip().casefold()
        if value in ("english", "portrait") or _CODE.fullmatch(value):
            return "english" if value == "en" else value
        raise ValueError(f'prompt_language is {value!r}: write "english", "portrait" or a two-letter code')

    @field_validator("language")
    @classmethod
    def _language_codes(cls, tables: dict[str, StyleLanguageConfig]) -> dict[str, StyleLanguageConfig]:
        for code in tables:
            if not _CODE.fullmatch(code):
                raise ValueError(f"language table {code!r}: name it by a two-letter code, such as ru or de")
        return tables


class PolicyCategoryConfig(Section):
    """A curator's own wall-policy category. (Owned by the compose stage.)"""

    label: str = ""  # plain words for the curator page; default: the table name
    terms: tuple[str, ...] = Field(min_length=1)  # as in policy.toml: `word*` prefix, `*word` suffix


class PolicyConfig(Section):
    """What may be shown on the public wall. (Owned by the compose stage.)"""

    file: Path | None = None  # a policy file of your own; default: the shipped data/policy.toml
    include: tuple[str, ...] = ()  # categories that are off by default to switch on: "health", "religion"
    exclude: tuple[str, ...] = ()  # categories to switch off
    add: dict[str, tuple[str, ...]] = Field(default_factory=dict)  # category -> more terms
    categories: dict[str, PolicyCategoryConfig] = Field(default_factory=dict)  # whole new categories
    hold_share: float = Field(0.4, gt=0, le=1)  # this share of policy words among its words holds a portrait


class SceneConfig(Section):
    """Words to a scene: the motif lexicon and the norms for words it does not know. (Compose stage.)"""

    lexicon: Path | None = None  # a motif file of your own; default: the shipped data/motifs.toml
    motifs: dict[str, str] = Field(default_factory=dict)  # word or `prefix*` -> what is painted ("" leaves it out)
    settings: dict[str, str] = Field(default_factory=dict)  # theme word or `prefix*` -> where the scene is set
    concreteness: float = Field(4.0, ge=1, le=5)  # Brysbaert rating (1-5) from which an unknown word is painted
    # A town the posts name sets the scene there when at least this many people live in it (0: never);
    # GeoNames knows towns from 15,000: a smaller one on a public wall could point at one person.
    town_population: int = Field(100_000, ge=0)


class ComposeConfig(Section):
    """Turning a portrait into a prompt. (Owned by the compose stage.)"""

    selection: Literal["fixed", "rotation", "random", "mood"] = "mood"
    default_style: str = "oil-portrait"  # the fixed style, and the fallback when no style suits a mood
    pool: tuple[str, ...] = ()  # styles rotation/random/mood choose from; empty: every style
    prompt: str = "{scene}, {mood} mood, {palette}, {lighting}"  # what {prompt} stands for
    subject: str = "a portrait of a single person"
    negative: str = "text, watermark, signature, logo, blurry, deformed, disfigured, extra limbs"
    blocklist: Path | None = None  # a file of blocked words; default: the shipped data/blocklist.txt
    blocked_words: tuple[str, ...] = ()  # more blocked words, in addition to the file
    max_keywords: int = Field(15, ge=1)
    max_tokens: int = Field(77, ge=8)  # CLIP reads 77 tokens, start and end included
    tokenizer: str | None = None  # model id or folder whose CLIP tokenizer counts; default: render.model
    policy: PolicyConfig = PolicyConfig()
    scene: SceneConfig = SceneConfig()

    @field_validator("prompt")
    @classmethod
    def _portrait_slots(cls, prompt: str) -> str:
        used = template_slots(prompt, PORTRAIT_SLOTS)
        if not used & WORD_SLOTS:
            raise ValueError("compose.prompt must name {scene}, {motifs} or {keywords}")
        return prompt
