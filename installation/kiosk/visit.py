"""A visit: the secret that binds a visitor's pages to the browser that made the upload.

After a successful upload the kiosk sets one cookie, ``portrait_visit``: the job id, when the visitor last
opened one of its pages, whether the forget-me code has been shown, all signed with a key of the kiosk
process (or, with ``[kiosk] visit_key_file``, one file that several kiosk processes share and a restart
keeps; without it a restart ends the visits in progress).
A visitor page answers only to a browser holding the visit of its job; any other sees the welcome page.

On a shared screen (a client address in ``[kiosk] shared_screens``, the kiosk's own screen by default)
the visit ends when the visitor presses "I'm done" or leaves the screen alone for ``visit_idle_seconds``
(a page script leaves for them, and the server refuses an idle visit anyway), and the forget-me code is
shown on one page only. On a visitor's own phone the visit lasts ``phone_visit_hours`` and the code stays
on their pages: those pages are theirs.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from fastapi import Request, Response

VISIT_COOKIE = "portrait_visit"


@dataclass(frozen=True)
class Visit:
    """One browser's visit: its job, when a page of it was last opened, and whether the code was shown."""

    job_id: str
    seen: int  # unix seconds
    code_shown: bool

    def encode(self) -> str:
        return f"{self.job_id}.{self.seen}.{int(self.code_shown)}"


def load_key(path: Path) -> bytes:
    """The signing key in the file ``path`` (made on first use, readable by this user only)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        key = path.read_bytes()
        if len(key) == 32:
            return key
        raise ValueError(f"the visit key {path} is {len(key)} bytes long but should be 32; delete it") from None
    key = secrets.token_bytes(32)
    with os.fdopen(fd, "wb") as out:
        out.write(key)
    return key


class Visits:
    """Signs, reads and ends visits; ``shared`` says whether a client address is the shared screen."""

    def __init__(
        self, key: bytes, shared: Callable[[str], bool], idle_seconds: Callable[[], float],
        phone_seconds: Callable[[], float], clock: Callable[[], float] = time.time,
    ) -> None:
        self._key = key
        self.shared = shared
        self.idle_seconds = idle_seconds
        self.phone_seconds = phone_seconds
        self.clock = clock

    def _mac(self, text: str) -> str:
        return hmac.new(self._key, b"visit:" + text.encode(), hashlib.sha256).hexdigest()

    def read(self, request: Request, job_id: str, *, active: bool) -> Visit | None:
        """This browser's visit of ``job_id`` if it holds one still in force; ``active``: the job is at work
        (a visitor waiting for their portrait is not idle)."""
        raw = request.cookies.get(VISIT_COOKIE, "")
        body, _, mac = raw.rpartition(".")
        if not body or not hmac.compare_digest(mac, self._mac(body)):
            return None
        parts = body.split(".")
        if len(parts) != 3 or not parts[1].isdigit() or parts[2] not in ("0", "1"):
            return None
        visit = Visit(parts[0], int(parts[1]), parts[2] == "1")
        if not hmac.compare_digest(visit.job_id, job_id):
            return None
        limit = self.idle_seconds() if self.shared(_client(request)) else self.phone_seconds()
        if not active and self.clock() - visit.seen > limit:
            return None
        return visit

    def start(self, request: Request, response: Response, job_id: str) -> None:
        self.keep(request, response, Visit(job_id, int(self.clock()), code_shown=False))

    def keep(self, request: Request, response: Response, visit: Visit) -> None:
        """Write ``visit`` back, as seen now."""
        visit = replace(visit, seen=int(self.clock()))
        body = visit.encode()
        shared = self.shared(_client(request))
        age = int(self.idle_seconds() if shared else self.phone_seconds()) + 60
        response.set_cookie(VISIT_COOKIE, f"{body}.{self._mac(body)}", max_age=age, httponly=True,
                            samesite="strict", path="/")

    def end(self, response: Response) -> None:
        response.delete_cookie(VISIT_COOKIE, path="/", httponly=True, samesite="strict")


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"
