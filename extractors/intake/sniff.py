"""What a file is, from its first bytes: the one sniffing function the intake and the kiosk share.

A visitor's file may arrive under any name (the kiosk stores uploads as ``export.<suffix>``, phones
rename downloads), so the name is only a hint. Every reader declares ``signatures``: the name the
platform gives each of its data files, and what the start of such a file looks like (the JavaScript
assignment of an X archive, the JSON keys of a Meta file, the CSV header of a LinkedIn share list, the
CAR header of a Bluesky repository). ``sniff_head`` matches a head against them all.

``extractors.intake.upload.sniff_upload(head, filename)`` is for the kiosk: it refuses, with a message
for the visitor, what can never be an export (a program, a picture, a web page), and says which suffix
to store the upload under and, where the head shows it, whose export it is.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from typing import Literal

Container = Literal["zip", "tar.gz", "tar", "car", "json", "jsonl", "js", "csv", "txt"]
SNIFF_BYTES = 64 << 10  # enough for every signature; fewer bytes (the kiosk's first chunk) still decide the container
# X's data files: ``window.YTD.tweets.part0 = [`` (``window.__THAR_CONFIG = {`` for the manifest).
_JS_ASSIGNMENT = re.compile(rb"^[A-Za-z_$][\w$.]*\s*=\s*[\[{]")
MAX_HEAD_DEPTH = 64  # as jsonio's MAX_JSON_DEPTH: real exports nest about ten levels
_SUFFIX: dict[Container, str] = {
    "zip": ".zip", "tar.gz": ".tar.gz", "tar": ".tar", "car": ".car", "json": ".json", "jsonl": ".jsonl",
    "js": ".js", "csv": ".csv", "txt": ".txt",
}
_BINARY_MAGIC = (  # common files visitors pick by mistake, named so the refusal can say what it was
    (b"\x89PNG", "a PNG picture"), (b"\xff\xd8\xff", "a JPEG picture"), (b"GIF8", "a GIF picture"),
    (b"%PDF", "a PDF document"), (b"\x7fELF", "a program"), (b"MZ", "a Windows program"),
    (b"Rar!", "a RAR archive (only zip and tar.gz are read)"),
    (b"7z\xbc\xaf", "a 7-Zip archive (only zip and tar.gz are read)"),
)


@dataclass(frozen=True)
class Signature:
    """What one kind of data file looks like at its start.

    ``markers`` must all occur in the head, at least one of ``any_markers`` (when given) must, and none
    of ``forbids``; ``prefix`` is what the head starts with; ``columns`` are CSV header names (lower
    case) that must all be present. ``canonical`` is the name the platform gives the file: a matching
    file is read as if it had that name.
    """

    canonical: str
    container: Container
    prefix: bytes = b""
    markers: tuple[bytes, ...] = ()
    any_markers: tuple[bytes, ...] = ()
    forbids: tuple[bytes, ...] = ()
    columns: frozenset[str] = frozenset()
    keys: frozenset[str] = frozenset()  # JSON: keys the first entry (or the top object) must have
    forbid_keys: frozenset[str] = frozenset()  # ... and must not have
    any_keys: frozenset[str] = frozenset()  # ... and at least one of (when given)

    def matches(self, container: Container, head: bytes, header: frozenset[str], keys: frozenset[str]) -> bool:
        if container != self.container:
            return False
        body = _strip(head)
        if self.prefix and not body.startswith(self.prefix):
            return False
        if not all(m in head for m in self.markers) or any(f in head for f in self.forbids):
            return False
        if self.any_markers and not any(m in head for m in self.any_markers):
            return False
        if self.any_keys and not self.any_keys & keys:
            return False
        return self.columns <= header and self.keys <= keys and not self.forbid_keys & keys


@dataclass(frozen=True)
class Sniffed:
    """A head's container and the reader signatures it matches, best first."""

    container: Container
    matches: tuple[tuple[str, Signature], ...]  # (reader name, signature)

    @property
    def platform(self) -> str | None:
        return self.matches[0][0] if self.matches else None


@dataclass(frozen=True)
class UploadKind:
    """What the kiosk needs to know of an upload before it keeps it.

    ``suffix`` is judged by content: store the upload as ``"export" + suffix`` (``stored_name``) and
    ``read_export`` reads it whatever it was called. ``platform`` is the reader the head points to, or
    None where the head cannot tell yet (an archive, or a file whose telling keys come later).
    """

    container: Container
    suffix: str
    platform: str | None

    @property
    def stored_name(self) -> str:
        return "export" + self.suffix


def _strip(head: bytes) -> bytes:
    return head.removeprefix(b"\xef\xbb\xbf").lstrip(b" \t\r\n")


def container_of(head: bytes, filename: str = "") -> Container | None:
    """The container by content; None for binary data that is no export (see ``refusal``)."""
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "zip"
    if head.startswith(b"\x1f\x8b"):
        return "tar.gz"
    if len(head) >= 262 and head[257:262] == b"ustar":
        return "tar"
    if _is_car(head):
        return "car"
    if not _is_text(head):
        return None
    body = _strip(head)
    if _JS_ASSIGNMENT.match(body):
        return "js"
    if body[:1] == b"{" and b"\n" in body:
        first, rest = body.split(b"\n", 1)
        if first.rstrip().endswith(b"}") and rest.lstrip()[:1] in (b"{", b""):
            return "jsonl"  # one object a line: the first line closes its own object
    if body[:1] in (b"{", b"["):
        return "json"
    if _csv_header(head):
        return "csv"
    return "txt"


def sniff_head(head: bytes, signatures: tuple[tuple[str, Signature], ...], filename: str = "") -> Sniffed:
    """Which of ``signatures`` (reader name, signature) the head matches; a matching name ranks first."""
    container = container_of(head, filename)
    if container is None:
        return Sniffed(container="txt", matches=())
    header = frozenset(_csv_header(head)) if container == "csv" else frozenset()
    keys = first_keys(head) if container == "json" else frozenset()
    hits = [(name, sig) for name, sig in signatures if sig.matches(container, head, header, keys)]
    base = filename.replace("\\", "/").rsplit("/", 1)[-1]
    hits.sort(key=lambda h: h[1].canonical != base)
    return Sniffed(container=container, matches=tuple(hits))


def refusal(head: bytes) -> str | None:
    """Why a file can never be an export, in words for the visitor; None if it may be one."""
    if not _strip(head):
        return "The file is empty."
    if container_of(head) is not None:
        body = _strip(head)[:200].lower()
        if body.startswith((b"<!doctype html", b"<html")):
            return ("This is a web page, not the data: upload the whole archive (zip) the platform sent, "
                    "not the page inside it.")
        return None
    for magic, what in _BINARY_MAGIC:
        if head.startswith(magic):
            return f"This is {what}, not a social-media export."
    return "This file is neither an archive nor text: it cannot be a social-media export."


def suffix_of(container: Container) -> str:
    return _SUFFIX[container]


def first_keys(head: bytes) -> frozenset[str]:
    """The keys of the first entry of a top-level array, or of the top-level object: the structure,
    read from the head only (a head cut mid-file simply ends the reading).

    The bare event stream has no paths, so it costs the same at any depth; reading stops at the first
    level past ``MAX_HEAD_DEPTH`` with the keys seen so far, and the reader then refuses the deep file
    by name instead of it being "not an export".
    """
    import ijson

    keys: set[str] = set()
    body = _strip(head)
    where = 2 if body[:1] == b"[" else 1  # the depth at which the wanted keys sit
    depth = 0
    try:
        for event, value in ijson.basic_parse(io.BytesIO(body)):
            if event in ("start_map", "start_array"):
                depth += 1
                if depth > MAX_HEAD_DEPTH:
                    break
            elif event in ("end_map", "end_array"):
                if depth == where and event == "end_map":
                    break  # the first entry is complete
                depth -= 1
            elif event == "map_key" and depth == where:
                keys.add(str(value))
    except (ijson.common.JSONError, UnicodeDecodeError):
        pass  # the head ends mid-entry or is not JSON after all: the keys seen so far are all there is
    return frozenset(keys)


def _is_car(head: bytes) -> bool:
    # CARv1: a varint header length, then a DAG-CBOR map (major type 5) holding "roots" and "version".
    return len(head) >= 2 and head[0] < 0x80 and head[1] & 0xE0 == 0xA0 and b"roots" in head[:128]


def _is_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start >= len(head) - 3  # a character cut at the head's end is fine
    return True


def _csv_header(head: bytes) -> list[str]:
    """The header names (lower case, ``_`` read as a space) if the first line looks like a CSV header."""
    line = _strip(head).split(b"\n", 1)[0].decode("utf-8", errors="replace").rstrip("\r")
    if "," not in line or len(line) > 4096:
        return []
    try:
        names = next(csv.reader([line]))
    except (csv.Error, StopIteration):
        return []
    names = [n.strip().lower().replace("_", " ") for n in names]
    # A header is short names, no sentence: prose with commas is plain text.
    if len(names) < 2 or any(not n or len(n) > 40 or len(n.split()) > 4 or any(c in n for c in ".!?") for n in names):
        return []
    return names


# Files that hold other people's or private data: never opened, not even to look at their first bytes.
PRIVATE_FILES = ("email_list*.csv", "*.opens.csv", "*.delivers.csv", "account.js", "deleted-tweets.js",
                 "messages.csv", "Connections.csv", "ip_logs.csv")
MAX_SNIFFED_FILES = 500  # files of one export whose heads are read to find a reader's data by content


def is_private(rel: str) -> bool:
    """Whether ``rel`` is one of the ``PRIVATE_FILES`` no reader may open."""
    from fnmatch import fnmatch

    name = rel.rsplit("/", 1)[-1]
    return any(fnmatch(name, pattern) for pattern in PRIVATE_FILES)
