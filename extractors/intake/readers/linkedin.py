"""LinkedIn data export: the person's posts from ``Shares.csv``.

The export is a zip (``Basic_LinkedInDataExport_MM-DD-YYYY.zip``) of many CSV files; only ``Shares.csv``
(``Shares_<member id>.csv`` in the complete export) is read: ``Date,ShareLink,ShareCommentary,SharedUrl,
MediaUrl,Visibility``, dates like ``2021-03-04 10:11:12`` in UTC. Profile, connections (with e-mail
addresses), messages and the rest are never opened. A share without commentary is a repost of
someone else's post and has no words of the person's own.

The quirk: LinkedIn quotes every line of a post on its own, as if each line were a CSV field
(``"First line"`` newline ``""`` newline ``"Last line"``), and some files do not quote the whole field
around that, so a plain CSV parse splits one post into several rows. Rows are therefore found by the
date that starts each of them; a row that parses as CSV is taken as parsed, any other is cut at its
known columns, and the per-line quoting is undone after. Styled "mathematical bold" letters become
plain ones (NFKC).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime

from extractors.errors import ExportTooLargeError, ProfileParseError
from extractors.intake.jsonio import MAX_FIELD_CHARS, iter_lines
from extractors.intake.reader import RawPost
from extractors.intake.sniff import Signature
from extractors.intake.source import ExportFiles
from extractors.intake.text import fold_styled_letters

_SHARES_FILE = re.compile(r"^Shares(?:_\d+)?\.csv$")
_DATE = "%Y-%m-%d %H:%M:%S"
_ROW_START = re.compile(r'^"?\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?: UTC)?"?,')
_QUOTED = re.compile(r'^"((?:[^"]|"")*)"$', re.DOTALL)
_COMMENTARY = "ShareCommentary"


class LinkedInReader:
    name = "linkedin"
    description = "LinkedIn data export (Shares.csv)"
    signatures: tuple[Signature, ...] = (
        Signature("Shares.csv", "csv", columns=frozenset({"date", "sharecommentary"})),
    )

    def detect(self, files: ExportFiles) -> int:
        return 100 if _shares_files(files) else 0

    def read(self, files: ExportFiles) -> Iterator[RawPost]:
        for rel in _shares_files(files):
            yield from _read_shares(iter_lines(files, rel), files.label(rel))


def _shares_files(files: ExportFiles) -> list[str]:
    return [rel for rel in files.files if _SHARES_FILE.match(rel.rsplit("/", 1)[-1])]


def _read_shares(stream: Iterable[str], label: str) -> Iterator[RawPost]:
    """The posts of one Shares.csv, from its lines as they stream; ``label`` names the file in errors."""
    lines = (line.rstrip("\r\n") for line in stream)
    first = next(lines, "")
    header = [h.strip() for h in next(csv.reader([first]), [])]
    missing = [c for c in ("Date", _COMMENTARY) if c not in header]
    if missing:
        raise ProfileParseError(f"{label}: no {', '.join(missing)} column in the header {first[:120]!r}")
    for line_no, record in _records(lines, label):
        row = _fields(record, header, label, line_no)
        commentary = _unquote_lines(row[_COMMENTARY])
        yield RawPost(
            stored=commentary,
            text=fold_styled_letters(commentary),
            created_at=_time(row["Date"], label, line_no),
            lang=None,
            kind="post",
        )


def _records(lines: Iterable[str], label: str) -> Iterator[tuple[int, str]]:
    """(line number, text) of each row: a row runs from a line starting with a date to the next."""
    start, chunk, size = 0, list[str](), 0
    for line_no, line in enumerate(lines, start=2):
        if _ROW_START.match(line):
            if chunk:
                yield start, "\n".join(chunk).rstrip("\n")
            start, chunk, size = line_no, [line], len(line)
        elif chunk:
            size += len(line) + 1
            if size > MAX_FIELD_CHARS:
                raise ExportTooLargeError(
                    f"{label}: the row at line {start} is longer than the cap of {MAX_FIELD_CHARS} characters"
                )
            chunk.append(line)
        elif line.strip():
            raise ProfileParseError(f"{label}: line {line_no} should start a row with a date but reads {line[:60]!r}")
    if chunk:
        yield start, "\n".join(chunk).rstrip("\n")


def _fields(record: str, header: list[str], label: str, line_no: int) -> dict[str, str]:
    try:
        rows = list(csv.reader(io.StringIO(record, newline="")))
    except csv.Error:
        rows = []
    at = header.index(_COMMENTARY)
    if len(rows) == 1 and at < len(rows[0]) <= len(header):
        return dict(zip(header, rows[0] + [""] * (len(header) - len(rows[0])), strict=True))
    # Not valid CSV: the columns left and right of the commentary hold no commas (dates, URLs, a
    # visibility word), so the commentary is whatever lies between them.
    left = record.split(",", at)
    right = left[-1].rsplit(",", len(header) - at - 1) if len(left) == at + 1 else []
    if len(right) != len(header) - at:
        raise ProfileParseError(
            f"{label}: the row at line {line_no} has fewer than the header's {len(header)} columns"
        )
    values = [_unquote(v) for v in left[:-1]] + [_unquote(right[0])] + [_unquote(v) for v in right[1:]]
    return dict(zip(header, values, strict=True))


def _unquote(value: str) -> str:
    """A CSV field's value if it is one quoted field; otherwise the text as it stands."""
    m = _QUOTED.match(value.strip())
    return m.group(1).replace('""', '"') if m else value


def _unquote_lines(value: str) -> str:
    """Undo LinkedIn's quoting of each line, line by line: ``""text""`` and ``"text"`` become ``text``,
    ``""""`` and ``""`` (its empty lines) become empty; a line without the quoting is left as it is."""
    if '"' not in value:
        return value
    return "\n".join(_unquote_line(line) for line in value.strip().split("\n"))


def _unquote_line(line: str) -> str:
    text = line.strip()
    for _ in range(2):  # "text" once; ""text"" where the whole field was quoted around it as well
        if len(text) >= 2 and text[0] == text[-1] == '"':
            text = text[1:-1]
    return text.replace('""', '"').strip()


def _time(value: str, label: str, line_no: int) -> datetime:
    try:
        return datetime.strptime(value.strip().removesuffix(" UTC"), _DATE).replace(tzinfo=UTC)
    except ValueError as exc:
        raise ProfileParseError(
            f"{label}: the row at line {line_no} has Date {value!r}, not like 2021-03-04 10:11:12"
        ) from exc
