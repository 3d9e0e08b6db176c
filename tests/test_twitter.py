"""X/Twitter archives: the sample zip, old and split tweets files, note tweets, and broken files."""

from __future__ import annotations

import importlib.util
import json
import re
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from extractors import read_export
from extractors.intake.profile import Profile
from extractors.intake.readers.twitter import TwitterReader
from extractors.intake.source import open_export
from installation.cli import main
from installation.errors import ProfileParseError

SAMPLES = Path(__file__).resolve().parents[1] / "sample_profiles"
ENTITY = re.compile(r"&(?:#\d+|#x[0-9a-f]+|[a-z]+);", re.IGNORECASE)


def _builder() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_twitter", SAMPLES / "build" / "build_twitter.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _sample_zip() -> Path:
    (path,) = (SAMPLES / "twitter").glob("twitter-2026-*.zip")
    return path


@pytest.fixture(scope="module")
def sample() -> Profile:
    return read_export(_sample_zip())


def _tweet(tweet_id: str, created: str, text: str, reply_to: str | None = None, lang: str = "en") -> dict[str, Any]:
    tweet: dict[str, Any] = {"id_str": tweet_id, "created_at": created, "full_text": text, "lang": lang}
    if reply_to:
        tweet["in_reply_to_status_id_str"] = reply_to
    return tweet


def _js(global_name: str, entries: list[Any]) -> str:
    return f"window.{global_name} = " + json.dumps(entries, indent=2, separators=(",", " : "))


def _archive(folder: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_text(text, encoding="utf-8")
    return folder


# --- the sample ------------------------------------------------------------------------------------------


def test_sample_counts_own_posts_and_replies(sample: Profile) -> None:
    builder = _builder()
    own = len(builder.TWEETS) + len(builder.NOTE_TWEETS)
    assert sample.platform == "twitter"
    assert sample.post_count == own == 50
    # The media-only tweet counts (its stored text is a link) but has no words left after cleaning.
    assert len(sample.posts) == own - 1
    assert sample.replies == sum(text.startswith("@") for _, text, _ in builder.TWEETS) == 10


def test_sample_leaves_out_retweets_deleted_tweets_and_the_account(sample: Profile) -> None:
    texts = "\n".join(p.text for p in sample.posts)
    assert "RT " not in texts
    assert "Messier marathon is on tonight" not in texts  # a retweet
    assert "Light pollution is growing" not in texts  # a retweet
    assert "horoscope" not in texts.lower()  # deleted-tweets.js
    assert "Wrong comet name" not in texts  # deleted-tweets.js
    assert "example.com" not in texts and "ada.quill" not in texts  # account.js


def test_sample_text_is_plain(sample: Profile) -> None:
    for post in sample.posts:
        assert not ENTITY.search(post.text), post.text
        assert "t.co" not in post.text and "@" not in post.text, post.text
    texts = [p.text for p in sample.posts]
    assert any("<20% cloud" in t for t in texts)  # &lt; decoded, not dropped
    assert any("1 & 3am" in t for t in texts)
    assert any(t.endswith("Quadrantids meteorwatch") for t in texts)  # hashtags stay as words


def test_note_tweets_replace_their_truncated_copies(sample: Profile) -> None:
    builder = _builder()
    texts = [p.text for p in sample.posts]
    for _, whole, _, _ in builder.NOTE_TWEETS:
        ending = whole.split()[-6:]
        assert sum(t.endswith(" ".join(ending)) for t in texts) == 1
    assert not any("…" in t for t in texts)


def test_sample_times_are_utc_and_languages_tagged(sample: Profile) -> None:
    assert all(p.created_at.utcoffset() is not None for p in sample.posts)
    assert sample.posts[0].created_at == datetime(2025, 1, 4, 3, 22, 10, tzinfo=UTC)
    assert {"en", "es"} <= {p.lang for p in sample.posts}
    emoji_only = next(p for p in sample.posts if p.text == "🔭☕🌌")
    assert emoji_only.lang is None  # "und" is not a language, and three emoji are too few to detect one


def test_sample_is_what_the_build_script_makes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    builder = _builder()
    monkeypatch.setattr(builder, "OUT", tmp_path)
    built = builder.build()
    assert built.name == _sample_zip().name
    assert built.read_bytes() == _sample_zip().read_bytes()
    with zipfile.ZipFile(built) as zf:
        names = set(zf.namelist())
    assert {"Your archive.html", "data/manifest.js", "data/tweets.js", "data/tweets-part1.js"} <= names


# --- other shapes -------------------------------------------------------------------------------------------


def test_old_tweet_js_without_wrapper_read_alone(tmp_path: Path) -> None:
    path = tmp_path / "tweet.js"
    path.write_text(_js("YTD.tweet.part0", [
        _tweet("1", "Sat Mar 02 22:10:05 +0000 2019", "Orion rising over the bay tonight, crisp &amp; clear"),
        _tweet("2", "Sat Mar 02 22:40:00 +0000 2019", "@friend the comet is lovely in binoculars", reply_to="99"),
        _tweet("3", "Sun Mar 03 01:00:00 +0000 2019", "RT @someone: not my words at all"),
    ]))
    with open_export(path) as files:
        assert TwitterReader().detect(files) == 90
    profile = read_export(path)
    assert profile.post_count == 2
    assert [(p.text, p.kind) for p in profile.posts] == [
        ("Orion rising over the bay tonight, crisp & clear", "post"),
        ("the comet is lovely in binoculars", "reply"),
    ]
    assert profile.posts[1].created_at == datetime(2019, 3, 2, 22, 40, tzinfo=UTC)


def test_parts_are_all_read_and_overlaps_count_once(tmp_path: Path) -> None:
    t = "Mon Feb 03 23:00:0{} +0000 2025"
    folder = _archive(tmp_path / "export", {
        "data/manifest.js": "window.__THAR_CONFIG = {}",
        "data/tweets.js": _js("YTD.tweets.part0", [{"tweet": _tweet("1", t.format(1), "Saturn rings at midnight")}]),
        "data/tweets-part1.js": _js("YTD.tweets.part1", [_tweet("2", t.format(2), "Jupiter moons lined up")]),
        "data/tweets-part2.js": _js("YTD.tweets.part2", [
            {"tweet": _tweet("3", t.format(3), "Venus bright as a lamp")},
            {"tweet": _tweet("1", t.format(1), "Saturn rings at midnight")},
        ]),
        "data/tweet-headers.js": _js("YTD.tweet_headers.part0", [{"tweet": {"tweet_id": "1"}}]),
    })
    profile = read_export(folder)
    assert profile.post_count == 3
    assert [p.text for p in profile.posts] == [
        "Saturn rings at midnight", "Jupiter moons lined up", "Venus bright as a lamp",
    ]


def test_note_tweet_matching_needs_time_and_prefix(tmp_path: Path) -> None:
    whole = "A very long thought about the Moon " + "and its craters " * 20 + "ends here."
    other_long = "Another long post that the person deleted " + "word " * 60
    folder = _archive(tmp_path / "export", {
        "data/manifest.js": "window.__THAR_CONFIG = {}",
        "data/tweets.js": _js("YTD.tweets.part0", [
            {"tweet": _tweet("1", "Tue Apr 01 01:00:00 +0000 2025", whole[:200] + "… https://t.co/AbC123")},
            {"tweet": _tweet("2", "Tue Apr 01 02:00:00 +0000 2025", "Wait for it…")},
        ]),
        "data/note-tweet.js": _js("YTD.note_tweet.part0", [
            {"noteTweet": {"noteTweetId": "7", "createdAt": "2025-04-01T01:00:01.000Z", "core": {"text": whole}}},
            {"noteTweet": {"noteTweetId": "8", "createdAt": "2025-04-01T02:00:00.000Z", "core": {"text": other_long}}},
        ]),
    })
    profile = read_export(folder)
    assert profile.post_count == 2  # a note tweet never adds a post of its own
    assert [p.text for p in profile.posts] == [whole, "Wait for it…"]


def test_long_reply_matches_its_note_despite_the_leading_handle(tmp_path: Path) -> None:
    # The stored copy of a reply opens with "@handle " outside display_text_range; the note does not.
    whole = "Thank you, that is exactly how the comet looked from the harbour " + "last night " * 25 + "."
    stored = "@nightowl_astro " + whole[:190] + "… https://t.co/XyZ987"
    tweet = _tweet("5", "Tue Apr 01 03:00:00 +0000 2025", stored, reply_to="4")
    tweet["display_text_range"] = ["16", str(len(stored))]
    tweet["in_reply_to_screen_name"] = "nightowl_astro"
    folder = _archive(tmp_path / "export", {
        "data/manifest.js": "window.__THAR_CONFIG = {}",
        "data/tweets.js": _js("YTD.tweets.part0", [{"tweet": tweet}]),
        "data/note-tweet.js": _js("YTD.note_tweet.part0", [
            {"noteTweet": {"noteTweetId": "9", "createdAt": "2025-04-01T03:00:00.000Z", "core": {"text": whole}}},
        ]),
    })
    (post,) = read_export(folder).posts
    assert post.text == " ".join(whole.split()) and "…" not in post.text and post.kind == "reply"


def test_mentions_are_stripped_even_without_display_range(tmp_path: Path) -> None:
    whole = "Agreed on the telescope choice, the refractor is lighter " + "and sharper " * 25
    stored = "@a_one @b_two " + whole[:180] + "…"
    folder = _archive(tmp_path / "export", {
        "data/tweets.js": _js("YTD.tweets.part0", [
            {"tweet": _tweet("6", "Tue Apr 01 04:00:00 +0000 2025", stored, "3")},
        ]),
        "data/note-tweet.js": _js("YTD.note_tweet.part0", [
            {"noteTweet": {"noteTweetId": "10", "createdAt": "2025-04-01T04:00:01.000Z", "core": {"text": whole}}},
        ]),
    })
    (post,) = read_export(folder).posts
    assert "…" not in post.text and post.text.endswith("sharper")


@pytest.mark.parametrize("name", ["note-tweet.js", "export.js", "export.json", "export"])
def test_note_tweet_file_alone_is_read_under_any_name(tmp_path: Path, name: str) -> None:
    notes = [
        {"noteTweet": {"noteTweetId": str(i), "createdAt": f"2025-0{i}-01T10:00:00.000Z",
                       "core": {"text": f"Long thought number {i} about gardens, rain and the slow season. " * 5}}}
        for i in range(1, 4)
    ]
    path = tmp_path / name
    path.write_text(_js("YTD.note_tweet.part0", notes), encoding="utf-8")
    profile = read_export(path)
    assert profile.platform == "twitter" and profile.post_count == 3
    assert [p.created_at.month for p in profile.posts] == [1, 2, 3]


def test_deleted_tweets_and_account_are_never_opened(tmp_path: Path) -> None:
    folder = _archive(tmp_path / "export", {
        "data/manifest.js": "window.__THAR_CONFIG = {}",
        "data/tweets.js": _js("YTD.tweets.part0", [{"tweet": _tweet("1", "Tue Apr 01 01:00:00 +0000 2025",
                                                                     "Clear skies over the dunes")}]),
        "data/deleted-tweets.js": "window.YTD.deleted_tweets.part0 = [ {broken",
        "data/account.js": "window.YTD.account.part0 = [ {broken",
    })
    assert read_export(folder).post_count == 1


def test_malformed_tweets_file_is_named(tmp_path: Path) -> None:
    folder = _archive(tmp_path / "export", {
        "data/manifest.js": "window.__THAR_CONFIG = {}",
        "data/tweets.js": 'window.YTD.tweets.part0 = [ {"tweet" : {"full_text" : "cut off',
    })
    with pytest.raises(ProfileParseError, match=r"data/tweets\.js"):
        read_export(folder)


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        ({"tweet": _tweet("1", "2025-04-01 01:00", "fine words")}, "'2025-04-01 01:00'"),
        ({"tweet": {"id_str": "1", "created_at": "Tue Apr 01 01:00:00 +0000 2025"}}, "no full_text"),
        ("just a string", "entry 1 is not a tweet object"),
    ],
)
def test_bad_entries_are_named(tmp_path: Path, entry: Any, problem: str) -> None:
    folder = _archive(tmp_path / "export", {
        "data/manifest.js": "window.__THAR_CONFIG = {}",
        "data/tweets-part1.js": _js("YTD.tweets.part1", [entry]),
    })
    with pytest.raises(ProfileParseError, match=rf"data/tweets-part1\.js: .*{re.escape(problem)}"):
        read_export(folder)


# --- the command line ---------------------------------------------------------------------------------------


def test_cli_extract_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", str(_sample_zip()), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["platform"] == "twitter"
    assert data["post_count"] == 50
    assert len(data["posts"]) == 49
    assert {p["kind"] for p in data["posts"]} == {"post", "reply"}
    assert all(datetime.fromisoformat(p["created_at"]).tzinfo is not None for p in data["posts"])


def test_cli_extract_bad_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = _archive(tmp_path / "export", {"data/manifest.js": "{}", "data/tweets.js": "window.YTD = [ {"})
    assert main(["extract", str(folder)]) == 2
    err = capsys.readouterr().err
    assert "data/tweets.js" in err and "Traceback" not in err
