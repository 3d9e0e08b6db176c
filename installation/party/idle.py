"""Neural generation streams: when nothing else waits, the party worker paints the next image of a themed
stream, so the wall never runs out.

    nothing queued, no visitor's portrait waiting, idle long enough -> the stream's next prompt -> a step

``feed_idle_stream`` is the one entry. A stream is a party session of its own (id ``stream-NAME``, its
theme the stream's name): its prompts are ``[party] idle_prompts`` in turn, or the painted prompts of
the session ``idle_from``; each round paints them again with new seeds, up to ``idle_max_images``. Its
images reach the wall like any party's: ``party_stream(store, words, "stream-NAME")``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from installation.config import Config
from installation.errors import PartyError
from installation.party.records import Step, StepSettings
from installation.party.steps import compose_step
from installation.party.store import PartyStore
from installation.party.words import WallWords

if TYPE_CHECKING:
    from installation.jobs.records import JobStore

log = logging.getLogger("portrait.party")


def stream_session_id(name: str) -> str:
    """The session id of the stream called ``name``."""
    return "stream-" + (re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-") or "idle")


def feed_idle_stream(
    store: PartyStore, config: Config, words: WallWords, *, busy: Callable[[], bool] = lambda: False,
) -> Step | None:
    """Queue the stream's next image, if a stream is configured and nothing of higher priority waits."""
    settings = config.party
    # 1. Check: a stream is configured; no party step and no visitor's portrait waits.
    if not settings.idle_prompts and settings.idle_from is None:
        return None
    if store.waiting() or busy():
        return None
    # 2. The stream's own session, created on first use; it stops growing at its cap.
    session = store.create_session(settings.idle_stream, stream_session_id(settings.idle_stream))
    count = len(store.steps(session.id))
    if count >= settings.idle_max_images:
        return None
    # 3. The next prompt the wall policy lets through, in turn; a new seed each round.
    prompts = [p for p in stream_prompts(store, config) if _allowed(words, settings.idle_stream, p)]
    if not prompts:
        return None
    text = prompts[count % len(prompts)]
    try:
        composed = compose_step(config, StepSettings(text=text, seed=count), words)
    except PartyError as exc:
        log.warning("stream %r cannot paint the prompt %r: %s", settings.idle_stream, text, exc)
        return None
    prompt = composed.prompt
    return store.add_step(
        session.id, None, composed.settings, positive=prompt.positive, negative=prompt.negative,
        size=(prompt.width, prompt.height), steps=prompt.steps, guidance=prompt.guidance, scheduler=prompt.scheduler,
    )


def _allowed(words: WallWords, stream: str, prompt: str) -> bool:
    refusal = words.refusal(prompt)
    if refusal:
        log.warning("stream %r skips the prompt %r: %s", stream, prompt, refusal)
    return refusal is None


def stream_prompts(store: PartyStore, config: Config) -> tuple[str, ...]:
    """``idle_prompts``, else the painted prompts of the party ``idle_from``, each once, in order."""
    settings = config.party
    if settings.idle_prompts:
        return tuple(p for p in settings.idle_prompts if p.strip())
    assert settings.idle_from is not None
    painted = [s.positive for s in store.steps(settings.idle_from) if s.state == "done"]
    return tuple(dict.fromkeys(painted))


def visitors_waiting(config: Config) -> Callable[[], bool]:
    """True while the job store holds a visitor's job not yet painted: portraits come before streams."""
    from installation.jobs.store import ACTIVE_STATES
    from installation.jobs.worker import open_configured_store

    # The store ``[store]`` names: a PostgreSQL queue shared by several machines, else the SQLite file
    jobs: JobStore = open_configured_store(config)

    def busy() -> bool:
        counts = jobs.counts()
        return any(counts.get(state, 0) for state in ACTIVE_STATES)

    return busy
