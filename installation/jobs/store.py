"""The job store's public face: the records and interface (``records``), the base both SQL stores share
(``sql_store.SqlJobStore``), the SQLite implementation (``sqlite_store``) and the PostgreSQL one
(``postgres_store``), importable from one place; ``open_job_store`` opens whichever a location names."""

from __future__ import annotations

from pathlib import Path

from installation.jobs.postgres_rows import is_postgres_url, safe_url
from installation.jobs.postgres_store import PostgresJobStore
from installation.jobs.records import (
    ACTIVE_STATES,
    ERROR_KINDS,
    FINISHED_STATES,
    JOB_STATES,
    Claim,
    ErrorKind,
    Job,
    JobState,
    JobStore,
    ReviewAction,
    Source,
    WallArtwork,
    forget,
    is_job_id,
    new_job_id,
    normalise_code,
)
from installation.jobs.schema import MIGRATIONS
from installation.jobs.sql_store import SqlJobStore
from installation.jobs.sqlite_store import SqliteJobStore, open_store

__all__ = [
    "ACTIVE_STATES",
    "ERROR_KINDS",
    "FINISHED_STATES",
    "JOB_STATES",
    "MIGRATIONS",
    "Claim",
    "ErrorKind",
    "Job",
    "JobState",
    "JobStore",
    "PostgresJobStore",
    "ReviewAction",
    "Source",
    "SqlJobStore",
    "SqliteJobStore",
    "WallArtwork",
    "forget",
    "is_job_id",
    "is_postgres_url",
    "new_job_id",
    "normalise_code",
    "open_job_store",
    "open_store",
    "safe_url",
]


def open_job_store(location: str | Path, *, lease_seconds: float = 300, max_attempts: int = 3) -> SqlJobStore:
    """A ``postgresql://`` URL opens the server's store; anything else is the SQLite file at that path."""
    if isinstance(location, str) and is_postgres_url(location):
        return PostgresJobStore(location, lease_seconds=lease_seconds, max_attempts=max_attempts)
    return SqliteJobStore(Path(location), lease_seconds=lease_seconds, max_attempts=max_attempts)
