"""Pixelfed: the account's statuses, ``pixelfed-statuses.json`` (since 2025) or ``outbox.json``.

A JSON array of Mastodon-style statuses with Pixelfed's own fields: the text as plain text in
``content_text`` (``content`` holds it as HTML), ``pf_type`` (``photo``, ``photo:album``, ``share``,
...), ``reblog`` (set for a share of someone else's post), ``visibility`` (``direct`` marks a direct
message: never read), ``in_reply_to_id``, ``created_at``, ``language``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any

from extractors.errors import ProfileParseError
from extractors.intake.jsonio import iter_json_items
from extractors.intake.reader import RawPost, files_like
from extractors.intake.readers.mastodon import PIXELFED_KEYS
from extractors.intake.sniff import Signature
from extractors.intake.source import ExportFiles
from extractors.intake.text import html_to_text


class PixelfedReader:
    name = "pixelfed"
    description = "Pixelfed statuses (pixelfed-statuses.json or outbox.json)"
    signatures: tuple[Signature, ...] = (
        Signature("pixelfed-statuses.json", "json", prefix=b"[", keys=frozenset({"created_at"}),
                  any_keys=PIXELFED_KEYS),
    )

    def detect(self, files: ExportFiles) -> int:
        return 100 if files_like(files, self.signatures, ".json") else 0

    def read(self, files: ExportFiles) -> Iterator[RawPost]:
        seen: set[str] = set()
        for rel in files_like(files, self.signatures, ".json"):
            label = files.label(rel)
            for n, status in enumerate(iter_json_items(files, rel, "item"), start=1):
                if not isinstance(status, Mapping):
                    raise ProfileParseError(f"{label}: entry {n} is not a status object")
                key = str(status.get("id") or f"{rel}#{n}")
                if key in seen or not _own(status):
                    continue
                seen.add(key)
                yield _post(status, label, n)


def _own(status: Mapping[str, Any]) -> bool:
    """The person's own public words: not a share of someone else's post, not a direct message."""
    return status.get("reblog") is None and status.get("pf_type") != "share" and status.get("visibility") != "direct"


def _post(status: Mapping[str, Any], label: str, n: int) -> RawPost:
    plain, html = status.get("content_text"), status.get("content")
    if isinstance(plain, str):
        stored, text = plain, plain
    elif isinstance(html, str) or html is None:
        stored = html or ""
        text = html_to_text(stored)
    else:
        raise ProfileParseError(f"{label}: entry {n} has content of type {type(html).__name__}, not text")
    value = status.get("created_at")
    try:
        when = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError as exc:
        raise ProfileParseError(f"{label}: entry {n} has created_at {value!r}, not an ISO 8601 time") from exc
    if when.tzinfo is None:
        raise ProfileParseError(f"{label}: entry {n} has created_at {value!r} without a time zone")
    lang = status.get("language")
    return RawPost(stored=stored, text=text, created_at=when, lang=lang if isinstance(lang, str) else None,
                   kind="reply" if status.get("in_reply_to_id") else "post")
