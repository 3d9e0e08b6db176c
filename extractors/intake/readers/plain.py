"""The curators' fallback: a .txt file (one post per paragraph), or .jsonl / .csv with a ``text`` column.

Optional columns/fields: ``created_at`` (ISO 8601; no zone means UTC), ``lang``, ``kind`` (post|reply).
Without a time, posts are dated by their order, one minute apart, ending at the file's modification time.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime, timedelta
from pathlib import PurePosixPath
from typing import Any

from extractors.errors import ProfileParseError
from extractors.intake.jsonio import iter_csv_rows, read_text
from extractors.intake.reader import RawPost
from extractors.intake.sniff import Signature
from extractors.intake.source import ExportFiles


class PlainReader:
    name = "plain"
    description = "plain text (.txt, one post per paragraph) or .jsonl/.csv with a 'text' column"
    # The fallback: any text is plain text, so it declares no signature and is judged by suffix last.
    signatures: tuple[Signature, ...] = ()

    def detect(self, files: ExportFiles) -> int:
        if len(files.files) != 1:
            return 0
        suffix = PurePosixPath(files.files[0]).suffix.lower()
        if suffix == ".txt":
            return 10
        if suffix in (".jsonl", ".ndjson"):
            return 10
        if suffix == ".csv":
            head = read_text(files, files.files[0]).split("\n", 1)[0]
            return 10 if "text" in [c.strip().strip('"').lower() for c in head.split(",")] else 0
        return 0

    def read(self, files: ExportFiles) -> Iterator[RawPost]:
        rel = files.files[0]
        suffix = PurePosixPath(rel).suffix.lower()
        end = datetime.fromtimestamp(files.path(rel).stat().st_mtime, UTC)
        if suffix == ".txt":
            paragraphs = [p.strip() for p in read_text(files, rel).replace("\r\n", "\n").split("\n\n")]
            records: list[Mapping[str, Any]] = [{"text": p} for p in paragraphs if p]
        elif suffix == ".csv":
            records = list(iter_csv_rows(files, rel))
        else:
            records = list(_jsonl(files, rel))
        for i, rec in enumerate(records):
            text = str(rec.get("text") or "")
            yield RawPost(
                stored=text,
                text=text,
                created_at=_time(rec.get("created_at"), end - timedelta(minutes=len(records) - 1 - i),
                                 files.label(rel), i + 1),
                lang=str(rec["lang"]) if rec.get("lang") else None,
                kind="reply" if str(rec.get("kind") or "post") == "reply" else "post",
            )


def _jsonl(files: ExportFiles, rel: str) -> Iterator[Mapping[str, Any]]:
    for n, line in enumerate(read_text(files, rel).splitlines(), start=1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except (json.JSONDecodeError, RecursionError) as exc:
            raise ProfileParseError(f"{files.label(rel)}: line {n} is not valid JSON") from exc
        if not isinstance(rec, dict):
            raise ProfileParseError(f"{files.label(rel)}: line {n} is not a JSON object with a 'text' field")
        yield rec


def _time(value: Any, fallback: datetime, label: str, n: int) -> datetime:
    if not value:
        return fallback
    try:
        t = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError as exc:
        raise ProfileParseError(f"{label}: record {n} has created_at {value!r}, not an ISO 8601 time") from exc
    return t if t.tzinfo else t.replace(tzinfo=UTC)
