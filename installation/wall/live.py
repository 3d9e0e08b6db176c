"""The wall's side of the live painting: a cheap look at the live folder the worker writes.

``LiveWatcher.poll(now)`` looks at most every ``interval`` seconds, and reads the folder only when its
modification time changed (every write of a step is a rename into it), so an idle wall pays one
``stat`` a tenth of a second. The format is ``installation.jobs.live``'s.
"""

from __future__ import annotations

import os
from pathlib import Path

from installation.jobs.live import LiveStep, read_live

LIVE_POLL_SECONDS = 0.1  # the first step is on the wall within this (plus a frame) of being written

__all__ = ["LIVE_POLL_SECONDS", "LiveWatcher"]


class LiveWatcher:
    """The renders under way, when they changed since the last look."""

    def __init__(self, folder: Path, interval: float = LIVE_POLL_SECONDS) -> None:
        self.folder = folder
        self.interval = interval
        self.next_poll = -float("inf")
        self._stamp: int | None = -1  # the folder's mtime at the last read; None: the folder was missing

    def poll(self, now: float) -> list[LiveStep] | None:
        """The live steps if a look was due and the folder changed, else None."""
        if now < self.next_poll:
            return None
        self.next_poll = now + self.interval
        try:
            stamp: int | None = os.stat(self.folder).st_mtime_ns
        except OSError:
            stamp = None
        if stamp == self._stamp:
            return None
        self._stamp = stamp
        return [] if stamp is None else read_live(self.folder)
