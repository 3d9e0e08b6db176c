"""`portrait demo`: the README's first command, on two small exports, with the tiny model."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from installation.cli import main
from installation.jobs.store import SqliteJobStore

ROOT = Path(__file__).resolve().parent.parent


def test_demo_paints_every_sample_and_keeps_the_samples(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    profiles = tmp_path / "samples"
    shutil.copytree(ROOT / "sample_profiles" / "reddit", profiles / "reddit")
    shutil.copytree(ROOT / "sample_profiles" / "mastodon", profiles / "mastodon")
    (profiles / "build").mkdir()  # builder scripts beside the exports are not exports
    (profiles / "build" / "build_x.py").write_text("print('not an export')\n")
    before = sorted(p.name for p in profiles.rglob("*"))
    config = tmp_path / "config.toml"
    config.write_text((ROOT / "config.toml").read_text().replace('"var/', f'"{tmp_path}/var/'))
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.delenv("SDL_VIDEODRIVER", raising=False)

    assert main(["demo", "--model", "tiny", "--profiles", str(profiles), "--config", str(config)]) == 0

    out = capsys.readouterr().out
    assert "4 portraits painted, 0 failed" in out
    assert "no display here" in out
    assert sorted(p.name for p in profiles.rglob("*")) == before, "the samples themselves stay untouched"
    store = SqliteJobStore(tmp_path / "var" / "demo" / "jobs.sqlite3")
    shown = store.wall_artworks()
    assert len(shown) == 4 and all(a.image_path.read_bytes().startswith(b"\x89PNG") for a in shown)
    assert not (tmp_path / "var" / "jobs.sqlite3").exists(), "the exhibition's own store is not touched"


def test_demo_without_samples_is_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--model", "tiny", "--no-wall", "--profiles", str(tmp_path / "none")]) == 2
    assert "no such folder of sample exports" in capsys.readouterr().err


def test_demo_never_empties_a_folder_it_did_not_make(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "config.toml"
    config.write_text(f'[store]\npath = "{tmp_path}/jobs.sqlite3"\n')
    mine = tmp_path / "demo"
    mine.mkdir()
    (mine / "holiday.jpg").write_bytes(b"\xff\xd8\xff")
    profiles = tmp_path / "samples"
    shutil.copytree(ROOT / "sample_profiles" / "reddit", profiles / "reddit")
    assert main(["demo", "--model", "tiny", "--no-wall", "--profiles", str(profiles), "--config", str(config)]) == 2
    assert "not a demo folder" in capsys.readouterr().err
    assert (mine / "holiday.jpg").exists()
