"""Which reader understands an export, and the one path from export to Profile."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Protocol

from extractors.clean import clean_text, hashtags_of
from extractors.lang import language_of
from extractors.models import Post, PostKind, Profile
from extractors.source import ExportFiles, ReadLimits, open_export
from installation.errors import EmptyProfileError, ProfileParseError, UnknownFormatError


@dataclass(frozen=True, slots=True)
class RawPost:
    """A reader's view of one post before the shared cleaning.

    ``stored`` is the text as the platform stores it (HTML, entities, mojibake and all): it decides
    whether the post counts. ``text`` is the reader's plain-text decoding of it.
    """

    stored: str
    text: str
    created_at: datetime
    lang: str | None
    kind: PostKind


class Reader(Protocol):
    """One platform's export format."""

    name: str  # "twitter", "mastodon", ...
    description: str  # what a visitor would call it, for the "formats understood" message

    def detect(self, files: ExportFiles) -> int:
        """0 if this is not the format; higher numbers for surer matches (a named data file: 100)."""
        ...

    def read(self, files: ExportFiles) -> Iterable[RawPost]:
        """The person's own posts and replies; reposts, likes and deleted posts never appear."""
        ...


def readers() -> Sequence[Reader]:
    from extractors.readers import ALL_READERS

    return ALL_READERS


def detect_reader(files: ExportFiles) -> Reader:
    scored = [(r.detect(files), i, r) for i, r in enumerate(readers())]
    best = max(scored, key=lambda t: (t[0], -t[1]))
    if best[0] <= 0:
        understood = "; ".join(r.description for r in readers())
        raise UnknownFormatError(f"{files.name}: not an export this installation understands. Understood: {understood}")
    return best[2]


def build_profile(platform: str, raw_posts: Iterable[RawPost], display_name: str | None = None) -> Profile:
    """Count, clean and tag: the shared end of every reader."""
    posts: list[Post] = []
    counted = 0
    for raw in raw_posts:
        if not raw.stored.strip():
            continue
        counted += 1
        if raw.created_at.tzinfo is None:
            raise ProfileParseError(f"{platform}: a post time without a time zone reached the profile")
        text = clean_text(raw.text)
        if not text:
            continue
        posts.append(
            Post(
                text=text,
                created_at=raw.created_at,
                lang=language_of(raw.lang, text),
                kind=raw.kind,
                platform=platform,
                hashtags=hashtags_of(raw.text),
            )
        )
    posts.sort(key=lambda p: p.created_at)
    return Profile(platform=platform, posts=tuple(posts), post_count=counted, display_name=display_name)


def read_export(path: Path, limits: ReadLimits | None = None, display_name: str | None = None) -> Profile:
    """Read an export (archive, folder or data file) into a Profile."""
    with open_export(path, limits) as files:
        if not files.files:
            raise UnknownFormatError(
                f"{files.name}: holds no data files. Understood: "
                + "; ".join(r.description for r in readers())
            )
        reader = detect_reader(files)
        profile = build_profile(reader.name, reader.read(files), display_name)
    if profile.post_count == 0:
        raise EmptyProfileError(f"{path.name}: a {reader.description} with no posts of the person's own")
    return profile
