"""What the job store holds and hands out: job states, ``Job``, ``Claim``, ``WallArtwork``, ids and codes,
and the ``JobStore`` interface that the kiosk, the worker and the wall use.

A job moves ``submitted -> extracted -> described -> composed -> rendering -> done``, or ends ``failed``;
a finished artwork can also be ``held`` (a safety flag, the wall-word policy, or a curator) or ``hidden``.
The finished portrait itself is one ``Artwork`` (``installation.render.artwork``), the same record the
renderer made: the store keeps it whole and gives it to the wall, so no stage copies its fields.
``SqliteJobStore`` (``installation.jobs.sqlite_store``) is the embedded one, ``PostgresJobStore``
(``installation.jobs.postgres_store``) the one for several machines.
"""

from __future__ import annotations

import secrets
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Literal, Protocol, get_args

from installation.errors import JobNotFoundError
from installation.render.artwork import Artwork

JobState = Literal[
    "submitted", "extracted", "described", "composed", "rendering", "done", "failed", "held", "hidden"
]
JOB_STATES: tuple[str, ...] = get_args(JobState)
ACTIVE_STATES: tuple[JobState, ...] = ("submitted", "extracted", "described", "composed", "rendering")
FINISHED_STATES: tuple[JobState, ...] = ("done", "held", "hidden")
ReviewAction = Literal["approve", "hide", "hold"]
# Why a job failed, in one word the kiosk turns into the visitor's sentence (the error text is technical):
# an export nobody can read, one too large, one whose archive is unsafe to open, one with no text of the
# visitor's own, a public handle that could not be fetched, a render that failed, a worker that stopped on
# every attempt, or anything nobody foresaw.
ErrorKind = Literal[
    "unreadable_export", "too_large", "unsafe_export", "no_text", "remote", "render_failed", "attempts", "internal"
]
ERROR_KINDS: tuple[str, ...] = get_args(ErrorKind)
Source = Literal["upload", "handle"]

_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read aloud from a screen
_CODE_LENGTH = 8


@dataclass(frozen=True)
class WallArtwork:
    """What the wall may know of a finished, approved portrait: the artwork and its caption."""

    job_id: str
    seq: int  # grows with every finished artwork: larger means newer
    artwork: Artwork
    caption: str  # the visitor's nickname if they typed one, else ""
    keywords: tuple[str, ...]  # a few, for the caption
    themes: tuple[str, ...]  # for the wall's streams
    finished_at: datetime

    @property
    def image_path(self) -> Path:
        return self.artwork.image_path

    @property
    def style(self) -> str:
        return self.artwork.prompt.style


@dataclass(frozen=True)
class Job:
    id: str
    code: str  # the visitor's forget-me code
    state: JobState
    source: Source
    work_dir: Path  # the job's private folder: raw export, briefly the profile
    export_path: Path | None  # the raw export while it exists
    handle: str | None  # a public handle until it has been fetched
    nickname: str
    attempts: int
    error: str | None
    error_kind: ErrorKind | None  # set with ``error`` when the job failed
    portrait: dict[str, Any] | None  # VerbalPortrait.to_dict(); evidence only until scrubbed
    evidence_until: float | None
    prompt: dict[str, Any] | None  # Prompt.to_dict()
    created_at: float
    updated_at: float
    finished_at: float | None
    seq: int | None  # artwork number, once rendered
    artwork: Artwork | None  # once rendered
    keywords: tuple[str, ...]
    themes: tuple[str, ...]
    approved: bool
    hold_reason: str | None  # why the wall-word policy held the artwork for a curator
    content_hash: str | None = None  # of the uploaded export's bytes, to notice the same one again

    @property
    def display_code(self) -> str:
        return f"{self.code[:4]}-{self.code[4:]}"

    @property
    def image_path(self) -> Path | None:
        return self.artwork.image_path if self.artwork else None

    @property
    def sidecar_path(self) -> Path | None:
        return self.artwork.metadata_path if self.artwork else None

    @property
    def style(self) -> str:
        return self.artwork.prompt.style if self.artwork else ""

    @property
    def flagged(self) -> bool:
        return self.artwork.flagged if self.artwork else False


@dataclass(frozen=True)
class Claim:
    """A job a worker holds; ``token`` proves the lease on every write."""

    job: Job
    token: str


class JobStore(Protocol):
    """The queue's interface: a networked backend replaces SQLite by implementing this."""

    def submit(
        self, job_id: str, *, work_dir: Path, source: Source, export_path: Path | None = None,
        handle: str | None = None, nickname: str = "", content_hash: str | None = None,
    ) -> Job: ...
    def earlier_upload(self, job: Job) -> Job | None:
        """The newest other job of the same uploaded content that still has or will have a portrait (not
        failed, not hidden); None when there is none or ``job`` keeps no content hash."""
        ...
    def get(self, job_id: str) -> Job | None: ...
    def find_code(self, code: str) -> Job | None: ...
    def position(self, job_id: str) -> int: ...
    def jobs(self, states: Sequence[JobState] = (), limit: int = 200) -> list[Job]: ...
    def counts(self) -> dict[str, int]: ...
    def claim(self) -> Claim | None: ...
    def renew(self, claim: Claim) -> None: ...
    def advance(self, claim: Claim, state: JobState, **fields: Any) -> Claim: ...
    def finish(
        self, claim: Claim, artwork: Artwork, *, keywords: tuple[str, ...], themes: tuple[str, ...], approve: bool,
        evidence_until: float, hold_reason: str | None = None,
    ) -> Job: ...
    def fail(self, claim: Claim, message: str, kind: ErrorKind | None = None) -> None:
        """End a claimed job as failed with its technical ``message`` and the ``kind`` of failure (None: not
        known, the kiosk reads the message's wording)."""
        ...
    def release(self, claim: Claim) -> None: ...
    def review(self, job_id: str, action: ReviewAction) -> Job: ...
    def retry(self, job_id: str) -> Job:
        """Queue a failed job again from the start, its attempts reset (the kiosk checks its input is still
        there); StoreError when the job has not failed."""
        ...
    def scrub_evidence(self, job_id: str) -> None: ...
    def scrub_expired(self) -> int: ...
    def delete(self, job_id: str) -> Job: ...
    def wall_artworks(self) -> list[WallArtwork]: ...
    def wait_for_change(self, timeout: float) -> bool:
        """Wait at most ``timeout`` seconds for a job to be waiting or the wall's artworks to change; True
        when the store heard of one (then look now), False when the time ran out (look anyway: a store
        that cannot hear of changes, like SQLite, just sleeps)."""
        ...


def new_job_id() -> str:
    """A job id: 128 random bits, also the capability in the visitor's progress URL."""
    return secrets.token_hex(16)


def is_job_id(value: str) -> bool:
    return len(value) == 32 and all(c in "0123456789abcdef" for c in value)


def new_code() -> str:
    """A fresh forget-me code (the store makes sure it is unused)."""
    return "".join(secrets.choice(_CODE_ALPHABET) for _ in range(_CODE_LENGTH))


def normalise_code(code: str) -> str:
    """A code as typed (any case, dashes, spaces) in its stored form."""
    return "".join(c for c in code.upper() if c.isalnum())


def forget(store: JobStore, code: str) -> Job:
    """Remove everything of the job with this forget-me code: record, portrait, artwork, files."""
    job = store.find_code(code)
    if job is None:
        raise JobNotFoundError(f"no portrait has the code {code.strip()[:20]!r}")
    removed = store.delete(job.id)
    for path in (removed.image_path, removed.sidecar_path, removed.export_path):
        if path is not None:
            path.unlink(missing_ok=True)
    shutil.rmtree(removed.work_dir, ignore_errors=True)
    return removed
