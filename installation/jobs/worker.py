"""The worker: claims jobs from the store and carries each from export to artwork.

A job runs as a recipe (``run_job``); each step records its result in the store before the next
begins, so a job whose worker died is resumed by the next worker at the step it had reached. Between
extraction and description the cleaned profile waits in the job's private folder (the raw export is
already gone); it is deleted the moment the verbal portrait is recorded.

The stages come in through ``Stages`` (the real ones from ``PortraitPipeline``), so tests and
benchmarks can run the queue with fast stand-ins.
Logs name jobs, steps and error kinds, never post text.

A worker started from a config file picks up a curator's edit before its next job (``ConfigWatcher``):
the job then runs wholly under the new config; an invalid edit is logged with its key and ignored.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import signal
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

from extractors.describe.portrait import VerbalPortrait
from extractors.errors import (
    DescribeError,
    EmptyProfileError,
    ExportTooLargeError,
    IntakeError,
    ProfileParseError,
    RemoteFetchError,
    UnsafeArchiveError,
)
from extractors.intake.profile import Profile
from installation.compose.composer import check_config
from installation.compose.prompt import Prompt
from installation.config import Config
from installation.errors import ConfigError, JobNotFoundError, PortraitError, RenderError, StoreError
from installation.jobs.artworks import artwork_path, earlier_artwork, reconcile
from installation.jobs.live import live_encoder, live_folder, live_painting, paints_live
from installation.jobs.pipeline import PortraitPipeline, Stages
from installation.jobs.reload import ConfigWatcher
from installation.jobs.store import Claim, ErrorKind, JobStore, PostgresJobStore, SqliteJobStore, SqlJobStore, safe_url
from installation.render.artwork import Artwork

log = logging.getLogger("portrait.worker")

PROFILE_FILE = "profile.json"
# How often a running worker removes artwork files no job records (a crash elsewhere may leave some).
RECONCILE_SECONDS = 600.0
# Read once, when the store is opened: an edit of these waits for a restart.
RESTART_KEYS = ("store.path", "store.url", "store.lease_seconds", "store.max_attempts")
# An idle worker waiting for the store's word checks this often whether it was asked to stop.
STOP_CHECK_SECONDS = 0.1


# The kind of failure each error means, most specific first (subclasses before their parents).
_ERROR_KINDS: tuple[tuple[type[PortraitError], ErrorKind], ...] = (
    (ExportTooLargeError, "too_large"),
    (UnsafeArchiveError, "unsafe_export"),
    (RemoteFetchError, "remote"),
    (EmptyProfileError, "no_text"),
    (DescribeError, "no_text"),
    (ProfileParseError, "unreadable_export"),
    (IntakeError, "unreadable_export"),
    (RenderError, "render_failed"),
)


def error_kind(exc: BaseException) -> ErrorKind:
    """The kind of failure ``exc`` means for the visitor; anything not foreseen is ours (``internal``)."""
    for error_type, kind in _ERROR_KINDS:
        if isinstance(exc, error_type):
            return kind
    return "internal"


class _Stopping(Exception):
    """The worker was asked to stop between two steps."""


@dataclass
class Worker:
    store: JobStore
    pipeline: Stages
    config: Config  # the config of the job in hand; replaced between jobs when ``watcher`` sees an edit
    stop: threading.Event = field(default_factory=threading.Event)
    watcher: ConfigWatcher | None = None

    def run(self, *, once: bool = False) -> int:
        """Work until stopped (or, with ``once``, until the queue is empty); returns jobs handled."""
        handled = 0
        next_reconcile = 0.0
        while not self.stop.is_set():
            if time.monotonic() >= next_reconcile:
                self._reconcile()
                next_reconcile = time.monotonic() + RECONCILE_SECONDS
            if self.work_one():
                handled += 1
            elif once:
                break
            else:
                self._idle(self.config.worker.poll_seconds)
        return handled

    def _idle(self, seconds: float) -> None:
        """Wait until the store says a job is waiting (PostgreSQL hears it at once), at most ``seconds``;
        a stop is noticed within ``STOP_CHECK_SECONDS``."""
        deadline = time.monotonic() + seconds
        while not self.stop.is_set() and (left := deadline - time.monotonic()) > 0:
            if self.store.wait_for_change(min(left, STOP_CHECK_SECONDS)):
                return

    def work_one(self) -> bool:
        """Claim and run one job; False when there was none."""
        self.refresh_config()
        self.store.scrub_expired()
        claim = self.store.claim()
        if claim is None:
            return False
        job = claim.job
        log.info("job %s: claimed in state %s (attempt %d)", job.id, job.state, job.attempts)
        try:
            with _lease_kept(self.store, claim, self.config.store.lease_seconds):
                self.run_job(claim)
        except _Stopping:
            log.info("job %s: handed back, the worker is stopping", job.id)
            self.store.release(claim)
        except JobNotFoundError:
            log.info("job %s: forgotten while it was worked on; its files are removed", job.id)
            self._remove_attempt_files(claim)
        except StoreError as exc:
            # Most likely the lease went to another worker: that worker owns the job now.
            log.warning("job %s: left to the store (%s)", job.id, exc)
            self._remove_attempt_files(claim)
        except PortraitError as exc:
            log.warning("job %s: failed: %s: %s", job.id, type(exc).__name__, exc)
            self._fail(claim, str(exc), error_kind(exc))
        except Exception as exc:
            # An unexpected error's message may quote data: log where it happened, not what it said.
            where = traceback.extract_tb(exc.__traceback__)
            frames = "\n".join(f"  {f.filename}:{f.lineno} in {f.name}" for f in where)
            log.error("job %s: unexpected %s\n%s", job.id, type(exc).__name__, frames)
            self._fail(claim, f"internal error in the worker ({type(exc).__name__}); the technician has the log",
                       "internal")
        return True

    def refresh_config(self) -> None:
        """Take up an edited config file between jobs, never in the middle of one."""
        if self.watcher is None or not self.watcher.poll():
            return
        new = self.watcher.config
        for key in changed_keys(self.config, new, RESTART_KEYS):
            log.warning("config: %s changed; the worker keeps the old value until it is restarted", key)
        self.config = new

    def run_job(self, claim: Claim) -> None:
        """One job, from wherever it stands to its artwork."""
        retention = self.config.retention
        # 1. Check inputs
        check_inputs(claim)
        # 2. Fetch a public profile into the job's folder (handle jobs only)
        if claim.job.state == "submitted" and claim.job.handle is not None:
            export = self.pipeline.fetch(claim.job.handle, claim.job.work_dir)
            claim = self.store.advance(claim, "submitted", export_path=export, handle=None)
            self._between_steps()
        # 3. Read the export into a profile that waits in the job's folder for describe
        if claim.job.state == "submitted":
            raw = claim.job.export_path
            if raw is None or not raw.exists():
                raise StoreError(f"job {claim.job.id}: its export is missing")
            profile = self.pipeline.read(raw, claim.job.nickname or None)
            save_profile(profile, claim.job.work_dir / PROFILE_FILE)
            claim = self.store.advance(claim, "extracted")
            log.info("job %s: extracted %d posts (%s)", claim.job.id, len(profile.posts), profile.platform)
        # 4. Delete the raw export (the default retention: right after extraction)
        if retention.raw_export == "after_extraction" and claim.job.export_path is not None:
            claim = self._delete_export(claim)
        self._between_steps()
        # 5. Describe: the verbal portrait, with evidence snippets until the visitor has seen them
        if claim.job.state == "extracted":
            profile = load_profile(claim.job.work_dir / PROFILE_FILE)
            portrait = self.pipeline.describe(profile)
            claim = self.store.advance(claim, "described", portrait=portrait.to_dict())
            log.info("job %s: described (%d keywords)", claim.job.id, len(portrait.keywords))
        (claim.job.work_dir / PROFILE_FILE).unlink(missing_ok=True)
        self._between_steps()
        # 6. Compose the prompt
        if claim.job.state == "described":
            assert claim.job.portrait is not None  # recorded in step 5
            turn = sum(self.store.counts()[s] for s in ("done", "held", "hidden"))
            private = (claim.job.nickname,) if claim.job.nickname else ()
            prompt = self.pipeline.compose(VerbalPortrait.from_dict(claim.job.portrait), turn, private)
            claim = self.store.advance(claim, "composed", prompt=prompt.to_dict())
            log.info("job %s: composed (style %s)", claim.job.id, prompt.style)
        self._between_steps()
        # 7. Render into a file of this attempt's own, so a worker that lost its lease cannot clobber it;
        #    an artwork an earlier attempt painted but did not live to record is adopted, not painted again
        if claim.job.state == "composed":
            claim = self.store.advance(claim, "rendering")
        assert claim.job.prompt is not None  # recorded in step 6
        prompt = Prompt.from_dict(claim.job.prompt)
        result = earlier_artwork(self.config.render.output_dir, claim.job.id, prompt)
        if result is not None:
            log.info("job %s: adopted the artwork an interrupted attempt had painted", claim.job.id)
        else:
            started = time.monotonic()
            result = self._render(claim, prompt)
            log.info("job %s: rendered in %.1f s", claim.job.id, time.monotonic() - started)
        # 8. Record the artwork
        if claim.job.export_path is not None:
            claim = self._delete_export(claim)
        portrait = VerbalPortrait.from_dict(claim.job.portrait or {})
        evidence_until = time.time() + retention.evidence_minutes * 60
        job = self.store.finish(
            claim,
            result,
            keywords=prompt.keywords_used,  # only what passed the wall policy: never the raw portrait words
            themes=tuple(t.name for t in portrait.themes),
            approve=self.config.store.auto_approve, evidence_until=evidence_until,
            hold_reason=prompt.hold_reason,
        )
        shutil.rmtree(job.work_dir, ignore_errors=True)
        log.info("job %s: %s as artwork %s", job.id, job.state, job.seq)

    def _render(self, claim: Claim, prompt: Prompt) -> Artwork:
        """Paint the artwork; step by step into the live folder when the wall may show it as it emerges."""
        render_live = self.pipeline.render_live
        if render_live is None or not paints_live(self.config, prompt):
            return self.pipeline.render(prompt, self._image_path(claim))
        encode = live_encoder(self.config)  # each step marked as machine-made, like every PNG we write
        with live_painting(live_folder(self.config), claim.job.id, encode) as preview:  # gone when it ends
            return render_live(prompt, self._image_path(claim), preview)

    def _reconcile(self) -> None:
        try:
            reconcile(self.store, self.config.render.output_dir)
        except (OSError, StoreError) as exc:  # tidying up must never stop the worker
            log.warning("reconcile: skipped (%s: %s)", type(exc).__name__, exc)

    def _between_steps(self) -> None:
        if self.stop.is_set():
            raise _Stopping

    def _delete_export(self, claim: Claim) -> Claim:
        from extractors.intake.source import remove_export

        assert claim.job.export_path is not None
        remove_export(claim.job.export_path)
        return self.store.advance(claim, claim.job.state, export_path=None)

    def _image_path(self, claim: Claim) -> Path:
        return artwork_path(self.config.render.output_dir, claim.job.id, claim.job.attempts)

    def _remove_attempt_files(self, claim: Claim) -> None:
        image = self._image_path(claim)
        image.unlink(missing_ok=True)
        image.with_suffix(".json").unlink(missing_ok=True)

    def _fail(self, claim: Claim, message: str, kind: ErrorKind) -> None:
        """A failed job keeps its reason and nothing of the visitor's."""
        self._remove_attempt_files(claim)
        shutil.rmtree(claim.job.work_dir, ignore_errors=True)  # the raw export and the profile
        try:
            self.store.fail(claim, message, kind)
        except StoreError as exc:
            log.warning("job %s: could not be marked failed (%s)", claim.job.id, exc)


@contextmanager
def _lease_kept(store: JobStore, claim: Claim, lease_seconds: float) -> Iterator[None]:
    """Renew the claim's lease in the background while a step runs longer than the lease (a slow render).

    Without it a second worker would take the job over mid-render and paint it twice.
    """
    done = threading.Event()
    period = lease_seconds / 3

    def beat() -> None:
        while not done.wait(period):
            try:
                store.renew(claim)
            except StoreError as exc:  # lost or forgotten: the job's next write tells the worker
                log.info("job %s: lease not renewed (%s)", claim.job.id, exc)
                return

    thread = threading.Thread(target=beat, name=f"lease-{claim.job.id[:8]}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()


def check_inputs(claim: Claim) -> None:
    job = claim.job
    if job.state in ("submitted", "extracted") and not job.work_dir.is_dir():
        raise StoreError(f"job {job.id}: its folder {job.work_dir} is missing")
    if job.state in ("extracted",) and not (job.work_dir / PROFILE_FILE).exists():
        raise StoreError(f"job {job.id}: extracted, but its profile file is missing")
    if job.state in ("described", "composed", "rendering") and job.portrait is None:
        raise StoreError(f"job {job.id}: {job.state}, but it has no verbal portrait")
    if job.state in ("composed", "rendering") and job.prompt is None:
        raise StoreError(f"job {job.id}: {job.state}, but it has no prompt")


# --- the profile between extraction and description ----------------------------------------------


def save_profile(profile: Profile, path: Path) -> None:
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(profile.to_dict(complete=True), f, ensure_ascii=False)
    os.replace(tmp, path)


def load_profile(path: Path) -> Profile:
    return Profile.from_dict(json.loads(path.read_text(encoding="utf-8")))


# --- wiring ---------------------------------------------------------------------------------------


def open_configured_store(config: Config) -> SqlJobStore:
    """The store ``[store]`` names: the PostgreSQL server at ``url`` when it is set, else the SQLite file.

    Either is a ``JobStore`` and a ``SqlJobStore`` (``schema_version``, ``close``); a caller that needs the
    SQLite file itself asks ``isinstance(store, SqliteJobStore)``.
    """
    store = config.store
    if store.url is not None:  # checked there: a URL of another kind is refused, not taken for a file
        return PostgresJobStore(store.url, lease_seconds=store.lease_seconds, max_attempts=store.max_attempts)
    return SqliteJobStore(store.path, lease_seconds=store.lease_seconds, max_attempts=store.max_attempts)


def changed_keys(old: Config, new: Config, keys: tuple[str, ...]) -> list[str]:
    """Those of the dotted ``keys`` (``"store.path"``) whose value differs between two configs."""

    def value(config: Config, key: str) -> object:
        section, name = key.split(".")
        return getattr(getattr(config, section), name)

    return [key for key in keys if value(old, key) != value(new, key)]


def watch_config(config: Config) -> ConfigWatcher | None:
    """A watcher of the file ``config`` was loaded from; None when it came from no file.

    An edit must pass the composer's cross-references (styles, blocklist) when the file at start-up
    did. A file that did not (a kiosk-only config without styles) is held to the schema alone, as at
    start-up, and the problem is logged once here.
    """
    if config.source is None:
        return None
    try:
        check_config(config)
    except ConfigError as exc:
        log.warning("config: %s (composing a prompt fails until this is fixed)", exc)
        return ConfigWatcher(config.source, check=_schema_only)
    return ConfigWatcher(config.source, check=check_config)


def _schema_only(config: Config) -> None:
    """No check beyond the schema's, which ``load_config`` has made."""


def real_pipeline(current: Callable[[], Config], model: str | None = None) -> Stages:
    """The installation's own stages, each reading ``current()`` when it runs, so an edited config counts.

    ``warm_up`` loads the models before the first job and they stay warm: the renderer is looked up in
    ``open_renderer``'s cache by its loading settings, so weights load again only when those changed.
    """
    return PortraitPipeline(current, model=model).stages()


def run_worker(
    config: Config, pipeline: Stages | None = None, *, once: bool = False, model: str | None = None
) -> int:
    """``portrait worker``: runs until SIGINT/SIGTERM; a job in progress is handed back, not lost.

    With ``config.source`` set, an edit of that file takes effect from the next job. ``pipeline``
    defaults to the real stages (``model`` forces a local render model).
    """
    watcher = watch_config(config)
    # The real stages read the config of the job in hand: the worker's, which changes only between jobs.
    stages = pipeline or real_pipeline(lambda: worker.config, model)
    worker = Worker(open_configured_store(config), stages, config, watcher=watcher)

    def on_signal(signum: int, frame: FrameType | None) -> None:
        log.info("worker: stopping on signal %d", signum)
        worker.stop.set()

    previous: dict[signal.Signals, Any] = {}
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGINT, signal.SIGTERM):
            previous[sig] = signal.signal(sig, on_signal)
    try:
        log.info("worker: started on %s", safe_url(config.store.url) if config.store.url else config.store.path)
        if stages.warm_up is not None:
            # A model that cannot load stops the worker here, with its reason, not every visitor's job.
            started = time.monotonic()
            stages.warm_up()
            log.info("worker: models loaded and warm in %.1f s", time.monotonic() - started)
        return worker.run(once=once)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
