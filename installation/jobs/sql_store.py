"""What the SQLite and the PostgreSQL job stores share: every query of the ``JobStore`` interface, written
once, and the few words in which the two SQL dialects differ (``Dialect``).

A subclass supplies its connections (``_read``: one connection; ``_write``: one transaction on it, whose
row checks cannot race), ``_purge`` (how removed text leaves the storage: SQLite truncates its WAL,
PostgreSQL rewrites the tables), its migrations and the wall's cheap idle poll. The queries are written
with ``?`` placeholders; a dialect whose driver wants ``%s`` has them translated once per text.
"""

from __future__ import annotations

import json
import logging
import secrets
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from extractors.describe.portrait import VerbalPortrait
from installation.errors import JobNotFoundError, StoreError
from installation.jobs.records import (
    ACTIVE_STATES,
    ERROR_KINDS,
    FINISHED_STATES,
    JOB_STATES,
    Claim,
    ErrorKind,
    Job,
    JobState,
    ReviewAction,
    Source,
    WallArtwork,
    is_job_id,
    new_code,
    normalise_code,
)
from installation.render.artwork import Artwork

log = logging.getLogger("portrait.store")

UPDATABLE = frozenset({"export_path", "handle", "portrait", "evidence_until", "prompt", "error"})
SELECT = """
    SELECT j.*, a.seq, a.artwork, a.keywords, a.themes, a.approved, a.hold_reason
    FROM jobs j LEFT JOIN artworks a ON a.job_id = j.id
"""
WALL_SELECT = """
    SELECT a.seq, a.job_id, a.artwork, a.keywords, a.themes, j.nickname, j.finished_at
    FROM artworks a JOIN jobs j ON j.id = a.job_id
    WHERE a.approved AND j.state = 'done' ORDER BY a.seq
"""
_ACTIVE_MARKS = ", ".join("?" for _ in ACTIVE_STATES)


@dataclass(frozen=True)
class Dialect:
    """Where the two SQL dialects differ, in the words the shared queries splice in."""

    placeholder: str  # "?" (sqlite3) or "%s" (psycopg)
    lock: str  # appended to a one-table SELECT whose rows the transaction will change
    lock_job: str  # the same for the jobs-artworks join (only the job's row can be locked)
    skip_locked: str  # appended where rows another transaction holds are skipped, not waited for
    greatest: str  # the two-argument maximum: MAX in SQLite, GREATEST in PostgreSQL

    def sql(self, text: str) -> str:
        return text if self.placeholder == "?" else _translated(text, self.placeholder)


@lru_cache(maxsize=256)
def _translated(text: str, placeholder: str) -> str:
    return text.replace("?", placeholder)  # no query here holds a literal question mark


class SqlJobStore(ABC):
    """The ``JobStore`` queries over any connection whose ``execute(sql, params)`` returns a cursor."""

    dialect: Dialect

    def __init__(self, *, lease_seconds: float, max_attempts: int, clock: Callable[[], float]) -> None:
        if lease_seconds <= 0:
            raise StoreError(f"lease_seconds must be positive but is {lease_seconds}")
        if max_attempts < 1:
            raise StoreError(f"max_attempts must be at least 1 but is {max_attempts}")
        self.lease_seconds = lease_seconds
        self.max_attempts = max_attempts
        self._clock = clock

    # --- what each store supplies ------------------------------------------------------------------

    @abstractmethod
    def _read(self) -> AbstractContextManager[Any]:
        """A connection for reads (and statements that need no transaction of their own)."""

    @abstractmethod
    def _write(self) -> AbstractContextManager[Any]:
        """One write transaction; committed when the block ends, rolled back when it raises."""

    @abstractmethod
    def _purge(self) -> None:
        """Make text just removed from the tables leave the storage too (no old row images)."""

    def _purges_after_advance(self, fields: Mapping[str, Any]) -> bool:
        """Whether an ``advance`` with these fields removed text that ``_purge`` must clear."""
        return "portrait" in fields or "handle" in fields

    @abstractmethod
    def wall_artworks(self) -> list[WallArtwork]: ...

    @abstractmethod
    def wait_for_change(self, timeout: float) -> bool: ...

    @abstractmethod
    def schema_version(self) -> int:
        """The number of migrations applied to this store."""

    @abstractmethod
    def close(self) -> None:
        """Close the connections this store keeps open (the wall's, the calling thread's); it reopens them
        when used again."""

    def _q(self, conn: Any, sql: str, params: Sequence[Any] = ()) -> Any:
        """Run one statement in this store's dialect; returns the driver's cursor."""
        return conn.execute(self.dialect.sql(sql), tuple(params))

    def _row(self, conn: Any, job_id: str) -> Any:
        return self._q(conn, SELECT + " WHERE j.id = ?", (job_id,)).fetchone()

    # --- visitors and the kiosk --------------------------------------------------------------------

    def submit(
        self, job_id: str, *, work_dir: Path, source: Source, export_path: Path | None = None,
        handle: str | None = None, nickname: str = "", content_hash: str | None = None,
    ) -> Job:
        if not is_job_id(job_id):
            raise StoreError(f"job id must be 32 hex digits but is {job_id!r}")
        if (export_path is None) == (handle is None):
            raise StoreError("a job needs exactly one of an export file or a public handle")
        if content_hash is not None and (len(content_hash) != 64 or content_hash.strip("0123456789abcdef")):
            raise StoreError(f"a content hash must be 64 hex digits (SHA-256) but is {content_hash[:70]!r}")
        now = self._clock()
        with self._write() as conn:
            code = new_code()
            while self._q(conn, "SELECT 1 FROM jobs WHERE code = ?", (code,)).fetchone():
                code = new_code()
            self._q(
                conn,
                "INSERT INTO jobs (id, code, state, source, work_dir, export_path, handle, nickname, "
                "content_hash, created_at, updated_at) VALUES (?, ?, 'submitted', ?, ?, ?, ?, ?, ?, ?, ?)",
                (job_id, code, source, str(work_dir), path_str(export_path), handle, nickname, content_hash,
                 now, now),
            )
        job = self.get(job_id)
        assert job is not None  # just inserted
        return job

    def get(self, job_id: str) -> Job | None:
        with self._read() as conn:
            row = self._row(conn, job_id)
        return job_of(row) if row else None

    def earlier_upload(self, job: Job) -> Job | None:
        """The newest other job of the same uploaded content that still has or will have a portrait (not
        failed, not hidden); None when there is none or ``job`` keeps no content hash."""
        if job.content_hash is None:
            return None
        with self._read() as conn:
            row = self._q(
                conn, SELECT + " WHERE j.content_hash = ? AND j.id <> ? AND j.state NOT IN ('failed', 'hidden') "
                "ORDER BY j.created_at DESC LIMIT 1", (job.content_hash, job.id),
            ).fetchone()
        return job_of(row) if row else None

    def find_code(self, code: str) -> Job | None:
        with self._read() as conn:
            row = self._q(conn, SELECT + " WHERE j.code = ?", (normalise_code(code),)).fetchone()
        return job_of(row) if row else None

    def position(self, job_id: str) -> int:
        """1 for the job being worked on or next in line; 0 when the job is not waiting."""
        with self._read() as conn:
            row = self._q(conn, "SELECT state, created_at FROM jobs WHERE id = ?", (job_id,)).fetchone()
            if row is None or row["state"] not in ACTIVE_STATES:
                return 0
            ahead = self._q(
                conn, f"SELECT COUNT(*) AS n FROM jobs WHERE state IN ({_ACTIVE_MARKS}) AND created_at < ?",
                (*ACTIVE_STATES, row["created_at"]),
            ).fetchone()
        return int(ahead["n"]) + 1

    def jobs(self, states: Sequence[JobState] = (), limit: int = 200) -> list[Job]:
        """Newest first, for the curator."""
        with self._read() as conn:
            if states:
                marks = ", ".join("?" for _ in states)
                rows = self._q(
                    conn, SELECT + f" WHERE j.state IN ({marks}) ORDER BY j.created_at DESC LIMIT ?",
                    (*states, limit),
                ).fetchall()
            else:
                rows = self._q(conn, SELECT + " ORDER BY j.created_at DESC LIMIT ?", (limit,)).fetchall()
        return [job_of(r) for r in rows]

    def counts(self) -> dict[str, int]:
        with self._read() as conn:
            rows = self._q(conn, "SELECT state, COUNT(*) AS n FROM jobs GROUP BY state").fetchall()
        found = {str(r["state"]): int(r["n"]) for r in rows}
        return {s: found.get(s, 0) for s in JOB_STATES}

    # --- workers -----------------------------------------------------------------------------------

    def claim(self) -> Claim | None:
        """The oldest job that is waiting or whose worker's lease ran out; None when there is none.

        Where the dialect can, rows another worker is claiming right now are skipped, not waited for.
        """
        now = self._clock()
        skip = self.dialect.skip_locked
        with self._write() as conn:
            # 1. Give up on jobs that used every attempt: their last worker died mid-job.
            gave_up = self._q(
                conn, f"SELECT id, state, attempts FROM jobs WHERE state IN ({_ACTIVE_MARKS}) "
                f"AND lease_expires < ? AND attempts >= ?{skip}",
                (*ACTIVE_STATES, now, self.max_attempts),
            ).fetchall()
            for row in gave_up:
                self._q(
                    conn,
                    "UPDATE jobs SET state = 'failed', error = ?, error_kind = 'attempts', lease_token = NULL, "
                    "lease_expires = NULL, portrait = NULL, evidence_until = NULL, content_hash = NULL, "
                    "updated_at = ? WHERE id = ?",
                    (f"gave up after {row['attempts']} attempts: the worker stopped while the job was "
                     f"{row['state']}", now, row["id"]),
                )
            # 2. Take the oldest free job.
            row = self._q(
                conn, f"SELECT id FROM jobs WHERE state IN ({_ACTIVE_MARKS}) "
                f"AND (lease_expires IS NULL OR lease_expires < ?) ORDER BY created_at, id LIMIT 1{skip}",
                (*ACTIVE_STATES, now),
            ).fetchone()
            claim = None
            if row is not None:
                token = secrets.token_hex(8)
                self._q(
                    conn, "UPDATE jobs SET attempts = attempts + 1, lease_token = ?, lease_expires = ?, "
                    "updated_at = ? WHERE id = ?",
                    (token, now + self.lease_seconds, now, row["id"]),
                )
                claim = Claim(job_of(self._row(conn, row["id"])), token)
        if gave_up:
            self._purge()  # their portraits went
        return claim

    def _check_lease(self, conn: Any, claim: Claim) -> None:
        row = self._q(
            conn, f"SELECT lease_token, state FROM jobs WHERE id = ?{self.dialect.lock}", (claim.job.id,)
        ).fetchone()
        if row is None:
            raise JobNotFoundError(f"job {claim.job.id} is gone (forgotten while it was worked on)")
        if row["lease_token"] != claim.token or row["state"] not in ACTIVE_STATES:
            raise StoreError(f"job {claim.job.id}: this worker's lease was lost to another worker")

    def renew(self, claim: Claim) -> None:
        with self._write() as conn:
            self._check_lease(conn, claim)
            now = self._clock()
            self._q(conn, "UPDATE jobs SET lease_expires = ?, updated_at = ? WHERE id = ?",
                    (now + self.lease_seconds, now, claim.job.id))

    def advance(self, claim: Claim, state: JobState, **fields: Any) -> Claim:
        """Move a claimed job on to ``state`` and set ``fields``; renews the lease."""
        if state not in ACTIVE_STATES:
            raise StoreError(f"advance() moves a job between working states, not to {state!r}")
        unknown = set(fields) - UPDATABLE
        if unknown:
            raise StoreError(f"job fields {sorted(unknown)} cannot be set by advance()")
        values = {k: encode(v) for k, v in fields.items()}
        now = self._clock()
        with self._write() as conn:
            self._check_lease(conn, claim)
            sets = "".join(f", {k} = ?" for k in values)  # keys checked against UPDATABLE above
            self._q(conn, f"UPDATE jobs SET state = ?, lease_expires = ?, updated_at = ?{sets} WHERE id = ?",
                    (state, now + self.lease_seconds, now, *values.values(), claim.job.id))
            row = self._row(conn, claim.job.id)
        if self._purges_after_advance(fields):
            self._purge()
        return Claim(job_of(row), claim.token)

    def finish(
        self, claim: Claim, artwork: Artwork, *, keywords: tuple[str, ...], themes: tuple[str, ...], approve: bool,
        evidence_until: float, hold_reason: str | None = None,
    ) -> Job:
        """Record the artwork (with the caption's keywords and the streams' themes) and end the job: done, or
        held for a curator when the safety checker flagged it or ``hold_reason`` says why the wall-word
        policy would not show it unseen."""
        held = artwork.flagged or hold_reason is not None
        now = self._clock()
        with self._write() as conn:
            self._check_lease(conn, claim)
            self._q(
                conn, "INSERT INTO artworks (job_id, artwork, keywords, themes, approved, hold_reason) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (claim.job.id, json.dumps(artwork.to_dict()), json.dumps(list(keywords)), json.dumps(list(themes)),
                 approve and not held, hold_reason),
            )
            self._q(
                conn, "UPDATE jobs SET state = ?, lease_token = NULL, lease_expires = NULL, error = NULL, "
                "error_kind = NULL, evidence_until = ?, finished_at = ?, updated_at = ? WHERE id = ?",
                ("held" if held else "done", evidence_until, now, now, claim.job.id),
            )
            row = self._row(conn, claim.job.id)
        return job_of(row)

    def fail(self, claim: Claim, message: str, kind: ErrorKind | None = None) -> None:
        """End a claimed job as failed, with the technical ``message`` and the ``kind`` of failure the visitor
        is told (None: not known); the verbal portrait (and its evidence) is dropped with it."""
        if kind is not None and kind not in ERROR_KINDS:
            raise StoreError(f"error kind must be one of {', '.join(ERROR_KINDS)} but is {kind!r}")
        now = self._clock()
        with self._write() as conn:
            self._check_lease(conn, claim)
            self._q(
                conn, "UPDATE jobs SET state = 'failed', error = ?, error_kind = ?, lease_token = NULL, "
                "lease_expires = NULL, portrait = NULL, evidence_until = NULL, handle = NULL, content_hash = NULL, "
                "finished_at = ?, "
                "updated_at = ? WHERE id = ?",
                (message, kind, now, now, claim.job.id),
            )
        self._purge()

    def release(self, claim: Claim) -> None:
        """Hand a job back unfinished (the worker is stopping): it is next in line, no attempt spent."""
        with self._write() as conn:
            self._check_lease(conn, claim)
            self._q(conn, "UPDATE jobs SET lease_token = NULL, lease_expires = NULL, "
                    f"attempts = {self.dialect.greatest}(attempts - 1, 0) WHERE id = ?", (claim.job.id,))

    # --- curators ----------------------------------------------------------------------------------

    def review(self, job_id: str, action: ReviewAction) -> Job:
        states: dict[ReviewAction, JobState] = {"approve": "done", "hide": "hidden", "hold": "held"}
        state = states[action]
        with self._write() as conn:
            row = self._q(conn, f"SELECT state FROM jobs WHERE id = ?{self.dialect.lock}", (job_id,)).fetchone()
            if row is None:
                raise JobNotFoundError(f"no job has the id {job_id!r}")
            if row["state"] not in FINISHED_STATES:
                raise StoreError(f"job {job_id} is {row['state']}: only finished artworks can be reviewed")
            self._q(conn, "UPDATE jobs SET state = ?, updated_at = ? WHERE id = ?", (state, self._clock(), job_id))
            self._q(conn, "UPDATE artworks SET approved = ? WHERE job_id = ?", (action == "approve", job_id))
            row = self._row(conn, job_id)
        return job_of(row)

    def retry(self, job_id: str) -> Job:
        """Queue a failed job again from the start, at the back of the line, its attempts and error cleared."""
        now = self._clock()
        with self._write() as conn:
            found = self._q(
                conn, "UPDATE jobs SET state = 'submitted', attempts = 0, error = NULL, error_kind = NULL, "
                "lease_token = NULL, lease_expires = NULL, finished_at = NULL, created_at = ?, updated_at = ? "
                "WHERE id = ? AND state = 'failed'", (now, now, job_id),
            ).rowcount
            if not found:
                raise StoreError(f"job {job_id!r} cannot be tried again: it has not failed")
            row = self._row(conn, job_id)
        return job_of(row)

    # --- privacy -----------------------------------------------------------------------------------

    def scrub_evidence(self, job_id: str) -> None:
        """Drop the post snippets from a job's verbal portrait now (the visitor left the result)."""
        with self._write() as conn:
            row = self._q(conn, f"SELECT portrait FROM jobs WHERE id = ?{self.dialect.lock}", (job_id,)).fetchone()
            if row is None:
                raise JobNotFoundError(f"no job has the id {job_id!r}")
            self._scrub_row(conn, job_id, row["portrait"])
        self._purge()

    def scrub_expired(self) -> int:
        """Scrub every finished job whose evidence time is up; returns how many were scrubbed."""
        with self._read() as conn:  # polled every second: take the write lock only when there is work
            due = self._q(
                conn, "SELECT 1 FROM jobs WHERE evidence_until IS NOT NULL AND evidence_until <= ? LIMIT 1",
                (self._clock(),),
            ).fetchone()
        if due is None:
            return 0
        with self._write() as conn:
            rows = self._q(
                conn, "SELECT id, portrait FROM jobs WHERE evidence_until IS NOT NULL AND evidence_until <= ?"
                + self.dialect.skip_locked, (self._clock(),),
            ).fetchall()
            for row in rows:
                self._scrub_row(conn, row["id"], row["portrait"])
        if rows:
            self._purge()
        return len(rows)

    def _scrub_row(self, conn: Any, job_id: str, portrait: str | None) -> None:
        scrubbed = None
        if portrait:
            try:
                scrubbed = json.dumps(VerbalPortrait.from_dict(json.loads(portrait)).to_dict(evidence=False))
            except (ValueError, KeyError, TypeError) as exc:
                # A portrait that does not read back cannot be made evidence-free, so it goes whole: keeping
                # the snippets past their time would break the promise made to the visitor.
                log.warning("job %s: its verbal portrait could not be read (%s); dropped while scrubbing",
                            job_id, type(exc).__name__)
        self._q(conn, "UPDATE jobs SET portrait = ?, evidence_until = NULL WHERE id = ?", (scrubbed, job_id))

    def delete(self, job_id: str) -> Job:
        """Remove the job and its artwork record; returns what was removed so its files can go too."""
        with self._write() as conn:
            row = self._q(conn, SELECT + f" WHERE j.id = ?{self.dialect.lock_job}", (job_id,)).fetchone()
            if row is None:
                raise JobNotFoundError(f"no job has the id {job_id!r}")
            self._q(conn, "DELETE FROM jobs WHERE id = ?", (job_id,))
        self._purge()
        return job_of(row)


def wall_artwork(row: Any) -> WallArtwork:
    """One row of ``WALL_SELECT`` as the wall sees it."""
    return WallArtwork(
        job_id=row["job_id"], seq=int(row["seq"]), artwork=Artwork.from_dict(json.loads(row["artwork"])),
        caption=row["nickname"], keywords=tuple(json.loads(row["keywords"])), themes=tuple(json.loads(row["themes"])),
        finished_at=datetime.fromtimestamp(row["finished_at"], UTC),
    )


def path_str(path: Path | None) -> str | None:
    return None if path is None else str(path)


def encode(value: Any) -> Any:
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, dict):
        return json.dumps(value)
    return value


def job_of(row: Any) -> Job:
    """A row of ``SELECT`` (``sqlite3.Row`` or psycopg's dict row) as a ``Job``."""
    assert row is not None  # read in the transaction that locked or wrote it

    def path(key: str) -> Path | None:
        return Path(row[key]) if row[key] else None

    return Job(
        id=row["id"], code=row["code"], state=row["state"], source=row["source"],
        work_dir=Path(row["work_dir"]), export_path=path("export_path"), handle=row["handle"],
        nickname=row["nickname"], attempts=int(row["attempts"]), error=row["error"],
        error_kind=row["error_kind"] if row["error_kind"] in ERROR_KINDS else None,
        portrait=json.loads(row["portrait"]) if row["portrait"] else None,
        evidence_until=row["evidence_until"],
        prompt=json.loads(row["prompt"]) if row["prompt"] else None,
        created_at=row["created_at"], updated_at=row["updated_at"], finished_at=row["finished_at"],
        seq=row["seq"], artwork=Artwork.from_dict(json.loads(row["artwork"])) if row["artwork"] else None,
        keywords=tuple(json.loads(row["keywords"] or "[]")), themes=tuple(json.loads(row["themes"] or "[]")),
        approved=bool(row["approved"]), hold_reason=row["hold_reason"], content_hash=row["content_hash"],
    )
