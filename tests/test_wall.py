"""The wall: the controller's timing and order without a screen, the viewer and loop on SDL's dummy driver."""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

import pytest
from PIL import Image

from installation.compose.prompt import Prompt
from installation.config import StreamConfig, WallConfig, parse_config
from installation.errors import ConfigError, StoreError
from installation.jobs.store import WallArtwork
from installation.render.artwork import Artwork
from installation.wall.draw import fit_image, fit_rect
from installation.wall.loop import FeedWatcher, run_wall
from installation.wall.show import Action, Frame, Slideshow, caption_lines

RED, BLUE, GREEN = (220, 20, 30), (20, 40, 220), (20, 200, 40)


def art(
    seq: int,
    path: Path = Path("none.png"),
    *,
    themes: tuple[str, ...] = (),
    style: str = "oil-portrait",
    caption: str = "",
) -> WallArtwork:
    prompt = Prompt("a portrait", "", style, seed=seq, width=64, height=64, steps=1, guidance=0)
    artwork = Artwork(path, path.with_suffix(".json"), prompt, "fake", "fake", "none", {}, False, False)
    return WallArtwork(
        job_id=f"j{seq}",
        seq=seq,
        artwork=artwork,
        caption=caption,
        keywords=("sea", "light", "dogs", "tea"),
        themes=themes,
        finished_at=datetime(2026, 1, 1, tzinfo=UTC),
    )


def edge_art(size: tuple[int, int], folder: Path) -> WallArtwork:
    """A slide of ``size``, black with white from the middle column on: a pan's sub-pixel steps show as grey."""
    edge = Image.new("RGB", size, (0, 0, 0))
    edge.paste((255, 255, 255), (size[0] // 2, 0, size[0], size[1]))
    edge.save(folder / "edge.png")
    return art(1, folder / "edge.png")


def config(**overrides: object) -> WallConfig:
    values: dict[str, object] = {"slide_seconds": 10, "fade_seconds": 2, "arrival_seconds": 5, "ken_burns": False}
    return WallConfig.model_validate({**values, **overrides})


def top(frame: Frame) -> str:
    return frame.layers[-1].artwork.job_id


def shown(frame: Frame) -> list[str]:
    return [layer.artwork.job_id for layer in frame.layers]


class ListFeed:
    """A fast feed: a list that tests change; ``fail`` makes it behave like a locked store."""

    def __init__(self, artworks: list[WallArtwork]) -> None:
        self.artworks = artworks
        self.fail = False
        self.calls = 0

    def wall_artworks(self) -> list[WallArtwork]:
        self.calls += 1
        if self.fail:
            raise StoreError("jobs.sqlite3: database is locked")
        return list(self.artworks)


@pytest.fixture
def dummy_display(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SDL_VIDEODRIVER", "dummy")
    monkeypatch.setenv("SDL_AUDIODRIVER", "dummy")


def close(pixel: Iterable[int], colour: tuple[int, int, int], tolerance: int = 4) -> bool:
    """Equal give or take a scaling filter's rounding."""
    return all(abs(a - b) <= tolerance for a, b in zip(tuple(pixel)[:3], colour, strict=True))


def solid(path: Path, size: tuple[int, int], colour: tuple[int, int, int]) -> Path:
    Image.new("RGB", size, colour).save(path)
    return path


# --- time ---------------------------------------------------------------------------------------------


def test_fade_alpha_follows_elapsed_time_even_across_a_long_frame_gap() -> None:
    show = Slideshow(config())
    show.update([art(1), art(2)], 0.0)
    first = show.frame(0.0)
    assert shown(first) == ["j2"] and first.layers[0].alpha == 0.0 and first.moving
    assert show.frame(0.5).layers[-1].alpha == pytest.approx(0.25)
    steady = show.frame(2.0)
    assert steady.layers[-1].alpha == 1.0 and not steady.moving and steady.wake_at == pytest.approx(10.0)
    # No frame between 2.0 and 11.5: the crossfade began when it was due (10.0), not when drawn
    late = show.frame(11.5)
    assert shown(late) == ["j2", "j1"]
    assert [layer.alpha for layer in late.layers] == [1.0, pytest.approx(0.75)]
    # A stall of far more than a slide does not race through the rotation: one step, fade done
    stalled = show.frame(50.0)
    assert shown(stalled) == ["j2"] and stalled.layers[0].alpha == 1.0
    assert stalled.wake_at == pytest.approx(58.0)


def test_fade_seconds_zero_cuts() -> None:
    show = Slideshow(config(fade_seconds=0))
    show.update([art(1), art(2)], 0.0)
    assert [layer.alpha for layer in show.frame(0.0).layers] == [1.0]
    assert [layer.alpha for layer in show.frame(10.0).layers] == [1.0] and top(show.frame(10.0)) == "j1"


def test_ken_burns_pans_slowly_and_stops_at_the_end() -> None:
    show = Slideshow(config(ken_burns=True))
    show.update([art(1)], 0.0)
    start, middle = show.frame(0.0).layers[0].pan, show.frame(6.0).layers[0].pan
    assert start != middle and all(0.0 <= v <= 1.0 for v in (*start, *middle))
    assert show.frame(6.0).moving
    settled = show.frame(12.5)  # past slide + fade: a single portrait stays up, still
    assert not settled.moving and settled.layers[0].pan == show.frame(13.0).layers[0].pan


# --- order --------------------------------------------------------------------------------------------


def test_arrivals_jump_the_queue_in_order_then_the_rotation_resumes() -> None:
    show = Slideshow(config())
    collection = [art(1), art(2), art(3)]
    show.update(collection, 0.0)
    assert top(show.frame(0.0)) == "j3" and show.frame(3.0).layers[-1].caption.announce is None
    show.update([*collection, art(4), art(5)], 3.0)  # two portraits finished at once
    arrival = show.frame(3.0)
    assert top(arrival) == "j4", "an arrival cuts in at once, not when the slide is due"
    assert arrival.layers[-1].caption.announce == "Just painted"
    assert top(show.frame(7.9)) == "j4"
    assert top(show.frame(8.1)) == "j5" and show.frame(8.1).layers[-1].caption.announce == "Just painted"
    order = [top(show.frame(t)) for t in (13.1, 23.1, 33.1, 43.1, 53.1, 63.1)]
    # The rotation goes on after j3; the two arrivals already had their turn this round
    assert order == ["j1", "j2", "j3", "j4", "j5", "j1"]
    assert all(show.frame(t).layers[-1].caption.announce is None for t in (13.1, 43.1))


def test_the_first_read_is_the_collection_not_a_crowd_of_arrivals() -> None:
    show = Slideshow(config())
    show.update([art(1), art(2)], 0.0)
    assert show.frame(0.0).layers[-1].caption.announce is None
    assert top(show.frame(10.0)) == "j1"


def test_hidden_artworks_leave_the_screen_and_the_queue_at_once() -> None:
    show = Slideshow(config())
    show.update([art(1), art(2), art(3)], 0.0)
    assert top(show.frame(5.0)) == "j3"
    show.update([art(1), art(2)], 5.5)  # j3 hidden by a curator while on screen
    now = show.frame(5.5)
    assert "j3" not in shown(now) and top(now) == "j1"
    show.update([art(1), art(2), art(4), art(5)], 6.0)
    show.update([art(1), art(2), art(4)], 6.5)  # j5 held before its turn came
    seen = {jid for t in range(6, 200) for jid in shown(show.frame(t + 0.5))}
    assert seen == {"j1", "j2", "j4"}


def test_unreadable_artworks_are_dropped_and_never_come_back() -> None:
    show = Slideshow(config())
    show.update([art(1), art(2), art(3)], 0.0)
    assert top(show.frame(0.0)) == "j3"
    show.drop("j3", 0.1)
    assert "j3" not in shown(show.frame(0.1))
    show.update([art(1), art(2), art(3)], 1.0)  # still listed by the store: not an arrival either
    seen = {jid for t in range(1, 100) for jid in shown(show.frame(float(t)))}
    assert seen == {"j1", "j2"}


def test_nothing_to_show_is_an_idle_frame_that_sleeps() -> None:
    show = Slideshow(config())
    show.update([], 0.0)
    frame = show.frame(0.0)
    assert frame.idle and not frame.moving and frame.wake_at == math.inf
    show.update([art(1)], 1.0)  # the very first portrait arrives
    first = show.frame(1.0)
    assert top(first) == "j1" and first.layers[0].caption.announce == "Just painted"


def test_pause_holds_and_the_arrows_step() -> None:
    show = Slideshow(config())
    show.update([art(1), art(2), art(3)], 0.0)
    show.frame(0.0)
    show.press(Action.PAUSE, 1.0)
    held = show.frame(100.0)
    assert top(held) == "j3" and held.paused and held.wake_at == math.inf
    show.press(Action.NEXT, 100.0)
    assert top(show.frame(100.0)) == "j1"
    show.press(Action.PREVIOUS, 101.0)
    assert top(show.frame(101.0)) == "j3"
    show.press(Action.PREVIOUS, 102.0)
    assert top(show.frame(102.0)) == "j2"
    show.press(Action.PAUSE, 103.0)
    assert show.frame(103.0).wake_at == pytest.approx(113.0)


def test_previous_from_an_arrival_goes_back_to_the_rotations_slide() -> None:
    show = Slideshow(config())
    show.update([art(1), art(2), art(3)], 0.0)
    assert top(show.frame(0.0)) == "j3"
    show.update([art(1), art(2), art(3), art(4)], 1.0)
    assert top(show.frame(1.0)) == "j4"
    show.press(Action.PREVIOUS, 2.0)
    back = show.frame(2.0)
    assert top(back) == "j3" and back.layers[-1].caption.announce is None


def test_streams_take_turns_with_their_names() -> None:
    streams = (
        StreamConfig(name="Nature", themes=("nature",)),
        StreamConfig(name="Nobody", themes=("astrology",)),  # holds nothing: passed over
        StreamConfig(name="In oil", styles=("oil-portrait",)),
    )
    show = Slideshow(config(streams=streams, stream_slides=2))
    nature = [art(i, themes=("nature", "travel"), style="watercolour") for i in (1, 2, 3)]
    oil = [art(i, style="oil-portrait") for i in (4, 5)]
    show.update([*nature, *oil], 0.0)
    slides = [show.frame(10.0 * i + 3).layers[-1] for i in range(8)]
    channels = [s.caption.channel for s in slides]
    assert channels == ["Nature", "Nature", "In oil", "In oil"] * 2
    # Each channel resumes where it left off, and shows only its own
    assert [s.artwork.job_id for s in slides] == ["j3", "j1", "j5", "j4", "j2", "j3", "j5", "j4"]


def test_caption_has_nickname_a_few_keywords_and_the_style() -> None:
    lines = caption_lines(art(1, caption=" Ada\x00 ", style="oil-portrait"))
    assert lines == ("Ada", "sea · light · dogs", "oil portrait")
    assert caption_lines(art(2, caption="")) == ("sea · light · dogs", "oil portrait")


# --- feed ---------------------------------------------------------------------------------------------


def test_feed_is_polled_at_most_once_per_interval_and_outages_are_ridden_out(
    caplog: pytest.LogCaptureFixture,
) -> None:
    feed = ListFeed([art(1)])
    watcher = FeedWatcher(feed, 1.0)
    assert watcher.poll(0.0) == [art(1)]
    assert watcher.poll(0.5) is None and feed.calls == 1
    feed.fail = True
    with caplog.at_level(logging.WARNING):
        assert watcher.poll(1.0) is None and watcher.poll(2.0) is None
    assert feed.calls == 3
    assert len([r for r in caplog.records if "unavailable" in r.getMessage()]) == 1
    feed.fail = False
    assert watcher.poll(3.0) == [art(1)]


# --- fitting ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("image", "box", "expected"),
    [((100, 300), (1920, 1080), (780, 0, 360, 1080)), ((3000, 1000), (1920, 1080), (0, 220, 1920, 640))],
)
def test_fit_rect_contains_at_the_images_own_aspect(
    image: tuple[int, int], box: tuple[int, int], expected: tuple[int, int, int, int]
) -> None:
    rect = fit_rect(image, box)
    assert rect == expected
    assert rect[2] / rect[3] == pytest.approx(image[0] / image[1], rel=0.01)


@pytest.mark.parametrize("background", ["blur", "colour"])
def test_letterboxing_keeps_the_aspect_and_fills_from_the_image(background: Literal["blur", "colour"]) -> None:
    # Top half red, bottom half blue: a stretch or a crop would move the boundary
    image = Image.new("RGB", (200, 400), RED)
    image.paste(BLUE, (0, 200, 200, 400))
    fitted = fit_image(image, (640, 360), background)
    x, y, w, h = fitted.rect
    assert (w, h) == (180, 360) and fitted.surface.get_size() == (640, 360)
    assert close(fitted.surface.get_at((x + w // 2, y + h // 4)), RED)
    assert close(fitted.surface.get_at((x + w // 2, y + 3 * h // 4)), BLUE)
    assert close(fitted.surface.get_at((x + w // 2, y + h // 2 - 3)), RED), "the boundary stays in the middle"
    side = tuple(fitted.surface.get_at((40, h // 2)))[:3]
    assert not any(close(side, c) for c in (RED, BLUE, (0, 0, 0)))
    assert max(side) < max(RED), "the background is darkened so the portrait stands out"


# --- viewer and loop, on SDL's dummy driver --------------------------------------------------------


def test_viewer_draws_layers_blended_and_skips_unreadable_files(dummy_display: None, tmp_path: Path) -> None:
    import pygame

    from installation.wall.draw import open_screen
    from installation.wall.software import WallViewer

    pygame.display.init()
    pygame.font.init()
    try:
        cfg = config(window_size=(320, 180), kiosk_url="http://kiosk.example/")
        viewer = WallViewer(open_screen(cfg, fullscreen=False), cfg)
        red = art(1, solid(tmp_path / "red.png", (90, 90), RED))
        blue = art(2, solid(tmp_path / "blue.png", (90, 90), BLUE))
        truncated = tmp_path / "truncated.png"
        truncated.write_bytes(solid(tmp_path / "t.png", (90, 90), RED).read_bytes()[:60])
        (tmp_path / "noise.png").write_bytes(b"not an image at all" * 20)
        assert viewer.prepare(red) and viewer.prepare(blue)
        for path in (truncated, tmp_path / "noise.png", tmp_path / "missing.png"):
            assert not viewer.prepare(art(9, path))

        show = Slideshow(cfg)
        show.update([red, blue], 0.0)
        show.frame(0.0)
        assert viewer.draw(show.frame(2.0))  # blue, the newest, faded in
        assert close(viewer.screen.get_at((160, 90)), BLUE)
        assert not viewer.draw(show.frame(3.0)), "an unchanged frame is not drawn again"
        assert viewer.draw(show.frame(11.0))  # halfway from blue to red
        mixed = viewer.screen.get_at((160, 90))[:3]
        assert all(abs(c - (r + b) / 2) <= 3 for c, r, b in zip(mixed, RED, BLUE, strict=True))

        idle = Slideshow(cfg)
        idle.update([], 0.0)
        assert viewer.draw(idle.frame(0.0))
        colours = {tuple(viewer.screen.get_at((x, y))[:3]) for x in range(0, 320, 4) for y in range(0, 180, 4)}
        assert len(colours) > 2, "the idle screen shows words and the QR code"
    finally:
        pygame.quit()


def test_run_wall_keeps_going_past_corrupt_and_missing_files(
    dummy_display: None, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / "corrupt.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 50)
    feed = ListFeed(
        [
            art(1, solid(tmp_path / "ok.png", (60, 80), GREEN)),
            art(2, tmp_path / "corrupt.png"),
            art(3, tmp_path / "gone.png"),
        ]
    )
    cfg = config(window_size=(160, 90), slide_seconds=0.3, fade_seconds=0.1, arrival_seconds=0.3)
    with caplog.at_level(logging.WARNING):
        run_wall(feed, cfg, windowed=True, max_seconds=1.0)
    skipped = {r.getMessage().split(":")[1].split()[-1] for r in caplog.records if "skipping" in r.getMessage()}
    assert skipped == {"j2", "j3"}
    assert feed.calls >= 1


def test_keys_toggle_full_screen_and_quit(dummy_display: None, tmp_path: Path) -> None:
    import pygame

    class KeyFeed(ListFeed):
        """Presses f on the first poll, notes the screen size and presses Esc on the second."""

        def __init__(self, artworks: list[WallArtwork]) -> None:
            super().__init__(artworks)
            self.sizes: list[tuple[int, int]] = []

        def wall_artworks(self) -> list[WallArtwork]:
            key = pygame.K_f if self.calls == 0 else pygame.K_ESCAPE
            if self.calls == 1:
                self.sizes.append(pygame.display.get_surface().get_size())
            pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=key))
            return super().wall_artworks()

    feed = KeyFeed([art(1, solid(tmp_path / "ok.png", (60, 80), GREEN))])
    cfg = config(window_size=(160, 90), poll_seconds=0.1)
    started = time.monotonic()
    run_wall(feed, cfg, windowed=True, max_seconds=20)
    assert time.monotonic() - started < 10, "Esc quits"
    assert feed.calls == 2 and feed.sizes and feed.sizes[0] != (160, 90), "f went full screen"


def test_cli_wall_opens_an_empty_store_and_stops(dummy_display: None, tmp_path: Path) -> None:
    from installation.cli import main

    assert main(["wall", "--windowed", "--store", str(tmp_path / "jobs.sqlite3"), "--seconds", "0.3"]) == 0


# --- config -------------------------------------------------------------------------------------------


def test_wall_config_reads_streams_and_names_a_fade_longer_than_a_slide() -> None:
    cfg = parse_config(
        {"wall": {"streams": [{"name": "Nature", "themes": ["nature"]}, {"name": "All"}], "stream_slides": 3}},
        Path("config.toml"),
    ).wall
    assert [s.name for s in cfg.streams] == ["Nature", "All"] and cfg.streams[0].themes == ("nature",)
    with pytest.raises(ConfigError, match=r"config.toml: wall: .*slide_seconds \(1.0\) must be longer"):
        parse_config({"wall": {"slide_seconds": 1, "fade_seconds": 2}}, Path("config.toml"))
    with pytest.raises(ConfigError, match=r"wall.streams.0.colour: unknown key"):
        parse_config({"wall": {"streams": [{"name": "x", "colour": "red"}]}}, Path("config.toml"))


def test_qr_url_defaults_to_the_kiosks_public_url() -> None:
    from installation.wall.loop import wall_config

    kiosk = {"kiosk": {"public_url": "http://10.0.0.5:8000/"}}
    assert wall_config(parse_config(kiosk, Path("c.toml"))).kiosk_url == "http://10.0.0.5:8000/"
    own = parse_config({**kiosk, "wall": {"kiosk_url": "http://wall.example/"}}, Path("c.toml"))
    assert wall_config(own).kiosk_url == "http://wall.example/"
    assert wall_config(parse_config({}, Path("c.toml"))).kiosk_url is not None, "a QR code without public_url"


def test_qr_url_without_public_url_is_the_lan_address_and_the_kiosks_port(monkeypatch: pytest.MonkeyPatch) -> None:
    import installation.address
    from installation.wall import loop

    monkeypatch.setattr(installation.address, "lan_address", lambda: "192.168.1.23")
    own_port = parse_config({"kiosk": {"port": 8123}}, Path("c.toml"))
    assert loop.wall_config(own_port).kiosk_url == "http://192.168.1.23:8123/", "loopback is not for phones"
    every = parse_config({"kiosk": {"host": "0.0.0.0"}}, Path("c.toml"))
    assert loop.wall_config(every).kiosk_url == "http://192.168.1.23:8000/"
    named = parse_config({"kiosk": {"host": "10.1.2.3", "port": 80}}, Path("c.toml"))
    assert loop.wall_config(named).kiosk_url == "http://10.1.2.3:80/", "the address the kiosk serves on"


def test_lan_address_is_an_ipv4_address() -> None:
    import ipaddress

    from installation.address import lan_address

    assert ipaddress.ip_address(lan_address()).version == 4


def test_captions_show_the_curators_style_label_never_the_key() -> None:
    from installation.wall.loop import wall_config

    styles = {
        "styles": {
            "klimt": {"template": "{prompt}", "label": "After Klimt"},
            "sixties-photo": {"template": "{prompt}"},
        },
        "compose": {"default_style": "klimt"},
    }
    cfg = wall_config(parse_config(styles, Path("c.toml")))
    assert cfg.style_labels == {"klimt": "After Klimt"}
    assert caption_lines(art(1, style="klimt"), labels=cfg.style_labels)[-1] == "After Klimt"
    assert caption_lines(art(2, style="sixties-photo"), labels=cfg.style_labels)[-1] == "sixties photo"
    show = Slideshow(cfg.model_copy(update={"ken_burns": False}))
    show.update([art(3, style="klimt")], 0.0)
    lines = show.frame(0.1).layers[-1].caption.lines
    assert "After Klimt" in lines and "klimt" not in lines


def test_a_software_pan_moves_in_fractions_of_a_pixel(dummy_display: None, tmp_path: Path) -> None:
    import pygame

    from installation.wall.draw import open_screen
    from installation.wall.show import Caption, Layer
    from installation.wall.software import WallViewer

    pygame.display.init()
    pygame.font.init()  # the viewer letters its idle screens when it opens
    try:
        cfg = config(window_size=(320, 180), ken_burns=True, ken_burns_zoom=1.5, show_qr=False)
        viewer = WallViewer(open_screen(cfg, fullscreen=False), cfg)
        assert viewer.slide_size == (480, 270)
        artwork = edge_art(viewer.slide_size, tmp_path)  # black, white from column 240 on
        assert viewer.prepare(artwork)
        margin = (viewer.slide_size[0] - 320, viewer.slide_size[1] - 180)

        def grey_at(x: float, column: int) -> int:
            layer = Layer(artwork, 1.0, (x / margin[0], 45 / margin[1]), Caption(()))
            viewer.invalidate()  # the same position asked twice draws again
            assert viewer.draw(Frame(layers=(layer,), paused=False, moving=True, wake_at=math.inf))
            return int(viewer.screen.get_at((column, 90))[0])

        assert grey_at(40.0, 199) < 10 and grey_at(40.0, 200) > 245, "a sharp edge at a whole pixel"
        assert 100 < grey_at(40.5, 199) < 156, "half a pixel on: the edge column is half grey"
        assert 20 < grey_at(40.25, 199) < 100 and grey_at(40.25, 200) > 245, "a quarter pixel: a quarter grey"
        assert grey_at(41.0, 199) > 245 and grey_at(41.0, 198) < 10, "a whole pixel on: sharp again"
    finally:
        pygame.quit()


def test_the_wall_speaks_its_configured_language_and_keeps_a_curators_own_text() -> None:
    from installation.i18n import translator
    from installation.wall.loop import wall_config

    german = wall_config(parse_config({"wall": {"language": "de"}}, Path("c.toml")))
    say = translator("de")
    assert german.idle_text == say(WallConfig().idle_text) != WallConfig().idle_text
    assert german.arrival_text == say("Just painted") != "Just painted"
    assert german.words["being_painted"] == say("Being painted") != "Being painted"
    own = wall_config(parse_config({"wall": {"language": "ru", "idle_text": "Bring your export"}}, Path("c.toml")))
    assert own.idle_text == "Bring your export"  # a curator's own words are shown as written
    assert own.words["paused"] == translator("ru")("paused") != "paused"

    # The live painting's caption comes in the wall's language
    from installation.wall.show import word

    assert word(german, "step_of").format(step=2, total=8) == say("step {step} of {total}").format(step=2, total=8)
    assert word(WallConfig(), "paused") == "paused"  # unfilled words fall back to English


def test_an_unknown_wall_language_stops_with_the_key_named() -> None:
    with pytest.raises(ConfigError, match=r"wall\.language"):
        parse_config({"wall": {"language": "tlh"}}, Path("c.toml"))


def test_the_wall_languages_are_the_kiosks() -> None:
    from typing import get_args

    from installation.i18n import LANGUAGES

    assert set(get_args(WallConfig.model_fields["language"].annotation)) == set(LANGUAGES)


def test_idle_text_without_spaces_wraps_between_characters(dummy_display: None) -> None:
    import pygame

    from installation.wall.draw import Lettering

    pygame.font.init()
    lettering = Lettering(config())
    text = "把你的社交媒体导出文件交给信息亭然后在这里看着你的肖像出现" * 2
    lines = lettering.wrap(text, 40, 300)
    assert len(lines) > 1 and "".join(lines) == text
    assert all(lettering.font(40).size(line)[0] <= 300 for line in lines)
    # Words with spaces still break between words
    assert lettering.wrap("one two three four five six seven", 40, 200)[0].split()[0] == "one"


def test_a_chinese_wall_without_a_chinese_font_says_so(
    dummy_display: None, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import pygame

    from installation.wall import draw

    pygame.font.init()
    monkeypatch.setattr(pygame.font, "match_font", lambda names: None)
    with caplog.at_level(logging.WARNING):
        draw.Lettering(config(language="zh"))
    assert "fonts-noto-cjk" in caplog.text
