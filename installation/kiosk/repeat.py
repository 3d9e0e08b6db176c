"""The same export uploaded again: its content hash, and the small page that asks whether the new portrait
replaces the earlier one or both stay.

The hash is of the staged bytes as they arrived (SHA-256), so a renamed copy is the same export. The
question is asked of the browser whose visit the new job is; replacing forgets the earlier job (record,
artwork, files), so its portrait leaves the wall; keeping both goes on as any upload does.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from installation.errors import JobNotFoundError
from installation.i18n import N_
from installation.jobs.records import ACTIVE_STATES
from installation.jobs.store import forget, is_job_id
from installation.kiosk.state import Kiosk
from installation.kiosk.upload import small_form

log = logging.getLogger("portrait.kiosk")

_CHUNK = 1 << 20


def content_hash(path: Path) -> str:
    """The SHA-256 of a staged export, read in chunks (an export may be hundreds of megabytes)."""
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def repeat_router(kiosk: Kiosk) -> APIRouter:
    """The repeated-export question, answering from ``kiosk``."""
    router = APIRouter()

    def visiting(request: Request, job_id: str) -> bool:
        job = kiosk.store.get(job_id) if is_job_id(job_id) else None
        return job is not None and kiosk.visits.read(request, job.id, active=job.state in ACTIVE_STATES) is not None

    @router.get("/job/{job_id}/repeat", response_class=HTMLResponse)
    def ask(request: Request, job_id: str) -> Response:
        if not visiting(request, job_id):
            return RedirectResponse("/", status_code=303)  # any other browser, or after the visit ended
        job = kiosk.store.get(job_id)
        if job is None or kiosk.store.earlier_upload(job) is None:
            return RedirectResponse(f"/job/{job_id}", status_code=303)  # nothing (left) to ask about
        return kiosk.page(request, "repeat.html", job=job)

    @router.post("/job/{job_id}/repeat")
    async def answer(request: Request, job_id: str) -> Response:
        form = await small_form(request)
        if not kiosk.csrf_ok(request, form.get("csrf", "")):
            return kiosk.message(request, 403, N_("Expired"), N_("This form has expired."))
        if not visiting(request, job_id):
            return RedirectResponse("/", status_code=303)
        job = kiosk.store.get(job_id)
        if job is not None and form.get("choice") == "replace":
            earlier = kiosk.store.earlier_upload(job)
            while earlier is not None:  # every earlier portrait of this export: the wall shows it once
                with contextlib.suppress(JobNotFoundError):
                    forget(kiosk.store, earlier.code)
                log.info("job %s: replaced by job %s, its repeated upload", earlier.id, job_id)
                earlier = kiosk.store.earlier_upload(job)
        return RedirectResponse(f"/job/{job_id}", status_code=303)

    return router
