"""The party on the wall: its painted steps as a stream of (image, caption), the newest last.

``party_stream(store, words)`` is the one entry; ``join_url`` says what the wall's QR code should
say. The wall polls the stream like the job store's artworks: a slide it has not seen yet is an
arrival (announce it, caption it with the prompt that painted it); the rest rotate. Captions pass
the wall-word policy once more, in case the curator's list grew since the step was painted.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from installation.address import lan_address
from installation.config import Config
from installation.party.records import Step
from installation.party.store import PartyStore
from installation.party.words import WallWords


@dataclass(frozen=True)
class StreamSlide:
    """One painted party step, as the wall may show it."""

    step_id: int  # grows with every step: larger means newer (the wall's ``seq``)
    session_id: str
    number: int
    image_path: Path
    caption: str  # the prompt that painted it
    theme: str  # the party's theme (the stream's name on screen)
    best: bool
    votes: int
    finished_at: float
    step: Step  # the whole record: every parameter, the model, the image's metadata


def party_stream(store: PartyStore, words: WallWords, session_id: str | None = None) -> tuple[StreamSlide, ...]:
    """The painted steps of ``session_id`` (default: the newest party), in the order they finished."""
    if session_id is None:
        sessions = store.sessions()
        if not sessions:
            return ()
        session_id = sessions[0].id
    session = store.session(session_id)
    painted = [s for s in store.steps(session.id) if s.state == "done" and s.image_path is not None]
    painted.sort(key=lambda s: (s.finished_at or 0.0, s.id))
    return tuple(
        StreamSlide(s.id, session.id, s.number, s.image_path, words.scrub(s.positive), session.theme, s.best,
                    s.votes, s.finished_at or 0.0, s)
        for s in painted if s.image_path is not None
    )


def join_url(config: Config, session_id: str) -> str:
    """Where phones join ``session_id``: ``[party] public_url``, else this machine's address and party port."""
    settings = config.party
    if settings.public_url:
        return settings.public_url.rstrip("/") + f"/p/{session_id}"
    host = lan_address() if settings.host in ("0.0.0.0", "::", "") else settings.host
    return f"http://{host}:{settings.port}/p/{session_id}"

