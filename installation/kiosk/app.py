"""The kiosk: where a visitor consents, hands over an export or a handle, and sees their portrait.

Uploads are parsed as a stream straight into the job's private folder: the type is checked from the
name and the first bytes before anything is kept, the size while the bytes arrive (413 as soon as the
cap is passed). File names on disk are the server's own; a job id is 128 random bits and is the only
key to a visitor's progress and result pages. Forms carry a CSRF token bound to a cookie, and every
form that writes is rate-limited per client address.

A kiosk started from a config file re-reads it when it changes (at most once a second): consent text,
upload cap, rate limit and curator token take effect without a restart. A refused edit is shown on the
curator's config page, and the last good config stays in force.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import logging
import os
import secrets
import shutil
import socket
import threading
import time
from collections import defaultdict, deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Literal

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape

from installation.compose.composer import check_config
from installation.config import Config
from installation.errors import ConfigError, IntakeError, JobNotFoundError, PortraitError
from installation.jobs.reload import ConfigWatcher
from installation.jobs.store import JobStore, forget, is_job_id, new_job_id

if TYPE_CHECKING:
    from python_multipart.multipart import MultipartCallbacks

log = logging.getLogger("portrait.kiosk")

_HERE = Path(__file__).parent
CSRF_COOKIE = "portrait_csrf"
CURATOR_COOKIE = "portrait_curator"
FIELDS = ("csrf", "consent", "nickname", "handle", "export")
MAX_FIELD_BYTES = 2048
MAX_SMALL_FORM = 16 << 10  # the forget, leave, review and login forms
# Pages load only their own script, style and images; nothing may frame them.
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self'; style-src 'self' 'unsafe-inline'; "
                               "script-src 'self'; frame-ancestors 'none'; form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
MAX_NICKNAME = 40
RELOAD_SECONDS = 1.0  # how often, at most, a request looks whether config.toml changed
# Used once, at start-up: an edit of these waits for a restart.
RESTART_KEYS = ("kiosk.host", "kiosk.port", "kiosk.upload_dir", "store.path")
_CHUNK_SNIFF = 512

STAGES: tuple[tuple[str, str], ...] = (
    ("submitted", "Waiting in line"),
    ("extracted", "Reading your posts"),
    ("described", "Finding your words and mood"),
    ("composed", "Writing the painter's brief"),
    ("rendering", "Painting"),
    ("done", "Done"),
)

# What the progress page says when a finished portrait is not shown to its visitor.
WAITING_NOTES = {
    "held": "Your portrait is finished and waits for a curator to look at it before it is shown.",
    "hidden": "Your portrait has been taken off the wall by a curator.",
}

# Suffixes an upload may have, and what its first bytes must then look like.
ARCHIVE_MAGIC: dict[str, tuple[bytes, ...]] = {
    ".zip": (b"PK\x03\x04", b"PK\x05\x06"),
    ".tar.gz": (b"\x1f\x8b",),
    ".tgz": (b"\x1f\x8b",),
}
TEXT_SUFFIXES = (".json", ".js", ".jsonl", ".ndjson", ".csv", ".txt")
UPLOAD_SUFFIXES = (*ARCHIVE_MAGIC, ".tar", *TEXT_SUFFIXES, ".car")
# Data files whose names the readers recognise: an upload named like one is stored under our copy of it.
KNOWN_DATA_FILES = (
    "tweets.js", "tweet.js", "note-tweet.js", "outbox.json", "repo.car", "your_posts_1.json",
    "posts_1.json", "threads_and_replies.json", "Shares.csv", "result.json", "posts.csv", "comments.csv",
)


class UploadRefused(Exception):
    """A request the kiosk answers with a 4xx page and a message for the visitor."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def upload_suffix(filename: str) -> str:
    """The accepted suffix ``filename`` ends with; refuses anything else with 415."""
    lower = filename.lower()
    for suffix in sorted(UPLOAD_SUFFIXES, key=len, reverse=True):
        if lower.endswith(suffix):
            return suffix
    raise UploadRefused(
        415, f"This kind of file cannot be read. Upload the export as the platform gave it: "
             f"{', '.join(UPLOAD_SUFFIXES)}."
    )


def stored_name(filename: str, suffix: str) -> str:
    """The name the upload is kept under: one of ours, never the visitor's string."""
    base = filename.replace("\\", "/").rsplit("/", 1)[-1]
    for known in KNOWN_DATA_FILES:
        if base == known:
            return known
    return "export" + suffix


def check_head(head: bytes, suffix: str) -> None:
    """The first bytes must match the suffix: a renamed program is not an export."""
    if suffix in ARCHIVE_MAGIC:
        if not head.startswith(ARCHIVE_MAGIC[suffix]):
            raise UploadRefused(415, f"The file is named {suffix} but is not a {suffix} archive.")
    elif suffix == ".tar":
        if len(head) < 262 or head[257:262] != b"ustar":
            raise UploadRefused(415, "The file is named .tar but is not a tar archive.")
    elif suffix == ".car":
        # CARv1: a varint header length, then a DAG-CBOR map (major type 5).
        if len(head) < 2 or head[0] >= 0x80 or head[1] & 0xE0 != 0xA0:
            raise UploadRefused(415, "The file is named .car but is not a Bluesky repository (CAR) file.")
    else:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as exc:
            if exc.start < len(head) - 3:  # a character cut at the sniff's end is fine
                raise UploadRefused(415, f"The file is named {suffix} but is not text.") from exc
        if b"\x00" in head:
            raise UploadRefused(415, f"The file is named {suffix} but is not text.")


@dataclass
class RateLimiter:
    """At most ``per_minute`` writes per client address in any sliding minute."""

    per_minute: int
    clock: Callable[[], float] = time.monotonic
    _seen: dict[str, deque[float]] = field(default_factory=lambda: defaultdict(deque))

    def allow(self, client: str) -> bool:
        now = self.clock()
        seen = self._seen[client]
        while seen and seen[0] <= now - 60:
            seen.popleft()
        if len(seen) >= self.per_minute:
            return False
        seen.append(now)
        return True


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
        self._suffix = ""
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
            raise UploadRefused(400, "The form was not sent the way this page sends it.")
        self._name = name
        if name == "export":
            filename = options.get(b"filename", b"").decode("utf-8", "replace")
            if filename:
                self._is_file = True
                self._suffix = upload_suffix(filename)
                if self.form.file_path is not None:
                    raise UploadRefused(400, "Upload one export at a time.")
                path = self.folder / stored_name(filename, self._suffix)
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                self._file = os.fdopen(fd, "wb")
                self.form.file_path = path

    def _part_data(self, data: bytes, start: int, end: int) -> None:
        chunk = data[start:end]
        self._guard(lambda: self._take(chunk))

    def _take(self, chunk: bytes) -> None:
        if not self._is_file:
            self._field += chunk
            if len(self._field) > MAX_FIELD_BYTES:
                raise UploadRefused(400, f"The field {self._name!r} is too long.")
            return
        assert self._file is not None
        self.form.file_bytes += len(chunk)
        if self.form.file_bytes > self.cap:
            raise UploadRefused(413, f"The export is larger than this kiosk accepts ({self.cap >> 20} MB).")
        if len(self._head) < _CHUNK_SNIFF:
            # Nothing reaches the disk until the first bytes have passed the type check.
            self._head += chunk
            if len(self._head) >= _CHUNK_SNIFF:
                check_head(bytes(self._head), self._suffix)
                self._file.write(self._head)
            return
        self._file.write(chunk)

    def _part_end(self) -> None:
        self._guard(self._end_part)

    def _end_part(self) -> None:
        if self._is_file:
            assert self._file is not None
            if len(self._head) < _CHUNK_SNIFF:
                check_head(bytes(self._head), self._suffix)
                self._file.write(self._head)
            self._file.close()
            self._file = None
            if self.form.file_bytes == 0:
                raise UploadRefused(400, "The uploaded file is empty.")
        elif self._name != "export":
            self.form.fields[self._name] = self._field.decode("utf-8", "replace")

    def _end(self) -> None:
        self.complete = True

    def close(self) -> None:
        if self._file is not None:
            self._file.close()


class Kiosk:
    """The app's state: config (refreshed from ``watcher``), store, secrets and limits."""

    def __init__(
        self, config: Config, store: JobStore, watcher: ConfigWatcher | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._config = config
        self.store = store
        self.watcher = watcher
        self.clock = clock
        self._polled = clock()
        self._lock = threading.Lock()
        self.secret = secrets.token_bytes(32)
        self.limiter = RateLimiter(config.kiosk.submits_per_minute)
        self.upload_dir = config.kiosk.upload_dir.absolute()
        self.upload_dir.mkdir(parents=True, exist_ok=True)
        self.env = Environment(
            loader=FileSystemLoader(_HERE / "templates"), autoescape=select_autoescape(default=True)
        )

    @property
    def config(self) -> Config:
        """The config in force, with a curator's edit of the file taken up within about a second."""
        if self.watcher is not None:
            with self._lock:
                now = self.clock()
                if now - self._polled >= RELOAD_SECONDS:
                    self._polled = now
                    if self.watcher.poll():
                        self._take_up(self.watcher.config)
        return self._config

    def _take_up(self, new: Config) -> None:
        from installation.jobs.worker import changed_keys

        for key in changed_keys(self._config, new, RESTART_KEYS):
            log.warning("config: %s changed; the kiosk keeps the old value until it is restarted", key)
        self.limiter.per_minute = new.kiosk.submits_per_minute
        self._config = new

    # --- CSRF: a random nonce in a cookie; the form's token is the nonce and its HMAC ------------

    def _sign(self, nonce: str) -> str:
        return hmac.new(self.secret, nonce.encode(), hashlib.sha256).hexdigest()

    def csrf_nonce(self, request: Request) -> str:
        nonce = request.cookies.get(CSRF_COOKIE, "")
        return nonce if len(nonce) == 32 else secrets.token_hex(16)

    def csrf_ok(self, request: Request, token: str) -> bool:
        nonce = request.cookies.get(CSRF_COOKIE, "")
        given_nonce, _, mac = token.partition(".")
        return bool(nonce) and hmac.compare_digest(given_nonce, nonce) and hmac.compare_digest(
            mac, self._sign(nonce)
        )

    def page(self, request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
        nonce = self.csrf_nonce(request)
        html = self.env.get_template(template).render(csrf=f"{nonce}.{self._sign(nonce)}", **context)
        response = HTMLResponse(html, status_code=status)
        response.set_cookie(CSRF_COOKIE, nonce, httponly=True, samesite="strict")
        response.headers["Cache-Control"] = "no-store"
        return response

    def message(self, request: Request, status: int, heading: str, text: str) -> HTMLResponse:
        return self.page(request, "message.html", status=status, heading=heading, text=text)

    def client(self, request: Request) -> str:
        return request.client.host if request.client else "unknown"

    # --- curator -----------------------------------------------------------------------------------

    def curator_ok(self, request: Request) -> bool:
        token = self.config.kiosk.curator_token
        if token is None:
            return False
        cookie = request.cookies.get(CURATOR_COOKIE, "")
        return hmac.compare_digest(cookie, self._sign("curator:" + token))

    def kiosk_url(self) -> str:
        if self.config.kiosk.public_url:
            return self.config.kiosk.public_url
        host = self.config.kiosk.host
        if host in ("0.0.0.0", "::", ""):
            host = _lan_address()
        return f"http://{host}:{self.config.kiosk.port}/"


def _lan_address() -> str:
    """This machine's address on the local network (no packet is sent)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("10.255.255.255", 1))
            return str(s.getsockname()[0])
        except OSError:
            return "127.0.0.1"


def qr_svg(url: str) -> str:
    import segno

    return str(segno.make(url, error="m").svg_inline(scale=4, dark="#111", light="#fff"))


def stage_rows(state: str) -> list[dict[str, Any]]:
    order = [s for s, _ in STAGES]
    at = order.index(state) if state in order else -1
    return [{"label": label, "done": i <= at, "current": i == at + 1} for i, (_, label) in enumerate(STAGES)]


def create_app(config: Config, store: JobStore | None = None) -> FastAPI:
    """The kiosk as an ASGI app; ``store`` defaults to the configured SQLite file.

    With ``config.source`` set, the handlers follow edits of that file (``Kiosk.config``).
    """
    from installation.jobs.worker import open_configured_store, watch_config

    watcher = watch_config(config)
    kiosk = Kiosk(config, store or open_configured_store(config), watcher)
    app = FastAPI(title="social-portrait kiosk", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.kiosk = kiosk
    app.mount("/static", StaticFiles(directory=_HERE / "static"), name="static")

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        response = await call_next(request)
        response.headers.update(SECURITY_HEADERS)
        return response

    @app.exception_handler(UploadRefused)
    def refused(request: Request, exc: UploadRefused) -> Response:
        return kiosk.message(request, exc.status, "Not accepted", exc.message)

    def job_or_404(request: Request, job_id: str) -> Any:
        job = kiosk.store.get(job_id) if is_job_id(job_id) else None
        if job is None:
            return kiosk.message(request, 404, "Not found", "There is no portrait at this address.")
        return job

    @app.get("/", response_class=HTMLResponse)
    def welcome(request: Request) -> HTMLResponse:
        config = kiosk.config
        url = kiosk.kiosk_url()
        return kiosk.page(
            request, "welcome.html", consent=config.kiosk.consent_text, qr=qr_svg(url), url=url,
            max_mb=int(config.kiosk.max_upload_mb), suffixes=", ".join(UPLOAD_SUFFIXES),
            bye="bye" in request.query_params,
        )

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.post("/submit")
    async def submit(request: Request) -> Response:
        # 1. Refuse what can be refused before reading a byte: rate, size, type of request
        config = kiosk.config
        if not kiosk.limiter.allow(kiosk.client(request)):
            return kiosk.message(request, 429, "Please wait", "Too many submissions from here; wait a minute.")
        cap = int(config.kiosk.max_upload_mb * (1 << 20))
        declared = request.headers.get("content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > cap + (64 << 10)):
            return kiosk.message(request, 413, "Too large",
                                 f"The export is larger than this kiosk accepts ({cap >> 20} MB).")
        from python_multipart.multipart import MultipartParser, parse_options_header

        ctype, options = parse_options_header(request.headers.get("content-type", ""))
        multipart = ctype == b"multipart/form-data" and b"boundary" in options
        if not multipart and ctype != b"application/x-www-form-urlencoded":
            return kiosk.message(request, 415, "Not a form", "Send the form on the welcome page.")
        # 2. Stream the body into a new job folder (a form without a file, such as a handle, is small)
        job_id = new_job_id()
        folder = kiosk.upload_dir / job_id
        folder.mkdir(mode=0o700)
        try:
            if multipart:
                form = await _stream_upload(request, MultipartParser, options[b"boundary"], folder, cap)
            else:
                form = Form(fields=await _small_form(request))
            # 3. Check the form: token, consent, one source, nickname
            if not kiosk.csrf_ok(request, form.fields.get("csrf", "")):
                raise UploadRefused(403, "This form has expired. Go back to the welcome page and try again.")
            if form.fields.get("consent") != "yes":
                raise UploadRefused(400, "Please tick the box to say you agree before we read anything.")
            nickname = " ".join(form.fields.get("nickname", "").split())
            if len(nickname) > MAX_NICKNAME or not all(c.isprintable() for c in nickname):
                raise UploadRefused(400, f"A nickname is at most {MAX_NICKNAME} ordinary characters.")
            handle_text = form.fields.get("handle", "").strip()
            if (form.file_path is None) == (not handle_text):
                raise UploadRefused(400, "Choose an export file or type a public handle (one of them).")
            if handle_text:
                from extractors.intake.handles import parse_handle

                handle_text = str(parse_handle(handle_text))
        except (UploadRefused, IntakeError) as exc:
            shutil.rmtree(folder, ignore_errors=True)
            status, text = (exc.status, exc.message) if isinstance(exc, UploadRefused) else (400, str(exc))
            log.info("submit refused (%d): %s", status, text)
            return kiosk.message(request, status, "Not accepted", text)
        # 4. Queue the job
        job = kiosk.store.submit(
            job_id, work_dir=folder, source="handle" if handle_text else "upload",
            export_path=form.file_path, handle=handle_text or None, nickname=nickname,
        )
        log.info("job %s: submitted (%s, %d bytes)", job.id, job.source, form.file_bytes)
        return RedirectResponse(f"/job/{job.id}", status_code=303)

    @app.get("/job/{job_id}", response_class=HTMLResponse)
    def progress(request: Request, job_id: str) -> Response:
        job = job_or_404(request, job_id)
        if isinstance(job, Response):
            return job
        if job.state == "done":
            return RedirectResponse(f"/job/{job.id}/result", status_code=303)
        return kiosk.page(request, "progress.html", job=job, stages=stage_rows(job.state),
                          position=kiosk.store.position(job.id), note=WAITING_NOTES.get(job.state))

    @app.get("/job/{job_id}/status")
    def status(job_id: str) -> JSONResponse:
        job = kiosk.store.get(job_id) if is_job_id(job_id) else None
        if job is None:
            return JSONResponse({"error": "no such job"}, status_code=404)
        return JSONResponse({
            "state": job.state,
            "stages": stage_rows(job.state),
            "position": kiosk.store.position(job.id),
            "error": job.error,
            "note": WAITING_NOTES.get(job.state),
            "result": f"/job/{job.id}/result" if job.state == "done" else None,
        }, headers={"Cache-Control": "no-store"})

    @app.get("/job/{job_id}/result", response_class=HTMLResponse)
    def result(request: Request, job_id: str) -> Response:
        job = job_or_404(request, job_id)
        if isinstance(job, Response):
            return job
        if job.state != "done":
            return RedirectResponse(f"/job/{job.id}", status_code=303)
        return kiosk.page(request, "result.html", job=job, portrait=job.portrait or {})

    @app.get("/job/{job_id}/image")
    def image(request: Request, job_id: str) -> Response:
        job = job_or_404(request, job_id)
        if isinstance(job, Response):
            return job
        if job.state != "done" or job.image_path is None or not job.image_path.is_file():
            return kiosk.message(request, 404, "Not found", "This portrait cannot be shown.")
        return FileResponse(job.image_path, media_type="image/png", headers={"Cache-Control": "no-store"})

    @app.post("/job/{job_id}/leave")
    async def leave(request: Request, job_id: str) -> Response:
        form = await _small_form(request)
        if not kiosk.csrf_ok(request, form.get("csrf", "")):
            return kiosk.message(request, 403, "Expired", "This form has expired.")
        if is_job_id(job_id):
            with contextlib.suppress(JobNotFoundError):  # already forgotten: nothing left to scrub
                kiosk.store.scrub_evidence(job_id)
        return RedirectResponse("/?bye=1", status_code=303)

    @app.get("/forget", response_class=HTMLResponse)
    def forget_page(request: Request) -> HTMLResponse:
        return kiosk.page(request, "forget.html")

    @app.post("/forget")
    async def forget_submit(request: Request) -> Response:
        if not kiosk.limiter.allow(kiosk.client(request)):
            return kiosk.message(request, 429, "Please wait", "Too many tries from here; wait a minute.")
        form = await _small_form(request)
        if not kiosk.csrf_ok(request, form.get("csrf", "")):
            return kiosk.message(request, 403, "Expired", "This form has expired. Open the forget page again.")
        try:
            removed = forget(kiosk.store, form.get("code", ""))
        except JobNotFoundError:
            return kiosk.message(request, 404, "Not found", "No portrait has that code. Check it and try again.")
        log.info("job %s: forgotten by its visitor", removed.id)
        return kiosk.message(request, 200, "Forgotten",
                             "Your portrait, its words and every file of it have been deleted.")

    # --- curator pages -------------------------------------------------------------------------

    def curator_gate(request: Request) -> Response | None:
        if kiosk.config.kiosk.curator_token is None:
            return kiosk.message(request, 404, "Not found", "Curator pages are switched off.")
        if not kiosk.curator_ok(request):
            return RedirectResponse("/curator/login", status_code=303)
        return None

    @app.get("/curator/login", response_class=HTMLResponse)
    def curator_login(request: Request) -> HTMLResponse:
        if kiosk.config.kiosk.curator_token is None:
            return kiosk.message(request, 404, "Not found", "Curator pages are switched off.")
        return kiosk.page(request, "curator_login.html")

    @app.post("/curator/login")
    async def curator_login_submit(request: Request) -> Response:
        token = kiosk.config.kiosk.curator_token
        if token is None:
            return kiosk.message(request, 404, "Not found", "Curator pages are switched off.")
        if not kiosk.limiter.allow(kiosk.client(request)):
            return kiosk.message(request, 429, "Please wait", "Too many tries from here; wait a minute.")
        form = await _small_form(request)
        if not kiosk.csrf_ok(request, form.get("csrf", "")) or not hmac.compare_digest(
            form.get("token", "").encode(), token.encode()
        ):
            return kiosk.message(request, 403, "Refused", "That is not the curator token.")
        response = RedirectResponse("/curator", status_code=303)
        response.set_cookie(CURATOR_COOKIE, kiosk._sign("curator:" + token), httponly=True, samesite="strict")
        return response

    @app.get("/curator", response_class=HTMLResponse)
    def curator(request: Request) -> Response:
        return curator_gate(request) or kiosk.page(
            request, "curator.html", jobs=kiosk.store.jobs(), counts=kiosk.store.counts()
        )

    @app.post("/curator/job/{job_id}/{action}")
    async def curator_review(request: Request, job_id: str, action: str) -> Response:
        gate = curator_gate(request)
        if gate is not None:
            return gate
        form = await _small_form(request)
        if not kiosk.csrf_ok(request, form.get("csrf", "")):
            return kiosk.message(request, 403, "Expired", "This form has expired.")
        if action not in ("approve", "hide", "hold") or not is_job_id(job_id):
            return kiosk.message(request, 404, "Not found", "No such job or action.")
        review: Literal["approve", "hide", "hold"] = action  # type: ignore[assignment]
        try:
            kiosk.store.review(job_id, review)
        except PortraitError as exc:
            return kiosk.message(request, 409, "Not possible", str(exc))
        return RedirectResponse("/curator", status_code=303)

    @app.get("/curator/config", response_class=HTMLResponse)
    def curator_config(request: Request) -> Response:
        gate = curator_gate(request)
        if gate is not None:
            return gate
        config = kiosk.config  # polls first, so the refusal below is as fresh as the config
        refused = kiosk.watcher.error if kiosk.watcher is not None else None
        return kiosk.page(request, "curator_config.html", checks=config_checks(config, refused))

    @app.get("/curator/job/{job_id}/image")
    def curator_image(request: Request, job_id: str) -> Response:
        gate = curator_gate(request)
        if gate is not None:
            return gate
        job = kiosk.store.get(job_id) if is_job_id(job_id) else None
        if job is None or job.image_path is None or not job.image_path.is_file():
            return kiosk.message(request, 404, "Not found", "No image for this job.")
        return FileResponse(job.image_path, media_type="image/png")

    return app


async def _stream_upload(request: Request, parser_class: Any, boundary: bytes, folder: Path, cap: int) -> Form:
    """Parse a multipart body as it arrives; the file goes to ``folder``, never into memory."""
    sink = _UploadSink(folder, cap)
    parser = parser_class(boundary, sink.callbacks())
    try:
        received = 0
        async for chunk in request.stream():
            received += len(chunk)
            if received > cap + (64 << 10):
                raise UploadRefused(413, f"The export is larger than this kiosk accepts ({cap >> 20} MB).")
            parser.write(chunk)
        parser.finalize()
        if not sink.complete:
            raise UploadRefused(400, "The form could not be read: it ended too soon.")
    except UploadRefused:
        raise
    except Exception as exc:
        raise sink.error or UploadRefused(400, "The form could not be read.") from exc
    finally:
        sink.close()
    return sink.form


async def _small_form(request: Request) -> dict[str, str]:
    """A form of a few short fields; anything bigger is not one of ours and is not read."""
    length = request.headers.get("content-length", "")
    if not length.isdigit():
        raise UploadRefused(411, "The form was not sent the way this page sends it.")
    if int(length) > MAX_SMALL_FORM:
        raise UploadRefused(413, "The form is larger than any form of this kiosk.")
    form = await request.form(max_files=0, max_fields=8, max_part_size=MAX_FIELD_BYTES)
    return {k: v for k, v in form.items() if isinstance(v, str)}


def config_checks(config: Config, refused: str | None = None) -> list[tuple[str, bool, str]]:
    """What a curator wants to know before opening: (check, ok, detail).

    ``refused``: why the file's latest edit was not taken up (``ConfigWatcher.error``), if it was not.
    """
    checks: list[tuple[str, bool, str]] = []
    if refused is not None:
        checks.append(("config file", False, f"the last edit was refused, so the last good config is "
                                             f"still in force: {refused}"))
    elif config.source is not None:
        checks.append(("config file", True, f"{config.source} is valid and in force"))
    else:
        checks.append(("config file", True, "no file: every value is its default"))
    for label, path in (("store", config.store.path.parent), ("uploads", config.kiosk.upload_dir),
                        ("artworks", config.render.output_dir)):
        ok = path.is_dir() and os.access(path, os.W_OK)
        checks.append((f"{label} folder", ok, f"{path} {'is writable' if ok else 'is missing or read-only'}"))
    checks.append(("render model", True, f"{config.render.backend}: {config.render.model}"))
    try:
        check_config(config)
        checks.append(("styles", True, ", ".join(sorted(config.styles))))
    except ConfigError as exc:
        checks.append(("styles", False, str(exc)))
    checks.append(("approval", True, "automatic" if config.store.auto_approve else "a curator approves each"))
    checks.append(("snippets kept", True, f"{config.retention.evidence_minutes:g} minutes after the result"))
    checks.append(("raw exports deleted", True, config.retention.raw_export.replace("_", " ")))
    return checks


def run_kiosk(config: Config) -> None:
    """``portrait kiosk``: serve on the configured address until interrupted."""
    import uvicorn

    app = create_app(config)
    log.info("kiosk: listening on %s:%d", config.kiosk.host, config.kiosk.port)
    uvicorn.run(app, host=config.kiosk.host, port=config.kiosk.port, log_level="info",
                server_header=False, access_log=False)
