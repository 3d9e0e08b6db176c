"""The wall: a full-screen pygame gallery of finished portraits, where a new one appears at once.

``run_wall(feed, config)`` is the one entry. The loop asks the feed (the job store, or anything with
``wall_artworks()``) when a background thread hears of a change (``wait_for_change``: PostgreSQL's
LISTEN/NOTIFY, SQLite's data version) and, as a fallback, every ``poll_seconds``; passes keys and the
time to the controller (``installation.wall.show.Slideshow``), and lets the viewer
(``installation.wall.software.WallViewer``, or ``installation.wall.gpu.GpuViewer``)
draw the frame it answers with. While a fade or a pan is under way it draws at up to ``fps``; when
nothing moves it sleeps until the next slide is due, the next poll, or a waker's alarm (a store change,
a live step), looking at the keys every ``INPUT_SECONDS`` (``pygame.event.wait`` with a timeout polls
SDL every millisecond, which alone costs 2 % of a core).

Keys: Esc/q quit, space pause, left/right previous/next, f full screen on/off.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from installation.address import phone_url
from installation.config import Config, WallConfig
from installation.errors import ConfigError, DisplayError, StoreError
from installation.i18n import translator
from installation.jobs.live import live_folder
from installation.jobs.store import WallArtwork
from installation.wall.frames import FrameHook, FrameStat, frame_log_from_env
from installation.wall.live import LiveFolder, LiveWatcher
from installation.wall.show import WORDS, Action, Slideshow

if TYPE_CHECKING:
    from installation.wall.screen import Viewer

log = logging.getLogger(__name__)

INPUT_SECONDS = 0.05  # a key or an uncovered window is seen this soon while nothing moves

__all__ = ["INPUT_SECONDS", "ArtworkFeed", "ChangeWaker", "FeedWatcher", "run_wall", "wall_config"]


class ArtworkFeed(Protocol):
    """Where the wall's artworks come from; ``SqliteJobStore`` is one."""

    def wall_artworks(self) -> list[WallArtwork]:
        """Finished, approved artworks (not hidden, held or deleted), oldest first; cheap to call."""
        ...


class Changing(Protocol):
    """Something that can say when it may have changed: both job stores, the live folder."""

    def wait_for_change(self, timeout: float) -> bool: ...


class ChangeWaker:
    """A daemon thread that waits on ``wait_for_change`` and raises ``changed`` (and calls ``wake``,
    which ends the loop's sleep) when it hears of one.

    The waiting happens off the drawing thread, so a frame never waits for the store.
    """

    def __init__(self, feed: Changing, wake: Callable[[], None], *, timeout: float = 1.0) -> None:
        self.changed = threading.Event()
        self._feed, self._wake, self._timeout = feed, wake, timeout
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="wall-store-waker", daemon=True)

    def start(self) -> ChangeWaker:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                heard = self._feed.wait_for_change(self._timeout)
            except Exception as exc:  # a store that fails here is asked again by the poll
                log.debug("wall: not waiting for store changes (%s)", exc)
                self._stop.wait(self._timeout)
                continue
            if heard and not self._stop.is_set():
                self.changed.set()
                try:
                    self._wake()
                except Exception as exc:  # the display is closing
                    log.debug("wall: cannot wake the loop (%s)", exc)


class FeedWatcher:
    """Asks the feed every ``interval`` seconds, and at once when ``changed`` is set (by a
    ``ChangeWaker``); while the feed fails, the wall keeps what it has."""

    def __init__(self, feed: ArtworkFeed, interval: float, changed: threading.Event | None = None) -> None:
        self.feed = feed
        self.interval = interval
        self.next_poll = -float("inf")
        self.changed = changed
        self._failing = False

    def poll(self, now: float) -> list[WallArtwork] | None:
        """The feed's list if a poll was due (or a change was heard) and it answered, else None."""
        heard = self.changed is not None and self.changed.is_set()
        if now < self.next_poll and not heard:
            return None
        if heard and self.changed is not None:
            self.changed.clear()
        self.next_poll = now + self.interval
        try:
            artworks = self.feed.wall_artworks()
        except (StoreError, OSError) as exc:
            if not self._failing:  # once per outage, not once a second
                log.warning("wall: the job store is unavailable, showing what is here meanwhile (%s)", exc)
            self._failing = True
            return None
        if self._failing:
            log.info("wall: the job store answers again")
            self._failing = False
        return artworks


def wall_config(config: Config) -> WallConfig:
    """The ``[wall]`` section, completed from the rest of the configuration.

    An unset ``kiosk_url`` (the QR code's address) is the kiosk's ``public_url``, else this machine's
    address on the local network with the kiosk's port; an unset ``live_dir`` the folder the worker
    writes live steps to (``<render.output_dir>/live``); ``style_labels`` the curator's style names;
    ``words``, ``arrival_text`` and ``idle_text`` in the wall's ``language``.
    """
    # Unlabelled styles stay out: the caption writes their key in words ("sixties photo")
    labels = {key: style.label for key, style in config.styles.items() if style.label}
    labels.update(config.wall.style_labels)
    say = translator(config.wall.language)
    update: dict[str, object] = {
        "live_dir": live_folder(config),
        "style_labels": labels,
        "words": {key: say(word) for key, word in WORDS.items()},
        "arrival_text": say(config.wall.arrival_text),
        "idle_text": say(config.wall.idle_text),
    }
    if config.wall.kiosk_url is None:
        update["kiosk_url"] = config.kiosk.public_url or phone_url(config.kiosk.host, config.kiosk.port)
    return config.wall.model_copy(update=update)


def run_wall(
    feed: ArtworkFeed,
    config: WallConfig,
    *,
    windowed: bool = False,
    max_seconds: float | None = None,
    on_frame: FrameHook | None = None,
) -> None:
    """Show the feed's artworks until a quit key, the window closing, or ``max_seconds``.

    ``on_frame`` is called after every flip with a ``FrameStat`` (the benchmark's frame-time recorder);
    without it, ``PORTRAIT_WALL_FRAMES=file.jsonl`` records them to that file.
    """
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    import pygame

    from installation.wall.draw import FONT_PATH
    from installation.wall.screen import open_viewer

    # 1. Check inputs
    if max_seconds is not None and max_seconds <= 0:
        raise ConfigError(f"max_seconds must be positive but is {max_seconds}")
    if not FONT_PATH.is_file():
        raise DisplayError(f"the wall's font is missing: {FONT_PATH}; reinstall social-portrait")
    frame_log = frame_log_from_env() if on_frame is None else None
    # 2. Open the display
    try:
        pygame.display.init()
        pygame.font.init()
    except pygame.error as exc:
        raise DisplayError(f"cannot start the display ({exc}); is DISPLAY set, or SDL_VIDEODRIVER?") from exc
    try:
        fullscreen = config.fullscreen and not windowed
        viewer = open_viewer(config, fullscreen=fullscreen)
        # 3. Run the loop
        try:
            _loop(feed, config, viewer, fullscreen=fullscreen, max_seconds=max_seconds, on_frame=on_frame or frame_log)
        finally:
            viewer.close()
    finally:
        pygame.quit()
        if frame_log is not None:
            frame_log.write()


def _loop(
    feed: ArtworkFeed,
    config: WallConfig,
    viewer: Viewer,
    *,
    fullscreen: bool,
    max_seconds: float | None,
    on_frame: FrameHook | None,
) -> None:
    alarm = threading.Event()  # a waker heard something: the loop's sleep ends at once
    wakers: list[ChangeWaker] = []
    changed = None
    if callable(getattr(feed, "wait_for_change", None)):
        changing: Changing = feed  # type: ignore[assignment]  # checked just above
        wakers.append(ChangeWaker(changing, alarm.set).start())
        changed = wakers[-1].changed
    watcher = FeedWatcher(feed, config.poll_seconds, changed)
    # The live painting: only with [wall] live and a folder to watch (wall_config names the worker's)
    live = None
    if config.live and config.live_dir is not None:
        live_waker = ChangeWaker(LiveFolder(config.live_dir), alarm.set)
        live = LiveWatcher(config.live_dir, changed=live_waker.changed)
        wakers.append(live_waker.start())
    try:
        _run_frames(config, viewer, watcher, live, alarm, fullscreen=fullscreen, max_seconds=max_seconds,
                    on_frame=on_frame)  # fmt: skip
    finally:
        for waker in wakers:
            waker.stop()


def _run_frames(
    config: WallConfig,
    viewer: Viewer,
    watcher: FeedWatcher,
    live: LiveWatcher | None,
    alarm: threading.Event,
    *,
    fullscreen: bool,
    max_seconds: float | None,
    on_frame: FrameHook | None,
) -> None:
    import pygame

    keys = {
        pygame.K_ESCAPE: Action.QUIT,
        pygame.K_q: Action.QUIT,
        pygame.K_SPACE: Action.PAUSE,
        pygame.K_LEFT: Action.PREVIOUS,
        pygame.K_RIGHT: Action.NEXT,
        pygame.K_f: Action.FULLSCREEN,
    }
    show = Slideshow(config)
    clock = time.monotonic
    end = clock() + max_seconds if max_seconds is not None else float("inf")
    fading = False
    period = 1.0 / config.fps
    due = 0.0  # when the next frame is due while something moves
    was_moving = False
    while clock() < end:
        now = clock()
        # 1. What the store holds now: arrivals, and artworks that must leave
        artworks = watcher.poll(now)
        if artworks is not None:
            show.update(artworks, now)
        steps = live.poll(now) if live is not None else None
        if steps is not None:
            show.live(steps, now)
        # 2. Keys and the window
        for event in pygame.event.get():
            action = Action.QUIT if event.type == pygame.QUIT else None
            if event.type == pygame.KEYDOWN:
                action = keys.get(event.key)
            elif event.type == pygame.WINDOWEXPOSED:
                viewer.invalidate()  # uncovered: the window's pixels need drawing again
            if action is Action.QUIT:
                return
            if action is Action.FULLSCREEN:
                fullscreen = not fullscreen
                viewer.set_fullscreen(fullscreen)
            elif action is not None:
                show.press(action, now)
        # 3. Load what comes next in the background, so no frame waits for a file; not during a fade,
        #    whose frames need the CPU most
        if not fading:
            for artwork in show.upcoming():
                if viewer.preload(artwork) is False:
                    show.drop(artwork.job_id, now)
        # 4. Draw one frame; an unreadable image leaves the rotation and the frame is worked out again
        frame = show.frame(clock())
        unreadable = [layer.artwork for layer in frame.layers if not viewer.prepare(layer.artwork)]
        for artwork in unreadable:
            show.drop(artwork.job_id, clock())
        if unreadable:
            continue
        fading = any(layer.alpha < 1 for layer in frame.layers)
        presented = 0.0
        drawn = viewer.draw(frame)
        if drawn:
            before = clock()
            viewer.present()
            presented = clock() - before
        if on_frame is not None and (drawn or frame.moving):
            step, alpha = (frame.live.step, frame.live.alpha) if frame.live is not None else (None, None)
            on_frame(FrameStat(clock(), time.process_time(), fading, frame.moving, step, alpha, drawn))
        # 5. Sleep: at the frame rate while something moves, else until the next change, poll or key
        if frame.moving:
            if viewer.paced and presented > period / 4:
                # The display paced us (vsync held ``present`` until its refresh): draw the next at once.
                due, was_moving = clock(), True
                continue
            # Frames fall due on a fixed grid, so a late wake-up shortens the next sleep and the rate holds;
            # after a stall of more than a frame the grid restarts from now instead of racing to catch up.
            due = max(due + period, clock()) if was_moving else now + period
            was_moving = True
            time.sleep(max(0.0, due - clock()))  # time.sleep is finer than SDL_Delay
            continue
        was_moving = False
        wake = min(frame.wake_at, watcher.next_poll, live.next_poll if live is not None else end, end)
        if alarm.wait(max(0.0, min(wake - clock(), INPUT_SECONDS))):
            alarm.clear()
