"""The wall's drawing path (GPU or software) and its frame-time recorder."""

from __future__ import annotations

import itertools
import logging
from pathlib import Path

import pytest
from PIL import Image
from test_wall import GREEN, ListFeed, art, config

from installation.config import WallConfig, parse_config
from installation.errors import DisplayError
from installation.wall.frames import FRAMES_ENV, FrameLog, FrameStat, frame_log_from_env, read_frames
from installation.wall.loop import run_wall
from installation.wall.screen import choose_renderer


@pytest.fixture
def dummy_display(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SDL_VIDEODRIVER", "dummy")
    monkeypatch.setenv("SDL_AUDIODRIVER", "dummy")


# --- choosing the path --------------------------------------------------------------------------------


def test_auto_takes_a_real_gpu_and_passes_over_a_software_rasteriser() -> None:
    gpu = choose_renderer("auto", True, True, "OpenGL: NVIDIA GeForce RTX 4070/PCIe/SSE2")
    assert gpu.path == "gpu" and "NVIDIA" in gpu.reason
    llvmpipe = choose_renderer("auto", True, False, "OpenGL: llvmpipe (LLVM 15.0.6, 256 bits)")
    assert llvmpipe.path == "software" and "llvmpipe" in llvmpipe.reason
    none = choose_renderer("auto", False, False, "no accelerated SDL renderer (Couldn't find matching render driver)")
    assert none.path == "software" and "no accelerated" in none.reason


def test_config_forces_either_path_and_a_forced_gpu_that_is_missing_says_so() -> None:
    assert choose_renderer("software", True, True, "OpenGL: a real one").path == "software"
    assert choose_renderer("gpu", True, False, "OpenGL: llvmpipe").path == "gpu"  # forced: even on llvmpipe
    with pytest.raises(DisplayError, match=r"wall\.renderer is gpu but no accelerated SDL renderer"):
        choose_renderer("gpu", False, False, "no accelerated SDL renderer")
    with pytest.raises(DisplayError, match="'vulkan'"):
        choose_renderer("vulkan", True, True, "")


def test_renderer_key_is_read_from_the_wall_table() -> None:
    assert WallConfig().renderer == "auto"
    assert parse_config({"wall": {"renderer": "software"}}, Path("config.toml")).wall.renderer == "software"
    with pytest.raises(Exception, match="renderer"):
        parse_config({"wall": {"renderer": "opengl"}}, Path("config.toml"))


def test_the_wall_logs_the_path_it_took(dummy_display: None, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    # SDL's dummy driver has no accelerated renderer: auto falls back to software and says why
    Image.new("RGB", (40, 40), GREEN).save(tmp_path / "a.png")
    with caplog.at_level(logging.INFO, logger="installation.wall.screen"):
        run_wall(ListFeed([art(1, tmp_path / "a.png")]), config(window_size=(96, 64)), windowed=True, max_seconds=0.3)
    lines = [r.getMessage() for r in caplog.records if r.name == "installation.wall.screen"]
    assert lines and lines[0].startswith("wall: software renderer (auto: no accelerated SDL renderer")


def test_forcing_the_gpu_where_there_is_none_stops_with_a_display_error(dummy_display: None) -> None:
    with pytest.raises(DisplayError, match=r"wall\.renderer is gpu"):
        run_wall(ListFeed([]), config(window_size=(96, 64), renderer="gpu"), windowed=True, max_seconds=0.3)


# --- the frame recorder -------------------------------------------------------------------------------


def test_on_frame_sees_every_flip_of_a_fade_with_its_time_and_cpu(dummy_display: None, tmp_path: Path) -> None:
    Image.new("RGB", (40, 40), GREEN).save(tmp_path / "a.png")
    stats: list[FrameStat] = []
    cfg = config(window_size=(96, 64), fade_seconds=0.3, slide_seconds=5, fps=30)
    run_wall(ListFeed([art(1, tmp_path / "a.png")]), cfg, windowed=True, max_seconds=2.0, on_frame=stats.append)
    assert len(stats) >= 3, stats  # the first fade in from black, at up to 30 fps
    assert all(s.fading and s.moving for s in stats[:-1])  # every flip but perhaps the last is of the fade
    assert all(b.at > a.at and b.cpu >= a.cpu for a, b in itertools.pairwise(stats))
    assert stats[-1].at - stats[0].at < 0.6  # nothing is flipped once the fade is over (1.7 s more)


def test_a_due_frame_that_looks_the_same_is_recorded_as_not_drawn_and_is_not_flipped(
    dummy_display: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A pan slower than its smallest step draws nothing on some due frames; the benchmark must see those
    # frames (on time for whoever watches) rather than read the gap between flips as a dropped frame.
    from installation.wall.software import WallViewer

    draw, present = WallViewer.draw, WallViewer.present
    calls = {"draw": 0, "present": 0}

    def every_other(self: WallViewer, frame: object) -> bool:
        calls["draw"] += 1
        return bool(draw(self, frame)) and calls["draw"] % 2 == 0  # type: ignore[arg-type]

    def counted(self: WallViewer) -> None:
        calls["present"] += 1
        present(self)

    monkeypatch.setattr(WallViewer, "draw", every_other)
    monkeypatch.setattr(WallViewer, "present", counted)
    Image.new("RGB", (40, 40), GREEN).save(tmp_path / "a.png")
    stats: list[FrameStat] = []
    cfg = config(window_size=(96, 64), fade_seconds=0.2, slide_seconds=5, fps=30, ken_burns=True)
    run_wall(ListFeed([art(1, tmp_path / "a.png")]), cfg, windowed=True, max_seconds=1.0, on_frame=stats.append)
    skipped = [s for s in stats if not s.drawn]
    assert skipped and all(s.moving for s in skipped)  # recorded only while something moves
    assert calls["present"] == sum(s.drawn for s in stats)  # and never flipped


def test_the_environment_variable_records_to_a_file_and_is_off_otherwise(
    dummy_display: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(FRAMES_ENV, raising=False)
    assert frame_log_from_env() is None
    Image.new("RGB", (40, 40), GREEN).save(tmp_path / "a.png")
    log = tmp_path / "frames.jsonl"
    monkeypatch.setenv(FRAMES_ENV, str(log))
    cfg = config(window_size=(96, 64), fade_seconds=0.2, slide_seconds=5)
    run_wall(ListFeed([art(1, tmp_path / "a.png")]), cfg, windowed=True, max_seconds=0.5)
    frames = read_frames(log)
    assert frames and frames[0].fading and all(isinstance(f, FrameStat) for f in frames)


def test_a_frame_log_that_cannot_be_written_is_a_display_error(tmp_path: Path) -> None:
    recorder = FrameLog(tmp_path / "missing" / "frames.jsonl")
    recorder(FrameStat(1.0, 0.1, True, True))
    with pytest.raises(DisplayError, match="frame log"):
        recorder.write()
