"""The job store's public face: the records and interface (``records``) and the SQLite implementation
(``sqlite_store``), importable from one place as they were before the split."""

from __future__ import annotations

from installation.jobs.records import (
    ACTIVE_STATES,
    FINISHED_STATES,
    JOB_STATES,
    Claim,
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
from installation.jobs.sqlite_store import SqliteJobStore, open_store

__all__ = [
    "ACTIVE_STATES",
    "FINISHED_STATES",
    "JOB_STATES",
    "MIGRATIONS",
    "Claim",
    "Job",
    "JobState",
    "JobStore",
    "ReviewAction",
    "Source",
    "SqliteJobStore",
    "WallArtwork",
    "forget",
    "is_job_id",
    "new_job_id",
    "normalise_code",
    "open_store",
]
