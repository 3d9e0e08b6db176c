"""What both drawing paths share: fitting a portrait to the screen, lettering, the QR code, the loader.

A portrait is read with Pillow once, fitted to the screen (contained, never stretched) over a
background made from itself (a blurred, darkened cover crop, or its mean colour) and kept ready
(a surface on the software path, ``installation.wall.software``; a texture on the GPU path,
``installation.wall.gpu``), so a frame is only a few copies: the slides with their alpha, their
captions, the QR code. With Ken Burns on, the prepared slide is a little larger than the screen and a
frame shows a window of it; a pan is an offset, not a rescale of the whole screen every frame.
``Preloader`` reads and scales the next slides in a thread.
"""

from __future__ import annotations

import io
import logging
import os
from collections import OrderedDict
from collections.abc import Callable, Hashable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, Literal, TypeVar

import pygame
import segno
from PIL import Image, ImageEnhance, ImageFilter, ImageOps, ImageStat

from installation.config import WallConfig
from installation.errors import DisplayError
from installation.jobs.store import WallArtwork
from installation.wall.show import Caption, Frame, Layer, LiveLayer

log = logging.getLogger(__name__)

FONT_PATH = Path(__file__).parent / "data" / "fonts" / "DejaVuSans.ttf"
CJK_LANGUAGES = {"zh"}
CJK_FONTS = "notosanscjksc,notosanscjk,notosanssc,sourcehansanssc,wenquanyimicrohei,wenquanyizenhei,droidsansfallback"
BACKGROUND_BRIGHTNESS = 0.5  # the fill around a portrait is darkened so the portrait stands out
BLUR_SHRINK = 24  # the blurred background is made at 1/24 of the screen: cheap, and soft when scaled up
IDLE_COLOUR = (16, 16, 20)
TEXT_COLOUR = (240, 240, 236)
PANEL_COLOUR = (0, 0, 0, 150)
CACHED_SLIDES = 6  # the slides of an overlapping fade plus the ones loaded ahead
# What Pillow raises for a missing, truncated, corrupt or absurdly large image file
UNREADABLE = (OSError, ValueError, SyntaxError, EOFError, Image.DecompressionBombError)

Size = tuple[int, int]


@dataclass(frozen=True)
class FittedSlide:
    """A portrait placed on a canvas of the screen's size."""

    surface: pygame.Surface  # exactly the canvas size, opaque
    rect: tuple[int, int, int, int]  # x, y, width, height of the portrait itself


def fit_rect(image_size: Size, box: Size) -> tuple[int, int, int, int]:
    """The largest rectangle of the image's aspect that fits in ``box``, centred."""
    (iw, ih), (bw, bh) = image_size, box
    if min(iw, ih, bw, bh) <= 0:
        raise ValueError(f"sizes must be positive but are {image_size} and {box}")
    scale = min(bw / iw, bh / ih)
    w, h = max(1, round(iw * scale)), max(1, round(ih * scale))
    return ((bw - w) // 2, (bh - h) // 2, w, h)


@dataclass(frozen=True)
class SlideParts:
    """What a slide is made of, before it is scaled to the screen (by smoothscale, or by the GPU)."""

    background: pygame.Surface | tuple[int, int, int]  # a small blurred, darkened crop, or a colour
    portrait: pygame.Surface  # the image at its own size
    rect: tuple[int, int, int, int]  # where the portrait goes on a canvas of ``box``


def slide_parts(image: Image.Image, box: Size, background: Literal["blur", "colour"]) -> SlideParts:
    """The background (made by Pillow at a fraction of the screen size) and the portrait's place."""
    rgb = image.convert("RGB")
    fill: pygame.Surface | tuple[int, int, int]
    if background == "blur":
        small_size = (max(1, box[0] // BLUR_SHRINK), max(1, box[1] // BLUR_SHRINK))
        small = ImageOps.fit(rgb, small_size, Image.Resampling.BILINEAR).filter(ImageFilter.GaussianBlur(2))
        fill = _surface(ImageEnhance.Brightness(small).enhance(BACKGROUND_BRIGHTNESS))
    else:
        r, g, b = (round(c * BACKGROUND_BRIGHTNESS) for c in ImageStat.Stat(rgb).mean[:3])
        fill = (r, g, b)
    return SlideParts(fill, _surface(rgb), fit_rect(rgb.size, box))


def fit_image(image: Image.Image, box: Size, background: Literal["blur", "colour"]) -> FittedSlide:
    """Contain ``image`` in ``box`` over a background made from the image; never stretched.

    The small work (cover crop, blur, dimming) is done by Pillow at a fraction of the screen size; the
    big scaling by pygame's smoothscale, which is several times faster than Pillow at screen sizes.
    """
    parts = slide_parts(image, box, background)
    # 1. The background: a blurred cover crop of the image, or its mean colour; darkened either way
    if isinstance(parts.background, pygame.Surface):
        canvas = pygame.transform.smoothscale(parts.background, box)
    else:
        canvas = pygame.Surface(box)
        canvas.fill(parts.background)
    # 2. The portrait itself, at its own aspect, centred
    x, y, w, h = parts.rect
    canvas.blit(pygame.transform.smoothscale(parts.portrait, (w, h)), (x, y))
    return FittedSlide(canvas, parts.rect)


def _surface(image: Image.Image) -> pygame.Surface:
    return pygame.image.frombytes(image.tobytes(), image.size, "RGB")


def load_image(path: Path, box: Size) -> Image.Image:
    """Read an image file fully (so a truncated file fails here, not mid-frame), upright."""
    with Image.open(path) as im:
        im.draft("RGB", box)  # JPEG: decode at a reduced size when that is still large enough
        upright = ImageOps.exif_transpose(im)
        upright.load()
        return upright.convert("RGB")


def qr_surface(url: str, size: int) -> pygame.Surface:
    """The kiosk URL as a QR code about ``size`` pixels wide, dark on white with a quiet zone."""
    qr = segno.make(url, error="m")
    modules = qr.symbol_size(border=2)[0]
    buffer = io.BytesIO()
    qr.save(buffer, kind="png", scale=max(1, size // modules), border=2, dark="black", light="white")
    buffer.seek(0)
    return pygame.image.load(buffer, "qr.png")


def open_screen(config: WallConfig, *, fullscreen: bool) -> pygame.Surface:
    """Open the wall's window, or go full screen on ``config.display``.

    The window's pixels go straight to the X server (``SDL_FRAMEBUFFER_ACCELERATION=0``): without it SDL
    copies each flip through an OpenGL texture, which costs a whole frame's CPU where OpenGL is Mesa's
    software rasteriser (Xvfb, a PC without a GPU driver).
    """
    count = pygame.display.get_num_displays()
    if config.display >= count:
        raise DisplayError(f"wall.display is {config.display} but only {count} display(s) are connected")
    os.environ.setdefault("SDL_FRAMEBUFFER_ACCELERATION", "0")
    flags = pygame.FULLSCREEN if fullscreen else 0
    size = (0, 0) if fullscreen else config.window_size  # (0, 0): the display's own resolution
    try:
        screen = pygame.display.set_mode(size, flags, display=config.display)
    except pygame.error as exc:
        raise DisplayError(f"cannot open display {config.display}: {exc}") from exc
    pygame.display.set_caption("social-portrait")
    pygame.mouse.set_visible(not fullscreen)
    return screen


Placed = tuple[Layer, int, float, float]  # a layer, its alpha 0..255, its pan offset in pixels


def placed_layers(frame: Frame, size: Size, slide_size: Size) -> list[Placed]:
    """Each layer's alpha and where the screen's window into its enlarged slide starts."""
    margin = (slide_size[0] - size[0], slide_size[1] - size[1])
    return [
        (layer, round(layer.alpha * 255), layer.pan[0] * margin[0], layer.pan[1] * margin[1]) for layer in frame.layers
    ]


def slide_size_for(config: WallConfig, size: Size) -> Size:
    zoom = config.ken_burns_zoom if config.ken_burns else 1.0
    return (round(size[0] * zoom), round(size[1] * zoom))


class Lettering:
    """Captions, labels and the idle screen as surfaces: the same words on either drawing path."""

    def __init__(self, config: WallConfig) -> None:
        self.config = config
        self._fonts: dict[int, pygame.font.Font] = {}
        self._font_path: str | Path = FONT_PATH
        if config.language in CJK_LANGUAGES:
            # The shipped DejaVu has no Chinese characters: take the system's, or say what is missing
            found = pygame.font.match_font(CJK_FONTS)
            if found:
                self._font_path = found
            else:
                log.warning(
                    "wall: no font with Chinese characters is installed, so wall.language = %r "
                    "shows boxes; install one (Debian: fonts-noto-cjk)",
                    config.language,
                )

    def overlay(self, caption: Caption, height: int) -> list[tuple[pygame.Surface, tuple[int, int]]]:
        """The caption panel (bottom left) and the channel label (top left)."""
        pad = height // 30
        parts: list[tuple[pygame.Surface, tuple[int, int]]] = []
        texts: list[tuple[str, int]] = []
        if caption.announce:
            texts.append((caption.announce, height // 14))
        texts += [(line, height // (22 if i == 0 else 32)) for i, line in enumerate(caption.lines)]
        if texts:
            panel = self.panel([self.text(t, s) for t, s in texts], pad // 2)
            parts.append((panel, (pad, height - panel.get_height() - pad)))
        if caption.channel:
            label = self.panel([self.text(caption.channel, height // 28)], pad // 2)
            parts.append((label, (pad, pad)))
        return parts

    def idle(self, size: Size, qr: pygame.Surface | None) -> pygame.Surface:
        """The calm screen before the first portrait: how to take part, and the QR code."""
        screen = pygame.Surface(size)
        screen.fill(IDLE_COLOUR)
        width, height = size
        lines = self.wrap(self.config.idle_text, height // 20, int(width * 0.7))
        blocks = [self.text(line, height // 20) for line in lines]
        total = sum(b.get_height() for b in blocks) + (qr.get_height() + height // 20 if qr else 0)
        y = (height - total) // 2
        for block in blocks:
            screen.blit(block, ((width - block.get_width()) // 2, y))
            y += block.get_height()
        if qr is not None:
            screen.blit(qr, ((width - qr.get_width()) // 2, y + height // 20))
        return screen

    def panel(self, blocks: list[pygame.Surface], pad: int) -> pygame.Surface:
        width = max(b.get_width() for b in blocks) + 2 * pad
        height = sum(b.get_height() for b in blocks) + 2 * pad
        panel = pygame.Surface((width, height), pygame.SRCALPHA)
        pygame.draw.rect(panel, PANEL_COLOUR, panel.get_rect(), border_radius=pad)
        y = pad
        for block in blocks:
            panel.blit(block, (pad, y))
            y += block.get_height()
        return panel

    def font(self, size: int) -> pygame.font.Font:
        if size not in self._fonts:
            self._fonts[size] = pygame.font.Font(self._font_path, max(8, size))
        return self._fonts[size]

    def text(self, text: str, size: int) -> pygame.Surface:
        return self.font(size).render(text, True, TEXT_COLOUR)

    def wrap(self, text: str, size: int, width: int) -> list[str]:
        font, lines, line = self.font(size), [], ""
        for piece in text.split():
            candidate = f"{line} {piece}".strip()
            if line and font.size(candidate)[0] > width:
                lines.append(line)
                candidate = piece
            # A run wider than the screen (Chinese has no spaces between words) breaks between characters
            while font.size(candidate)[0] > width and len(candidate) > 1:
                cut = next(i for i in range(len(candidate), 0, -1) if font.size(candidate[:i])[0] <= width or i == 1)
                lines.append(candidate[:cut])
                candidate = candidate[cut:]
            line = candidate
        return [*lines, line] if line else lines


def read_slide_image(artwork: WallArtwork, box: Size) -> Image.Image | None:
    """The artwork's image, or None (and a log line) when it cannot be read."""
    try:
        return load_image(artwork.image_path, box)
    except UNREADABLE as exc:
        log.warning("wall: skipping %s: cannot read %s (%s)", artwork.job_id, artwork.image_path, exc)
        return None


def live_look(live: LiveLayer | None) -> tuple[object, ...] | None:
    """What of the live painting decides whether a frame looks different."""
    return None if live is None else (live.job_id, live.step, round(live.alpha * 255), live.under)


def read_live_image(live: LiveLayer) -> Image.Image | None:
    """The live step's picture; None while it is being replaced or already gone (the next look finds it)."""
    try:
        return load_image(live.image_path, (64, 64))
    except UNREADABLE:
        return None


Made = TypeVar("Made")
Ready = TypeVar("Ready")


class Preloader(Generic[Made]):
    """Reads and scales the next slides in a thread, so a frame never waits for a file.

    Pillow's decoding and pygame's smoothscale let go of the interpreter lock, so a pan goes on while
    the next portrait is made; the drawing path then only converts or uploads the result.
    """

    def __init__(self, make: Callable[[WallArtwork], Made | None]) -> None:
        self._make = make
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="wall-loader")
        self._started: dict[Hashable, Future[Made | None]] = {}

    def start(self, key: Hashable, artwork: WallArtwork) -> bool:
        """Begin making ``artwork`` if it is not under way; True once it is made (``take`` is then quick)."""
        future = self._started.get(key)
        if future is None:
            self._started[key] = future = self._pool.submit(self._make, artwork)
        return future.done()

    def take(self, key: Hashable, artwork: WallArtwork) -> Made | None:
        """What was made for ``artwork`` (waiting for it if under way, making it now if never started)."""
        future = self._started.pop(key, None)
        return self._make(artwork) if future is None else future.result()

    def clear(self) -> None:
        """Forget what is under way (the screen changed size); it finishes and is thrown away."""
        self._started.clear()

    def close(self) -> None:
        self._started.clear()
        self._pool.shutdown(wait=False, cancel_futures=True)


class SlideCache(Generic[Made, Ready]):
    """The slides ready to draw (at most ``CACHED_SLIDES``, least recently used out first), the next ones
    made in the background by a ``Preloader``.

    ``make(artwork, size)`` runs in the loader's thread (read and scale, no display calls); ``ready(made)``
    on the drawing thread (convert to the screen's format, or upload as a texture).
    """

    def __init__(self, make: Callable[[WallArtwork, Size], Made | None], ready: Callable[[Made], Ready]) -> None:
        self._make = make
        self._ready = ready
        self._slides: OrderedDict[tuple[str, Path], Ready] = OrderedDict()
        self._loader: Preloader[Made] = Preloader(self._make_at_size)
        self.size: Size = (0, 0)

    def resize(self, size: Size) -> None:
        """A new slide size: everything made for the old one goes."""
        self.size = size
        self._slides.clear()
        self._loader.clear()

    def preload(self, artwork: WallArtwork) -> bool | None:
        """Start making ``artwork``'s slide in the background: True when ready, None while under way,
        False (and a log line) when its image cannot be read."""
        if (artwork.job_id, artwork.image_path) in self._slides:
            return True
        if not self._loader.start(self._load_key(artwork), artwork):
            return None
        return self.prepare(artwork)

    def prepare(self, artwork: WallArtwork) -> bool:
        """Have ``artwork`` ready to draw now; False (and a log line) when its image cannot be read."""
        key = (artwork.job_id, artwork.image_path)
        if key in self._slides:
            self._slides.move_to_end(key)
            return True
        made = self._loader.take(self._load_key(artwork), artwork)
        if made is None:
            return False
        self._slides[key] = self._ready(made)
        while len(self._slides) > CACHED_SLIDES:
            self._slides.popitem(last=False)
        return True

    def __getitem__(self, key: tuple[str, Path]) -> Ready:
        return self._slides[key]

    def close(self) -> None:
        self._loader.close()
        self._slides.clear()

    def _load_key(self, artwork: WallArtwork) -> tuple[str, Path, Size]:
        return (artwork.job_id, artwork.image_path, self.size)

    def _make_at_size(self, artwork: WallArtwork) -> Made | None:
        return self._make(artwork, self.size)  # the size is read once, before any work
