"""Transactional uploads: a body streams into a private staging folder, and only a complete upload whose
job is committed becomes visible; whatever a killed kiosk left behind is swept away.

1. ``stage(job_id)``: a folder of this process under ``<upload_dir>-kiosk/staging/<host>-<pid>/``.
2. When the form has passed every check, ``publish`` marks the job "unseen", moves the folder into
   ``upload_dir`` (one rename, same disk) and the caller commits the job; ``seen`` removes the mark once the
   visitor's answer has been sent (a background task after the response).
3. ``sweep`` (at start and every ``SWEEP_SECONDS`` in the kiosk's thread): staging folders of processes of
   this machine that are gone, or untouched for ``STALE_STAGING_SECONDS``; upload folders no job points at;
   jobs still marked unseen after the grace time (the kiosk died between commit and answer: nobody holds
   their code), forgotten with every file; failed jobs' leftovers; snippets past their time.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import socket
import time
from collections.abc import Callable
from pathlib import Path

from installation.errors import JobNotFoundError
from installation.jobs.records import JobStore, forget, is_job_id

log = logging.getLogger("portrait.kiosk")

SWEEP_SECONDS = 30.0
STALE_STAGING_SECONDS = 900.0  # a live upload writes more often than this


class Staging:
    """The kiosk's private folders beside ``upload_dir`` and the sweep that keeps them empty."""

    def __init__(self, upload_dir: Path, private_dir: Path, clock: Callable[[], float] = time.time) -> None:
        self.upload_dir = upload_dir
        self.root = private_dir / "staging"
        self.unseen_dir = private_dir / "unseen"
        self.clock = clock
        self.owner = f"{socket.gethostname()}-{os.getpid()}"
        for folder in (self.root, self.unseen_dir, self.root / self.owner):
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)

    def stage(self, job_id: str) -> Path:
        folder = self.root / self.owner / job_id
        folder.mkdir(mode=0o700)
        return folder

    def publish(self, staged: Path, job_id: str) -> Path:
        """Mark the job unseen and move its staged folder into the uploads; the caller commits the job next."""
        (self.unseen_dir / job_id).touch(mode=0o600)
        final = self.upload_dir / job_id
        staged.rename(final)
        return final

    def seen(self, job_id: str) -> None:
        (self.unseen_dir / job_id).unlink(missing_ok=True)

    def sweep(self, store: JobStore, grace_seconds: float) -> int:
        """Remove what no visitor can reach any more; returns how many things went."""
        now = self.clock()
        removed = self._sweep_staging(now)
        # 1. Jobs whose visitor never got an answer.
        for mark in list(self.unseen_dir.iterdir()):
            if now - mark.stat().st_mtime < grace_seconds:
                continue
            job = store.get(mark.name) if is_job_id(mark.name) else None
            if job is not None:
                with contextlib.suppress(JobNotFoundError):
                    forget(store, job.code)
                log.warning("job %s: dropped, its visitor never got its page", mark.name)
            mark.unlink(missing_ok=True)
            removed += 1
        # 2. Upload folders no job points at, and failed jobs' leftovers.
        for folder in list(self.upload_dir.iterdir()):
            if not folder.is_dir() or now - folder.stat().st_mtime < grace_seconds:
                continue
            job = store.get(folder.name) if is_job_id(folder.name) else None
            if job is None or job.state == "failed":
                shutil.rmtree(folder, ignore_errors=True)
                removed += 1
        # 3. Snippets past their time, worker or no worker.
        return removed + store.scrub_expired()

    def _sweep_staging(self, now: float) -> int:
        host = socket.gethostname()
        removed = 0
        for owner in list(self.root.iterdir()):
            if owner.name == self.owner:
                for staged in list(owner.iterdir()):
                    if now - _newest(staged) > STALE_STAGING_SECONDS:
                        shutil.rmtree(staged, ignore_errors=True)
                        removed += 1
                continue
            name, _, pid = owner.name.rpartition("-")
            gone = name == host and pid.isdigit() and not _alive(int(pid))
            if gone or now - _newest(owner) > STALE_STAGING_SECONDS:
                shutil.rmtree(owner, ignore_errors=True)
                removed += 1
        return removed


def _newest(path: Path) -> float:
    times = [path.stat().st_mtime]
    for root, _, files in os.walk(path):
        times.extend(os.stat(os.path.join(root, f)).st_mtime for f in files)
    return max(times)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
