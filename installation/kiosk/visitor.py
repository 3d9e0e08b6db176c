"""The visitor's pages: welcome, submit, progress, result (the explainable card), leave and forget."""

from __future__ import annotations

import contextlib
import logging
import shutil
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.background import BackgroundTask

from installation.compose.language import load_language
from installation.compose.motifs import local_noun
from installation.errors import IntakeError, JobNotFoundError
from installation.i18n import N_, catalogue, translator
from installation.jobs.live import LiveStep, live_folder, read_live
from installation.jobs.records import ACTIVE_STATES, Job
from installation.jobs.store import forget, is_job_id, new_job_id
from installation.kiosk.outcomes import View, view_of
from installation.kiosk.repeat import content_hash
from installation.kiosk.state import Kiosk, qr_svg
from installation.kiosk.upload import UPLOAD_SUFFIXES, Form, UploadRefused, small_form, stream_upload
from installation.kiosk.visit import Visit

log = logging.getLogger("portrait.kiosk")

MAX_NICKNAME = 40

# A keyword the composer dropped for one of these reasons never appears on the card: the result page is
# on a screen others can see, and the wall-word policy's words are exactly the ones not to show there.
HIDDEN_DROPS = ("policy", "blocked", "personal data")


def card_setting(prompt: dict[str, Any], lang: str) -> str:
    """Where the scene is set, in the card's ``lang`` where the composer has the words; a town as written."""
    setting, town = str(prompt.get("setting", "")), str(prompt.get("town", ""))
    text = load_language(lang) if lang != "en" else None
    if text is None or not setting:
        return setting
    place = setting.removesuffix(f" in {town}") if town else setting
    local = text.settings.get(place, place) if place != f"in {town}" else ""
    return ", ".join(w for w in (local, town if town and town in setting else "") if w)


# Why a keyword is not in the picture, as the card says it (the composer's reasons, by their start)
CARD_REASONS = (("no image", "no image"), ("same motif", "same"), ("a name", "name"), ("over", "room"))


def card_keywords(portrait: dict[str, Any], prompt: dict[str, Any], lang: str = "en") -> list[dict[str, Any]]:
    """The portrait's keywords for the card, less those dropped for a reason in ``HIDDEN_DROPS``; each
    with ``painted`` (what the picture shows for it, "" if nothing, in the card's ``lang`` where the
    composer has the words) and ``why`` (a CARD_REASONS kind)."""
    dropped = {str(word): str(why) for word, why in prompt.get("keywords_dropped", ())}
    text = load_language(lang) if lang != "en" else None
    # a thing painted as its English noun ("binoculars") is named by the card language's own noun
    painted = {str(word): (text.motifs.get(str(motif)) or local_noun(str(motif), lang) or str(motif)) if text
               else str(motif) for word, motif in prompt.get("motifs", ())}  # fmt: skip
    if town := str(prompt.get("town", "")):
        painted[town] = card_setting(prompt, lang)
    cards = []
    for kw in portrait.get("keywords", []):
        phrase = " ".join(str(kw.get("phrase", "")).replace(",", " ").split())
        why = dropped.get(phrase, "")
        if why.startswith(HIDDEN_DROPS):
            continue
        kind = next((k for start, k in CARD_REASONS if why.startswith(start)), "") if phrase not in painted else ""
        cards.append({**kw, "painted": painted.get(phrase, ""), "why": kind})
    return cards


def visitor_router(kiosk: Kiosk) -> APIRouter:
    """The visitor's routes, answering from ``kiosk``."""
    router = APIRouter()

    @router.get("/", response_class=HTMLResponse)
    def welcome(request: Request) -> HTMLResponse:
        config = kiosk.config
        url = kiosk.kiosk_url()
        return kiosk.page(
            request, "welcome.html", consent=config.kiosk.consent_text, qr=qr_svg(url), url=url,
            max_mb=int(config.kiosk.max_upload_mb), suffixes=", ".join(UPLOAD_SUFFIXES),
            bye="bye" in request.query_params, again="again" in request.query_params,
        )

    @router.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @router.post("/submit")
    async def submit(request: Request) -> Response:
        # 1. Refuse what can be refused before reading a byte: rate, size, type of request
        config = kiosk.config
        if not kiosk.limiter.allow(kiosk.client(request)):
            return kiosk.message(request, 429, N_("Please wait"), N_("Too many submissions from here; wait a minute."))
        cap = int(config.kiosk.max_upload_mb * (1 << 20))
        declared = request.headers.get("content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > cap + (64 << 10)):
            return kiosk.message(request, 413, N_("Too large"),
                                 N_("The export is larger than this kiosk accepts (%(mb)d MB)."), mb=cap >> 20)
        from python_multipart.multipart import MultipartParser, parse_options_header

        ctype, options = parse_options_header(request.headers.get("content-type", ""))
        multipart = ctype == b"multipart/form-data" and b"boundary" in options
        if not multipart and ctype != b"application/x-www-form-urlencoded":
            return kiosk.message(request, 415, N_("Not a form"), N_("Send the form on the welcome page."))
        # 2. Stream the body into a new job folder (a form without a file, such as a handle, is small)
        job_id = new_job_id()
        folder = kiosk.staging.stage(job_id)  # private until the job is committed
        try:
            if multipart:
                form = await stream_upload(request, MultipartParser, options[b"boundary"], folder, cap)
            else:
                form = Form(fields=await small_form(request))
            # 3. Check the form: token, consent, one source, nickname
            if not kiosk.csrf_ok(request, form.fields.get("csrf", "")):
                raise UploadRefused(403, N_("This form has expired. Go back to the welcome page and try again."))
            if form.fields.get("consent") != "yes":
                raise UploadRefused(400, N_("Please tick the box to say you agree before we read anything."))
            nickname = " ".join(form.fields.get("nickname", "").split())
            if len(nickname) > MAX_NICKNAME or not all(c.isprintable() for c in nickname):
                raise UploadRefused(400, N_("A nickname is at most %(max)d ordinary characters."), max=MAX_NICKNAME)
            handle_text = form.fields.get("handle", "").strip()
            if (form.file_path is None) == (not handle_text):
                raise UploadRefused(400, N_("Choose an export file or type a public handle (one of them)."))
            if handle_text:
                from extractors.intake.handles import parse_handle

                handle_text = str(parse_handle(handle_text))
        except (UploadRefused, IntakeError) as exc:
            shutil.rmtree(folder, ignore_errors=True)
            log.info("submit refused: %s", exc)
            if isinstance(exc, UploadRefused):
                return kiosk.message(request, exc.status, N_("Not accepted"), exc.message, **exc.params)
            # Intake's own sentence stays in the log; the visitor reads one in their language.
            return kiosk.message(request, 400, N_("Not accepted"), N_(
                "That does not look like a public Mastodon or Bluesky handle. Check it and try again."))
        # 4. Publish the upload and queue the job; a job whose answer never leaves is swept after the grace
        final = kiosk.staging.publish(folder, job_id)
        export_path = final / form.file_path.name if form.file_path is not None else None
        job = kiosk.store.submit(
            job_id, work_dir=final, source="handle" if handle_text else "upload",
            export_path=export_path, handle=handle_text or None, nickname=nickname,
            content_hash=content_hash(export_path) if export_path is not None else None,
        )
        log.info("job %s: submitted (%s, %d bytes)", job.id, job.source, form.file_bytes)
        repeated = kiosk.store.earlier_upload(job) is not None  # the same export again: ask first
        response = RedirectResponse(f"/job/{job.id}/repeat" if repeated else f"/job/{job.id}",
                                    status_code=303,
                                    background=BackgroundTask(kiosk.staging.seen, job.id))
        kiosk.visits.start(request, response, job.id)
        return response

    def visit_of(request: Request, job_id: str) -> tuple[Job, Visit] | None:
        """The job and this browser's visit of it; None for any other browser, or once the visit ended."""
        job = kiosk.store.get(job_id) if is_job_id(job_id) else None
        if job is None:
            return None
        visit = kiosk.visits.read(request, job.id, active=job.state in ACTIVE_STATES)
        return None if visit is None else (job, visit)

    def visitor_page(request: Request, job: Job, visit: Visit, template: str, **context: Any) -> Response:
        shared = kiosk.is_shared_screen(kiosk.client(request))
        show_code = not (shared and visit.code_shown)
        response = kiosk.page(request, template, job=job, show_code=show_code,
                              idle=int(kiosk.config.kiosk.visit_idle_seconds) if shared else 0, **context)
        kiosk.visits.keep(request, response, replace(visit, code_shown=visit.code_shown or show_code))
        return response

    def welcome_instead() -> Response:
        # Any other browser, or this one after its visit ended (Back included), sees the welcome page.
        return RedirectResponse("/", status_code=303)

    def view(job: Job) -> View:
        recent = kiosk.store.jobs(("done", "held", "hidden"), limit=20) if job.state == "submitted" else []
        return view_of(job, kiosk.store.position(job.id), recent)

    def can_retry(job: Job) -> bool:
        """A failed job goes back in line only while its input is still there (a handle, or the export)."""
        return job.state == "failed" and (job.handle is not None or (
            job.export_path is not None and job.export_path.is_file()))

    @router.get("/job/{job_id}", response_class=HTMLResponse)
    def progress(request: Request, job_id: str) -> Response:
        found = visit_of(request, job_id)
        if found is None:
            return welcome_instead()
        job, visit = found
        if job.state == "done":
            return RedirectResponse(f"/job/{job.id}/result", status_code=303)
        return visitor_page(request, job, visit, "progress.html", view=view(job))

    @router.get("/job/{job_id}/status")
    def status(request: Request, job_id: str) -> JSONResponse:
        found = visit_of(request, job_id)
        if found is None:
            return JSONResponse({"state": "gone", "welcome": "/"}, status_code=404)
        job, _ = found
        shown = view(job)
        lang = kiosk.lang(request)
        _ = translator(lang)
        return JSONResponse({
            "state": job.state,
            "view": shown.key,
            "heading": _(shown.heading),
            "stages": [{"label": _(s.label), "done": s.done, "current": s.current} for s in shown.steps],
            "position": shown.position,
            "wait": shown.wait_text(_, catalogue(lang).ngettext),
            "note": _(shown.note) if shown.note else None,
            "failure": {"sentence": _(shown.failure.sentence), "next": _(shown.failure.next_step)}
            if shown.failure else None,
            "result": f"/job/{job.id}/result" if job.state == "done" else None,
            "live": live_of(job, _),
        })

    def live_step(job: Job) -> LiveStep | None:
        if job.state not in ("composed", "rendering"):
            return None
        return next((s for s in read_live(live_folder(kiosk.config)) if s.job_id == job.id), None)

    def live_of(job: Job, _: Callable[[str], str]) -> dict[str, object] | None:
        """The latest painting step the worker wrote for this job (the wall's live channel), if any."""
        step = live_step(job)
        if step is None:
            return None
        # The step in the address makes each new frame a new picture for the browser's cache.
        return {"step": step.step, "total": step.total, "url": f"/job/{job.id}/live?step={step.step}",
                "caption": _("step {step} of {total}").format(step=step.step, total=step.total)}

    @router.get("/job/{job_id}/live")
    def live(request: Request, job_id: str) -> Response:
        found = visit_of(request, job_id)
        step = live_step(found[0]) if found else None
        try:
            # Read at once: the worker replaces the file with each step and deletes it when the render ends.
            data = step.image_path.read_bytes() if step is not None else None
        except OSError:
            data = None
        if data is None:
            return Response(status_code=404)
        return Response(data, media_type="image/png", headers={"Cache-Control": "no-store"})

    @router.post("/job/{job_id}/retry")
    async def retry(request: Request, job_id: str) -> Response:
        form = await small_form(request)
        if not kiosk.csrf_ok(request, form.get("csrf", "")):
            return kiosk.message(request, 403, N_("Expired"), N_("This form has expired."))
        found = visit_of(request, job_id)
        if found is None or found[0].state != "failed":
            return welcome_instead()
        job, _ = found
        if can_retry(job):
            kiosk.store.retry(job.id)
            log.info("job %s: queued again by its visitor", job.id)
            return RedirectResponse(f"/job/{job.id}", status_code=303)
        # Nothing of the visitor's is left to try with: the failed job goes, and they choose the file again.
        with contextlib.suppress(JobNotFoundError):
            forget(kiosk.store, job.code)
        log.info("job %s: dropped by its visitor to try again with a new upload", job.id)
        response = RedirectResponse("/?again=1", status_code=303)
        kiosk.visits.end(response)
        return response

    @router.get("/job/{job_id}/result", response_class=HTMLResponse)
    def result(request: Request, job_id: str) -> Response:
        found = visit_of(request, job_id)
        if found is None:
            return welcome_instead()
        job, visit = found
        if job.state != "done":
            return RedirectResponse(f"/job/{job.id}", status_code=303)
        prompt, lang = job.prompt or {}, kiosk.lang(request)
        return visitor_page(request, job, visit, "result.html", portrait=job.portrait or {},
                            keywords=card_keywords(job.portrait or {}, prompt, lang),
                            withheld=int(prompt.get("withheld", 0)), setting=card_setting(prompt, lang),
                            setting_from=str(prompt.get("setting_from", "")))

    @router.get("/job/{job_id}/image")
    def image(request: Request, job_id: str) -> Response:
        found = visit_of(request, job_id)
        job = found[0] if found else None
        if job is None or job.state != "done" or job.image_path is None or not job.image_path.is_file():
            return kiosk.message(request, 404, N_("Not found"), N_("This portrait cannot be shown."))
        return FileResponse(job.image_path, media_type="image/png")

    @router.post("/job/{job_id}/leave")
    async def leave(request: Request, job_id: str) -> Response:
        form = await small_form(request)
        if not kiosk.csrf_ok(request, form.get("csrf", "")):
            return kiosk.message(request, 403, N_("Expired"), N_("This form has expired."))
        if is_job_id(job_id):
            with contextlib.suppress(JobNotFoundError):  # already forgotten: nothing left to scrub
                kiosk.store.scrub_evidence(job_id)
        response = RedirectResponse("/?bye=1", status_code=303)
        kiosk.visits.end(response)
        return response

    @router.get("/forget", response_class=HTMLResponse)
    def forget_page(request: Request) -> HTMLResponse:
        return kiosk.page(request, "forget.html")

    @router.post("/forget")
    async def forget_submit(request: Request) -> Response:
        if not kiosk.limiter.allow(kiosk.client(request)):
            return kiosk.message(request, 429, N_("Please wait"), N_("Too many tries from here; wait a minute."))
        form = await small_form(request)
        if not kiosk.csrf_ok(request, form.get("csrf", "")):
            return kiosk.message(request, 403, N_("Expired"), N_("This form has expired. Open the forget page again."))
        try:
            removed = forget(kiosk.store, form.get("code", ""))
        except JobNotFoundError:
            return kiosk.message(request, 404, N_("Not found"),
                                 N_("No portrait has that code. Check it and try again."))
        log.info("job %s: forgotten by its visitor", removed.id)
        return kiosk.message(request, 200, N_("Forgotten"),
                             N_("Your portrait, its words and every file of it have been deleted."))

    return router
