"""What a party is made of: a session with a theme, its steps (each a prompt and its render), the
suggestions from the room's phones, and their votes. Frozen records, read from the party store."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal, get_args

StepKind = Literal["prompt", "variation", "img2img"]
STEP_KINDS: tuple[str, ...] = get_args(StepKind)
StepState = Literal["queued", "rendering", "done", "failed"]
SuggestionKind = Literal["word", "association", "style", "artist"]
SUGGESTION_KINDS: tuple[str, ...] = get_args(SuggestionKind)
SuggestionState = Literal["queued", "taken", "dropped"]


@dataclass(frozen=True)
class Session:
    """One party: a theme the room works on together."""

    id: str
    theme: str
    created_at: float


@dataclass(frozen=True)
class StepSettings:
    """Everything the prompt master set for one step; the prompt is composed from it."""

    text: str  # the prompt master's own words ("two old people looking at each other")
    style: str | None = None  # a curator style ([styles.NAME]) the technique/artist/period/modifiers came from
    technique: str = ""
    artist: str = ""
    period: str = ""
    modifiers: tuple[str, ...] = ()
    negative: str | None = None  # None: compose.negative and the style's negative
    seed: int = 0
    steps: int | None = None  # None: the style's, else [render]
    guidance: float | None = None
    width: int | None = None
    height: int | None = None
    kind: StepKind = "prompt"  # "variation" and "img2img" repaint the image of ``source_step``
    source_step: int | None = None  # the step id whose image is repainted
    strength: float = 0.5  # how much of the source image is repainted (image-to-image)
    suggestions: tuple[int, ...] = ()  # ids of the room's suggestions taken into this step

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> StepSettings:
        known = {name: data[name] for name in cls.__dataclass_fields__ if name in data}
        known["modifiers"] = tuple(str(m) for m in known.get("modifiers", ()))
        known["suggestions"] = tuple(int(s) for s in known.get("suggestions", ()))
        return cls(**known)


@dataclass(frozen=True)
class Credit:
    """Who suggested what went into a step: a phone's random name, never a person."""

    name: str
    kind: str
    text: str


@dataclass(frozen=True)
class Step:
    """One generation of the party, as recorded."""

    id: int
    session_id: str
    number: int  # 1, 2, ... within the session
    parent_id: int | None  # the step this one refines; a branch is a second child of one parent
    settings: StepSettings
    positive: str  # the prompt as painted
    negative: str
    width: int
    height: int
    steps: int
    guidance: float
    scheduler: str | None
    state: StepState
    attempts: int
    model: str | None
    backend: str | None
    image_path: Path | None
    metadata: dict[str, Any] | None  # the artwork's sidecar, as written next to the image
    error: str | None
    best: bool
    votes: int
    created_at: float
    finished_at: float | None
    credits: tuple[Credit, ...] = field(default=())

    @property
    def seed(self) -> int:
        return self.settings.seed

    def to_dict(self) -> dict[str, Any]:
        """The step as the lineage JSON and the host screen show it."""
        return {
            "id": self.id,
            "number": self.number,
            "parent": self.parent_id,
            "kind": self.settings.kind,
            "source_step": self.settings.source_step,
            "text": self.settings.text,
            "prompt": self.positive,
            "negative_prompt": self.negative,
            "style": self.settings.style,
            "technique": self.settings.technique,
            "artist": self.settings.artist,
            "period": self.settings.period,
            "modifiers": list(self.settings.modifiers),
            "seed": self.seed,
            "steps": self.steps,
            "guidance": self.guidance,
            "scheduler": self.scheduler,
            "width": self.width,
            "height": self.height,
            "strength": self.settings.strength if self.settings.kind != "prompt" else None,
            "state": self.state,
            "model": self.model,
            "backend": self.backend,
            "error": self.error,
            "best": self.best,
            "votes": self.votes,
            "suggested_by": [asdict(c) for c in self.credits],
            "created_at": self.created_at,
            "finished_at": self.finished_at,
        }


@dataclass(frozen=True)
class Suggestion:
    """A word, association, style or artist a phone offered; the prompt master takes or drops it."""

    id: int
    session_id: str
    name: str  # the phone's random name
    kind: SuggestionKind
    text: str
    state: SuggestionState
    step_id: int | None  # the step it went into, once taken and used
    created_at: float

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
