"""The wall hears of a finished portrait at once: its waker thread waits on the store's ``wait_for_change``
(PostgreSQL's LISTEN/NOTIFY, SQLite's data version) instead of the once-a-second poll.

Runs against both stores (``tests/test_store.py``'s backends; PostgreSQL is skipped where its binaries
are missing). The fallback poll is set to a minute, so only the wake-up can explain a fast arrival.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import test_store
from test_store import Backend, Clock, finish, submit

from installation.wall.loop import ChangeWaker, FeedWatcher

# The store tests' fixtures: both backends, a fresh database each, one PostgreSQL server a module
backend, clock, pg_url = test_store.backend, test_store.clock, test_store.pg_url


def test_a_portrait_marked_done_reaches_the_wall_feed_within_a_second(
    backend: Backend, clock: Clock, tmp_path: Path
) -> None:
    kiosk_and_worker = backend.open(clock=clock)
    wall_store = backend.open()  # the wall's own store, as in its own process
    woken = threading.Event()
    waker = ChangeWaker(wall_store, woken.set, timeout=0.5).start()
    watcher = FeedWatcher(wall_store, interval=60, changed=waker.changed)
    try:
        assert watcher.poll(time.monotonic()) == [], "the first poll is due at once"
        job_id = submit(kiosk_and_worker, tmp_path, clock)
        claim = kiosk_and_worker.claim()
        assert claim is not None
        time.sleep(0.3)  # let the submit's and claim's wake-ups pass: only the finish is timed
        while (seen := watcher.poll(time.monotonic())) is not None:
            assert seen == []
        woken.clear()
        finish(kiosk_and_worker, claim, tmp_path)
        done = time.monotonic()
        assert woken.wait(1.0), "the waker heard of the finish"
        shown: list[str] = []
        while time.monotonic() - done < 1.0 and not shown:
            shown = [a.job_id for a in watcher.poll(time.monotonic()) or []]
            time.sleep(0.01)
        assert shown == [job_id], "the finished portrait is in the wall's feed within a second"
        assert time.monotonic() - done < 1.0
    finally:
        waker.stop()


def test_wait_for_change_sleeps_when_nothing_changes_and_wakes_on_a_commit(
    backend: Backend, clock: Clock, tmp_path: Path
) -> None:
    writer, waiter = backend.open(clock=clock), backend.open()
    waiter.wait_for_change(0.05)  # PostgreSQL's first call starts listening and says "look once"
    started = time.monotonic()
    assert waiter.wait_for_change(0.4) is False
    assert time.monotonic() - started >= 0.35, "no change: it waits the whole timeout"
    timer = threading.Timer(0.2, lambda: submit(writer, tmp_path, clock))
    timer.start()
    started = time.monotonic()
    assert waiter.wait_for_change(5.0) is True
    assert time.monotonic() - started < 1.5, "a commit ends the wait early"
    timer.join()


def test_a_feed_without_wait_for_change_is_polled_at_its_interval() -> None:
    class Feed:
        calls = 0

        def wall_artworks(self) -> list[object]:
            self.calls += 1
            return []

    feed = Feed()
    watcher = FeedWatcher(feed, interval=10)  # type: ignore[arg-type]
    assert watcher.poll(0.0) == [] and watcher.poll(5.0) is None and watcher.poll(10.0) == []
    changed = threading.Event()
    watcher = FeedWatcher(feed, interval=10, changed=changed)  # type: ignore[arg-type]
    watcher.poll(0.0)
    changed.set()
    assert watcher.poll(1.0) == [] and not changed.is_set(), "a heard change polls before the interval"
    assert watcher.poll(2.0) is None
