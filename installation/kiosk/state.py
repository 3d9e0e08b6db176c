"""The kiosk's state: config (refreshed from the watcher), store, secrets, limits, and page rendering.

Forms carry a CSRF token bound to a cookie, and every form that writes is rate-limited per client
address. A kiosk started from a config file re-reads it when it changes (at most once a second).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from installation.address import phone_url
from installation.config import Config
from installation.errors import PortraitError
from installation.i18n import LANGUAGES, catalogue, choose, translator
from installation.jobs.reload import ConfigWatcher
from installation.jobs.store import JobStore
from installation.kiosk.staging import Staging
from installation.kiosk.visit import Visits, load_key

log = logging.getLogger("portrait.kiosk")

HERE = Path(__file__).parent
CSRF_COOKIE = "portrait_csrf"
CURATOR_COOKIE = "portrait_curator"
LANG_COOKIE = "portrait_lang"
RELOAD_SECONDS = 1.0  # how often, at most, a request looks whether config.toml changed
# Used once, at start-up: an edit of these waits for a restart.
RESTART_KEYS = ("kiosk.host", "kiosk.port", "kiosk.upload_dir", "store.path")


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
        # The kiosk's own folders, beside the uploads and on the same disk: staging and unseen marks.
        self.private_dir = self.upload_dir.with_name(self.upload_dir.name + "-kiosk")
        self.private_dir.mkdir(mode=0o700, exist_ok=True)
        self.staging = Staging(self.upload_dir, self.private_dir)
        self.sweep()  # what a killed kiosk left behind goes at the next start
        key_file = config.kiosk.visit_key_file
        self.visits = Visits(
            load_key(key_file) if key_file else secrets.token_bytes(32), self.is_shared_screen,
            idle_seconds=lambda: self.config.kiosk.visit_idle_seconds,
            phone_seconds=lambda: self.config.kiosk.phone_visit_hours * 3600,
        )
        self.env = Environment(
            loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(default=True),
            extensions=["jinja2.ext.i18n"],
        )
        self.env.globals["style_label"] = self.style_label

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

    def lang(self, request: Request) -> str:
        """The visitor's language: ``?lang=`` just picked, else the cookie, else Accept-Language."""
        return choose(request.query_params.get("lang"), request.cookies.get(LANG_COOKIE),
                      request.headers.get("accept-language"))

    def gettext(self, request: Request) -> Callable[[str], str]:
        return translator(self.lang(request))

    def page(self, request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
        nonce = self.csrf_nonce(request)
        lang = self.lang(request)
        _ = translator(lang)
        html = self.env.get_template(template).render(
            csrf=f"{nonce}.{self._sign(nonce)}", lang=lang, languages=LANGUAGES, gettext=_, _=_,
            ngettext=catalogue(lang).ngettext, **context,
        )
        response = HTMLResponse(html, status_code=status)
        response.set_cookie(CSRF_COOKIE, nonce, httponly=True, samesite="strict")
        if request.query_params.get("lang") in LANGUAGES:
            # Remembered for the visit's other pages; a year, as the kiosk's screen keeps its language.
            response.set_cookie(LANG_COOKIE, lang, max_age=365 * 86400, samesite="lax")
        response.headers["Cache-Control"] = "no-store"
        return response

    def message(self, request: Request, status: int, heading: str, text: str, **params: object) -> HTMLResponse:
        """A page of one message; ``heading`` and ``text`` are catalogue messages, ``params`` their values."""
        _ = self.gettext(request)
        return self.page(request, "message.html", status=status, heading=_(heading),
                         text=_(text) % params if params else _(text))

    def client(self, request: Request) -> str:
        return request.client.host if request.client else "unknown"

    def sweep(self) -> None:
        """Staging leftovers, unreachable uploads and jobs, expired snippets (``Staging.sweep``)."""
        try:
            removed = self.staging.sweep(self.store, self.config.kiosk.orphan_grace_seconds)
        except (OSError, PortraitError) as exc:
            log.warning("sweep: stopped early (%s: %s); it runs again soon", type(exc).__name__, exc)
            return
        if removed:
            log.info("sweep: removed %d leftovers of killed uploads, unseen jobs or expired snippets", removed)

    def style_label(self, key: str) -> str:
        """The curator's name for a style (its ``label``), as people read it; the key only in JSON."""
        style = self.config.styles.get(key)
        return style.label if style is not None and style.label else key

    def is_shared_screen(self, client: str) -> bool:
        screens = self.config.kiosk.shared_screens
        return "*" in screens or client in screens

    # --- curator -----------------------------------------------------------------------------------

    def curator_ok(self, request: Request) -> bool:
        token = self.config.kiosk.curator_token
        if token is None:
            return False
        cookie = request.cookies.get(CURATOR_COOKIE, "")
        return hmac.compare_digest(cookie, self._sign("curator:" + token))

    def kiosk_url(self) -> str:
        """What the welcome page's QR code says: ``public_url``, else the wall's rule (``phone_url``)."""
        return self.config.kiosk.public_url or phone_url(self.config.kiosk.host, self.config.kiosk.port)



def qr_svg(url: str) -> str:
    import segno

    return str(segno.make(url, error="m").svg_inline(scale=4, dark="#111", light="#fff"))

