"""The host screen: the prompt master's page and its JSON API.

Start a session with a theme; write the prompt, pick a curator style (its technique, artist, period and
modifiers fill in what is left empty), set seed, steps, guidance and size; paint; branch from any
earlier step; repaint an image (variation, image-to-image); take or drop the room's suggestions; mark
the best. ``host_routes(context)`` is the one entry; every route answers only the host (``is_host``).
"""

from __future__ import annotations

import hmac
from typing import Any, Literal

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from installation.errors import PartyError
from installation.party.context import HOST_COOKIE, PartyContext
from installation.party.pages import page
from installation.party.records import StepKind, StepSettings
from installation.party.steps import compose_step


class ThemeRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    theme: str = Field(min_length=1, max_length=200)


class StepRequest(BaseModel):
    """A step as the host screen sends it."""

    model_config = ConfigDict(extra="forbid")
    parent: int | None = None
    text: str = ""
    style: str | None = None
    technique: str = ""
    artist: str = ""
    period: str = ""
    modifiers: list[str] = Field(default_factory=list, max_length=20)
    negative: str | None = Field(None, max_length=1000)
    seed: int = 0
    steps: int | None = None
    guidance: float | None = None
    width: int | None = None
    height: int | None = None
    kind: StepKind = "prompt"
    source_step: int | None = None
    strength: float = 0.5
    suggestions: list[int] = Field(default_factory=list, max_length=50)

    def settings(self) -> StepSettings:
        return StepSettings(
            text=self.text, style=self.style or None, technique=self.technique.strip(), artist=self.artist.strip(),
            period=self.period.strip(), modifiers=tuple(m.strip() for m in self.modifiers if m.strip()),
            negative=self.negative, seed=self.seed, steps=self.steps, guidance=self.guidance, width=self.width,
            height=self.height, kind=self.kind, source_step=self.source_step, strength=self.strength,
            suggestions=tuple(self.suggestions),
        )


class BestRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    best: bool


def host_routes(context: PartyContext) -> APIRouter:
    """The host's pages and API."""
    router = APIRouter()
    store = context.store

    def only_host(request: Request) -> None:
        if not context.is_host(request):
            raise HTTPException(403, "the host screen opens on the host's machine, or after /host/login?token=...")

    @router.get("/host/login")
    def login(token: str = "") -> Response:
        expected = context.config.party.host_token
        if expected is None or not hmac.compare_digest(token.encode(), expected.encode()):
            return JSONResponse({"error": "wrong or missing host token"}, status_code=403)
        response = RedirectResponse("/host", status_code=303)
        response.set_cookie(HOST_COOKIE, token, httponly=True, samesite="strict")
        return response

    @router.get("/host", response_class=HTMLResponse)
    def sessions(request: Request) -> Response:
        only_host(request)
        return page("sessions.html", sessions=store.sessions())

    @router.post("/api/host/sessions", status_code=201)
    def start(request: Request, body: ThemeRequest) -> dict[str, Any]:
        only_host(request)
        theme = " ".join(body.theme.split())
        refusal = context.words.refusal(theme)
        if refusal:
            raise PartyError(f"the theme cannot be shown: {refusal}")
        session = store.create_session(theme)
        return {"id": session.id, "theme": session.theme, "host_url": f"/host/{session.id}"}

    @router.get("/host/{session_id}", response_class=HTMLResponse)
    def screen(request: Request, session_id: str) -> Response:
        only_host(request)
        session = store.session(session_id)
        return page("host.html", session=session, phone_url=context.phone_url(request, session.id))

    @router.get("/host/{session_id}/qr.svg")
    def qr(request: Request, session_id: str) -> Response:
        import io

        import segno

        store.session(session_id)
        buffer = io.BytesIO()
        segno.make(context.phone_url(request, session_id), error="m").save(buffer, kind="svg", scale=6, border=2)
        return Response(buffer.getvalue(), media_type="image/svg+xml")

    @router.get("/api/host/{session_id}/state")
    def state(request: Request, session_id: str) -> dict[str, Any]:
        only_host(request)
        session = store.session(session_id)
        render = context.config.render
        styles = {
            name: {"label": s.label or name, "technique": s.technique, "artist": s.artist, "period": s.period,
                   "modifiers": list(s.modifiers)}
            for name, s in context.config.styles.items()
        }  # fmt: skip
        styles_used = context.config.styles.values()
        choices = {
            "technique": sorted({s.technique for s in styles_used if s.technique}),
            "artist": sorted({s.artist for s in styles_used if s.artist}),
            "period": sorted({s.period for s in styles_used if s.period}),
            "modifiers": sorted({m for s in styles_used for m in s.modifiers}),
        }
        return {
            "session": {"id": session.id, "theme": session.theme},
            "choices": choices,
            "phone_url": context.phone_url(request, session.id),
            "steps": [s.to_dict() for s in store.steps(session.id)],
            "suggestions": [s.to_dict() for s in store.suggestions(session.id, "queued")],
            "taken": [s.to_dict() for s in store.suggestions(session.id, "taken") if s.step_id is None],
            "styles": styles,
            "defaults": {"width": render.width, "height": render.height, "steps": render.steps,
                         "guidance": render.guidance, "negative": context.config.compose.negative},
        }  # fmt: skip

    @router.post("/api/host/{session_id}/steps", status_code=201)
    def paint(request: Request, session_id: str, body: StepRequest) -> dict[str, Any]:
        only_host(request)
        session = store.session(session_id)
        settings = body.settings()
        source = store.step(settings.source_step) if settings.source_step is not None else None
        if source is not None and source.session_id != session.id:
            raise PartyError(f"session {session.id} has no step {settings.source_step}")
        composed = compose_step(context.config, settings, context.words, source=source)
        prompt = composed.prompt
        step = store.add_step(
            session.id, body.parent, composed.settings, positive=prompt.positive, negative=prompt.negative,
            size=(prompt.width, prompt.height), steps=prompt.steps, guidance=prompt.guidance,
            scheduler=prompt.scheduler,
        )
        return step.to_dict()

    @router.post("/api/host/suggestions/{suggestion_id}/{decision}")
    def decide(request: Request, suggestion_id: int, decision: Literal["take", "drop"]) -> dict[str, Any]:
        only_host(request)
        return store.decide(suggestion_id, "taken" if decision == "take" else "dropped").to_dict()

    @router.post("/api/host/steps/{step_id}/best")
    def best(request: Request, step_id: int, body: BestRequest) -> dict[str, Any]:
        only_host(request)
        return store.mark_best(step_id, body.best).to_dict()

    return router
