"""A stalled upload is answered, not waited on for ever.

uvicorn has no timeout for a request body that stops arriving while its connection stays open, so one
visitor's phone losing its signal (or someone holding connections on purpose) would keep a staging file
and a server task until the kiosk restarts. ``StallGuard`` wraps the ASGI ``receive`` of requests with a
body: when no piece of the body arrives for ``seconds``, the visitor gets a 408 in one sentence, the
connection is closed, and the route sees a disconnect, so its staging folder is cleaned as for any
upload that stops half-way.
"""

from __future__ import annotations

import asyncio

from starlette.types import ASGIApp, Message, Receive, Scope, Send

STALLED = "The upload stopped arriving, so the kiosk let it go: please try again."
BODY_METHODS = {"POST", "PUT", "PATCH"}

__all__ = ["STALLED", "StallGuard"]


class StallGuard:
    """ASGI middleware: a request body with no new bytes for ``seconds`` ends with a 408."""

    def __init__(self, app: ASGIApp, seconds: float) -> None:
        self.app, self.seconds = app, seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") not in BODY_METHODS:
            await self.app(scope, receive, send)
            return
        started = answered = body_done = False

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if answered:  # the 408 went out: the route's own answer to the disconnect goes nowhere
                return
            started = started or message["type"] == "http.response.start"
            await send(message)

        async def guarded_receive() -> Message:
            nonlocal answered, body_done
            if body_done:  # after the body, receive only reports a disconnect: no deadline for that
                return await receive()
            try:
                message = await asyncio.wait_for(_next(receive), self.seconds)
            except TimeoutError:
                if not started:
                    await _answer_stalled(send)
                    answered = True
                return {"type": "http.disconnect"}
            if message["type"] == "http.request" and not message.get("more_body", False):
                body_done = True
            return message

        await self.app(scope, guarded_receive, guarded_send)


async def _next(receive: Receive) -> Message:
    return await receive()


async def _answer_stalled(send: Send) -> None:
    # The kiosk's message page in its simplest form: the browser that stalled may still show it
    body = (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Upload stopped</title></head>'
            f'<body><main><p id="message">{STALLED}</p><p><a href="/">Start again</a></p></main></body></html>'
            ).encode()
    await send({"type": "http.response.start", "status": 408, "headers": [
        (b"content-type", b"text/html; charset=utf-8"), (b"content-length", str(len(body)).encode()),
        (b"connection", b"close"),
    ]})
    await send({"type": "http.response.body", "body": body})
