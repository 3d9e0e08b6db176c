"""Uploads: a multipart body parsed as it arrives, straight into the job's private folder, under the caps.

The type is judged from the first bytes (at most 64 KiB held in memory) before anything is kept, by
intake's ``sniff_upload`` (``sniff_upload`` here is the one place the kiosk asks it), the size while the
bytes arrive (413 as soon as the cap is passed). File names on disk are the server's own, from the content.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from fastapi import Request

from extractors.errors import IntakeError
from extractors.intake.sniff import SNIFF_BYTES, UploadKind
from extractors.intake.source import ARCHIVE_SUFFIXES, DATA_SUFFIXES
from extractors.intake.upload import sniff_upload as intake_sniff_upload
from installation.i18n import N_

if TYPE_CHECKING:
    from python_multipart.multipart import MultipartCallbacks

FIELDS = ("csrf", "consent", "nickname", "handle", "export")
MAX_FIELD_BYTES = 2048
MAX_SMALL_FORM = 16 << 10  # the forget, leave, review and login forms
_CHUNK_SNIFF = SNIFF_BYTES  # held in memory (64 KiB at most) until intake has looked at it
# What intake opens: its archives and its data files, and nothing the kiosk adds of its own.
UPLOAD_SUFFIXES: tuple[str, ...] = (*ARCHIVE_SUFFIXES, *DATA_SUFFIXES)
log = logging.getLogger("portrait.kiosk")


class UploadRefused(Exception):
    """A request the kiosk answers with a 4xx page and a message for the visitor."""

    def __init__(self, status: int, message: str, **params: object) -> None:
        # ``message`` is a catalogue message (``%(name)s`` for ``params``): the page shows it translated.
        super().__init__(message % params if params else message)
        self.status = status
        self.message = message
        self.params = params


def sniff_upload(filename: str, head: bytes) -> UploadKind:
    """What the upload is, by its first bytes (intake's ``sniff_upload``; the name is only a hint).

    A file that can never be an export (a program, a picture, a web page, binary data) is refused with
    intake's one sentence, as a 415.
    """
    try:
        return intake_sniff_upload(head, filename)
    except IntakeError as exc:
        # Intake's sentence names what the file is, in English: it goes to the log, the visitor reads ours.
        log.info("upload refused: %s", exc)
        raise UploadRefused(415, N_("This file is not a social-media export we can read. Upload the export "
                                    "exactly as the platform gave it to you.")) from exc


@dataclass
class Form:
    fields: dict[str, str] = field(default_factory=dict)
    file_path: Path | None = None
    file_bytes: int = 0


class _UploadSink:
    """Multipart callbacks: fields into small strings, the file into the job folder under the cap."""

    def __init__(self, folder: Path, cap: int) -> None:
        self.folder = folder
        self.cap = cap
        self.form = Form()
        self._header_field = b""
        self._header_value = b""
        self._headers: dict[bytes, bytes] = {}
        self._name = ""
        self._field = bytearray()
        self._file: BinaryIO | None = None
        self._filename = ""
        self._head = bytearray()
        self._is_file = False
        self.error: UploadRefused | None = None
        self.complete = False  # the closing boundary arrived: the body was not cut short

    def callbacks(self) -> MultipartCallbacks:
        return {
            "on_part_begin": self._part_begin, "on_header_field": self._on_header_field,
            "on_header_value": self._on_header_value, "on_header_end": self._header_end,
            "on_headers_finished": self._headers_finished, "on_part_data": self._part_data,
            "on_part_end": self._part_end, "on_end": self._end,
        }

    def _guard(self, fn: Callable[[], None]) -> None:
        # The parser swallows nothing, but a refusal must stop it at once: remember it and raise.
        if self.error is not None:
            raise self.error
        try:
            fn()
        except UploadRefused as exc:
            self.error = exc
            raise

    def _part_begin(self) -> None:
        self._headers = {}
        self._field = bytearray()
        self._head = bytearray()
        self._is_file = False

    def _on_header_field(self, data: bytes, start: int, end: int) -> None:
        self._header_field += data[start:end]

    def _on_header_value(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]

    def _header_end(self) -> None:
        self._headers[self._header_field.lower()] = self._header_value
        self._header_field = self._header_value = b""

    def _headers_finished(self) -> None:
        self._guard(self._start_part)

    def _start_part(self) -> None:
        from python_multipart.multipart import parse_options_header

        _, options = parse_options_header(self._headers.get(b"content-disposition", b""))
        name = options.get(b"name", b"").decode("utf-8", "replace")
        if name not in FIELDS or name in self.form.fields:
            raise UploadRefused(400, N_("The form was not sent the way this page sends it."))
        self._name = name
        if name == "export":
            filename = options.get(b"filename", b"").decode("utf-8", "replace")
            if filename:
                if self.form.file_path is not None:
                    raise UploadRefused(400, N_("Upload one export at a time."))
                self._is_file = True
                self._filename = filename  # a hint for sniffing only: the name on disk is ours

    def _open_file(self) -> None:
        """The head has arrived: sniff it, then keep the file under the name its content gives it."""
        kind = sniff_upload(self._filename, bytes(self._head))
        path = self.folder / kind.stored_name
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        self._file = os.fdopen(fd, "wb")
        self.form.file_path = path
        self._file.write(self._head)

    def _part_data(self, data: bytes, start: int, end: int) -> None:
        chunk = data[start:end]
        self._guard(lambda: self._take(chunk))

    def _take(self, chunk: bytes) -> None:
        if not self._is_file:
            self._field += chunk
            if len(self._field) > MAX_FIELD_BYTES:
                raise UploadRefused(400, N_("The field %(name)s is too long."), name=self._name)
            return
        self.form.file_bytes += len(chunk)
        if self.form.file_bytes > self.cap:
            raise UploadRefused(413, N_("The export is larger than this kiosk accepts (%(mb)d MB)."), mb=self.cap >> 20)
        if self._file is None:
            # Nothing reaches the disk until the first bytes have passed the type check.
            self._head += chunk
            if len(self._head) >= _CHUNK_SNIFF:
                self._open_file()
            return
        self._file.write(chunk)

    def _part_end(self) -> None:
        self._guard(self._end_part)

    def _end_part(self) -> None:
        if self._is_file:
            if self.form.file_bytes == 0:
                raise UploadRefused(400, N_("The uploaded file is empty."))
            if self._file is None:
                self._open_file()
            assert self._file is not None
            self._file.close()
            self._file = None
        elif self._name != "export":
            self.form.fields[self._name] = self._field.decode("utf-8", "replace")

    def _end(self) -> None:
        self.complete = True

    def close(self) -> None:
        if self._file is not None:
            self._file.close()


async def stream_upload(request: Request, parser_class: Any, boundary: bytes, folder: Path, cap: int) -> Form:
    """Parse a multipart body as it arrives; the file goes to ``folder``, never into memory."""
    sink = _UploadSink(folder, cap)
    parser = parser_class(boundary, sink.callbacks())
    try:
        received = 0
        async for chunk in request.stream():
            received += len(chunk)
            if received > cap + (64 << 10):
                raise UploadRefused(413, N_("The export is larger than this kiosk accepts (%(mb)d MB)."), mb=cap >> 20)
            parser.write(chunk)
        parser.finalize()
        if not sink.complete:
            raise UploadRefused(400, N_("The form could not be read: it ended too soon."))
    except UploadRefused:
        raise
    except Exception as exc:
        raise sink.error or UploadRefused(400, N_("The form could not be read.")) from exc
    finally:
        sink.close()
    return sink.form


async def small_form(request: Request) -> dict[str, str]:
    """A form of a few short fields; anything bigger is not one of ours and is not read."""
    length = request.headers.get("content-length", "")
    if not length.isdigit():
        raise UploadRefused(411, N_("The form was not sent the way this page sends it."))
    if int(length) > MAX_SMALL_FORM:
        raise UploadRefused(413, N_("The form is larger than any form of this kiosk."))
    form = await request.form(max_files=0, max_fields=8, max_part_size=MAX_FIELD_BYTES)
    return {k: v for k, v in form.items() if isinstance(v, str)}
