"""The wall's controller: given the time and what happened, which portraits are on screen and how much.

It owns the clock and the state and draws nothing (picframe's controller/viewer split): the loop in
``installation.wall.loop`` feeds it the store's artworks, key presses and ``now``; ``frame(now)`` answers
with the layers to draw, each with its alpha, Ken Burns position and caption. Every alpha comes from
elapsed time, never from a frame count, so a late or dropped frame never slows a fade.

Order of what is shown:
1. arrivals first: an artwork that appears in the store after the wall started jumps the queue, is
   announced for ``arrival_seconds``, and several queue up in the order they finished;
2. then the rotation, oldest to newest and round again: through the channels (``[[wall.streams]]``, or
   one unnamed channel holding every artwork), ``stream_slides`` portraits per visit, each channel
   resuming where it left off; an arrival, having just had its turn, is passed over once.
An artwork that leaves the store (hidden, held, deleted) or whose image cannot be read leaves the
screen and the rotation at once.
"""

from __future__ import annotations

import math
import random
from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

from installation.config import StreamConfig, WallConfig
from installation.jobs.live import LiveStep
from installation.jobs.store import WallArtwork

MAX_LAYERS = 4  # slides stacked while fades overlap (fast key presses); older ones are dropped
LIVE_FADE_SECONDS = 0.25  # the live painting comes up over the slide this fast
REVEAL_SECONDS = 1.5  # a one-step model's single picture is revealed more slowly instead
LIVE_GRACE_SECONDS = 3.0  # after its render ends, the live painting waits this long for the artwork

# Every word a visitor reads on the wall that is not in the configuration ([wall] arrival_text and
# idle_text are), in one place so a translation catalogue can take them over.
WORDS = {
    "being_painted": "Being painted",
    "step_of": "step {step} of {total}",
    "paused": "paused",
}


def word(config: WallConfig, key: str) -> str:
    """``WORDS[key]`` in the wall's language (``wall_config`` fills ``config.words``)."""
    return config.words.get(key) or WORDS[key]


class Action(Enum):
    """What a key asks of the wall."""

    QUIT = "quit"
    PAUSE = "pause"
    PREVIOUS = "previous"
    NEXT = "next"
    FULLSCREEN = "fullscreen"


@dataclass(frozen=True)
class Caption:
    """The words drawn over one slide."""

    lines: tuple[str, ...]  # nickname (if any), a few keywords, the style
    announce: str | None = None  # the arrival banner, e.g. "Just painted"
    channel: str | None = None  # the stream's name, when streams are configured


@dataclass(frozen=True)
class Layer:
    """One slide as drawn in this frame: bottom layers first, each blended over the ones below."""

    artwork: WallArtwork
    alpha: float  # 0 (invisible) .. 1 (opaque)
    pan: tuple[float, float]  # Ken Burns window position in the enlarged image, 0..1 per axis
    caption: Caption


@dataclass(frozen=True)
class LiveLayer:
    """A portrait being painted: its latest step, drawn over the slides (or under its own arrival)."""

    job_id: str
    step: int
    total: int
    image_path: Path
    alpha: float
    under: bool  # its finished artwork is fading in over it: draw it first, opaque, then the slides
    caption: Caption


@dataclass(frozen=True)
class Frame:
    """Everything the viewer needs for one frame."""

    layers: tuple[Layer, ...]  # empty: nothing to show yet, draw the idle screen
    paused: bool
    moving: bool  # a fade or a pan is under way: draw again at the frame rate
    wake_at: float  # when the next scheduled change happens (math.inf: none until something happens)
    live: LiveLayer | None = None

    @property
    def idle(self) -> bool:
        return not self.layers and self.live is None


@dataclass
class _Slide:
    artwork: WallArtwork
    started: float
    due: float  # when the next slide takes over (math.inf while paused)
    caption: Caption
    arrival: bool
    pan_from: tuple[float, float]
    pan_to: tuple[float, float]


@dataclass
class _Live:
    step: LiveStep
    shown_at: float
    gone_at: float | None = None  # when its files went (the render ended)


@dataclass
class _Channel:
    name: str | None
    themes: frozenset[str]
    styles: frozenset[str]
    cursor: int | None = None  # seq of the last artwork this channel showed
    shown: int = 0  # slides shown in the current visit

    def takes(self, artwork: WallArtwork) -> bool:
        if not self.themes and not self.styles:
            return True
        return bool(self.themes.intersection(artwork.themes)) or artwork.style in self.styles


@dataclass
class _Rotation:
    channels: list[_Channel]
    current: int = 0
    everything: _Channel = field(default_factory=lambda: _Channel(None, frozenset(), frozenset()))


def caption_lines(
    artwork: WallArtwork,
    max_keywords: int = 3,
    labels: Mapping[str, str] | None = None,
) -> tuple[str, ...]:
    """Nickname if given, a few keywords, and the style as the curator named it (``labels``: key ->
    ``[styles.*] label``); a style without a label reads as its key in words, never with its dashes."""
    nickname = _printable(artwork.caption)
    keywords = [k for k in map(_printable, artwork.keywords) if k][:max_keywords]
    label = (labels or {}).get(artwork.style) or artwork.style.replace("-", " ").replace("_", " ")
    style = _printable(label)
    return tuple(line for line in (nickname, " · ".join(keywords), style) if line)


def _printable(text: str) -> str:
    """Control characters (a NUL stops the font renderer) out, spaces trimmed."""
    return "".join(ch for ch in text if ch.isprintable()).strip()


def _channel(stream: StreamConfig) -> _Channel:
    return _Channel(stream.name, frozenset(stream.themes), frozenset(stream.styles))


class Slideshow:
    """The wall's state machine. Times are monotonic seconds supplied by the caller."""

    def __init__(self, config: WallConfig) -> None:
        self.config = config
        self._artworks: dict[str, WallArtwork] = {}  # the store's current list, by job id
        self._started = False  # the first feed read is the collection, not a crowd of arrivals
        self._arrivals: deque[str] = deque()
        self._broken: set[str] = set()
        self._had_turn: set[str] = set()  # arrivals shown that the rotation has not passed since
        self._stack: list[_Slide] = []  # bottom .. top; the top is the current slide
        self._paused = False
        self._rotation = _Rotation([_channel(s) for s in config.streams])
        self._live: _Live | None = None

    # --- inputs ---------------------------------------------------------------------------------------

    def update(self, artworks: Sequence[WallArtwork], now: float) -> None:
        """Take the store's current list: new ones become arrivals, vanished ones leave at once."""
        fresh = {a.job_id: a for a in sorted(artworks, key=lambda a: a.seq)}
        gone = self._artworks.keys() - fresh.keys()
        if self._started:
            self._arrivals.extend(j for j in fresh if j not in self._artworks and j not in self._broken)
        self._started = True
        self._artworks = fresh
        if gone:
            self._remove(gone, now)

    def live(self, steps: Sequence[LiveStep], now: float) -> None:
        """Take the live folder's renders under way: the one on screen goes on, or the first one comes up."""
        current = self._live
        if current is not None:
            same = next((s for s in steps if s.job_id == current.step.job_id), None)
            if same is not None:
                current.step, current.gone_at = same, None
                return
            if current.gone_at is None:
                current.gone_at = now  # finished or failed: wait a little for its artwork
            return
        fresh = [s for s in steps if s.job_id not in self._artworks]
        if fresh:
            self._live = _Live(fresh[0], now)

    def drop(self, job_id: str, now: float) -> None:
        """The image of ``job_id`` cannot be read: skip it from now on."""
        self._broken.add(job_id)
        self._remove({job_id}, now)

    def press(self, action: Action, now: float) -> None:
        """Pause, previous or next; quit and full-screen belong to the loop."""
        if action is Action.PAUSE:
            self._paused = not self._paused
            top = self._top()
            if top is not None:
                top.due = math.inf if self._paused else now + self._duration(top.arrival)
        elif action is Action.NEXT:
            self._show(self._pick_next(), now)
        elif action is Action.PREVIOUS:
            self._show(self._pick_previous(), now)

    # --- outputs --------------------------------------------------------------------------------------

    def frame(self, now: float) -> Frame:
        """What to draw at ``now``; moves on to the next slide first when one is due."""
        self._advance(now)
        self._trim(now)
        layers = tuple(Layer(s.artwork, self._alpha(s, now), self._pan(s, now), s.caption) for s in self._stack)
        top = self._top()
        moving = any(layer.alpha < 1 for layer in layers) or (
            self.config.ken_burns and any(self._pan_progress(s, now) < 1 for s in self._stack)
        )
        wake_at = math.inf if top is None or self._paused else top.due
        live = self._live_layer(now)
        if live is not None:
            moving = moving or live.alpha < 1 or live.under
            if live.under:  # its artwork fades in over it: what lay below is hidden
                layers = layers[-1:]
        return Frame(layers=layers, paused=self._paused, moving=moving, wake_at=wake_at, live=live)

    def _live_layer(self, now: float) -> LiveLayer | None:
        """The live painting's layer at ``now``; it leaves once its artwork is in, or after the grace time."""
        live = self._live
        if live is None:
            return None
        step = live.step
        rise = REVEAL_SECONDS if step.total <= 1 else LIVE_FADE_SECONDS
        alpha = min(1.0, max(0.0, (now - live.shown_at) / rise))
        top = self._top()
        under = top is not None and top.artwork.job_id == step.job_id
        if under:
            if top is not None and self._alpha(top, now) >= 1:
                self._live = None  # the artwork is in
                return None
        elif live.gone_at is not None:
            # No artwork (held, flagged, failed, or not yet read): wait, then fade out
            fade = max(self.config.fade_seconds, 0.1)
            left = 1 - (now - live.gone_at - LIVE_GRACE_SECONDS) / fade
            if left <= 0:
                self._live = None
                return None
            alpha = min(alpha, left)
        caption = Caption(
            (
                word(self.config, "being_painted"),
                word(self.config, "step_of").format(step=step.step, total=step.total),
            )
        )
        return LiveLayer(step.job_id, step.step, step.total, step.image_path, alpha, under, caption)

    def upcoming(self) -> list[WallArtwork]:
        """What the next slide change would bring (and what is queued), so its image can be ready first."""
        ahead = [self._artworks[j] for j in self._arrivals if j in self._artworks]
        if not ahead:
            rotation = self._peek_rotation()
            if rotation is not None:
                ahead.append(rotation)
        return ahead[:2]

    # --- choosing the next slide ----------------------------------------------------------------------

    def _advance(self, now: float) -> None:
        top = self._top()
        if self._paused and top is not None:
            return
        if top is None:
            self._show(self._pick_next(), now)
        elif self._arrivals and not top.arrival:
            self._show(self._pick_next(), now)  # an arrival cuts in at once
        elif now >= top.due:
            # Start from when it was due, so a late wake-up does not delay the fade; never further back
            # than one fade, so a long stall does not race through several slides.
            self._show(self._pick_next(), max(top.due, now - self.config.fade_seconds))

    def _pick_next(self) -> tuple[WallArtwork, bool, str | None] | None:
        while self._arrivals:
            job_id = self._arrivals.popleft()
            if job_id in self._artworks and job_id not in self._broken:
                self._had_turn.add(job_id)
                return self._artworks[job_id], True, None
        channel, members = self._next_channel()
        if not members:
            return None
        return self._following(channel, members, commit=True), False, channel.name

    def _pick_previous(self) -> tuple[WallArtwork, bool, str | None] | None:
        channel, members = self._current_channel()
        if not members:
            return None
        top = self._top()
        if top is None or top.arrival:  # back from an arrival: the rotation's own last slide
            before = None if channel.cursor is None else channel.cursor + 1
        else:
            before = top.artwork.seq
        chosen = members[-1] if before is None else next((a for a in reversed(members) if a.seq < before), members[-1])
        channel.cursor = chosen.seq
        return chosen, False, channel.name

    def _peek_rotation(self) -> WallArtwork | None:
        channel, members = self._next_channel(commit=False)
        return self._following(channel, members, commit=False) if members else None

    def _following(self, channel: _Channel, members: list[WallArtwork], *, commit: bool) -> WallArtwork:
        """The channel's next portrait after its cursor, passing over arrivals that just had their turn."""
        if channel.cursor is None:  # the wall has just started: open with the newest portrait
            order = [members[-1], *members[:-1]]
        else:
            after = channel.cursor
            split = next((i for i, a in enumerate(members) if a.seq > after), len(members))
            order = members[split:] + members[:split]
        chosen = next((a for a in order if a.job_id not in self._had_turn), order[0])
        if commit:
            for artwork in order[: order.index(chosen) + 1]:
                self._had_turn.discard(artwork.job_id)  # passed over once: back in the rotation
            channel.cursor = chosen.seq
            channel.shown += 1
        return chosen

    def _members(self, channel: _Channel) -> list[WallArtwork]:
        return [a for a in self._artworks.values() if a.job_id not in self._broken and channel.takes(a)]

    def _current_channel(self) -> tuple[_Channel, list[WallArtwork]]:
        rotation = self._rotation
        if rotation.channels:
            channel = rotation.channels[rotation.current]
            members = self._members(channel)
            if members:
                return channel, members
        return rotation.everything, self._members(rotation.everything)

    def _next_channel(self, *, commit: bool = True) -> tuple[_Channel, list[WallArtwork]]:
        """The channel the next rotation slide comes from: stay for ``stream_slides``, then move on."""
        rotation = self._rotation
        count = len(rotation.channels)
        # Step 0 is the channel on air; step ``count`` comes back to it when it is the only one left.
        for step in range(count + 1 if count else 0):
            index = (rotation.current + step) % count
            channel = rotation.channels[index]
            members = self._members(channel)
            if not members or (step == 0 and channel.shown >= min(self.config.stream_slides, len(members))):
                continue
            if commit and step > 0:
                channel.shown = 0
                rotation.current = index
            return channel, members
        # No streams, or none holds an artwork: every artwork, no channel name
        return rotation.everything, self._members(rotation.everything)

    # --- the slide stack ------------------------------------------------------------------------------

    def _show(self, picked: tuple[WallArtwork, bool, str | None] | None, started: float) -> None:
        if picked is None:
            return
        top = self._top()
        artwork, arrival, channel = picked
        due = math.inf if self._paused else started + self._duration(arrival)
        if top is not None and top.artwork.job_id == artwork.job_id and top.arrival == arrival:
            top.due = due  # the only portrait: keep it up instead of fading it into itself
            return
        announce = self.config.arrival_text if arrival else None
        pan_from, pan_to = _pan_path(artwork.job_id, started)
        self._stack.append(
            _Slide(
                artwork=artwork,
                started=started,
                due=due,
                arrival=arrival,
                caption=Caption(caption_lines(artwork, labels=self.config.style_labels), announce, channel),
                pan_from=pan_from,
                pan_to=pan_to,
            )
        )
        del self._stack[:-MAX_LAYERS]

    def _remove(self, job_ids: set[str] | frozenset[str], now: float) -> None:
        self._arrivals = deque(j for j in self._arrivals if j not in job_ids)
        self._had_turn -= job_ids
        top = self._top()
        self._stack = [s for s in self._stack if s.artwork.job_id not in job_ids]
        if top is not None and top.artwork.job_id in job_ids:
            self._show(self._pick_next(), now)

    def _trim(self, now: float) -> None:
        """Forget slides hidden under an opaque one."""
        for i in range(len(self._stack) - 1, 0, -1):
            if self._alpha(self._stack[i], now) >= 1:
                del self._stack[:i]
                return

    def _top(self) -> _Slide | None:
        return self._stack[-1] if self._stack else None

    def _duration(self, arrival: bool) -> float:
        return self.config.arrival_seconds if arrival else self.config.slide_seconds

    # --- time ----------------------------------------------------------------------------------------

    def _alpha(self, slide: _Slide, now: float) -> float:
        fade = self.config.fade_seconds
        if fade <= 0:
            return 1.0
        return min(1.0, max(0.0, (now - slide.started) / fade))

    def _pan_progress(self, slide: _Slide, now: float) -> float:
        span = self._duration(slide.arrival) + self.config.fade_seconds
        return min(1.0, max(0.0, (now - slide.started) / span))

    def _pan(self, slide: _Slide, now: float) -> tuple[float, float]:
        if not self.config.ken_burns:
            return (0.5, 0.5)
        p = _ease(self._pan_progress(slide, now))
        (x0, y0), (x1, y1) = slide.pan_from, slide.pan_to
        return (x0 + (x1 - x0) * p, y0 + (y1 - y0) * p)


def _pan_path(job_id: str, started: float) -> tuple[tuple[float, float], tuple[float, float]]:
    """A slow drift from one side of the enlarged image to the other, different for each showing."""
    rng = random.Random(f"{job_id}:{started}")
    start = (rng.choice((0.0, 1.0)), rng.random())
    if rng.random() < 0.5:
        start = (start[1], start[0])
    return start, (1.0 - start[0], 1.0 - start[1])


def _ease(p: float) -> float:
    """Smoothstep: the pan starts and ends gently instead of jerking."""
    return p * p * (3.0 - 2.0 * p)
