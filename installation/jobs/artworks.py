"""Exactly one artwork per job, whatever a crash interrupted.

A job's render writes ``<job id>-<attempt>.png`` and its sidecar (each atomically, sidecar first) into
``render.output_dir``. A worker that dies after the render and before the store records it leaves a
complete artwork that no record points to. Two things make that harmless:

- ``earlier_artwork``: the next attempt of the job adopts such an artwork instead of painting the job a
  second time.
- ``reconcile``: at start-up and periodically the worker deletes job artwork files that no job can still
  claim (the job is gone, failed, or finished with another file) and half-written temporary files, so
  forget-me never misses a copy. Files of jobs still in progress are kept: their next attempt adopts them.
"""

from __future__ import annotations

import json
import logging
import re
import time
from dataclasses import dataclass
from pathlib import Path

from installation.compose.prompt import Prompt
from installation.jobs.store import ACTIVE_STATES, JobStore
from installation.render.artwork import Artwork

log = logging.getLogger("portrait.worker")

# `<32 hex>-<attempt>.png|json`, and the atomic writer's `.<name>.<random>.tmp` beside them.
_JOB_FILE = re.compile(r"(?P<job>[0-9a-f]{32})-(?P<attempt>\d+)\.(?:png|json)")
_TEMP_FILE = re.compile(r"\.(?P<job>[0-9a-f]{32})-\d+\.(?:png|json)\.\w+\.tmp")
# A temporary file younger than this may belong to a render that is being written right now.
_TEMP_GRACE_SECONDS = 600.0


def artwork_path(output_dir: Path, job_id: str, attempt: int) -> Path:
    """Where attempt ``attempt`` of job ``job_id`` writes its PNG (the sidecar sits beside it)."""
    return output_dir.absolute() / f"{job_id}-{attempt}.png"


def earlier_artwork(output_dir: Path, job_id: str, prompt: Prompt) -> Artwork | None:
    """A complete artwork an earlier attempt of this job painted but never recorded, or None.

    The PNG is renamed into place after its sidecar, so a PNG that exists has its sidecar too.
    """
    for image in sorted(output_dir.absolute().glob(f"{job_id}-*.png")):
        if not _JOB_FILE.fullmatch(image.name):
            continue
        sidecar = image.with_suffix(".json")
        try:
            data = json.loads(sidecar.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue  # not complete: the new attempt paints again, and reconcile removes the remains
        if not isinstance(data, dict):
            continue
        return Artwork(
            image_path=image,
            metadata_path=sidecar,
            prompt=prompt,
            backend=str(data.get("backend", "unknown")),
            model=str(data.get("model", "unknown")),
            sampler=str(data.get("sampler", "unknown")),
            timings={},
            flagged=bool(data.get("flagged", False)),
            is_test_noise=bool(data.get("is_test_noise", False)),
        )
    return None


@dataclass(frozen=True)
class Reconciled:
    deleted: tuple[Path, ...]  # files no job can still use
    kept_for_adoption: tuple[Path, ...]  # files of jobs still in progress


def reconcile(store: JobStore, output_dir: Path, *, now: float | None = None) -> Reconciled:
    """Delete job artwork files that no record points to and no job in progress can adopt."""
    folder = output_dir.absolute()
    if not folder.is_dir():
        return Reconciled((), ())
    now = time.time() if now is None else now
    deleted: list[Path] = []
    kept: list[Path] = []
    for path in sorted(folder.iterdir()):
        if (match := _JOB_FILE.fullmatch(path.name)) is not None:
            job = store.get(match["job"])
            if job is not None and job.state in ACTIVE_STATES:
                kept.append(path)
                continue
            recorded = job is not None and job.image_path is not None and path.with_suffix(".png") == job.image_path
            if recorded:
                continue
        elif (match := _TEMP_FILE.fullmatch(path.name)) is not None:
            try:
                if now - path.stat().st_mtime < _TEMP_GRACE_SECONDS:
                    continue
            except OSError:
                continue
        else:
            continue  # not a job's file: `portrait render` output and the like are left alone
        path.unlink(missing_ok=True)
        deleted.append(path)
    if deleted:
        log.info("reconcile: removed %d artwork file(s) that no job records", len(deleted))
    return Reconciled(tuple(deleted), tuple(kept))
