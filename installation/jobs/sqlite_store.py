"""The job store in one SQLite file: every visitor's job from upload to artwork.

A worker *claims* a job with a lease that expires, so a job whose worker died is claimed again; each
claim counts as an attempt and after ``max_attempts`` the job fails with its reason. Every write is one
transaction, and each one checks the lease token, so a worker that lost its lease can never finish a job
twice. The records and the ``JobStore`` interface live in ``installation.jobs.records``.

WAL mode, a versioned schema migrated with ``PRAGMA user_version``. A finished artwork is kept whole, as
``Artwork.to_dict()``. Deleted rows are overwritten (``secure_delete``) and the WAL is truncated after a
scrub or a forget, so no post text lingers in free pages.
"""

from __future__ import annotations

import json
import logging
import secrets
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import closing, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from extractors.describe.portrait import VerbalPortrait
from installation.errors import JobNotFoundError, StoreError
from installation.jobs.records import (
    ACTIVE_STATES,
    FINISHED_STATES,
    JOB_STATES,
    Claim,
    Job,
    JobState,
    ReviewAction,
    Source,
    WallArtwork,
    is_job_id,
    new_code,
    normalise_code,
)
from installation.jobs.schema import MIGRATIONS
from installation.render.artwork import Artwork

log = logging.getLogger("portrait.store")

_UPDATABLE = frozenset({"export_path", "handle", "portrait", "evidence_until", "prompt", "error"})
_SELECT = """
    SELECT j.*, a.seq, a.artwork, a.keywords, a.themes, a.approved, a.hold_reason
    FROM jobs j LEFT JOIN artworks a ON a.job_id = j.id
"""


class SqliteJobStore:
    """The job store in one SQLite file; safe for several processes on one machine."""

    def __init__(
        self, path: Path, *, lease_seconds: float = 300, max_attempts: int = 3,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if lease_seconds <= 0:
            raise StoreError(f"lease_seconds must be positive but is {lease_seconds}")
        if max_attempts < 1:
            raise StoreError(f"max_attempts must be at least 1 but is {max_attempts}")
        self.path = path
        self.lease_seconds = lease_seconds
        self.max_attempts = max_attempts
        self._clock = clock
        self._wall_lock = threading.Lock()
        self._wall_conn: sqlite3.Connection | None = None
        self._wall_cache: tuple[int, list[WallArtwork]] | None = None
        path.parent.mkdir(parents=True, exist_ok=True)
        self._migrate()

    # --- connections -------------------------------------------------------------------------------

    def _connect(self, *, shared: bool = False) -> sqlite3.Connection:
        try:
            conn = sqlite3.connect(self.path, timeout=10, isolation_level=None, check_same_thread=not shared)
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: cannot open the job store ({exc})") from exc
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA busy_timeout = 10000")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA secure_delete = ON")
        return conn

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        with closing(self._connect()) as conn:
            try:
                yield conn
            except sqlite3.Error as exc:
                raise StoreError(f"{self.path}: {exc}") from exc

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, taken before reading so that claim checks and updates cannot race."""
        with closing(self._connect()) as conn:
            try:
                conn.execute("BEGIN IMMEDIATE")
                try:
                    yield conn
                except BaseException:
                    conn.execute("ROLLBACK")
                    raise
                conn.execute("COMMIT")
            except sqlite3.Error as exc:
                raise StoreError(f"{self.path}: {exc}") from exc

    def _migrate(self) -> None:
        with closing(self._connect()) as conn:
            try:
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("BEGIN IMMEDIATE")
                version = int(conn.execute("PRAGMA user_version").fetchone()[0])
                if version > len(MIGRATIONS):
                    conn.execute("ROLLBACK")
                    raise StoreError(
                        f"{self.path}: schema version {version} is newer than this program knows "
                        f"({len(MIGRATIONS)}); upgrade social-portrait"
                    )
                for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
                    for statement in script.split(";"):
                        if statement.strip():
                            conn.execute(statement)
                    conn.execute(f"PRAGMA user_version = {number}")
                conn.execute("COMMIT")
            except sqlite3.Error as exc:
                raise StoreError(f"{self.path}: cannot prepare the job store ({exc})") from exc

    def schema_version(self) -> int:
        with self._read() as conn:
            return int(conn.execute("PRAGMA user_version").fetchone()[0])

    def _truncate_wal(self) -> None:
        """Fold the WAL into the (secure-deleted) database and empty it: old row images go too."""
        with self._read() as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    # --- visitors and the kiosk --------------------------------------------------------------------

    def submit(
        self, job_id: str, *, work_dir: Path, source: Source, export_path: Path | None = None,
        handle: str | None = None, nickname: str = "",
    ) -> Job:
        if not is_job_id(job_id):
            raise StoreError(f"job id must be 32 hex digits but is {job_id!r}")
        if (export_path is None) == (handle is None):
            raise StoreError("a job needs exactly one of an export file or a public handle")
        now = self._clock()
        with self._write() as conn:
            code = new_code()
            while conn.execute("SELECT 1 FROM jobs WHERE code = ?", (code,)).fetchone():
                code = new_code()
            conn.execute(
                "INSERT INTO jobs (id, code, state, source, work_dir, export_path, handle, nickname, "
                "created_at, updated_at) VALUES (?, ?, 'submitted', ?, ?, ?, ?, ?, ?, ?)",
                (job_id, code, source, str(work_dir), _path_str(export_path), handle, nickname, now, now),
            )
        job = self.get(job_id)
        assert job is not None  # just inserted
        return job

    def get(self, job_id: str) -> Job | None:
        with self._read() as conn:
            row = conn.execute(_SELECT + " WHERE j.id = ?", (job_id,)).fetchone()
        return _job(row) if row else None

    def find_code(self, code: str) -> Job | None:
        with self._read() as conn:
            row = conn.execute(_SELECT + " WHERE j.code = ?", (normalise_code(code),)).fetchone()
        return _job(row) if row else None

    def position(self, job_id: str) -> int:
        """1 for the job being worked on or next in line; 0 when the job is not waiting."""
        with self._read() as conn:
            row = conn.execute("SELECT state, created_at FROM jobs WHERE id = ?", (job_id,)).fetchone()
            if row is None or row["state"] not in ACTIVE_STATES:
                return 0
            marks = ", ".join("?" for _ in ACTIVE_STATES)
            ahead = conn.execute(
                f"SELECT COUNT(*) FROM jobs WHERE state IN ({marks}) AND created_at < ?",
                (*ACTIVE_STATES, row["created_at"]),
            ).fetchone()[0]
        return int(ahead) + 1

    def jobs(self, states: Sequence[JobState] = (), limit: int = 200) -> list[Job]:
        """Newest first, for the curator."""
        with self._read() as conn:
            if states:
                marks = ", ".join("?" for _ in states)
                rows = conn.execute(
                    _SELECT + f" WHERE j.state IN ({marks}) ORDER BY j.created_at DESC LIMIT ?",
                    (*states, limit),
                ).fetchall()
            else:
                rows = conn.execute(_SELECT + " ORDER BY j.created_at DESC LIMIT ?", (limit,)).fetchall()
        return [_job(r) for r in rows]

    def counts(self) -> dict[str, int]:
        with self._read() as conn:
            rows = conn.execute("SELECT state, COUNT(*) FROM jobs GROUP BY state").fetchall()
        found = {str(r[0]): int(r[1]) for r in rows}
        return {s: found.get(s, 0) for s in JOB_STATES}

    # --- workers -----------------------------------------------------------------------------------

    def claim(self) -> Claim | None:
        """The oldest job that is waiting or whose worker's lease ran out; None when there is none."""
        now = self._clock()
        marks = ", ".join("?" for _ in ACTIVE_STATES)
        with self._write() as conn:
            # 1. Give up on jobs that used every attempt: their last worker died mid-job.
            for row in conn.execute(
                f"SELECT id, state, attempts FROM jobs WHERE state IN ({marks}) AND lease_expires < ? "
                "AND attempts >= ?",
                (*ACTIVE_STATES, now, self.max_attempts),
            ).fetchall():
                conn.execute(
                    "UPDATE jobs SET state = 'failed', error = ?, lease_token = NULL, lease_expires = NULL, "
                    "portrait = NULL, evidence_until = NULL, updated_at = ? WHERE id = ?",
                    (f"gave up after {row['attempts']} attempts: the worker stopped while the job was "
                     f"{row['state']}", now, row["id"]),
                )
            # 2. Take the oldest free job.
            row = conn.execute(
                f"SELECT id FROM jobs WHERE state IN ({marks}) "
                "AND (lease_expires IS NULL OR lease_expires < ?) ORDER BY created_at, id LIMIT 1",
                (*ACTIVE_STATES, now),
            ).fetchone()
            if row is None:
                return None
            token = secrets.token_hex(8)
            conn.execute(
                "UPDATE jobs SET attempts = attempts + 1, lease_token = ?, lease_expires = ?, updated_at = ? "
                "WHERE id = ?",
                (token, now + self.lease_seconds, now, row["id"]),
            )
            job = _job(conn.execute(_SELECT + " WHERE j.id = ?", (row["id"],)).fetchone())
        return Claim(job, token)

    def _check_lease(self, conn: sqlite3.Connection, claim: Claim) -> None:
        row = conn.execute("SELECT lease_token, state FROM jobs WHERE id = ?", (claim.job.id,)).fetchone()
        if row is None:
            raise JobNotFoundError(f"job {claim.job.id} is gone (forgotten while it was worked on)")
        if row["lease_token"] != claim.token or row["state"] not in ACTIVE_STATES:
            raise StoreError(f"job {claim.job.id}: this worker's lease was lost to another worker")

    def renew(self, claim: Claim) -> None:
        with self._write() as conn:
            self._check_lease(conn, claim)
            now = self._clock()
            conn.execute(
                "UPDATE jobs SET lease_expires = ?, updated_at = ? WHERE id = ?",
                (now + self.lease_seconds, now, claim.job.id),
            )

    def advance(self, claim: Claim, state: JobState, **fields: Any) -> Claim:
        """Move a claimed job on to ``state`` and set ``fields``; renews the lease."""
        if state not in ACTIVE_STATES:
            raise StoreError(f"advance() moves a job between working states, not to {state!r}")
        unknown = set(fields) - _UPDATABLE
        if unknown:
            raise StoreError(f"job fields {sorted(unknown)} cannot be set by advance()")
        values = {k: _encode(v) for k, v in fields.items()}
        now = self._clock()
        with self._write() as conn:
            self._check_lease(conn, claim)
            sets = "".join(f", {k} = ?" for k in values)
            conn.execute(
                f"UPDATE jobs SET state = ?, lease_expires = ?, updated_at = ?{sets} WHERE id = ?",
                (state, now + self.lease_seconds, now, *values.values(), claim.job.id),
            )
            job = _job(conn.execute(_SELECT + " WHERE j.id = ?", (claim.job.id,)).fetchone())
        if "portrait" in fields or "handle" in fields:
            self._truncate_wal()
        return Claim(job, claim.token)

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
            conn.execute(
                "INSERT INTO artworks (job_id, artwork, keywords, themes, approved, hold_reason) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (claim.job.id, json.dumps(artwork.to_dict()), json.dumps(list(keywords)), json.dumps(list(themes)),
                 int(approve and not held), hold_reason),
            )
            conn.execute(
                "UPDATE jobs SET state = ?, lease_token = NULL, lease_expires = NULL, error = NULL, "
                "evidence_until = ?, finished_at = ?, updated_at = ? WHERE id = ?",
                ("held" if held else "done", evidence_until, now, now, claim.job.id),
            )
            job = _job(conn.execute(_SELECT + " WHERE j.id = ?", (claim.job.id,)).fetchone())
        return job

    def fail(self, claim: Claim, message: str) -> None:
        """End a claimed job as failed; the verbal portrait (and its evidence) is dropped with it."""
        now = self._clock()
        with self._write() as conn:
            self._check_lease(conn, claim)
            conn.execute(
                "UPDATE jobs SET state = 'failed', error = ?, lease_token = NULL, lease_expires = NULL, "
                "portrait = NULL, evidence_until = NULL, handle = NULL, finished_at = ?, updated_at = ? "
                "WHERE id = ?",
                (message, now, now, claim.job.id),
            )
        self._truncate_wal()

    def release(self, claim: Claim) -> None:
        """Hand a job back unfinished (the worker is stopping): it is next in line, no attempt spent."""
        with self._write() as conn:
            self._check_lease(conn, claim)
            conn.execute(
                "UPDATE jobs SET lease_token = NULL, lease_expires = NULL, attempts = MAX(attempts - 1, 0) "
                "WHERE id = ?",
                (claim.job.id,),
            )

    def wait_for_change(self, timeout: float) -> bool:
        """SQLite tells no one of a commit: sleep ``timeout`` seconds, then the caller polls."""
        time.sleep(max(0.0, timeout))
        return False

    # --- curators ----------------------------------------------------------------------------------

    def review(self, job_id: str, action: ReviewAction) -> Job:
        states: dict[ReviewAction, JobState] = {"approve": "done", "hide": "hidden", "hold": "held"}
        state = states[action]
        with self._write() as conn:
            row = conn.execute("SELECT state FROM jobs WHERE id = ?", (job_id,)).fetchone()
            if row is None:
                raise JobNotFoundError(f"no job has the id {job_id!r}")
            if row["state"] not in FINISHED_STATES:
                raise StoreError(f"job {job_id} is {row['state']}: only finished artworks can be reviewed")
            conn.execute("UPDATE jobs SET state = ?, updated_at = ? WHERE id = ?", (state, self._clock(), job_id))
            conn.execute("UPDATE artworks SET approved = ? WHERE job_id = ?", (int(action == "approve"), job_id))
            job = _job(conn.execute(_SELECT + " WHERE j.id = ?", (job_id,)).fetchone())
        return job

    # --- privacy -----------------------------------------------------------------------------------

    def scrub_evidence(self, job_id: str) -> None:
        """Drop the post snippets from a job's verbal portrait now (the visitor left the result)."""
        with self._write() as conn:
            row = conn.execute("SELECT portrait FROM jobs WHERE id = ?", (job_id,)).fetchone()
            if row is None:
                raise JobNotFoundError(f"no job has the id {job_id!r}")
            self._scrub_row(conn, job_id, row["portrait"])
        self._truncate_wal()

    def scrub_expired(self) -> int:
        """Scrub every finished job whose evidence time is up; returns how many were scrubbed."""
        with self._read() as conn:  # polled every second: take the write lock only when there is work
            due = conn.execute(
                "SELECT 1 FROM jobs WHERE evidence_until IS NOT NULL AND evidence_until <= ? LIMIT 1",
                (self._clock(),),
            ).fetchone()
        if due is None:
            return 0
        with self._write() as conn:
            rows = conn.execute(
                "SELECT id, portrait FROM jobs WHERE evidence_until IS NOT NULL AND evidence_until <= ?",
                (self._clock(),),
            ).fetchall()
            for row in rows:
                self._scrub_row(conn, row["id"], row["portrait"])
        if rows:
            self._truncate_wal()
        return len(rows)

    @staticmethod
    def _scrub_row(conn: sqlite3.Connection, job_id: str, portrait: str | None) -> None:
        scrubbed = None
        if portrait:
            try:
                scrubbed = json.dumps(VerbalPortrait.from_dict(json.loads(portrait)).to_dict(evidence=False))
            except (ValueError, KeyError, TypeError) as exc:
                # A portrait that does not read back cannot be made evidence-free, so it goes whole: keeping
                # the snippets past their time would break the promise made to the visitor.
                log.warning("job %s: its verbal portrait could not be read (%s); dropped while scrubbing",
                            job_id, type(exc).__name__)
        conn.execute("UPDATE jobs SET portrait = ?, evidence_until = NULL WHERE id = ?", (scrubbed, job_id))

    def retry(self, job_id: str) -> Job:
        """Queue a failed job again from the start, at the back of the line, its attempts and error cleared."""
        now = self._clock()
        with self._write() as conn:
            found = conn.execute(
                "UPDATE jobs SET state = 'submitted', attempts = 0, error = NULL, lease_token = NULL, "
                "lease_expires = NULL, finished_at = NULL, created_at = ?, updated_at = ? "
                "WHERE id = ? AND state = 'failed'", (now, now, job_id),
            ).rowcount
            if not found:
                raise StoreError(f"job {job_id!r} cannot be tried again: it has not failed")
            row = conn.execute(_SELECT + " WHERE j.id = ?", (job_id,)).fetchone()
        return _job(row)

    def delete(self, job_id: str) -> Job:
        """Remove the job and its artwork record; returns what was removed so its files can go too."""
        with self._write() as conn:
            row = conn.execute(_SELECT + " WHERE j.id = ?", (job_id,)).fetchone()
            if row is None:
                raise JobNotFoundError(f"no job has the id {job_id!r}")
            conn.execute("DELETE FROM jobs WHERE id = ?", (job_id,))
        self._truncate_wal()
        return _job(row)

    # --- the wall ----------------------------------------------------------------------------------

    def wall_artworks(self) -> list[WallArtwork]:
        """Finished, approved artworks, oldest first; cheap to poll every second.

        A connection kept for the wall answers from its last result while ``PRAGMA data_version`` says
        no other connection has committed since, so an idle poll costs one pragma, not a query.
        """
        with self._wall_lock:
            try:
                if self._wall_conn is None:
                    self._wall_conn = self._connect(shared=True)
                conn = self._wall_conn
                version = int(conn.execute("PRAGMA data_version").fetchone()[0])
                if self._wall_cache is not None and self._wall_cache[0] == version:
                    return list(self._wall_cache[1])
                rows = conn.execute(
                    "SELECT a.seq, a.job_id, a.artwork, a.keywords, a.themes, j.nickname, j.finished_at "
                    "FROM artworks a JOIN jobs j ON j.id = a.job_id "
                    "WHERE a.approved = 1 AND j.state = 'done' ORDER BY a.seq"
                ).fetchall()
            except sqlite3.Error as exc:
                if self._wall_conn is not None:
                    self._wall_conn.close()
                self._wall_conn = self._wall_cache = None
                raise StoreError(f"{self.path}: {exc}") from exc
            artworks = [
                WallArtwork(
                    job_id=r["job_id"], seq=int(r["seq"]), artwork=Artwork.from_dict(json.loads(r["artwork"])),
                    caption=r["nickname"], keywords=tuple(json.loads(r["keywords"])),
                    themes=tuple(json.loads(r["themes"])),
                    finished_at=datetime.fromtimestamp(r["finished_at"], UTC),
                )
                for r in rows
            ]
            self._wall_cache = (version, artworks)
            return list(artworks)


def open_store(path: Path, *, lease_seconds: float = 300, max_attempts: int = 3) -> SqliteJobStore:
    return SqliteJobStore(path, lease_seconds=lease_seconds, max_attempts=max_attempts)


def _path_str(path: Path | None) -> str | None:
    return None if path is None else str(path)


def _encode(value: Any) -> Any:
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, dict):
        return json.dumps(value)
    return value


def _job(row: sqlite3.Row) -> Job:
    def path(key: str) -> Path | None:
        return Path(row[key]) if row[key] else None

    return Job(
        id=row["id"], code=row["code"], state=row["state"], source=row["source"],
        work_dir=Path(row["work_dir"]), export_path=path("export_path"), handle=row["handle"],
        nickname=row["nickname"], attempts=int(row["attempts"]), error=row["error"],
        portrait=json.loads(row["portrait"]) if row["portrait"] else None,
        evidence_until=row["evidence_until"],
        prompt=json.loads(row["prompt"]) if row["prompt"] else None,
        created_at=row["created_at"], updated_at=row["updated_at"], finished_at=row["finished_at"],
        seq=row["seq"], artwork=Artwork.from_dict(json.loads(row["artwork"])) if row["artwork"] else None,
        keywords=tuple(json.loads(row["keywords"] or "[]")), themes=tuple(json.loads(row["themes"] or "[]")),
        approved=bool(row["approved"]), hold_reason=row["hold_reason"],
    )
