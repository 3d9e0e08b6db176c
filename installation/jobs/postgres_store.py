"""The job store on a PostgreSQL server, for kiosks, walls and render nodes on several machines.

The same interface, semantics and queries (``installation.jobs.sql_store``) as ``SqliteJobStore``:
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

import logging
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from installation.errors import StoreError
from installation.jobs.postgres_rows import is_postgres_url, reason, safe_url
from installation.jobs.postgres_schema import CHANNEL, MIGRATION_LOCK, MIGRATIONS, VERSION_TABLE
from installation.jobs.records import WallArtwork
from installation.jobs.sql_store import WALL_SELECT, Dialect, SqlJobStore, wall_artwork

if TYPE_CHECKING:
    import psycopg

log = logging.getLogger("portrait.store")

# Row locks: a checked row cannot change under the transaction; claims skip rows another worker holds.
DIALECT = Dialect(placeholder="%s", lock=" FOR UPDATE", lock_job=" FOR UPDATE OF j",
                  skip_locked=" FOR UPDATE SKIP LOCKED", greatest="GREATEST")


class PostgresJobStore(SqlJobStore):
    """The job store on a PostgreSQL server; safe for any number of processes on any number of machines."""

    dialect = DIALECT

    def __init__(
        self, url: str, *, lease_seconds: float = 300, max_attempts: int = 3,
        clock: Callable[[], float] = time.time, connect_timeout: float = 10,
    ) -> None:
        if not is_postgres_url(url):
            scheme = url.split("://", 1)[0][:20] if "://" in url else "no scheme"  # never the password
            raise StoreError(f"[store] url must start with postgresql:// but has {scheme!r}")
        super().__init__(lease_seconds=lease_seconds, max_attempts=max_attempts, clock=clock)
        try:
            import psycopg  # noqa: F401 - fail politely here, not at the first query
        except ImportError as exc:
            raise StoreError("a PostgreSQL job store needs psycopg: pip install 'psycopg[binary]'") from exc
        self.url = url
        self.where = safe_url(url)
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

    def _purge(self) -> None:
        """Rewrite the tables, so text removed from them does not stay behind in dead rows."""
        with self._read() as conn:
            conn.execute("VACUUM FULL jobs, artworks")

    def _purges_after_advance(self, fields: Mapping[str, Any]) -> bool:
        # Only a fetched handle leaves an old row image worth a rewrite now; a portrait only grows.
        return "handle" in fields and fields["handle"] is None

    # --- workers and the wall ----------------------------------------------------------------------

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
                rows = conn.execute(WALL_SELECT).fetchall()
            artworks = [wall_artwork(r) for r in rows]
            self._wall_cache = (version, artworks)
            return list(artworks)
