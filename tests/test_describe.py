"""describe(): the whole verbal portrait, its themes and rhythms, and ``portrait describe`` (real models, offline)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pydantic import ValidationError

from extractors import Post, Profile
from extractors.describe import describe
from extractors.describe.portrait import VerbalPortrait
from extractors.settings import DescribeConfig
from installation.cli import main
from installation.errors import DescribeError

ASTRONOMY = [
    "Aurora over the harbour at 2am, green curtains with red tops. #aurora",
    "Jupiter through the telescope, four moons and the great red spot. #astronomy",
    "Polar alignment of the equatorial mount took an hour in the frost.",
    "Andromeda galaxy in forty stacked exposures. #astronomy",
    "Perseid meteors from the dark sky site, counted sixty. #astronomy",
    "New eyepiece for the Dobsonian, the Orion nebula glows.",
    "Noctilucent clouds in the northern twilight at midnight.",
    "Saturn's rings through the telescope, the Cassini division is sharp. #astronomy",
    "Comet in binoculars, a faint green smudge with a thin tail.",
    "Clear sky at last: the telescope, the mount and a thermos of coffee. #aurora",
    "Stacked exposures of the Orion nebula, the colours came out.",
    "Meteors and a bright fireball over the harbour. #astronomy",
    "Dew on the eyepiece again, the heater strip saved the night.",
    "Aurora forecast says Kp 6, the camera is ready on the tripod. #aurora",
]
GARDEN = [
    "Dahlias are blooming in the cutting garden, cafe au lait is huge.",
    "Slugs ate every hosta leaf overnight.",
    "Pruned the climbing roses along the brick wall.",
    "Sweet peas on hazel wigwams, the scent is unreal.",
    "Compost heap turned, steaming in the cold morning.",
    "Planted two hundred tulip bulbs in the borders for spring.",
    "Greenhouse full of chilli seedlings and tomato cuttings.",
    "Lavender hedge trimmed, bees everywhere.",
    "The dahlia tubers are lifted and stored in the shed.",
    "Roses and sweet peas for the kitchen table.",
    "Tulip bulbs and compost for the new border.",
    "The greenhouse tomatoes finally ripen.",
]
CONFIG = DescribeConfig(max_embedded_posts=24, max_candidates=80)


def make_profile(texts: list[str], *, hour: int, weekend: bool = False) -> Profile:
    start = datetime(2025, 3, 3, hour, 15, tzinfo=UTC)  # a Monday
    days = [5, 6] if weekend else [0, 1, 2, 3, 4]
    posts = tuple(
        Post(
            text=t.replace("#", ""),
            created_at=start + timedelta(weeks=i // len(days), days=days[i % len(days)]),
            lang="en", kind="post", platform="plain",
            hashtags=tuple(w[1:].rstrip(".,") for w in t.split() if w.startswith("#")),
        )
        for i, t in enumerate(texts)
    )
    return Profile(platform="plain", posts=posts, post_count=len(posts))


@pytest.fixture(scope="module")
def night_sky() -> VerbalPortrait:
    return describe(make_profile(ASTRONOMY, hour=2), CONFIG)


@pytest.fixture(scope="module")
def garden() -> VerbalPortrait:
    return describe(make_profile(GARDEN, hour=14, weekend=True), CONFIG)


def test_a_whole_portrait(night_sky: VerbalPortrait) -> None:
    assert night_sky.platform == "plain"
    assert 8 <= len(night_sky.keywords) <= 15
    assert night_sky.language.main == "en" and night_sky.language.note is None
    assert night_sky.language.analyser == "simplemma+stopwords: en 100%"
    assert night_sky.stats.posts_used == len(ASTRONOMY)
    assert night_sky.stats.first_post == datetime(2025, 3, 3, 2, 15, tzinfo=UTC)
    assert night_sky.stats.last_post is not None and night_sky.stats.last_post > night_sky.stats.first_post
    assert night_sky.mood.label and night_sky.mood.palette and night_sky.mood.lighting


def test_night_owl_and_weekend_poster_only_when_the_data_shows_them(
    night_sky: VerbalPortrait, garden: VerbalPortrait
) -> None:
    night_rhythms = {t.name for t in night_sky.themes if t.source == "rhythm"}
    garden_rhythms = {t.name for t in garden.themes if t.source == "rhythm"}
    assert night_rhythms == {"night owl"}
    assert garden_rhythms == {"weekend poster"}
    owl = next(t for t in night_sky.themes if t.name == "night owl")
    assert owl.weight == 1.0


def test_recurring_hashtags_become_themes(night_sky: VerbalPortrait, garden: VerbalPortrait) -> None:
    tags = [t.name for t in night_sky.themes if t.source == "hashtags"]
    assert tags == ["astronomy", "aurora"]
    assert not [t for t in garden.themes if t.source == "hashtags"]
    names = [t.name.lower() for t in night_sky.themes]
    assert len(names) == len(set(names))


def test_the_portrait_survives_json(night_sky: VerbalPortrait) -> None:
    data = json.loads(json.dumps(night_sky.to_dict()))
    assert VerbalPortrait.from_dict(data) == night_sky
    assert all(k["evidence"] == [] for k in night_sky.to_dict(evidence=False)["keywords"])


def test_an_empty_profile_is_refused_by_name() -> None:
    with pytest.raises(DescribeError, match="no readable posts"):
        describe(Profile(platform="twitter", posts=(), post_count=3), DescribeConfig())


def test_a_keyword_range_upside_down_is_refused_by_the_schema() -> None:
    # In the schema, so a hot-reloaded config.toml is refused as start-up would refuse it.
    with pytest.raises(ValidationError, match="min_keywords"):
        DescribeConfig(min_keywords=9, max_keywords=8)


def test_only_words_nobody_could_paint_is_a_describe_error() -> None:
    with pytest.raises(DescribeError, match="none of its 5 readable posts holds a word"):
        describe(make_profile(["ok", "the and of", "42 17", "!!!", "🙂🙂"], hour=9), CONFIG)


def _export(tmp_path: Path) -> Path:
    path = tmp_path / "posts.jsonl"
    start = datetime(2025, 1, 6, 2, tzinfo=UTC)
    lines = [
        json.dumps({"text": t, "created_at": (start + timedelta(days=i)).isoformat(), "lang": "en"})
        for i, t in enumerate(ASTRONOMY)
    ]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def test_cli_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "config.toml"
    config.write_text("[describe]\nmax_embedded_posts = 24\nmax_candidates = 80\n", encoding="utf-8")
    assert main(["describe", str(_export(tmp_path)), "--json", "--config", str(config)]) == 0
    data = json.loads(capsys.readouterr().out)
    portrait = VerbalPortrait.from_dict(data)
    assert 8 <= len(portrait.keywords) <= 15
    assert "night owl" in {t.name for t in portrait.themes}


def test_cli_card_shows_keywords_with_their_posts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "config.toml"
    config.write_text("[describe]\nmax_embedded_posts = 24\nmax_candidates = 80\n", encoding="utf-8")
    assert main(["describe", str(_export(tmp_path)), "--config", str(config)]) == 0
    out = capsys.readouterr().out
    assert "keywords" in out and "mood:" in out and "themes" in out and "night owl" in out
    assert "“" in out  # a post snippet under a keyword


def test_cli_bad_config_value_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "config.toml"
    config.write_text("[describe]\ndiversity = 3\n", encoding="utf-8")
    assert main(["describe", str(_export(tmp_path)), "--config", str(config)]) == 2
    err = capsys.readouterr().err
    assert "describe.diversity" in err and err.count("\n") == 1
