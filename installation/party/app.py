"""The party's web server: the host screen, the phones' pages, the images, and the party worker beside them.

``create_party_app(config, store)`` builds the app (the tests drive it with FastAPI's TestClient);
``run_party(config)`` is ``portrait party host``: it serves on ``[party] host:port`` and paints the
steps in a worker thread of the same process unless told not to.
"""

from __future__ import annotations

import logging
import threading

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles

from installation.config import Config
from installation.errors import PartyError, PortraitError
from installation.party.context import HERE, SECURITY_HEADERS, PartyContext
from installation.party.host import host_routes
from installation.party.phone import phone_routes
from installation.party.store import PartyStore, open_party_store
from installation.party.worker import PartyWorker, open_provenance, stream_guard

log = logging.getLogger("portrait.party")


def create_party_app(config: Config, store: PartyStore) -> FastAPI:
    """The host screen, the phones' pages and the images of one party store."""
    context = PartyContext(config, store)
    app = FastAPI(title="social-portrait party", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.party = context
    app.mount("/party-static", StaticFiles(directory=HERE / "static"), name="party-static")
    app.include_router(host_routes(context))
    app.include_router(phone_routes(context))

    @app.exception_handler(PortraitError)
    def refused(request: Request, exc: PortraitError) -> Response:
        status = 400 if isinstance(exc, PartyError) else 500
        return JSONResponse({"error": str(exc)}, status_code=status, headers=SECURITY_HEADERS)

    @app.get("/img/{step_id}.png")
    def image(step_id: int) -> Response:
        step = store.step(step_id)
        if step.state != "done" or step.image_path is None or not step.image_path.is_file():
            raise PartyError(f"step {step.number} has no image")
        return FileResponse(step.image_path, media_type="image/png", headers=SECURITY_HEADERS)

    @app.get("/")
    def home() -> Response:
        return JSONResponse({"host": "/host", "phones": "/p/SESSION"})

    return app


def run_party(config: Config, *, model: str | None = None, worker: bool = True) -> None:
    """``portrait party host``: serve the party; paint its steps in this process too unless ``worker`` is False."""
    import uvicorn

    if worker:
        open_provenance(config)
    store = open_party_store(config.party.store_path)
    painter = PartyWorker(store, config, model=model, busy=stream_guard(config)) if worker else None
    thread = threading.Thread(target=painter.run, name="party-worker", daemon=True) if painter else None
    if thread:
        thread.start()
    log.info("party host screen on http://%s:%s/host", config.party.host, config.party.port)
    try:
        uvicorn.run(create_party_app(config, store), host=config.party.host, port=config.party.port,
                    log_level="warning")  # fmt: skip
    finally:
        if painter and thread:
            painter.stop.set()
            thread.join(timeout=30)
        store.close()
