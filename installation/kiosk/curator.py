"""The curator's pages: login, the queue (filtered by state, with the actions that fit each job's state,
clear failed jobs, the technical error beside the visitor's sentence), the config check, full images."""

from __future__ import annotations

import contextlib
import hmac
import logging
import os
from typing import Literal

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response

from installation.compose.composer import check_config
from installation.config import Config
from installation.errors import ConfigError, JobNotFoundError, PortraitError
from installation.jobs.records import JOB_STATES, Job, JobState
from installation.jobs.store import forget, is_job_id
from installation.kiosk.outcomes import failure_of
from installation.kiosk.state import CURATOR_COOKIE, Kiosk
from installation.kiosk.upload import small_form

log = logging.getLogger("portrait.kiosk")


def actions_for(job: Job) -> tuple[str, ...]:
    """The curator's actions that fit ``job``'s state (none while it is at work)."""
    if job.state == "failed":
        can_retry = job.handle is not None or (job.export_path is not None and job.export_path.is_file())
        return ("retry", "delete") if can_retry else ("delete",)
    if job.state == "done":
        return ("hold", "hide", "delete") if job.approved else ("approve", "hold", "hide", "delete")
    if job.state == "held":
        return ("approve", "hide", "delete")
    if job.state == "hidden":
        return ("approve", "hold", "delete")
    return ()


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
        wanted = request.query_params.get("state", "")
        states: tuple[JobState, ...] = (wanted,) if wanted in JOB_STATES else ()  # type: ignore[assignment]
        return curator_gate(request) or kiosk.page(
            request, "curator.html", jobs=kiosk.store.jobs(states), counts=kiosk.store.counts(),
            shown_state=states[0] if states else "", actions=actions_for, failure_of=failure_of,
        )

    @router.post("/curator/clear-failed")
    async def curator_clear_failed(request: Request) -> Response:
        refused = await curator_form(request)
        if refused is not None:
            return refused
        cleared = 0
        for job in kiosk.store.jobs(("failed",), limit=10_000):
            with contextlib.suppress(JobNotFoundError):
                forget(kiosk.store, job.code)
                cleared += 1
        log.info("curator: cleared %d failed jobs", cleared)
        return RedirectResponse("/curator", status_code=303)

    @router.post("/curator/job/{job_id}/{action}")
    async def curator_review(request: Request, job_id: str, action: str) -> Response:
        refused = await curator_form(request)
        if refused is not None:
            return refused
        job = kiosk.store.get(job_id) if is_job_id(job_id) else None
        if job is None or action not in actions_for(job):
            return kiosk.message(request, 404, "Not found", "No such job, or that action does not fit its state.")
        try:
            if action == "retry":
                kiosk.store.retry(job.id)
            elif action == "delete":
                forget(kiosk.store, job.code)
            else:
                review: Literal["approve", "hide", "hold"] = action  # type: ignore[assignment]
                kiosk.store.review(job.id, review)
        except PortraitError as exc:
            return kiosk.message(request, 409, "Not possible", str(exc))
        log.info("job %s: %s by the curator", job.id, action)
        return RedirectResponse("/curator", status_code=303)

    async def curator_form(request: Request) -> Response | None:
        gate = curator_gate(request)
        if gate is not None:
            return gate
        form = await small_form(request)
        if not kiosk.csrf_ok(request, form.get("csrf", "")):
            return kiosk.message(request, 403, "Expired", "This form has expired.")
        return None

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
