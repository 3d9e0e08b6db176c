"""Which reader understands an export, and the one path from export to Profile."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from extractors.errors import EmptyProfileError, ProfileParseError, UnknownFormatError
from extractors.intake.clean import clean_text, hashtags_of
from extractors.intake.lang import language_of
from extractors.intake.profile import Post, Profile
from extractors.intake.reader import RawPost, Reader
from extractors.intake.readers import ALL_READERS
from extractors.intake.source import ExportFiles, open_export
from extractors.settings import ReadLimits


def readers() -> Sequence[Reader]:
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
