"""Mastodon: the account archive (``archive-YYYYmmddHHMMSS-<hex>.tar.gz``), its ``outbox.json``, or the
JSON of the public statuses API (one page, or a folder of pages).

The outbox is an ActivityStreams ``OrderedCollection``: ``Create`` items carry the post as a Note
(``content`` HTML, ``contentMap`` {lang: html}, ``inReplyTo``, ``summary`` = the content warning);
``Announce`` items are boosts of someone else's post. An API status has ``content``, ``created_at``,
``language``, ``in_reply_to_id`` and ``reblog`` (non-null for a boost).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime
from pathlib import PurePosixPath
from typing import Any

from extractors.errors import ProfileParseError
from extractors.intake.jsonio import iter_json_items
from extractors.intake.reader import RawPost
from extractors.intake.sniff import Signature
from extractors.intake.source import ExportFiles
from extractors.intake.text import html_to_text

_HEAD_BYTES = 64 << 10  # the outbox's @context comes before orderedItems; it is a few kilobytes at most
_STATUS_KEYS = frozenset({"content", "created_at", "account", "reblog"})
PIXELFED_KEYS = frozenset({"pf_type", "content_text"})
# Polls (Question) are the person's own words too; other object types carry no post text.
_POST_TYPES = ("Note", "Question")


class MastodonReader:
    name = "mastodon"
    description = "Mastodon archive (archive-*.tar.gz or its outbox.json) or statuses API JSON"
    signatures: tuple[Signature, ...] = (
        Signature("outbox.json", "json", markers=(b'"orderedItems"', b'"OrderedCollection"')),
        Signature("statuses.json", "json", prefix=b"[", keys=frozenset({"content", "created_at", "account"}),
                  forbid_keys=PIXELFED_KEYS),
    )

    def detect(self, files: ExportFiles) -> int:
        outbox = _outbox(files)
        if outbox is not None:
            return 100 if PurePosixPath(outbox).name == "outbox.json" else 60
        return 90 if _status_pages(files) else 0

    def read(self, files: ExportFiles) -> Iterator[RawPost]:
        outbox = _outbox(files)
        if outbox is not None:
            yield from _read_outbox(files, outbox)
            return
        seen: set[str] = set()
        owner: str | None = None
        for rel in _status_pages(files):
            label = files.label(rel)
            for n, status in enumerate(iter_json_items(files, rel, "item"), start=1):
                if not isinstance(status, dict):
                    raise ProfileParseError(f"{label}: entry {n} is not a status object")
                account = status.get("account")
                account_id = str(account.get("id")) if isinstance(account, dict) else None
                owner = owner or account_id
                # Pages may overlap; a status by another account means a timeline, not one person's page.
                status_id = str(status.get("id") or f"{rel}#{n}")
                if status_id in seen or account_id != owner or status.get("reblog") is not None:
                    continue
                seen.add(status_id)
                yield _raw_post(
                    status.get("content"), status.get("created_at"), status.get("language"),
                    status.get("in_reply_to_id"), label, n,
                )


def _read_outbox(files: ExportFiles, rel: str) -> Iterator[RawPost]:
    label = files.label(rel)
    for n, item in enumerate(iter_json_items(files, rel, "orderedItems.item"), start=1):
        if not isinstance(item, dict):
            raise ProfileParseError(f"{label}: item {n} is not an activity object")
        if item.get("type") != "Create":
            continue  # Announce: a boost, someone else's post
        note = item.get("object")
        if not isinstance(note, dict) or note.get("type") not in _POST_TYPES:
            continue
        content_map = note.get("contentMap")
        lang = next(iter(content_map), None) if isinstance(content_map, dict) else None
        yield _raw_post(
            note.get("content"), note.get("published") or item.get("published"), lang,
            note.get("inReplyTo"), label, n,
        )


def _raw_post(content: Any, published: Any, lang: Any, in_reply_to: Any, label: str, n: int) -> RawPost:
    if content is None:
        content = ""
    if not isinstance(content, str):
        raise ProfileParseError(f"{label}: item {n} has content of type {type(content).__name__}, not text")
    return RawPost(
        stored=content,
        text=html_to_text(content),  # the content warning (summary / spoiler_text) is not post text
        created_at=_iso_time(published, label, n),
        lang=lang if isinstance(lang, str) else None,
        kind="reply" if in_reply_to else "post",
    )


def _iso_time(value: Any, label: str, n: int) -> datetime:
    try:
        when = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError as exc:
        raise ProfileParseError(f"{label}: item {n} has time {value!r}, not an ISO 8601 time") from exc
    if when.tzinfo is None:
        raise ProfileParseError(f"{label}: item {n} has time {value!r} without a time zone")
    return when


def _head(files: ExportFiles, rel: str, size: int) -> bytes:
    with files.path(rel).open("rb") as fh:
        return fh.read(size).lstrip(b"\xef\xbb\xbf \t\r\n")


def _outbox(files: ExportFiles) -> str | None:
    """outbox.json, or a lone JSON file that is plainly a renamed one."""
    for rel in files.find("outbox.json"):
        if b'"orderedItems"' in _head(files, rel, _HEAD_BYTES):
            return rel
    if len(files.files) == 1 and files.files[0].lower().endswith(".json"):
        head = _head(files, files.files[0], _HEAD_BYTES)
        if b'"OrderedCollection"' in head and b'"orderedItems"' in head:
            return files.files[0]
    return None


def _status_pages(files: ExportFiles) -> list[str]:
    """JSON files holding an array of statuses, recognised by the keys of their first entry."""
    pages = []
    for rel in files.files:
        if not rel.lower().endswith(".json") or not _head(files, rel, 16).startswith(b"["):
            continue
        if _looks_like_status(_first_item(files, rel)):
            pages.append(rel)
    return pages


def _first_item(files: ExportFiles, rel: str) -> Any:
    # Only the first entry is parsed; the generator, and with it the file, closes when dropped here.
    try:
        return next(iter_json_items(files, rel, "item"), None)
    except ProfileParseError:
        return None  # not ours to judge: another reader may claim the file, or none will and say so


def _looks_like_status(item: Any) -> bool:
    # Pixelfed's statuses have the same keys and more: those are the Pixelfed reader's.
    return isinstance(item, Mapping) and item.keys() >= _STATUS_KEYS and not item.keys() & PIXELFED_KEYS
