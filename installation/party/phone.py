"""The phones in the room: suggest a word, an association, a style or an artist, and vote for images.

A phone gets a random name on its first visit (a cookie, no account, nothing about its owner); its
suggestions are rate-limited and pass the wall-word policy before the host screen shows them.
``phone_routes(context)`` is the one entry.
"""

from __future__ import annotations

import time
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from installation.errors import PartyError
from installation.party.context import PHONE_COOKIE, SECURITY_HEADERS, PartyContext, Phone
from installation.party.pages import page
from installation.party.records import SuggestionKind


class SuggestRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: SuggestionKind = "word"
    text: str = Field(min_length=1, max_length=500)


class VoteRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    step: int


def phone_routes(context: PartyContext) -> APIRouter:
    """The phones' page and API."""
    router = APIRouter()
    store, settings = context.store, context.config.party

    def known_phone(request: Request) -> Phone:
        phone = context.phone(request, mint=False)
        if phone is None:
            raise HTTPException(403, "open the party page first (scan the QR code)")
        return phone

    @router.get("/p/{session_id}", response_class=HTMLResponse)
    def welcome(request: Request, session_id: str) -> Response:
        session = store.session(session_id)
        phone = context.phone(request, mint=True)
        if phone is None:
            return page("message.html", 429, message="Too many new phones from here; wait a minute.")
        response = page("phone.html", session=session, name=phone.name)
        if phone.cookie:
            response.set_cookie(PHONE_COOKIE, phone.cookie, httponly=True, samesite="lax", max_age=7 * 86400)
        return response

    @router.get("/api/p/{session_id}/state")
    def state(request: Request, session_id: str) -> dict[str, Any]:
        session = store.session(session_id)
        phone = known_phone(request)
        mine = store.voted(session.id, phone.key)
        steps = [
            {"id": s.id, "number": s.number, "caption": context.words.scrub(s.positive), "votes": s.votes,
             "voted": s.id in mine, "image": f"/img/{s.id}.png"}
            for s in store.steps(session.id) if s.state == "done"
        ]  # fmt: skip
        return {"theme": session.theme, "name": phone.name, "steps": steps}

    @router.post("/api/p/{session_id}/suggest", status_code=201)
    def suggest(request: Request, session_id: str, body: SuggestRequest) -> Response:
        session = store.session(session_id)
        phone = known_phone(request)
        # 1. Check the words: short, and nothing the wall would not show.
        text = " ".join(body.text.split())
        if len(text) > settings.max_suggestion_chars:
            raise PartyError(f"a suggestion is at most {settings.max_suggestion_chars} characters")
        refusal = context.words.refusal(text)
        if refusal:
            raise PartyError(f"that cannot be suggested: {refusal}")
        # 2. The phone's rate limit, counted in the store.
        if store.suggestions_since(phone.key, time.time() - 60) >= settings.suggestions_per_minute:
            return JSONResponse({"error": "that is a lot of ideas: wait a minute before the next one"},
                                status_code=429, headers=SECURITY_HEADERS)  # fmt: skip
        # 3. Queue it for the host screen.
        suggestion = store.add_suggestion(session.id, phone.key, body.kind, text)
        return JSONResponse(suggestion.to_dict(), status_code=201, headers=SECURITY_HEADERS)

    @router.post("/api/p/{session_id}/vote")
    def vote(request: Request, session_id: str, body: VoteRequest) -> Response:
        session = store.session(session_id)
        phone = known_phone(request)
        step = store.step(body.step)
        if step.session_id != session.id:
            raise PartyError(f"session {session.id} has no step {body.step}")
        if not context.votes.allow(phone.key):
            return JSONResponse({"error": "too many votes: wait a minute"}, status_code=429)
        voted = store.toggle_vote(step.id, phone.key)
        return JSONResponse({"step": step.id, "voted": voted, "votes": store.step(step.id).votes})

    return router
