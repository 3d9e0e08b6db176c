"""Instagram posts and Threads, from Meta's "Download your information" (JSON).

Posts: ``posts_1.json``, ``posts_2.json`` ... in ``content/`` (older), ``your_instagram_activity/content/``
or ``your_instagram_activity/media/`` (newer). A single-photo post keeps its caption in
``media[0].title`` and its time in ``media[0].creation_timestamp``; a carousel has a top-level ``title``
and ``creation_timestamp`` and empty per-item titles.

Threads: ``threads_and_replies.json`` (in ``your_instagram_activity/threads/`` or a Threads export's
``threads/``), ``{"text_post_app_text_posts": [{"media": [{"title", "creation_timestamp",
"text_app_post": {"is_reply"}}]}]}``; a thread with several pictures has the carousel shape.

An Instagram export holds the person's Threads too, and both are their own words: the Instagram reader
reads both. The Threads reader takes an export (or file) that has Threads and no Instagram posts.
Comments on other people's posts and reels (``comments/post_comments_N.json``, a list of
``{string_map_data: {Comment, Media Owner, Time}}``, and ``reels_comments.json`` under
``comments_reels_comments``) are the person's words too and are read as replies; whose post it was
(``Media Owner``) is never read. Reels, stories, archived and recently deleted posts are not read;
Threads posts keep "threads" as their platform. Text is repaired from
Meta's mojibake, then NFC.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import replace
from pathlib import PurePosixPath
from typing import Any

from extractors.errors import ProfileParseError
from extractors.intake.profile import PostKind
from extractors.intake.reader import RawPost
from extractors.intake.readers.facebook import iter_records, unix_time
from extractors.intake.sniff import Signature
from extractors.intake.source import ExportFiles
from extractors.intake.text import repair_mojibake

_POSTS_FILE = re.compile(r"^posts_(\d+)\.json$")
_POSTS_FOLDERS = ("content", "media")
_THREADS_FILE = "threads_and_replies.json"
_COMMENTS_FILE = re.compile(r"^(?:post_comments_(\d+)|reels_comments)\.json$")


class InstagramReader:
    name = "instagram"
    description = "Instagram 'Download your information' (JSON: posts_1.json, with Threads)"
    signatures: tuple[Signature, ...] = (
        Signature("posts_1.json", "json", prefix=b"[", keys=frozenset({"media"}),
                  forbid_keys=frozenset({"timestamp", "data", "string_map_data"})),
        # Comments on other people's posts and reels: the person's words, the post's owner is not read.
        Signature("post_comments_1.json", "json", prefix=b"[", markers=(b'"Media Owner"',),
                  keys=frozenset({"string_map_data"})),
        Signature("reels_comments.json", "json", keys=frozenset({"comments_reels_comments"})),
    )

    def detect(self, files: ExportFiles) -> int:
        return 100 if _posts_files(files) or _comments_files(files) else 0

    def read(self, files: ExportFiles) -> Iterator[RawPost]:
        for rel in _posts_files(files):
            for n, entry in enumerate(iter_records(files, rel), start=1):
                yield from _media_post(entry, "post", files.label(rel), n)
        for rel in _comments_files(files):
            for n, entry in enumerate(iter_records(files, rel), start=1):
                yield from _comment(entry, files.label(rel), n)
        yield from ThreadsReader().read(files)


class ThreadsReader:
    name = "threads"
    description = "Threads (JSON: threads_and_replies.json)"
    signatures: tuple[Signature, ...] = (Signature(_THREADS_FILE, "json", markers=(b'"text_post_app_text_posts"',)),)

    def detect(self, files: ExportFiles) -> int:
        # Below Instagram: an Instagram export that holds Threads is read as Instagram, Threads included.
        return 90 if files.find(_THREADS_FILE) else 0

    def read(self, files: ExportFiles) -> Iterator[RawPost]:
        for rel in files.find(_THREADS_FILE):
            for n, entry in enumerate(iter_records(files, rel), start=1):
                kind: PostKind = "reply" if _is_reply(entry) else "post"
                for post in _media_post(entry, kind, files.label(rel), n):
                    yield replace(post, platform="threads")  # inside an Instagram export, still Threads


def _posts_files(files: ExportFiles) -> list[str]:
    hits: list[tuple[int, str]] = []
    for rel in files.files:
        path = PurePosixPath(rel)
        m = _POSTS_FILE.match(path.name)
        # A posts_1.json handed over by itself, or its folder alone, has no parent folder to check.
        if m and (path.parent.name in _POSTS_FOLDERS or "/" not in rel):
            hits.append((int(m.group(1)), rel))
    return [rel for _, rel in sorted(hits)]


def _comments_files(files: ExportFiles) -> list[str]:
    hits = [(m, rel) for rel in files.files if (m := _COMMENTS_FILE.match(PurePosixPath(rel).name))]
    return [rel for m, rel in sorted(hits, key=lambda h: (int(h[0].group(1) or 0), h[1]))]


def _comment(entry: Mapping[str, Any], label: str, n: int) -> Iterator[RawPost]:
    """One comment: ``string_map_data.Comment.value`` at ``Time.timestamp``; some entries have none."""
    data = entry.get("string_map_data")
    if not isinstance(data, dict):
        raise ProfileParseError(f"{label}: entry {n} has no string_map_data object")
    comment, time = data.get("Comment"), data.get("Time")
    stored = comment.get("value") if isinstance(comment, dict) else None
    if not isinstance(stored, str) or not stored.strip():
        return
    yield RawPost(stored=stored, text=repair_mojibake(stored), lang=None, kind="reply",
                  created_at=unix_time(time.get("timestamp") if isinstance(time, dict) else None, label, n))


def _media_post(entry: Mapping[str, Any], kind: PostKind, label: str, n: int) -> Iterator[RawPost]:
    """One post of either shape: the carousel's top-level fields win over the first item's."""
    media = entry.get("media") or []
    if not isinstance(media, list):
        raise ProfileParseError(f"{label}: entry {n} has 'media' that is not a list")
    first: Mapping[str, Any] = media[0] if media and isinstance(media[0], dict) else {}
    stored = entry.get("title") or first.get("title") or ""
    if not isinstance(stored, str):
        raise ProfileParseError(f"{label}: entry {n} has a title that is not text")
    if not stored.strip():
        return  # a picture without a caption
    yield RawPost(
        stored=stored,
        text=repair_mojibake(stored),
        created_at=unix_time(entry.get("creation_timestamp") or first.get("creation_timestamp"), label, n),
        lang=None,
        kind=kind,
    )


def _is_reply(entry: Mapping[str, Any]) -> bool:
    items = [entry, *(m for m in entry.get("media") or [] if isinstance(m, dict))]
    for item in items:
        post = item.get("text_app_post")
        if isinstance(post, dict) and post.get("is_reply") is True:
            return True
    return False
