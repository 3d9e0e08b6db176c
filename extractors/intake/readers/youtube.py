"""YouTube comments from Google Takeout: ``Takeout/YouTube and YouTube Music/comments/comments.csv``.

Folder and file names are localised ("YouTube und YouTube Music/Kommentare"), so the file is found by
its header: ``Comment ID, Channel ID, Comment create timestamp, Price, Parent comment ID, Post ID,
Video ID, Comment text, Top-level comment ID`` (Title Case), or the same in lower case in older
exports. The text cell is a comma-joined sequence of JSON pieces ``{"text": "..."}``; a piece with a
``videoLink`` is a timestamp link into the video, not words, and is left out of the text. A comment
with a parent comment id answers someone: a reply. Watch and search history, subscriptions and the
rest of Takeout are never opened.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime

from extractors.errors import ProfileParseError
from extractors.intake.jsonio import iter_csv_rows
from extractors.intake.reader import RawPost, files_like
from extractors.intake.sniff import Signature
from extractors.intake.source import ExportFiles

_COLUMNS = frozenset({"comment id", "comment text", "comment create timestamp"})


class YouTubeReader:
    name = "youtube"
    description = "YouTube comments from Google Takeout (comments.csv, or the Takeout zip)"
    signatures: tuple[Signature, ...] = (Signature("comments.csv", "csv", columns=_COLUMNS),)

    def detect(self, files: ExportFiles) -> int:
        return 100 if files_like(files, self.signatures, ".csv") else 0

    def read(self, files: ExportFiles) -> Iterator[RawPost]:
        for rel in files_like(files, self.signatures, ".csv"):
            label = files.label(rel)
            for n, row in enumerate(iter_csv_rows(files, rel), start=1):
                yield _comment({k.strip().lower().replace("_", " "): v for k, v in row.items()}, label, n)


def _comment(row: Mapping[str, str], label: str, n: int) -> RawPost:
    stored, words = _pieces(row.get("comment text", ""), label, n)
    return RawPost(
        stored=stored,
        text=words,
        created_at=_time(row.get("comment create timestamp", ""), label, n),
        lang=None,
        kind="reply" if row.get("parent comment id", "").strip() else "post",
    )


def _pieces(cell: str, label: str, n: int) -> tuple[str, str]:
    """(all the text, the text without timestamp links) of a cell of ``{"text": ...}`` pieces."""
    cell = cell.strip()
    if not cell:
        return "", ""
    if not cell.startswith("{"):
        return cell, cell  # an export that stores the plain text
    try:
        pieces = json.loads(f"[{cell}]")
    except (json.JSONDecodeError, RecursionError) as exc:
        raise ProfileParseError(f"{label}: row {n} has a comment text that is not JSON pieces ({exc})") from exc
    texts = [(p.get("text"), "videoLink" in p) for p in pieces if isinstance(p, dict)]
    stored = "".join(t for t, _ in texts if isinstance(t, str))
    words = "".join(t for t, link in texts if isinstance(t, str) and not link)
    return stored, words


def _time(value: str, label: str, n: int) -> datetime:
    try:
        when = datetime.fromisoformat(value.strip().replace("Z", "+00:00").replace(" UTC", "+00:00"))
    except ValueError as exc:
        raise ProfileParseError(f"{label}: row {n} has Comment create timestamp {value!r}, not a time") from exc
    return when if when.tzinfo else when.replace(tzinfo=UTC)
