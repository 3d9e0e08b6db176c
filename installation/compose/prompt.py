"""The Prompt: what the renderer needs, and nothing about the person."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


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
    counted_by: str = ""  # "CLIP tokenizer (<model>)" or "word estimate": which tokenizer counted
    token_budget: int = 0  # the window it was fitted to (the style's max_tokens, else compose.max_tokens)
    language: str = "en"  # the language the prompt is written in (a style may ask for the portrait's)
    withheld: int = 0  # portrait words the wall policy kept off the picture, the caption and the wall
    hold_reason: str | None = None  # set when policy words dominate the portrait: held for a curator
    motifs: tuple[tuple[str, str], ...] = ()  # (keyword, what is painted for it), in the prompt's order
    setting: str = ""  # where the scene is set ("" when no theme gave one)
    setting_from: str = ""  # the theme or keyword that set it ("astronomy": the night sky)
    town: str = ""  # the town keyword the setting names ("Leeds"), "" when none

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Prompt:
        return cls(
            **{
                **data,
                "keywords_used": tuple(data.get("keywords_used", ())),
                "keywords_dropped": tuple(tuple(x) for x in data.get("keywords_dropped", ())),
                "motifs": tuple(tuple(x) for x in data.get("motifs", ())),
            }
        )
