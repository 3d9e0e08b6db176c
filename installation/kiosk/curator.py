"""The curator's pages: login, the queue with approve / hold / hide, the config check, full images."""

from __future__ import annotations

import hmac
import os
from typing import Literal

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response

from installation.compose.composer import check_config
from installation.config import Config
from installation.errors import ConfigError, PortraitError
from installation.jobs.store import is_job_id
from installation.kiosk.state import CURATOR_COOKIE, Kiosk
from installation.kiosk.upload import small_form


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



def curator_router(kiosk: Kiosk) -> APIRouter:
    """The curator's routes, answering from ``kiosk``; every one but login is behind the curator's cookie."""
    router = APIRouter()

    def curator_gate(request: Request) -> Response | None:
        if kiosk.config.kiosk.curator_token is None:
            return kiosk.message(request, 404, "Not found", "Curator pages are switched off.")
        if not kiosk.curator_ok(request):
            return RedirectResponse("/curator/login", status_code=303)
        return None

    @router.get("/curator/login", response_class=HTMLResponse)
    def curator_login(request: Request) -> HTMLResponse:
        if kiosk.config.kiosk.curator_token is None:
            return kiosk.message(request, 404, "Not found", "Curator pages are switched off.")
        return kiosk.page(request, "curator_login.html")

    @router.post("/curator/login")
    async def curator_login_submit(request: Request) -> Response:
        token = kiosk.config.kiosk.curator_token
        if token is None:
            return kiosk.message(request, 404, "Not found", "Curator pages are switched off.")
        if not kiosk.limiter.allow(kiosk.client(request)):
            return kiosk.message(request, 429, "Please wait", "Too many tries from here; wait a minute.")
        form = await small_form(request)
        if not kiosk.csrf_ok(request, form.get("csrf", "")) or not hmac.compare_digest(
            form.get("token", "").encode(), token.encode()
        ):
            return kiosk.message(request, 403, "Refused", "That is not the curator token.")
        response = RedirectResponse("/curator", status_code=303)
        response.set_cookie(CURATOR_COOKIE, kiosk._sign("curator:" + token), httponly=True, samesite="strict")
        return response

    @router.get("/curator", response_class=HTMLResponse)
    def curator(request: Request) -> Response:
        return curator_gate(request) or kiosk.page(
            request, "curator.html", jobs=kiosk.store.jobs(), counts=kiosk.store.counts()
        )

    @router.post("/curator/job/{job_id}/{action}")
    async def curator_review(request: Request, job_id: str, action: str) -> Response:
        gate = curator_gate(request)
        if gate is not None:
            return gate
        form = await small_form(request)
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

    @router.get("/curator/config", response_class=HTMLResponse)
    def curator_config(request: Request) -> Response:
        gate = curator_gate(request)
        if gate is not None:
            return gate
        config = kiosk.config  # polls first, so the refusal below is as fresh as the config
        refused = kiosk.watcher.error if kiosk.watcher is not None else None
        return kiosk.page(request, "curator_config.html", checks=config_checks(config, refused))

    @router.get("/curator/job/{job_id}/image")
    def curator_image(request: Request, job_id: str) -> Response:
        gate = curator_gate(request)
        if gate is not None:
            return gate
        job = kiosk.store.get(job_id) if is_job_id(job_id) else None
        if job is None or job.image_path is None or not job.image_path.is_file():
            return kiosk.message(request, 404, "Not found", "No image for this job.")
        return FileResponse(job.image_path, media_type="image/png")


    return router
