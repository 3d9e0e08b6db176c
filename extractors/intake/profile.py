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

    def to_dict(self, *, complete: bool = False) -> dict[str, Any]:
        """The documented ``portrait extract --json`` form; ``complete`` adds what ``from_dict`` needs."""
        data: dict[str, Any] = {
            "text": self.text,
            "created_at": self.created_at.isoformat(),
            "lang": self.lang,
            "kind": self.kind,
        }
        if complete:
            data.update(platform=self.platform, hashtags=list(self.hashtags))
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Post:
        return cls(
            text=data["text"],
            created_at=datetime.fromisoformat(data["created_at"]),
            lang=data["lang"],
            kind=data["kind"],
            platform=data["platform"],
            hashtags=tuple(data["hashtags"]),
        )


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
    # Counted posts not listed, by reason: post_count - len(posts), explained.
    left_out: tuple[tuple[str, int], ...] = field(default=())

    @property
    def replies(self) -> int:
        return sum(1 for p in self.posts if p.kind == "reply")

    def to_dict(self, *, complete: bool = False) -> dict[str, Any]:
        """The documented ``portrait extract --json`` form; ``complete`` keeps everything, for ``from_dict``
        (the worker's profile file between extraction and description)."""
        data: dict[str, Any] = {
            "platform": self.platform,
            "post_count": self.post_count,
            "posts": [p.to_dict(complete=complete) for p in self.posts],
            # post_count and the listed posts differ only by these, each with its reason.
            "left_out": {"count": self.post_count - len(self.posts), "why": dict(self.left_out)},
        }
        if complete:
            data.update(display_name=self.display_name, notes=list(self.notes))
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Profile:
        return cls(
            platform=data["platform"],
            posts=tuple(Post.from_dict(p) for p in data["posts"]),
            post_count=int(data["post_count"]),
            display_name=data["display_name"],
            notes=tuple(data["notes"]),
            left_out=tuple((str(k), int(v)) for k, v in data.get("left_out", {}).get("why", {}).items()),
        )
