"""The GPU path: SDL's renderer (``pygame._sdl2.video``) scales, blends and pans the slides.

A slide is put together once on the GPU: its small blurred background and the portrait at its own size
are uploaded as textures and drawn, scaled, into a render-target texture of the enlarged slide's size.
A frame is then a few texture copies with an alpha each (the crossfade), at a position of 1/8 pixel
(``Renderer.scale``: the copy's rectangle is given in eighths, so the pan glides instead of stepping
a whole pixel), the captions and the QR code on top, and ``present`` with vsync where the display has it.

``probe_gpu`` opens the window with an accelerated renderer and names the OpenGL implementation behind
it, so ``auto`` can tell a real GPU from Mesa's software rasteriser (llvmpipe under Xvfb).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import os
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import pygame

from installation.config import WallConfig
from installation.errors import DisplayError
from installation.jobs.store import WallArtwork
from installation.wall.draw import (
    CACHED_SLIDES,
    IDLE_COLOUR,
    Lettering,
    Size,
    SlideCache,
    SlideParts,
    fit_rect,
    live_look,
    placed_layers,
    qr_surface,
    read_live_image,
    read_slide_image,
    slide_parts,
    slide_size_for,
)
from installation.wall.show import Caption, Frame, LiveLayer, word

log = logging.getLogger(__name__)

SUBPIXEL = 8  # positions in eighths of a pixel
BLEND = 1  # SDL_BLENDMODE_BLEND
WINDOWPOS_CENTERED_DISPLAY = 0x2FFF0000
SOFTWARE_GL = ("llvmpipe", "softpipe", "swrast", "software rasterizer")

__all__ = ["GpuProbe", "GpuViewer", "probe_gpu"]


@dataclass(frozen=True)
class GpuProbe:
    """What an attempt to open the GPU path found."""

    viewer: GpuViewer | None  # None: no accelerated renderer here
    description: str  # e.g. "OpenGL: llvmpipe (LLVM 15.0.6, 256 bits)", or why it failed
    hardware: bool  # False where OpenGL is a software rasteriser


def probe_gpu(config: WallConfig, *, fullscreen: bool) -> GpuProbe:
    """Open the wall's window with an accelerated SDL renderer (vsync on), or say why it cannot be."""
    from pygame._sdl2 import video
    from pygame._sdl2.sdl2 import error as sdl_error

    count = pygame.display.get_num_displays()
    if config.display >= count:
        raise DisplayError(f"wall.display is {config.display} but only {count} display(s) are connected")
    os.environ.setdefault("SDL_RENDER_SCALE_QUALITY", "1")  # linear filtering: smooth scaling and sub-pixel pans
    position = (WINDOWPOS_CENTERED_DISPLAY | config.display,) * 2
    try:
        window = video.Window(
            "social-portrait", size=config.window_size, position=position, fullscreen_desktop=fullscreen
        )
    except (pygame.error, sdl_error) as exc:
        raise DisplayError(f"cannot open display {config.display}: {exc}") from exc
    try:
        renderer = video.Renderer(window, accelerated=1, vsync=True)
    except (pygame.error, sdl_error) as exc:
        window.destroy()
        return GpuProbe(None, f"no accelerated SDL renderer ({exc})", False)
    gl = _gl_renderer()
    pygame.mouse.set_visible(not fullscreen)
    hardware = gl is None or not any(word in gl.lower() for word in SOFTWARE_GL)
    description = f"OpenGL: {gl}" if gl else "an accelerated SDL renderer"
    return GpuProbe(GpuViewer(window, renderer, config), description, hardware)


def _gl_renderer() -> str | None:
    """``GL_RENDERER`` of the context SDL's renderer made current, or None where there is no OpenGL."""
    name = ctypes.util.find_library("GL")
    if name is None:
        return None
    try:
        gl = ctypes.CDLL(name)
        gl.glGetString.restype = ctypes.c_char_p
        gl.glGetString.argtypes = [ctypes.c_uint]
        text = gl.glGetString(0x1F01)  # GL_RENDERER
    except (OSError, AttributeError):
        return None
    return text.decode("utf-8", "replace") if isinstance(text, bytes) else None


class GpuViewer:
    """Draws frames with SDL's renderer; keeps the slides of the portraits in play as textures."""

    name = "gpu"
    paced = True  # the renderer is opened with vsync

    def __init__(self, window: Any, renderer: Any, config: WallConfig) -> None:
        self.window = window
        self.renderer = renderer
        self.config = config
        self.lettering = Lettering(config)
        self._slides: SlideCache[SlideParts, Any] = SlideCache(self._parts, self._upload)
        self._overlays: OrderedDict[Caption, list[tuple[Any, tuple[int, int]]]] = OrderedDict()
        self._resize()

    def _resize(self) -> None:
        self.size: Size = tuple(self.renderer.get_viewport().size)
        self.slide_size: Size = slide_size_for(self.config, self.size)
        self._slides.resize(self.slide_size)
        self._overlays.clear()
        self._idle: Any = None
        self._live: tuple[tuple[str, int], Any] | None = None
        self._last: object = None
        url = self.config.kiosk_url if self.config.show_qr else None
        self._qr = self._texture(qr_surface(url, self.size[1] // 6)) if url else None
        self._idle_qr = qr_surface(url, self.size[1] // 3) if url else None

    def set_fullscreen(self, fullscreen: bool) -> None:
        if fullscreen:
            self.window.set_fullscreen(desktop=True)
        else:
            self.window.set_windowed()
            self.window.size = self.config.window_size
        pygame.mouse.set_visible(not fullscreen)
        self.renderer.set_viewport(None)
        self._resize()

    def invalidate(self) -> None:
        self._last = None

    def close(self) -> None:
        """Let the window go (``auto`` chose the software path instead, or the wall stops)."""
        self._slides.close()
        self._overlays.clear()
        self._qr = self._idle = self._live = None
        del self.renderer
        self.window.destroy()

    # --- preparing slides ----------------------------------------------------------------------------

    def preload(self, artwork: WallArtwork) -> bool | None:
        """Start reading ``artwork`` in the background (``SlideCache.preload``)."""
        return self._slides.preload(artwork)

    def prepare(self, artwork: WallArtwork) -> bool:
        """Have ``artwork`` ready as a texture; False (and a log line) when its image cannot be read."""
        return self._slides.prepare(artwork)

    def _parts(self, artwork: WallArtwork, size: Size) -> SlideParts | None:
        """Read in the loader's thread; the GPU does the scaling when the texture is made."""
        image = read_slide_image(artwork, size)
        return None if image is None else slide_parts(image, size, self.config.background)

    def _upload(self, parts: SlideParts) -> Any:
        return self._compose(parts, self.slide_size)

    def _compose(self, parts: SlideParts, size: Size) -> Any:
        """The slide drawn once, scaled by the GPU, into a texture of ``size``."""
        from pygame._sdl2 import video

        slide = video.Texture(self.renderer, size, target=True)
        renderer = self.renderer
        renderer.target = slide
        if isinstance(parts.background, pygame.Surface):
            renderer.draw_color = (0, 0, 0, 255)
            renderer.clear()
            self._texture(parts.background).draw(dstrect=(0, 0, *size))
        else:
            renderer.draw_color = (*parts.background, 255)
            renderer.clear()
        self._texture(parts.portrait).draw(dstrect=parts.rect)
        renderer.target = None
        slide.blend_mode = BLEND
        return slide

    def _live_texture(self, live: LiveLayer | None) -> Any:
        """The live painting's step as a texture of the screen's size; the last good one meanwhile."""
        if live is None:
            return None
        key = (live.job_id, live.step)
        if self._live is None or self._live[0] != key:
            image = read_live_image(live)
            if image is not None:
                # On the same plain ground as the software path's (the idle screen's colour)
                parts = SlideParts(IDLE_COLOUR, pygame.image.frombytes(image.tobytes(), image.size, "RGB"),
                                   fit_rect(image.size, self.size))  # fmt: skip
                self._live = (key, self._compose(parts, self.size))
            elif self._live is not None and self._live[0][0] != live.job_id:
                self._live = None
        return self._live[1] if self._live is not None else None

    # --- drawing -------------------------------------------------------------------------------------

    def draw(self, frame: Frame) -> bool:
        """Draw ``frame`` unless it would look exactly like the last one; True if there is a new frame."""
        placed = [(layer, alpha, round(x * SUBPIXEL), round(y * SUBPIXEL)) for layer, alpha, x, y in
                  placed_layers(frame, self.size, self.slide_size)]  # fmt: skip
        live, live_texture = frame.live, self._live_texture(frame.live)
        look = (
            tuple((p[0].artwork.job_id, p[0].artwork.image_path, p[0].caption, *p[1:]) for p in placed),
            frame.paused,
            live_look(live) if live_texture is not None else None,
        )
        if look == self._last:
            return False
        self._last = look
        renderer = self.renderer
        renderer.draw_color = (0, 0, 0, 255)
        renderer.clear()
        under = live is not None and live_texture is not None and live.under
        if not placed and not under:  # the idle screen, with the live painting over it if there is one
            if self._idle is None:
                self._idle = self._texture(self.lettering.idle(self.size, self._idle_qr))
            self._idle.draw()
            if live_texture is None:
                return True
        if under:
            live_texture.alpha = 255
            live_texture.draw()
        w, h = self.slide_size
        for layer, alpha, x, y in placed:
            slide = self._slides[(layer.artwork.job_id, layer.artwork.image_path)]
            slide.alpha = alpha
            renderer.scale = (1 / SUBPIXEL, 1 / SUBPIXEL)
            slide.draw(dstrect=(-x, -y, w * SUBPIXEL, h * SUBPIXEL))
            renderer.scale = (1, 1)
            self._draw_overlay(layer.caption, alpha)
        if live is not None and live_texture is not None and not under:
            live_texture.alpha = round(live.alpha * 255)
            live_texture.draw()
            self._draw_overlay(live.caption, round(live.alpha * 255))
        if self._qr is not None:
            side = self._qr.width
            pad = self.size[1] // 30
            self._qr.draw(dstrect=(self.size[0] - side - pad, self.size[1] - side - pad))
        if frame.paused:
            label = self._texture(self.lettering.text(word(self.config, "paused"), self.size[1] // 40))
            label.draw(dstrect=(self.size[0] - label.width - self.size[1] // 30, self.size[1] // 30))
        return True

    def _draw_overlay(self, caption: Caption, alpha: int) -> None:
        for texture, position in self._overlay(caption):
            texture.alpha = alpha
            texture.draw(dstrect=position)

    def present(self) -> None:
        self.renderer.present()

    def _overlay(self, caption: Caption) -> list[tuple[Any, tuple[int, int]]]:
        if caption not in self._overlays:
            self._overlays[caption] = [(self._texture(s), p) for s, p in self.lettering.overlay(caption, self.size[1])]
            while len(self._overlays) > CACHED_SLIDES:
                self._overlays.popitem(last=False)
        return self._overlays[caption]

    def _texture(self, surface: pygame.Surface) -> Any:
        from pygame._sdl2 import video

        texture = video.Texture.from_surface(self.renderer, surface)
        texture.blend_mode = BLEND
        return texture
