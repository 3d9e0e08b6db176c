"""The software path: draws frames onto the window's surface with pygame blits, and only what changed.

Every slide is scaled once, to the enlarged size, and converted to the screen's pixel format, so a
frame is blits only: an opaque copy, a blend during a fade, the captions.

A pan moves in fractions of a pixel along its main axis (the slower axis and the layers of a fade move
by whole pixels). For a slide that pans, copies of it shifted by 1/n, 2/n ... of a pixel along that axis
(``phase_count``: eighths at 1920x1080, thirds at 3840x2160, whose pixels are half the size) are made
once, one per frame while it starts to pan, so a frame of a pan is one opaque copy; until a phase is
made the frame blends the next pixel's view over the portrait instead (two blits).

Dirty rectangles: a frame is a list of ``Paint`` items (what is drawn, where, and a key saying how it
looks). Only the rectangles of items that differ from the last frame's are drawn again (clipped) and
sent to the display; a frame whose items are all the same is not drawn at all. A pause label, a
caption or a new step of the live painting redraws its own rectangle; a fade or a pan, the screen.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pygame

from installation.config import WallConfig
from installation.jobs.store import WallArtwork
from installation.wall.draw import (
    CACHED_SLIDES,
    IDLE_COLOUR,
    FittedSlide,
    Lettering,
    Size,
    SlideCache,
    fit_image,
    fit_rect,
    open_screen,
    placed_layers,
    qr_surface,
    read_live_image,
    read_slide_image,
    slide_size_for,
)
from installation.wall.show import Caption, Frame, LiveLayer, word

Box = tuple[int, int, int, int]  # x, y, width, height

MAX_PHASES = 8  # sub-pixel positions of a pan: as fine as the GPU path's eighths
PHASE_BYTES = 80_000_000  # the shifted copies of one slide may take this much memory
PHASED_SLIDES = 2  # slides that keep their shifted copies: the one panning and the one fading out

__all__ = ["Paint", "WallViewer", "dirty_rects", "phase_count"]


def phase_count(slide_size: Size, bytes_per_pixel: int = 4) -> int:
    """How many sub-pixel positions a pan takes: as many as ``PHASE_BYTES`` of shifted copies allow."""
    size = slide_size[0] * slide_size[1] * bytes_per_pixel
    return max(2, min(MAX_PHASES, 1 + PHASE_BYTES // max(1, size)))


@dataclass(frozen=True)
class Paint:
    """One thing drawn in a frame: the same key and rectangle always put the same pixels there."""

    key: object
    rect: Box
    paint: Callable[[], object]


def dirty_rects(before: list[Paint] | None, now: list[Paint], screen: Box) -> list[Box]:
    """The rectangles to draw again: those of items (in their stacking place) that came, went or changed.

    ``before`` None: everything. One rectangle covering the screen stands for all of it.
    """
    if before is None:
        return [screen]
    old = {(i, p.key, p.rect) for i, p in enumerate(before)}
    new = {(i, p.key, p.rect) for i, p in enumerate(now)}
    rects = sorted({rect for _, _, rect in old ^ new})
    if any(r == screen for r in rects):
        return [screen]
    return rects


@dataclass
class Slide:
    """A prepared slide: the enlarged canvas, and where on it the portrait itself lies."""

    surface: pygame.Surface
    portrait: Box
    phases: dict[tuple[int, int], pygame.Surface] = field(default_factory=dict)  # (axis, k): k/n px on

    def phase(self, axis: int, k: int, n: int) -> pygame.Surface:
        """Make the copy shifted by ``k/n`` of a pixel along ``axis``: the next pixel's view blended in."""
        copy = self.surface.copy()
        self.surface.set_alpha(round(k * 255 / n))
        w, h = self.surface.get_size()
        copy.blit(self.surface, (0, 0), pygame.Rect(axis == 0, axis == 1, w, h))
        self.surface.set_alpha(None)
        self.phases[(axis, k)] = copy
        return copy


@dataclass
class Pan:
    """A slide's first position on screen, and the axis its pan moves most along (None: not moved yet)."""

    start: tuple[float, float]
    axis: int | None = None


class WallViewer:
    """The software path's viewer; keeps the prepared slides in play (see the module docstring)."""

    name = "software"
    paced = False  # an X11 window's framebuffer is sent at once, never held for a refresh

    def __init__(self, screen: pygame.Surface, config: WallConfig) -> None:
        self.config = config
        self.lettering = Lettering(config)
        self._slides: SlideCache[FittedSlide, Slide] = SlideCache(self._fit, self._convert)
        self._overlays: OrderedDict[Caption, list[tuple[pygame.Surface, tuple[int, int]]]] = OrderedDict()
        self._pans: OrderedDict[str, Pan] = OrderedDict()  # each slide's pan: its main axis, once known
        self.resize(screen)

    def resize(self, screen: pygame.Surface) -> None:
        """A new screen (full-screen toggle): everything prepared for the old size goes."""
        self.screen = screen
        self.size: Size = screen.get_size()
        self.slide_size: Size = slide_size_for(self.config, self.size)
        self._slides.resize(self.slide_size)
        self._overlays.clear()
        self.phases = phase_count(self.slide_size, screen.get_bytesize())
        self._phased: OrderedDict[tuple[str, Path], Slide] = OrderedDict()  # slides keeping shifted copies
        self._unmade: tuple[Slide, int, int] | None = None  # a phase this frame wanted: made after it
        self._live: tuple[tuple[str, int], pygame.Surface, Box] | None = None  # the latest step, fitted
        self._shown: list[Paint] | None = None  # what the screen shows; None: unknown, draw it all
        self._dirty: list[pygame.Rect] | None = None  # what the last draw changed; None: the whole screen
        url = self.config.kiosk_url if self.config.show_qr else None
        self._qr = qr_surface(url, self.size[1] // 6).convert() if url else None
        self._idle_qr = qr_surface(url, self.size[1] // 3) if url else None
        # The idle screen, with its QR code and without (under a live painting before the first portrait):
        # made now, as lettering a 4K screen takes a few frames' time, which a first live step must not wait for
        self._idle = {
            qr: self.lettering.idle(self.size, self._idle_qr if qr else None).convert() for qr in (True, False)
        }
        self._plain = pygame.Surface(self.size).convert()  # under the live painting and the first fade
        self._plain.fill(IDLE_COLOUR)

    def set_fullscreen(self, fullscreen: bool) -> None:
        self.resize(open_screen(self.config, fullscreen=fullscreen))

    def invalidate(self) -> None:
        """Draw the whole next frame even if it looks like the last one."""
        self._shown = None

    # --- preparing slides ----------------------------------------------------------------------------

    def preload(self, artwork: WallArtwork) -> bool | None:
        """Start making ``artwork``'s slide in the background (``SlideCache.preload``)."""
        return self._slides.preload(artwork)

    def prepare(self, artwork: WallArtwork) -> bool:
        """Have ``artwork`` ready to draw now; False (and a log line) when its image cannot be read."""
        return self._slides.prepare(artwork)

    def _fit(self, artwork: WallArtwork, size: Size) -> FittedSlide | None:
        """Read and scale, in the loader's thread."""
        image = read_slide_image(artwork, size)
        return None if image is None else fit_image(image, size, self.config.background)

    @staticmethod
    def _convert(fitted: FittedSlide) -> Slide:
        return Slide(fitted.surface.convert(), fitted.rect)

    def close(self) -> None:
        self._slides.close()

    # --- drawing -------------------------------------------------------------------------------------

    def draw(self, frame: Frame) -> bool:
        """Draw what changed since the last frame; False (nothing drawn) when nothing did."""
        # 1. What this frame is made of
        paints = self.paints(frame)
        # 2. Where it differs from what the screen shows
        screen = (0, 0, *self.size)
        rects = dirty_rects(self._shown, paints, screen)
        self._shown = paints
        if not rects:
            return False
        # 3. Draw those places again, each item clipped to them
        if rects == [screen]:
            self._dirty = None
            for item in paints:
                item.paint()
            self._make_phase()
            return True
        self._dirty = [pygame.Rect(r) for r in rects]
        for rect in self._dirty:
            self.screen.set_clip(rect)
            for item in paints:
                if rect.colliderect(item.rect):
                    item.paint()
        self.screen.set_clip(None)
        return True

    def paints(self, frame: Frame) -> list[Paint]:
        """The frame as a stack of items, bottom first."""
        full = (0, 0, *self.size)
        placed = placed_layers(frame, self.size, self.slide_size)
        live, fitted = frame.live, self._live_picture(frame.live)
        items: list[Paint] = []
        if frame.idle or (not placed and fitted is None):
            idle = self._idle_screen(with_qr=True)
            return [Paint(("idle", self.size), full, lambda: self.screen.blit(idle, (0, 0)))]
        under = live is not None and fitted is not None and live.under
        if live is not None and fitted is not None and not under and live.alpha >= 1:
            placed = []  # hidden under the painting's opaque ground: a pan below costs nothing meanwhile
        if under and live is not None:
            items += self._live_items(live, 255)  # the painting, opaque: its artwork fades in over it
        elif not placed:
            idle = self._idle_screen(with_qr=False)
            items.append(Paint(("idle-plain", self.size), full, lambda: self.screen.blit(idle, (0, 0))))
        elif placed[0][1] < 255:
            items.append(Paint("black", full, lambda: self.screen.fill((0, 0, 0))))  # the first fade: from black
        for layer, alpha, x, y in placed:
            key = (layer.artwork.job_id, layer.artwork.image_path)
            slide = self._slides[key]
            whole_x, whole_y, (axis, k) = self._position(layer.artwork.job_id, alpha, x, y)
            if k:
                self._phased[key] = slide
                self._phased.move_to_end(key)
            look = (*key, alpha, whole_x, whole_y, axis, k)
            items.append(Paint(look, full, self._slide_painter(slide, alpha, whole_x, whole_y, axis, k)))
            items += self._caption_items(layer.caption, alpha)
        if live is not None and fitted is not None and not under:
            alpha = round(live.alpha * 255)
            items += self._live_items(live, alpha)
            items += self._caption_items(live.caption, alpha)
        if self._qr is not None:
            qr, side, pad = self._qr, self._qr.get_width(), self.size[1] // 30
            spot = (self.size[0] - side - pad, self.size[1] - side - pad)
            items.append(Paint("qr", (*spot, side, side), lambda: self.screen.blit(qr, spot)))
        if frame.paused:
            label = self.lettering.text(word(self.config, "paused"), self.size[1] // 40)
            spot = (self.size[0] - label.get_width() - self.size[1] // 30, self.size[1] // 30)
            rect = (*spot, *label.get_size())
            items.append(Paint(("paused", label.get_size()), rect, lambda: self.screen.blit(label, spot)))
        return items

    def _slide_painter(self, slide: Slide, alpha: int, x: int, y: int, axis: int, k: int) -> Callable[[], None]:
        def paint() -> None:
            size, shifted = self.size, slide.phases.get((axis, k)) if k else None
            if shifted is not None:  # a pan's frame: one opaque copy of the shifted slide
                self.screen.blit(shifted, (0, 0), pygame.Rect(x, y, *size))
                return
            surface = slide.surface
            surface.set_alpha(None if alpha >= 255 else alpha)
            self.screen.blit(surface, (0, 0), pygame.Rect(x, y, *size))
            if k:  # no shifted copy yet: blend the next pixel's view over the portrait, and make one later
                self._unmade = (slide, axis, k)
                px, py, pw, ph = slide.portrait
                # One pixel more on each side along the axis, so the portrait's own edge glides too
                region = pygame.Rect(px - (axis == 0), py - (axis == 1), pw + 2 * (axis == 0), ph + 2 * (axis == 1))
                seen = region.clip(pygame.Rect(x, y, *size))
                if seen.width and seen.height:
                    surface.set_alpha(round(k * 255 / self.phases))
                    self.screen.blit(surface, (seen.x - x, seen.y - y), seen.move(axis == 0, axis == 1))

        return paint

    def _make_phase(self) -> None:
        """Make the shifted copy the last frame lacked (one a frame, so no frame waits for all of them)."""
        if self._unmade is None:
            return
        slide, axis, k = self._unmade
        self._unmade = None
        for other in list(self._phased.values())[:-PHASED_SLIDES]:
            other.phases.clear()  # no longer panning: its copies' memory goes
        while len(self._phased) > PHASED_SLIDES:
            self._phased.popitem(last=False)
        for made_axis, _ in list(slide.phases):
            if made_axis != axis:  # shown again with another pan: the other axis's copies go
                slide.phases.clear()
                break
        slide.phase(axis, k, self.phases)

    def _caption_items(self, caption: Caption, alpha: int) -> list[Paint]:
        items = []
        for surface, spot in self._overlay(caption):

            def paint(surface: pygame.Surface = surface, spot: tuple[int, int] = spot) -> None:
                surface.set_alpha(alpha)
                self.screen.blit(surface, spot)

            items.append(Paint((caption, alpha, spot), (*spot, *surface.get_size()), paint))
        return items

    def _live_items(self, live: LiveLayer, alpha: int) -> list[Paint]:
        """The live painting: a plain ground over the whole screen, and the step's picture on it."""
        assert self._live is not None  # _live_picture found one
        (_, step), picture, rect = self._live
        plain = self._plain

        def ground() -> None:
            plain.set_alpha(None if alpha >= 255 else alpha)
            self.screen.blit(plain, (0, 0))

        def painting() -> None:
            picture.set_alpha(None if alpha >= 255 else alpha)
            self.screen.blit(picture, rect[:2])

        # The ground's key leaves out the step: a new step at full strength redraws the picture's place only
        return [
            Paint(("live-ground", live.job_id, alpha), (0, 0, *self.size), ground),
            Paint(("live", live.job_id, step, alpha), rect, painting),
        ]

    def _position(self, job_id: str, alpha: int, x: float, y: float) -> tuple[int, int, tuple[int, int]]:
        """Where to copy the slide from: whole pixels, and (axis, k) for k/n of a pixel past them.

        The main axis is the one the slide first moved farther along; a fading layer stays on whole
        pixels (its blend already costs a blit) and so does an unmoving one.
        """
        pan = self._pans.get(job_id)
        if pan is None:
            pan = self._pans[job_id] = Pan((x, y))
            while len(self._pans) > CACHED_SLIDES:
                self._pans.popitem(last=False)
        if pan.axis is None and (x, y) != pan.start:
            pan.axis = 0 if abs(x - pan.start[0]) >= abs(y - pan.start[1]) else 1
        if alpha < 255 or pan.axis is None:
            return round(x), round(y), (0, 0)
        along = x if pan.axis == 0 else y
        whole = math.floor(along)
        k = round((along - whole) * self.phases)
        if k == self.phases:
            whole, k = whole + 1, 0
        if pan.axis == 0:
            return whole, round(y), (0, k)
        return round(x), whole, (1, k)

    def _live_picture(self, live: LiveLayer | None) -> pygame.Surface | None:
        """The live painting's step scaled to fit the screen, read once per step; the last good one meanwhile."""
        if live is None:
            return None
        key = (live.job_id, live.step)
        if self._live is None or self._live[0] != key:
            image = read_live_image(live)
            if image is not None:
                x, y, w, h = fit_rect(image.size, self.size)
                small = pygame.image.frombytes(image.tobytes(), image.size, "RGB")
                self._live = (key, pygame.transform.smoothscale(small, (w, h)).convert(), (x, y, w, h))
            elif self._live is not None and self._live[0][0] != live.job_id:
                self._live = None
        return self._live[1] if self._live is not None else None

    def _idle_screen(self, *, with_qr: bool) -> pygame.Surface:
        return self._idle[with_qr]

    def present(self) -> None:
        """Send what was drawn to the display: the changed rectangles, or the whole screen."""
        if self._dirty is None:
            pygame.display.flip()
        elif self._dirty:
            pygame.display.update(self._dirty)

    def _overlay(self, caption: Caption) -> list[tuple[pygame.Surface, tuple[int, int]]]:
        """The caption's surfaces, rendered once per caption."""
        if caption not in self._overlays:
            self._overlays[caption] = self.lettering.overlay(caption, self.size[1])
            while len(self._overlays) > CACHED_SLIDES:
                self._overlays.popitem(last=False)
        return self._overlays[caption]
