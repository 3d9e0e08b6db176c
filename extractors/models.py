"""The Profile: what every export reader produces, whatever the platform."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

PostKind = Literal["post", "reply"]


@dataclass(frozen=True, slots=True)
class Post:
    """One post or reply of the person's own, with cleaned text."""

    text: str
    created_at: datetime  # always timezone-aware
    lang: str | None  # ISO 639-1 where known ("en", "de"); None when neither tagged nor detectable
    kind: PostKind
    platform: str
    hashtags: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "created_at": self.created_at.isoformat(),
            "lang": self.lang,
            "kind": self.kind,
        }


@dataclass(frozen=True)
class Profile:
    """Everything the later stages may know of a person: their own posts, nothing else.

    ``post_count`` counts own posts and replies whose text, as the platform stores it, is not empty;
    ``posts`` holds those of them whose text is still non-empty after cleaning (a post that was only a
    link has nothing left to read).
    """

    platform: str
    posts: tuple[Post, ...]
    post_count: int
    display_name: str | None = None  # only ever typed by the visitor, never read from the export
    notes: tuple[str, ...] = field(default=())  # what the reader skipped and why, for the technician

    @property
    def replies(self) -> int:
        return sum(1 for p in self.posts if p.kind == "reply")

    def to_json(self) -> dict[str, Any]:
        return {
            "platform": self.platform,
            "post_count": self.post_count,
            "posts": [p.to_json() for p in self.posts],
        }
