"""The party on the gallery wall: painted steps become the wall's artworks, newest arriving at once,
captioned with their prompt and the theme; `portrait party wall` runs the real wall loop on them."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from test_party import FakePainter, party_config

from installation.cli import main
from installation.compose.prompt import Prompt
from installation.config import StreamConfig
from installation.jobs.store import WallArtwork
from installation.party.records import StepSettings
from installation.party.store import PartyStore, open_party_store
from installation.party.wallfeed import PARTY_SEQ, PartyWallFeed
from installation.party.words import wall_words
from installation.party.worker import PartyWorker
from installation.render.artwork import Artwork
from installation.wall.show import Slideshow, caption_lines


@pytest.fixture(autouse=True)
def _local_signing_keys(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))


def paint(store: PartyStore, session: str, texts: list[str], tmp_path: Path) -> None:
    for text in texts:
        store.add_step(session, None, StepSettings(text=text), positive=text, negative="", size=(64, 64), steps=1,
                       guidance=0.0, scheduler=None)  # fmt: skip
    PartyWorker(store, party_config(tmp_path), renderer=FakePainter()).drain()


def test_painted_steps_become_wall_artworks_after_the_portraits(tmp_path: Path) -> None:
    config = party_config(tmp_path)
    store = open_party_store(config.party.store_path)
    session = store.create_session("loneliness").id
    paint(store, session, ["loneliness", "loneliness, an empty bench"], tmp_path)
    prompt = Prompt("a portrait", "", "oil-portrait", 1, 64, 64, 1, 0.0)
    painted = Artwork(tmp_path / "p.png", tmp_path / "p.json", prompt, "local", "tiny", "Euler", {}, False, True)
    portrait = WallArtwork("j1", 7, painted, "Ana", ("sea",), ("travel",), datetime.now(UTC))
    feed = PartyWallFeed(store, wall_words(config), session, portraits=lambda: [portrait])
    first, *steps = feed.wall_artworks()
    assert first == portrait
    assert [(a.caption, a.style, a.themes) for a in steps] == [
        ("loneliness", "loneliness", ("party", "loneliness")),
        ("loneliness, an empty bench", "loneliness", ("party", "loneliness")),
    ]
    assert all(a.seq > PARTY_SEQ > portrait.seq and a.image_path.is_file() for a in steps)
    assert all(a.artwork.model == "fake-painter" and a.artwork.metadata_path.is_file() for a in steps)
    assert caption_lines(steps[1]) == ("loneliness, an empty bench", "loneliness")
    # On the wall: a step painted after the wall started arrives at once; a party channel gathers the steps.
    wall = config.wall.model_copy(update={"streams": (StreamConfig(name="Party", themes=("party",)),
                                                      StreamConfig(name="Portraits"))})  # fmt: skip
    show = Slideshow(wall)
    show.update(feed.wall_artworks(), now=0.0)
    paint(store, session, ["two old people looking at each other"], tmp_path)
    show.update(feed.wall_artworks(), now=1.0)
    frame = show.frame(1.1)
    top = frame.layers[-1]
    assert top.artwork.caption == "two old people looking at each other"
    assert top.caption.announce == wall.arrival_text
    # The rotation: the party's channel shows the party's steps under its name.
    rotation = Slideshow(wall)
    rotation.update(feed.wall_artworks(), now=0.0)
    top = rotation.frame(0.01).layers[-1]
    assert top.caption.channel == "Party" and top.artwork.job_id.startswith("party-")
    store.close()


def test_portrait_party_wall_shows_the_newest_party(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SDL_VIDEODRIVER", "dummy")
    monkeypatch.setenv("SDL_AUDIODRIVER", "dummy")
    config = party_config(tmp_path)
    store = open_party_store(config.party.store_path)
    session = store.create_session("love").id
    paint(store, session, ["love", "love, two hands"], tmp_path)
    store.close()
    path = tmp_path / "config.toml"
    path.write_text(f"""
[party]
store_path = "{config.party.store_path}"
[wall]
window_size = [160, 90]
slide_seconds = 0.3
fade_seconds = 0.1
arrival_seconds = 0.3
""")
    assert main(["party", "wall", "--windowed", "--seconds", "1", "--config", str(path)]) == 0
    assert main(["party", "wall", "nosuch", "--windowed", "--seconds", "1", "--config", str(path)]) == 2
