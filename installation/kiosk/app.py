"""The kiosk: where a visitor consents, hands over an export or a handle, and sees their portrait.

``create_app`` puts it together: the state (``state.Kiosk``), the visitor's routes (``visitor``), the
curator's (``curator``), uploads streamed under their caps (``upload``). A job id is 128 random bits and
is the only key to a visitor's progress and result pages.

A kiosk started from a config file re-reads it when it changes (at most once a second): consent text,
upload cap, rate limit and curator token take effect without a restart. A refused edit is shown on the
curator's config page, and the last good config stays in force.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles

from installation.address import phone_url, this_machine_only
from installation.config import Config
from installation.jobs.store import JobStore
from installation.kiosk.curator import curator_router
from installation.kiosk.repeat import repeat_router
from installation.kiosk.staging import SWEEP_SECONDS
from installation.kiosk.stall import StallGuard
from installation.kiosk.state import HERE, Kiosk
from installation.kiosk.upload import UploadRefused
from installation.kiosk.visitor import visitor_router

log = logging.getLogger("portrait.kiosk")

__all__ = ["Kiosk", "create_app", "run_kiosk"]

# Pages load only their own script, style and images; nothing may frame them.
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self'; style-src 'self' 'unsafe-inline'; "
                               "script-src 'self'; frame-ancestors 'none'; form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


def create_app(config: Config, store: JobStore | None = None) -> FastAPI:
    """The kiosk as an ASGI app; ``store`` defaults to the configured SQLite file.

    With ``config.source`` set, the handlers follow edits of that file (``Kiosk.config``).
    """
    from installation.jobs.worker import open_configured_store, watch_config

    kiosk = Kiosk(config, store or open_configured_store(config), watch_config(config))
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Sweep every SWEEP_SECONDS while serving: killed uploads, unseen jobs, expired snippets.
        stop = threading.Event()
        sweeper = threading.Thread(target=_sweep_until, args=(kiosk, stop), name="kiosk-sweep", daemon=True)
        sweeper.start()
        yield
        stop.set()
        sweeper.join(timeout=5)

    app = FastAPI(title="social-portrait kiosk", docs_url=None, redoc_url=None, openapi_url=None,
                  lifespan=lifespan)
    app.state.kiosk = kiosk
    app.add_middleware(StallGuard, seconds=config.kiosk.body_stall_seconds)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        response = await call_next(request)
        response.headers.update(SECURITY_HEADERS)
        if not request.url.path.startswith("/static/"):
            # A shared screen's Back button must ask again, never show a page from the cache.
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    @app.exception_handler(UploadRefused)
    def refused(request: Request, exc: UploadRefused) -> Response:
        return kiosk.message(request, exc.status, "Not accepted", exc.message, **exc.params)

    app.include_router(visitor_router(kiosk))
    app.include_router(repeat_router(kiosk))
    app.include_router(curator_router(kiosk))
    return app


def _sweep_until(kiosk: Kiosk, stop: threading.Event) -> None:
    while not stop.wait(SWEEP_SECONDS):
        kiosk.sweep()


def run_kiosk(config: Config) -> None:
    """``portrait kiosk``: serve on the configured address until interrupted."""
    import uvicorn

    app = create_app(config)
    log.info("kiosk: listening on %s:%d", config.kiosk.host, config.kiosk.port)
    if config.kiosk.public_url is None and this_machine_only(config.kiosk.host):
        log.warning(
            "kiosk: listening on %s, this machine only: the QR code sends phones to %s, where nothing answers "
            "unless a proxy forwards it; set [kiosk] host = \"0.0.0.0\" (or public_url) for phones to reach it",
            config.kiosk.host, phone_url(config.kiosk.host, config.kiosk.port),
        )
    uvicorn.run(app, host=config.kiosk.host, port=config.kiosk.port, log_level="info",
                server_header=False, access_log=False)
