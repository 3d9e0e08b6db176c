"""The verbal portrait: the words the installation paints from. Made by ``extractors.describe.portray``.

It carries no personal identifiers: keywords, mood and themes are drawn from cleaned posts, and the
evidence snippets are cleaned text kept only so the kiosk can show a visitor *why*.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class Keyword:
    phrase: str
    score: float
    post_indices: tuple[int, ...]  # indices into the Profile's posts that the phrase came from
    evidence: tuple[str, ...] = ()  # short cleaned snippets of those posts, for the explainable card


@dataclass(frozen=True)
class Emotion:
    name: str  # "joy", "sadness", ...
    weight: float  # share among detected emotions, 0..1


@dataclass(frozen=True)
class Mood:
    valence: float  # -1 (negative) .. 1 (positive)
    arousal: float  # -1 (calm) .. 1 (excited)
    emotions: tuple[Emotion, ...]
    label: str  # "wistful", "exuberant", "restless", ...
    palette: tuple[str, ...]  # colour words for the composer
    lighting: tuple[str, ...]  # lighting words for the composer


@dataclass(frozen=True)
class Theme:
    name: str
    weight: float
    source: str  # "hashtags", "keywords" or "rhythm"


@dataclass(frozen=True)
class LanguageInfo:
    main: str  # ISO 639-1, or "und"
    share: float  # share of posts in the main language
    analyser: str  # how the words were read, e.g. "simplemma+stopwords: de 55%, en 45%"
    note: str | None = None  # e.g. "30,000 of 120,000 posts read, spread over the whole time span"


@dataclass(frozen=True)
class PortraitStats:
    posts_used: int
    first_post: datetime | None
    last_post: datetime | None
    posts_total: int | None = None  # posts in the profile, when a huge one was sampled (None: all were read)


@dataclass(frozen=True)
class VerbalPortrait:
    platform: str
    keywords: tuple[Keyword, ...]
    mood: Mood
    themes: tuple[Theme, ...]
    language: LanguageInfo
    stats: PortraitStats

    def to_dict(self, *, evidence: bool = True) -> dict[str, Any]:
        data = asdict(self)
        for key in ("first_post", "last_post"):
            value = data["stats"][key]
            data["stats"][key] = value.isoformat() if value else None
        if not evidence:
            for kw in data["keywords"]:
                kw["evidence"] = []
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> VerbalPortrait:
        stats = data["stats"]
        mood = data["mood"]
        return cls(
            platform=data["platform"],
            keywords=tuple(
                Keyword(k["phrase"], float(k["score"]), tuple(k["post_indices"]), tuple(k.get("evidence", ())))
                for k in data["keywords"]
            ),
            mood=Mood(
                valence=float(mood["valence"]),
                arousal=float(mood["arousal"]),
                emotions=tuple(Emotion(e["name"], float(e["weight"])) for e in mood["emotions"]),
                label=mood["label"],
                palette=tuple(mood["palette"]),
                lighting=tuple(mood["lighting"]),
            ),
            themes=tuple(Theme(t["name"], float(t["weight"]), t["source"]) for t in data["themes"]),
            language=LanguageInfo(**data["language"]),
            stats=PortraitStats(
                posts_used=int(stats["posts_used"]),
                first_post=datetime.fromisoformat(stats["first_post"]) if stats["first_post"] else None,
                last_post=datetime.fromisoformat(stats["last_post"]) if stats["last_post"] else None,
                posts_total=int(stats["posts_total"]) if stats.get("posts_total") is not None else None,
            ),
        )
