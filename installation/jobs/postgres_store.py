"""The job store on a PostgreSQL server, for kiosks, walls and render nodes on several machines.

The same interface and the same semantics as ``SqliteJobStore`` (``installation.jobs.sqlite_store``):
a worker *claims* a job with a lease that expires, each claim counts as an attempt, after
``max_attempts`` the job fails with its reason, and every write checks the lease token in the
transaction that makes it. Claims take the row with ``SELECT ... FOR UPDATE SKIP LOCKED``, so any number
of workers on any number of machines take each job exactly once without waiting on each other.

The schema is versioned and migrated under an advisory lock (``installation.jobs.postgres_schema``).
Triggers ``NOTIFY`` a channel when a job is waiting or the wall's artworks changed; ``wait_for_change``
listens on it, so an idle worker starts a new job at once instead of on its next poll.

Privacy: after a scrub, a failure or a forget, ``VACUUM FULL`` rewrites the two tables (they are small:
one row per visitor), so the removed text does not stay behind in dead rows. What PostgreSQL's own
write-ahead log keeps until its next checkpoint is said in the README ("Several machines").

psycopg is imported when a store is opened, so importing this module costs nothing.
"""

from __future__ import annotations

import json
import logging
import secrets
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from installation.errors import JobNotFoundError, StoreError
from installation.jobs.postgres_rows import encode, is_postgres_url, job_of, path_str, reason, safe_url, scrub_row
from installation.jobs.postgres_schema import CHANNEL, MIGRATION_LOCK, MIGRATIONS, VERSION_TABLE
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
from installation.render.artwork import Artwork

if TYPE_CHECKING:
    import psycopg

log = logging.getLogger("portrait.store")

_UPDATABLE = frozenset({"export_path", "handle", "portrait", "evidence_until", "prompt", "error"})
_SELECT = """
    SELECT j.*, a.seq, a.artwork, a.keywords, a.themes, a.approved, a.hold_reason
    FROM jobs j LEFT JOIN artworks a ON a.job_id = j.id
"""
_ACTIVE = list(ACTIVE_STATES)


class PostgresJobStore:
    """The job store on a PostgreSQL server; safe for any number of processes on any number of machines."""

    def __init__(
        self, url: str, *, lease_seconds: float = 300, max_attempts: int = 3,
        clock: Callable[[], float] = time.time, connect_timeout: float = 10,
    ) -> None:
        if not is_postgres_url(url):
            scheme = url.split("://", 1)[0][:20] if "://" in url else "no scheme"  # never the password
            raise StoreError(f"[store] url must start with postgresql:// but has {scheme!r}")
        if lease_seconds <= 0:
            raise StoreError(f"lease_seconds must be positive but is {lease_seconds}")
        if max_attempts < 1:
            raise StoreError(f"max_attempts must be at least 1 but is {max_attempts}")
        try:
            import psycopg  # noqa: F401 - fail politely here, not at the first query
        except ImportError as exc:
            raise StoreError("a PostgreSQL job store needs psycopg: pip install 'psycopg[binary]'") from exc
        self.url = url
        self.where = safe_url(url)
        self.lease_seconds = lease_seconds
        self.max_attempts = max_attempts
        self._clock = clock
        self._connect_timeout = connect_timeout
        self._local = threading.local()  # one connection per thread (the kiosk serves from several)
        self._wall_lock = threading.Lock()
        self._wall_cache: tuple[int, list[WallArtwork]] | None = None
        self._listen_lock = threading.Lock()
        self._listener: psycopg.Connection[Any] | None = None
        self._migrate()

    # --- connections -------------------------------------------------------------------------------

    def _connect(self) -> psycopg.Connection[Any]:
        import psycopg
        from psycopg.rows import dict_row

        try:
            return psycopg.connect(self.url, autocommit=True, row_factory=dict_row,
                                   connect_timeout=max(1, round(self._connect_timeout)),
                                   application_name="social-portrait")
        except psycopg.Error as exc:
            raise StoreError(f"cannot reach the job store at {self.where} ({reason(exc)})") from exc

    @contextmanager
    def _conn(self) -> Iterator[psycopg.Connection[Any]]:
        """This thread's connection, opened again when the server dropped it."""
        import psycopg

        conn: psycopg.Connection[Any] | None = getattr(self._local, "conn", None)
        if conn is None or conn.closed or conn.broken:
            conn = self._local.conn = self._connect()
        try:
            yield conn
        except psycopg.Error as exc:
            if conn.broken or isinstance(exc, psycopg.OperationalError):
                conn.close()
                self._local.conn = None
                raise StoreError(f"lost the job store at {self.where} ({reason(exc)})") from exc
            raise StoreError(f"{self.where}: {type(exc).__name__}: {reason(exc)}") from exc

    @contextmanager
    def _read(self) -> Iterator[psycopg.Connection[Any]]:
        with self._conn() as conn:
            yield conn

    @contextmanager
    def _write(self) -> Iterator[psycopg.Connection[Any]]:
        """One transaction; rows it checks are locked (``FOR UPDATE``) before they are changed."""
        with self._conn() as conn, conn.transaction():
            yield conn

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None
        with self._listen_lock:
            if self._listener is not None:
                self._listener.close()
                self._listener = None

    def _migrate(self) -> None:
        with self._write() as conn:
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
            conn.execute(VERSION_TABLE)
            row = conn.execute("SELECT version FROM portrait_schema").fetchone()
            if row is None:
                conn.execute("INSERT INTO portrait_schema VALUES (0)")
            version = int(row["version"]) if row else 0
            if version > len(MIGRATIONS):
                raise StoreError(
                    f"{self.where}: schema version {version} is newer than this program knows "
                    f"({len(MIGRATIONS)}); upgrade social-portrait"
                )
            for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
                conn.execute(script.encode())  # bytes: several statements, no parameters
                conn.execute("UPDATE portrait_schema SET version = %s", (number,))

    def schema_version(self) -> int:
        with self._read() as conn:
            row = conn.execute("SELECT version FROM portrait_schema").fetchone()
        return int(row["version"]) if row else 0

    def _vacuum(self) -> None:
        """Rewrite the tables, so text removed from them does not stay behind in dead rows."""
        with self._read() as conn:
            conn.execute("VACUUM FULL jobs, artworks")

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
            while conn.execute("SELECT 1 FROM jobs WHERE code = %s", (code,)).fetchone():
                code = new_code()
            conn.execute(
                "INSERT INTO jobs (id, code, state, source, work_dir, export_path, handle, nickname, "
                "created_at, updated_at) VALUES (%s, %s, 'submitted', %s, %s, %s, %s, %s, %s, %s)",
                (job_id, code, source, str(work_dir), path_str(export_path), handle, nickname, now, now),
            )
        job = self.get(job_id)
        assert job is not None  # just inserted
        return job

    def get(self, job_id: str) -> Job | None:
        with self._read() as conn:
            row = conn.execute(_SELECT + " WHERE j.id = %s", (job_id,)).fetchone()
        return job_of(row) if row else None

    def find_code(self, code: str) -> Job | None:
        with self._read() as conn:
            row = conn.execute(_SELECT + " WHERE j.code = %s", (normalise_code(code),)).fetchone()
        return job_of(row) if row else None

    def position(self, job_id: str) -> int:
        """1 for the job being worked on or next in line; 0 when the job is not waiting."""
        with self._read() as conn:
            row = conn.execute("SELECT state, created_at FROM jobs WHERE id = %s", (job_id,)).fetchone()
            if row is None or row["state"] not in ACTIVE_STATES:
                return 0
            ahead = conn.execute(
                "SELECT COUNT(*) AS n FROM jobs WHERE state = ANY(%s) AND created_at < %s",
                (_ACTIVE, row["created_at"]),
            ).fetchone()
        return int(ahead["n"] if ahead else 0) + 1

    def jobs(self, states: Sequence[JobState] = (), limit: int = 200) -> list[Job]:
        """Newest first, for the curator."""
        with self._read() as conn:
            if states:
                rows = conn.execute(
                    _SELECT + " WHERE j.state = ANY(%s) ORDER BY j.created_at DESC LIMIT %s", (list(states), limit)
                ).fetchall()
            else:
                rows = conn.execute(_SELECT + " ORDER BY j.created_at DESC LIMIT %s", (limit,)).fetchall()
        return [job_of(r) for r in rows]

    def counts(self) -> dict[str, int]:
        with self._read() as conn:
            rows = conn.execute("SELECT state, COUNT(*) AS n FROM jobs GROUP BY state").fetchall()
        found = {str(r["state"]): int(r["n"]) for r in rows}
        return {s: found.get(s, 0) for s in JOB_STATES}

    # --- workers -----------------------------------------------------------------------------------

    def claim(self) -> Claim | None:
        """The oldest job that is waiting or whose worker's lease ran out; None when there is none.

        Rows another worker is claiming right now are skipped, not waited for.
        """
        now = self._clock()
        with self._write() as conn:
            # 1. Give up on jobs that used every attempt: their last worker died mid-job.
            gave_up = conn.execute(
                "UPDATE jobs SET state = 'failed', error = 'gave up after ' || attempts || "
                "' attempts: the worker stopped while the job was ' || state, lease_token = NULL, "
                "lease_expires = NULL, portrait = NULL, evidence_until = NULL, updated_at = %s "
                "WHERE id IN (SELECT id FROM jobs WHERE state = ANY(%s) AND lease_expires < %s "
                "AND attempts >= %s FOR UPDATE SKIP LOCKED) RETURNING id",
                (now, _ACTIVE, now, self.max_attempts),
            ).fetchall()
            # 2. Take the oldest free job.
            row = conn.execute(
                "SELECT id FROM jobs WHERE state = ANY(%s) AND (lease_expires IS NULL OR lease_expires < %s) "
                "ORDER BY created_at, id LIMIT 1 FOR UPDATE SKIP LOCKED",
                (_ACTIVE, now),
            ).fetchone()
            claim = None
            if row is not None:
                token = secrets.token_hex(8)
                conn.execute(
                    "UPDATE jobs SET attempts = attempts + 1, lease_token = %s, lease_expires = %s, "
                    "updated_at = %s WHERE id = %s",
                    (token, now + self.lease_seconds, now, row["id"]),
                )
                job = conn.execute(_SELECT + " WHERE j.id = %s", (row["id"],)).fetchone()
                claim = Claim(job_of(job), token)
        if gave_up:
            self._vacuum()  # their portraits went
        return claim

    def _check_lease(self, conn: psycopg.Connection[Any], claim: Claim) -> None:
        row = conn.execute(
            "SELECT lease_token, state FROM jobs WHERE id = %s FOR UPDATE", (claim.job.id,)
        ).fetchone()
        if row is None:
            raise JobNotFoundError(f"job {claim.job.id} is gone (forgotten while it was worked on)")
        if row["lease_token"] != claim.token or row["state"] not in ACTIVE_STATES:
            raise StoreError(f"job {claim.job.id}: this worker's lease was lost to another worker")

    def renew(self, claim: Claim) -> None:
        with self._write() as conn:
            self._check_lease(conn, claim)
            now = self._clock()
            conn.execute(
                "UPDATE jobs SET lease_expires = %s, updated_at = %s WHERE id = %s",
                (now + self.lease_seconds, now, claim.job.id),
            )

    def advance(self, claim: Claim, state: JobState, **fields: Any) -> Claim:
        """Move a claimed job on to ``state`` and set ``fields``; renews the lease."""
        if state not in ACTIVE_STATES:
            raise StoreError(f"advance() moves a job between working states, not to {state!r}")
        unknown = set(fields) - _UPDATABLE
        if unknown:
            raise StoreError(f"job fields {sorted(unknown)} cannot be set by advance()")
        values = {k: encode(v) for k, v in fields.items()}
        now = self._clock()
        with self._write() as conn:
            self._check_lease(conn, claim)
            sets = "".join(f", {k} = %s" for k in values)  # keys checked against _UPDATABLE above
            conn.execute(
                f"UPDATE jobs SET state = %s, lease_expires = %s, updated_at = %s{sets} WHERE id = %s",
                (state, now + self.lease_seconds, now, *values.values(), claim.job.id),
            )
            row = conn.execute(_SELECT + " WHERE j.id = %s", (claim.job.id,)).fetchone()
        if fields.get("handle", "") is None:
            self._vacuum()  # the fetched handle's old row goes now, not at the next autovacuum
        return Claim(job_of(row), claim.token)

    def finish(
        self, claim: Claim, artwork: Artwork, *, keywords: tuple[str, ...], themes: tuple[str, ...], approve: bool,
        evidence_until: float, hold_reason: str | None = None,
    ) -> Job:
        """Record the artwork and end the job: done, or held for a curator when the safety checker flagged
        it or ``hold_reason`` says why the wall-word policy would not show it unseen."""
        held = artwork.flagged or hold_reason is not None
        now = self._clock()
        with self._write() as conn:
            self._check_lease(conn, claim)
            conn.execute(
                "INSERT INTO artworks (job_id, artwork, keywords, themes, approved, hold_reason) "
                "VALUES (%s, %s, %s, %s, %s, %s)",
                (claim.job.id, json.dumps(artwork.to_dict()), json.dumps(list(keywords)), json.dumps(list(themes)),
                 approve and not held, hold_reason),
            )
            conn.execute(
                "UPDATE jobs SET state = %s, lease_token = NULL, lease_expires = NULL, error = NULL, "
                "evidence_until = %s, finished_at = %s, updated_at = %s WHERE id = %s",
                ("held" if held else "done", evidence_until, now, now, claim.job.id),
            )
            row = conn.execute(_SELECT + " WHERE j.id = %s", (claim.job.id,)).fetchone()
        return job_of(row)

    def fail(self, claim: Claim, message: str) -> None:
        """End a claimed job as failed; the verbal portrait (and its evidence) is dropped with it."""
        now = self._clock()
        with self._write() as conn:
            self._check_lease(conn, claim)
            conn.execute(
                "UPDATE jobs SET state = 'failed', error = %s, lease_token = NULL, lease_expires = NULL, "
                "portrait = NULL, evidence_until = NULL, handle = NULL, finished_at = %s, updated_at = %s "
                "WHERE id = %s",
                (message, now, now, claim.job.id),
            )
        self._vacuum()

    def release(self, claim: Claim) -> None:
        """Hand a job back unfinished (the worker is stopping): it is next in line, no attempt spent."""
        with self._write() as conn:
            self._check_lease(conn, claim)
            conn.execute(
                "UPDATE jobs SET lease_token = NULL, lease_expires = NULL, attempts = GREATEST(attempts - 1, 0) "
                "WHERE id = %s",
                (claim.job.id,),
            )

    def wait_for_change(self, timeout: float) -> bool:
        """Wait up to ``timeout`` seconds for a job to be waiting or the wall's artworks to change.

        True when the server said so (or listening has just begun, so the caller looks once more);
        False after the timeout, also while the server cannot be reached (the next query says why).
        """
        import psycopg

        with self._listen_lock:
            try:
                if self._listener is None or self._listener.closed or self._listener.broken:
                    self._listener = self._connect()
                    self._listener.execute(f"LISTEN {CHANNEL}")
                    return True
                heard = False
                for _ in self._listener.notifies(timeout=max(0.0, timeout), stop_after=1):
                    heard = True
                if heard:  # several changes at once wake the caller once
                    for _ in self._listener.notifies(timeout=0):
                        pass
                return heard
            except (psycopg.Error, StoreError) as exc:
                log.debug("store: not listening (%s)", exc)
                if self._listener is not None:
                    self._listener.close()
                self._listener = None
        time.sleep(max(0.0, timeout))
        return False

    # --- curators ----------------------------------------------------------------------------------

    def review(self, job_id: str, action: ReviewAction) -> Job:
        states: dict[ReviewAction, JobState] = {"approve": "done", "hide": "hidden", "hold": "held"}
        state = states[action]
        with self._write() as conn:
            row = conn.execute("SELECT state FROM jobs WHERE id = %s FOR UPDATE", (job_id,)).fetchone()
            if row is None:
                raise JobNotFoundError(f"no job has the id {job_id!r}")
            if row["state"] not in FINISHED_STATES:
                raise StoreError(f"job {job_id} is {row['state']}: only finished artworks can be reviewed")
            conn.execute("UPDATE jobs SET state = %s, updated_at = %s WHERE id = %s", (state, self._clock(), job_id))
            conn.execute("UPDATE artworks SET approved = %s WHERE job_id = %s", (action == "approve", job_id))
            row = conn.execute(_SELECT + " WHERE j.id = %s", (job_id,)).fetchone()
        return job_of(row)

    # --- privacy -----------------------------------------------------------------------------------

    def scrub_evidence(self, job_id: str) -> None:
        """Drop the post snippets from a job's verbal portrait now (the visitor left the result)."""
        with self._write() as conn:
            row = conn.execute("SELECT portrait FROM jobs WHERE id = %s FOR UPDATE", (job_id,)).fetchone()
            if row is None:
                raise JobNotFoundError(f"no job has the id {job_id!r}")
            scrub_row(conn, job_id, row["portrait"])
        self._vacuum()

    def scrub_expired(self) -> int:
        """Scrub every finished job whose evidence time is up; returns how many were scrubbed."""
        with self._read() as conn:  # polled every second: one indexed look, a transaction only with work
            due = conn.execute(
                "SELECT 1 FROM jobs WHERE evidence_until IS NOT NULL AND evidence_until <= %s LIMIT 1",
                (self._clock(),),
            ).fetchone()
        if due is None:
            return 0
        with self._write() as conn:
            rows = conn.execute(
                "SELECT id, portrait FROM jobs WHERE evidence_until IS NOT NULL AND evidence_until <= %s "
                "FOR UPDATE SKIP LOCKED",
                (self._clock(),),
            ).fetchall()
            for row in rows:
                scrub_row(conn, row["id"], row["portrait"])
        if rows:
            self._vacuum()
        return len(rows)

    def retry(self, job_id: str) -> Job:
        """Queue a failed job again from the start, at the back of the line, its attempts and error cleared."""
        now = self._clock()
        with self._write() as conn:
            found = conn.execute(
                "UPDATE jobs SET state = 'submitted', attempts = 0, error = NULL, lease_token = NULL, "
                "lease_expires = NULL, finished_at = NULL, created_at = %s, updated_at = %s "
                "WHERE id = %s AND state = 'failed'", (now, now, job_id),
            ).rowcount
            if not found:
                raise StoreError(f"job {job_id!r} cannot be tried again: it has not failed")
            row = conn.execute(_SELECT + " WHERE j.id = %s", (job_id,)).fetchone()
        return job_of(row)

    def delete(self, job_id: str) -> Job:
        """Remove the job and its artwork record; returns what was removed so its files can go too."""
        with self._write() as conn:
            row = conn.execute(_SELECT + " WHERE j.id = %s FOR UPDATE OF j", (job_id,)).fetchone()
            if row is None:
                raise JobNotFoundError(f"no job has the id {job_id!r}")
            conn.execute("DELETE FROM jobs WHERE id = %s", (job_id,))
        self._vacuum()
        return job_of(row)

    # --- the wall ----------------------------------------------------------------------------------

    def wall_artworks(self) -> list[WallArtwork]:
        """Finished, approved artworks, oldest first; cheap to poll every second.

        The last result is kept with ``wall_state.version``; while that number has not moved, an idle
        poll costs one one-row query, not the artworks' query.
        """
        with self._wall_lock, self._read() as conn:
            row = conn.execute("SELECT version FROM wall_state").fetchone()
            version = int(row["version"]) if row else -1
            if self._wall_cache is not None and self._wall_cache[0] == version:
                return list(self._wall_cache[1])
            with conn.transaction():  # the version and the rows from one snapshot
                conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                row = conn.execute("SELECT version FROM wall_state").fetchone()
                version = int(row["version"]) if row else -1
                rows = conn.execute(
                    "SELECT a.seq, a.job_id, a.artwork, a.keywords, a.themes, j.nickname, j.finished_at "
                    "FROM artworks a JOIN jobs j ON j.id = a.job_id "
                    "WHERE a.approved AND j.state = 'done' ORDER BY a.seq"
                ).fetchall()
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
