"""Reading a reader's data files with every failure named by file."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

import ijson

from extractors.errors import ExportTooLargeError, ProfileParseError
from extractors.intake.source import ExportFiles

_T = TypeVar("_T")
MAX_JSON_DEPTH = 64  # real exports nest about ten levels; ijson slows with the square of the depth
# No post is this long: a line or field over these caps is a broken or hostile file, refused while it
# streams, before it can fill the memory (a 50 MB field once ended in a MemoryError).
MAX_LINE_BYTES = 1 << 20
MAX_FIELD_CHARS = 1 << 17  # also the csv module's own default field limit
_OPENS = frozenset({"start_map", "start_array"})
_CLOSES = frozenset({"end_map", "end_array"})


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
    for _, item in iter_json_lists(files, rel, (prefix,), skip_to):
        yield item


def iter_json_lists(
    files: ExportFiles, rel: str, prefixes: Sequence[str], skip_to: bytes = b""
) -> Iterator[tuple[str, Any]]:
    """(prefix, item) for the items under each of ``prefixes`` in turn, streamed as ``iter_json_items``.

    The depth check runs once for all of them; each prefix is then one C-speed pass of ijson, cheaper
    than a Python loop sorting one pass's events by path.
    """
    label = files.label(rel)
    with open_json_stream(files, rel, skip_to) as fh:
        start = fh.tell()
        for prefix in prefixes:
            fh.seek(start)
            for item in guarded(ijson.items(fh, prefix, use_float=True), label):
                yield prefix, item


@contextmanager
def open_json_stream(files: ExportFiles, rel: str, skip_to: bytes = b"") -> Iterator[io.BufferedReader]:
    """The file, positioned where its JSON starts, once its nesting is known to be sane for ijson."""
    with files.path(rel).open("rb") as fh:
        if skip_to:
            _seek_past_prefix(fh, skip_to, files.label(rel))
        _skip_bom(fh)
        start = fh.tell()
        check_depth(fh, files.label(rel))
        fh.seek(start)
        yield fh


def guarded(stream: Iterator[_T], label: str) -> Iterator[_T]:
    """An ijson stream with its failures turned into parse errors naming the file."""
    try:
        yield from stream
    except (ijson.common.JSONError, UnicodeDecodeError) as exc:
        raise _parse_error(exc, label) from exc


def _parse_error(exc: Exception, label: str) -> ProfileParseError:
    if isinstance(exc, ijson.common.IncompleteJSONError):
        return ProfileParseError(f"{label}: truncated or malformed JSON ({_short(exc)})")
    if isinstance(exc, UnicodeDecodeError):
        return ProfileParseError(f"{label}: not valid UTF-8 ({exc.reason})")
    return ProfileParseError(f"{label}: malformed JSON ({_short(exc)})")


def check_depth(fh: io.BufferedReader, label: str) -> None:
    """Refuse JSON in ``fh`` nested deeper than ``MAX_JSON_DEPTH``, streaming: memory stays bounded.

    yajl's bare event stream carries no path, so it costs the same at any depth (unlike ``ijson.items``,
    whose paths grow with it), and it stops at the first level too many: a deep or never-closed file is
    refused at once. Being the real parser, it cannot be fooled by brackets inside strings, whatever
    the line layout (minified one-line exports included).
    """
    depth = 0
    try:  # not ``guarded``: a generator layer per event would cost more than the loop itself
        for event, _ in ijson.basic_parse(fh, use_float=True):
            if event in _OPENS:
                depth += 1
                if depth > MAX_JSON_DEPTH:
                    break
            elif event in _CLOSES:
                depth -= 1
    except (ijson.common.JSONError, UnicodeDecodeError) as exc:
        raise _parse_error(exc, label) from exc
    if depth > MAX_JSON_DEPTH:
        raise ProfileParseError(f"{label}: JSON nested more than {MAX_JSON_DEPTH} levels deep")


def _short(exc: Exception) -> str:
    return str(exc).splitlines()[0][:160] if str(exc) else type(exc).__name__


def _seek_past_prefix(fh: io.BufferedReader, marker: bytes, label: str) -> None:
    head = fh.read(4096)
    at = head.find(marker)
    if at < 0:
        raise ProfileParseError(f"{label}: no {marker.decode()!r} found where the data should start")
    fh.seek(at)


def _skip_bom(fh: io.BufferedReader) -> None:
    pos = fh.tell()
    head = fh.read(3)
    if head == b"\xef\xbb\xbf":
        return
    fh.seek(pos)


def iter_lines(files: ExportFiles, rel: str, max_line: int = MAX_LINE_BYTES) -> Iterator[str]:
    """The file's lines (newline kept), streamed; a line over ``max_line`` bytes is refused by name."""
    label = files.label(rel)
    with files.path(rel).open("rb") as fh:
        _skip_bom(fh)
        n = 0
        while line := fh.readline(max_line + 1):
            n += 1
            if len(line) > max_line:
                raise ExportTooLargeError(f"{label}: line {n} is longer than the cap of {max_line} bytes")
            try:
                yield line.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise ProfileParseError(f"{label}: line {n} is not valid UTF-8 ({exc.reason})") from exc


def iter_csv_rows(files: ExportFiles, rel: str) -> Iterator[dict[str, str]]:
    """Rows of a CSV file with a header, as dicts, streamed under the line and field caps; malformed
    CSV is named by file and line."""
    label = files.label(rel)
    reader = csv.DictReader(iter_lines(files, rel))
    try:
        for row in reader:
            yield {k: (v or "") for k, v in row.items() if k is not None}
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise ExportTooLargeError(
                f"{label}: a field at line {reader.line_num} is longer than the cap of {csv.field_size_limit()} "
                "characters"
            ) from exc
        raise ProfileParseError(f"{label}: malformed CSV at line {reader.line_num} ({exc})") from exc
