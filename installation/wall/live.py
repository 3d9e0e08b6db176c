"""The wall's side of the live painting: a cheap look at the live folder the worker writes.

``LiveFolder.wait_for_change`` (run by the loop's waker thread) looks at the folder's modification
time every ``LIVE_STAT_SECONDS`` (every write of a step is a rename into it) and returns when it
changed, so the loop wakes within that of a step being written; ``LiveWatcher.poll(now)`` then reads the
folder, only when its time changed, and at least every ``interval`` seconds should the waker miss one.
An idle wall pays one ``stat`` every ``LIVE_STAT_SECONDS``. The format is ``installation.jobs.live``'s.
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

from installation.jobs.live import LiveStep, read_live

LIVE_STAT_SECONDS = 0.02  # the waker's look at the folder: a step is noticed this soon after it is written
LIVE_POLL_SECONDS = 0.5  # the loop's own look, should the waker be slow

__all__ = ["LIVE_POLL_SECONDS", "LIVE_STAT_SECONDS", "LiveFolder", "LiveWatcher"]


def folder_stamp(folder: Path) -> int | None:
    """The folder's modification time; None while it is missing."""
    try:
        return os.stat(folder).st_mtime_ns
    except OSError:
        return None


class LiveFolder:
    """The live folder as something a ``ChangeWaker`` can wait on."""

    def __init__(self, folder: Path, every: float = LIVE_STAT_SECONDS) -> None:
        self.folder = folder
        self.every = every
        self._stamp = folder_stamp(folder)
        self._sleep = threading.Event()  # never set: an interruptible sleep

    def wait_for_change(self, timeout: float) -> bool:
        """True as soon as the folder's time differs from the last look's, False after ``timeout``."""
        end = time.monotonic() + timeout
        while True:
            stamp = folder_stamp(self.folder)
            if stamp != self._stamp:
                self._stamp = stamp
                return True
            left = end - time.monotonic()
            if left <= 0:
                return False
            self._sleep.wait(min(self.every, left))


class LiveWatcher:
    """The renders under way, when they changed since the last look."""

    def __init__(
        self, folder: Path, interval: float = LIVE_POLL_SECONDS, changed: threading.Event | None = None
    ) -> None:
        self.folder = folder
        self.interval = interval
        self.changed = changed  # set by the waker: look now
        self.next_poll = -float("inf")
        self._stamp: int | None = -1  # the folder's mtime at the last read; None: the folder was missing

    def poll(self, now: float) -> list[LiveStep] | None:
        """The live steps if a look was due (or the waker heard a change) and the folder changed, else None."""
        heard = self.changed is not None and self.changed.is_set()
        if now < self.next_poll and not heard:
            return None
        if heard and self.changed is not None:
            self.changed.clear()
        self.next_poll = now + self.interval
        stamp = folder_stamp(self.folder)
        if stamp == self._stamp:
            return None
        self._stamp = stamp
        return [] if stamp is None else read_live(self.folder)
