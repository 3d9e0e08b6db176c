"""The job store in one SQLite file: every visitor's job from upload to artwork.

A worker *claims* a job with a lease that expires, so a job whose worker died is claimed again; each
claim counts as an attempt and after ``max_attempts`` the job fails with its reason. Every write is one
transaction, and each one checks the lease token, so a worker that lost its lease can never finish a job
twice. The records and the ``JobStore`` interface live in ``installation.jobs.records``.

The queries are shared with the PostgreSQL store (``installation.jobs.sql_store``). WAL mode, a
versioned schema migrated with ``PRAGMA user_version``. A finished artwork is kept whole, as
``Artwork.to_dict()``. Deleted rows are overwritten (``secure_delete``) and the WAL is truncated after a
scrub or a forget, so no post text lingers in free pages.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path

from installation.errors import StoreError
from installation.jobs.records import WallArtwork
from installation.jobs.schema import MIGRATIONS
from installation.jobs.sql_store import WALL_SELECT, Dialect, SqlJobStore, wall_artwork

# SQLite has one writer at a time (BEGIN IMMEDIATE): no row locks to take or skip.
DIALECT = Dialect(placeholder="?", lock="", lock_job="", skip_locked="", greatest="MAX")


class SqliteJobStore(SqlJobStore):
    """The job store in one SQLite file; safe for several processes on one machine."""

    dialect = DIALECT

    def __init__(
        self, path: Path, *, lease_seconds: float = 300, max_attempts: int = 3,
        clock: Callable[[], float] = time.time,
    ) -> None:
        super().__init__(lease_seconds=lease_seconds, max_attempts=max_attempts, clock=clock)
        self.path = path
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

    def _purge(self) -> None:
        """Fold the WAL into the (secure-deleted) database and empty it: old row images go too."""
        with self._read() as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    # --- workers and the wall ----------------------------------------------------------------------

    def wait_for_change(self, timeout: float) -> bool:
        """Wait up to ``timeout`` seconds for another connection's commit; True when one came.

        SQLite tells no one of a commit, but ``PRAGMA data_version`` on a connection kept for the
        waiting thread moves when any other connection (any process) commits: asked every 50 ms it
        costs a few microseconds and wakes the caller within ~50 ms. Any error: sleep, the poll decides.
        """
        waits = self.__dict__.setdefault("_change_waits", threading.local())  # one connection a thread
        end = time.monotonic() + max(0.0, timeout)
        try:
            if getattr(waits, "conn", None) is None:
                waits.conn = self._connect()
                waits.version = int(waits.conn.execute("PRAGMA data_version").fetchone()[0])
            while True:
                version = int(waits.conn.execute("PRAGMA data_version").fetchone()[0])
                if version != waits.version:
                    waits.version = version
                    return True
                left = end - time.monotonic()
                if left <= 0:
                    return False
                time.sleep(min(0.05, left))
        except (sqlite3.Error, StoreError):
            if getattr(waits, "conn", None) is not None:
                waits.conn.close()
            waits.conn = None
            time.sleep(max(0.0, end - time.monotonic()))
            return False

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
                rows = conn.execute(WALL_SELECT).fetchall()
            except sqlite3.Error as exc:
                if self._wall_conn is not None:
                    self._wall_conn.close()
                self._wall_conn = self._wall_cache = None
                raise StoreError(f"{self.path}: {exc}") from exc
            artworks = [wall_artwork(r) for r in rows]
            self._wall_cache = (version, artworks)
            return list(artworks)


    def close(self) -> None:
        """Close the wall's connection and this thread's waiting one; every other connection is per call."""
        with self._wall_lock:
            if self._wall_conn is not None:
                self._wall_conn.close()
            self._wall_conn = self._wall_cache = None
        waits = self.__dict__.get("_change_waits")
        if waits is not None and getattr(waits, "conn", None) is not None:
            waits.conn.close()
            waits.conn = None


def open_store(path: Path, *, lease_seconds: float = 300, max_attempts: int = 3) -> SqliteJobStore:
    return SqliteJobStore(path, lease_seconds=lease_seconds, max_attempts=max_attempts)
