"""Reading a reader's data files with every failure named by file."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Any

import ijson

from extractors.source import ExportFiles
from installation.errors import ProfileParseError


def read_text(files: ExportFiles, rel: str) -> str:
    """A data file as text; invalid UTF-8 is a parse error naming the file and the byte offset."""
    raw = files.path(rel).read_bytes()
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ProfileParseError(
            f"{files.label(rel)}: not valid UTF-8 (byte {exc.start}: {exc.reason})"
        ) from exc


def load_json(files: ExportFiles, rel: str, text: str | None = None) -> Any:
    """Parse a whole JSON document (small files: actor, profile, one API page)."""
    text = read_text(files, rel) if text is None else text
    if not text.strip():
        raise ProfileParseError(f"{files.label(rel)}: the file is empty")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ProfileParseError(
            f"{files.label(rel)}: not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})"
        ) from exc
    except RecursionError as exc:
        raise ProfileParseError(f"{files.label(rel)}: JSON nested too deeply to be an export") from exc


def iter_json_items(files: ExportFiles, rel: str, prefix: str = "item", skip_to: bytes = b"") -> Iterator[Any]:
    """Stream the items of a JSON array without loading the file: memory stays bounded.

    ``prefix`` is an ijson path ("item" for a top-level array, "orderedItems.item" for an outbox).
    ``skip_to`` drops everything before the first occurrence of that byte string (Twitter's
    ``window.YTD.tweets.part0 = [`` becomes ``[``).
    """
    path = files.path(rel)
    with path.open("rb") as fh:
        if skip_to:
            _seek_past_prefix(fh, skip_to, files.label(rel))
        _skip_bom(fh, files.label(rel))
        try:
            yield from ijson.items(fh, prefix, use_float=True)
        except ijson.common.IncompleteJSONError as exc:
            raise ProfileParseError(f"{files.label(rel)}: truncated or malformed JSON ({_short(exc)})") from exc
        except ijson.common.JSONError as exc:
            raise ProfileParseError(f"{files.label(rel)}: malformed JSON ({_short(exc)})") from exc
        except UnicodeDecodeError as exc:
            raise ProfileParseError(f"{files.label(rel)}: not valid UTF-8 ({exc.reason})") from exc


def _short(exc: Exception) -> str:
    return str(exc).splitlines()[0][:160] if str(exc) else type(exc).__name__


def _seek_past_prefix(fh: io.BufferedReader, marker: bytes, label: str) -> None:
    head = fh.read(4096)
    at = head.find(marker)
    if at < 0:
        raise ProfileParseError(f"{label}: no {marker.decode()!r} found where the data should start")
    fh.seek(at)


def _skip_bom(fh: io.BufferedReader, label: str) -> None:
    pos = fh.tell()
    head = fh.read(3)
    if head == b"\xef\xbb\xbf":
        return
    fh.seek(pos)


def iter_csv_rows(files: ExportFiles, rel: str, text: str | None = None) -> Iterator[dict[str, str]]:
    """Rows of a CSV file with a header, as dicts; malformed CSV is named by file and line."""
    text = read_text(files, rel) if text is None else text
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        for row in reader:
            yield {k: (v or "") for k, v in row.items() if k is not None}
    except csv.Error as exc:
        raise ProfileParseError(f"{files.label(rel)}: malformed CSV at line {reader.line_num} ({exc})") from exc
