"""What a visitor is told about their job: a small state machine the pages render, and the one place that
turns the worker's technical error into a sentence a visitor understands.

A job's store state (``submitted`` ... ``done``, ``failed``, ``held``, ``hidden``) and its attempts make one
of the visitor's states: queued, reading, describing, composing, painting, done, failed, held, hidden.
The store keeps the technical error for the log and the curator page; ``failure_of`` derives the visitor's
sentence and what to do next from it, and nothing of the error's text ever reaches a visitor.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from installation.i18n import N_
from installation.jobs.records import Job

ViewKey = Literal["queued", "reading", "describing", "composing", "painting", "done", "failed", "held", "hidden"]
STEPS: tuple[tuple[ViewKey, str], ...] = (
    ("queued", N_("Waiting in line")),
    ("reading", N_("Reading your posts")),
    ("describing", N_("Finding your words and mood")),
    ("composing", N_("Writing the painter's brief")),
    ("painting", N_("Painting")),
    ("done", N_("Done")),
)
_AT_WORK: dict[str, ViewKey] = {
    "extracted": "describing", "described": "composing", "composed": "painting", "rendering": "painting",
}
HEADINGS: dict[ViewKey, str] = {
    "queued": N_("Your portrait is on its way"), "reading": N_("Your portrait is on its way"),
    "describing": N_("Your portrait is on its way"), "composing": N_("Your portrait is on its way"),
    "painting": N_("Your portrait is being painted"), "done": N_("Your portrait is ready"),
    "failed": N_("Your portrait could not be made"), "held": N_("Your portrait waits for a curator"),
    "hidden": N_("Your portrait was taken off the wall"),
}
NOTES: dict[ViewKey, str] = {
    "held": N_("Your portrait is finished and waits for a curator to look at it before it is shown."),
    "hidden": N_("A curator has taken your portrait off the wall. Ask at the desk if you want to know why."),
}

FailureKind = Literal["attempts", "empty", "unreadable", "too_large", "unsafe", "remote", "internal"]


@dataclass(frozen=True)
class Failure:
    """Why a job failed, for the visitor: the kind, one sentence, and what to do next."""

    kind: FailureKind
    sentence: str
    next_step: str


FAILURES: dict[FailureKind, Failure] = {f.kind: f for f in (
    Failure("attempts", N_("The painting machine stopped several times while making your portrait."),
            N_("Press \u201cTry again\u201d. If it happens again, please ask at the desk.")),
    Failure("empty", N_("We found no posts of your own in this export."),
            N_("Check that you chose the export with your posts in it, then try again.")),
    Failure("unreadable", N_("We could not read this file as a social-media export."),
            N_("Upload the export exactly as the platform gave it to you, then try again.")),
    Failure("too_large", N_("This export is larger than this kiosk can read."),
            N_("Ask the platform for an export of your posts only, without photos and videos.")),
    Failure("unsafe", N_("This file holds something we do not open, so we did not read it."),
            N_("Upload the export exactly as the platform gave it to you.")),
    Failure("remote", N_("We could not fetch the public posts of that handle just now."),
            N_("Try again in a minute, or upload an export instead.")),
    Failure("internal", N_("Something went wrong on our side while making your portrait."),
            N_("Press \u201cTry again\u201d. If it happens again, please ask at the desk.")),
)}

# The error texts the store, the worker and intake write, by what they mean (first match wins). Their
# wording is theirs; only the kind is taken from them, never a word of the text.
_MARKERS: tuple[tuple[FailureKind, tuple[str, ...]], ...] = (
    ("attempts", ("gave up after", "stopped while", "stopped 3 times")),
    ("internal", ("internal error",)),
    ("empty", ("no posts", "no usable posts", "nothing to describe", "no words")),
    ("too_large", ("larger than", "over the limit", "over the cap", "longer than the cap", "more than",
                   "too large", "too big", "nested more than")),
    ("unsafe", ("symbolic link", "not a regular file", "absolute path", "points outside", "control characters",
                "zip bomb", "expands", "is a link", "device or pipe")),
    ("remote", ("did not answer", "cannot reach", "slow down", "answered http", "bluesky api", "without a usable id")),
    ("unreadable", ("not an export", "holds no", "truncated", "damaged", "should start", "not a",
                    "cannot be read", "unknown format", "not readable", "no reader",
                    "is not", "could not")),
)


# The worker's kind of failure (``Job.error_kind``) as the visitor's: chosen by kind, not by wording.
_BY_KIND: dict[str, FailureKind] = {
    "unreadable_export": "unreadable", "too_large": "too_large", "unsafe_export": "unsafe", "no_text": "empty",
    "remote": "remote", "render_failed": "internal", "attempts": "attempts", "internal": "internal",
}


def failure_of_job(job: Job) -> Failure:
    """The visitor's reading of a failed job: from its kind; a job that failed before kinds were kept is
    read from its error's wording."""
    if job.error_kind is not None:
        return FAILURES[_BY_KIND.get(job.error_kind, "internal")]
    return failure_of(job.error)


def failure_of(error: str | None) -> Failure:
    """The visitor's reading of a stored error; an error nobody foresaw reads as ours, not theirs."""
    text = (error or "").lower()
    for kind, markers in _MARKERS:
        if any(marker in text for marker in markers):
            return FAILURES[kind]
    return FAILURES["internal"]


@dataclass(frozen=True)
class Step:
    label: str
    done: bool
    current: bool


@dataclass(frozen=True)
class View:
    """What the visitor's page shows: the state, its heading, the steps, and a note or a failure."""

    key: ViewKey
    heading: str
    steps: tuple[Step, ...]
    position: int  # in the queue, 1 = next; 0 when not waiting
    estimate_seconds: int | None  # until the portrait is ready, from recent jobs; None when unknown
    note: str | None
    failure: Failure | None

    @property
    def waiting(self) -> bool:
        return self.key in ("queued", "reading", "describing", "composing", "painting")

    def wait_text(self, gettext: Callable[[str], str] = str,
                  ngettext: Callable[[str, str, int], str] | None = None) -> str:
        """The place in the queue and the estimate, in the visitor's language (``gettext``, ``ngettext``)."""
        if self.key != "queued":
            return ""
        where = gettext("You are next.") if self.position <= 1 else gettext(
            "Place in the queue: %(position)d.") % {"position": self.position}
        if self.estimate_seconds is None:
            return where
        minutes = max(1, round(self.estimate_seconds / 60))
        ngettext = ngettext or _english_plural
        return where + " " + ngettext("About %(num)d minute to go.", "About %(num)d minutes to go.",
                                      minutes) % {"num": minutes}


def _english_plural(one: str, many: str, n: int) -> str:
    return one if n == 1 else many


def view_key(job: Job) -> ViewKey:
    if job.state == "submitted":
        return "reading" if job.attempts > 0 else "queued"
    if job.state in _AT_WORK:
        return _AT_WORK[job.state]
    if job.state in ("done", "failed", "held", "hidden"):
        return job.state
    raise ValueError(f"job state must be one of the store's but is {job.state!r}")


def view_of(job: Job, position: int, recent: list[Job]) -> View:
    """The visitor's view of ``job`` at ``position`` in the queue; ``recent``: finished jobs for the estimate."""
    key = view_key(job)
    order = [k for k, _ in STEPS]
    at = order.index(key) if key in order else None
    steps = tuple(
        Step(label, done=at is not None and (i < at or key == "done"), current=at is not None and i == at)
        for i, (_, label) in enumerate(STEPS)
    )
    return View(key, HEADINGS[key], steps, position if key == "queued" else 0,
                estimate(position, recent) if key == "queued" else None, NOTES.get(key),
                failure_of_job(job) if key == "failed" else None)


def estimate(position: int, recent: list[Job]) -> int | None:
    """Seconds until a job at ``position`` is done: the median time recent jobs took from upload to finish,
    once for each job ahead and its own (an upper bound when they waited too); None with fewer than three."""
    took = [j.finished_at - j.created_at for j in recent if j.finished_at is not None]
    if len(took) < 3:
        return None
    return int(statistics.median(took) * max(1, position))
