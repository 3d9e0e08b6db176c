"""Mastodon: the sample archive, a bare outbox.json, statuses API pages, and broken files."""

from __future__ import annotations

import importlib.util
import json
import re
import tarfile
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from extractors import read_export
from extractors.intake.profile import Profile
from extractors.intake.readers.mastodon import MastodonReader
from extractors.intake.source import open_export
from installation.cli import main
from installation.errors import ProfileParseError

SAMPLES = Path(__file__).resolve().parents[1] / "sample_profiles"
MARKUP = re.compile(r"<[a-z/!]|&(?:#\d+|#x[0-9a-f]+|[a-z]+);", re.IGNORECASE)


def _builder() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_mastodon", SAMPLES / "build" / "build_mastodon.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _sample_archive() -> Path:
    (path,) = (SAMPLES / "mastodon").glob("archive-20260314021109-*.tar.gz")  # Rune's, not the web developer's
    return path


@pytest.fixture(scope="module")
def sample() -> Profile:
    return read_export(_sample_archive())


def _status(sid: str, content: str, *, account: str = "1", reblog: Any = None, reply_to: str | None = None,
            created: str = "2025-05-01T10:00:00.000Z", lang: str | None = "en") -> dict[str, Any]:
    return {"id": sid, "created_at": created, "content": content, "language": lang, "reblog": reblog,
            "in_reply_to_id": reply_to, "spoiler_text": "", "account": {"id": account, "username": "rune"}}


# --- the sample archive ------------------------------------------------------------------------------------


def test_sample_counts_own_posts_and_replies(sample: Profile) -> None:
    builder = _builder()
    assert sample.platform == "mastodon"
    # Every Create with text; the image-only post (empty content) and the boosts do not count.
    assert sample.post_count == len(builder.STATUSES) == 52
    assert sample.replies == sum(s[3] is not None for s in builder.STATUSES) == 11


def test_sample_text_has_no_markup_mentions_or_link_parts(sample: Profile) -> None:
    for post in sample.posts:
        assert not MARKUP.search(post.text), post.text
        assert "@" not in post.text and "mira" not in post.text, post.text
        assert "cykelviden" not in post.text and "kaedeslid" not in post.text, post.text  # split link
        assert "runefalk.example" not in post.text and "inner-tube-hinges" not in post.text, post.text
    texts = [p.text for p in sample.posts]
    assert any("courier's bike" in t and "Personal best & a happy customer" in t for t in texts)
    assert any(t.endswith("bikerepair Aarhus") for t in texts)  # hashtags stay as words
    assert "Guide I keep sending people on chain wear: — measure before it eats your cassette." in texts


def test_content_warnings_and_alt_texts_are_not_post_text(sample: Profile) -> None:
    texts = "\n".join(p.text for p in sample.posts)
    assert "mildly gross" not in texts and "plant disease" not in texts
    assert "upside down on a work stand" not in texts and "hanging on a garden fence" not in texts
    assert any(p.text.startswith("Things I found inside a bottom bracket") for p in sample.posts)


def test_sample_languages_and_times(sample: Profile) -> None:
    assert {p.lang for p in sample.posts} == {"en", "da"}
    danish = next(p for p in sample.posts if p.text.startswith("Sået tomater"))
    assert danish.lang == "da"
    assert danish.created_at == datetime(2025, 3, 4, 17, 40, 22, tzinfo=UTC)
    assert all(p.created_at.utcoffset() is not None for p in sample.posts)


def test_sample_is_what_the_build_script_makes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    builder = _builder()
    monkeypatch.setattr(builder, "OUT", tmp_path)
    archive, api = builder.build()
    assert archive.name == _sample_archive().name
    assert archive.read_bytes() == _sample_archive().read_bytes()
    assert api.read_bytes() == (SAMPLES / "mastodon" / "api-statuses.json").read_bytes()
    with tarfile.open(archive) as tf:
        names = set(tf.getnames())
    assert {"outbox.json", "actor.json", "likes.json", "bookmarks.json"} <= names


def test_outbox_json_alone(tmp_path: Path) -> None:
    with tarfile.open(_sample_archive()) as tf:
        member = tf.extractfile("outbox.json")
        assert member is not None
        outbox = member.read()
    (tmp_path / "outbox.json").write_bytes(outbox)
    with open_export(tmp_path / "outbox.json") as files:
        assert MastodonReader().detect(files) == 100
    assert read_export(tmp_path / "outbox.json").post_count == 52
    renamed = tmp_path / "my-toots.json"
    renamed.write_bytes(outbox)
    with open_export(renamed) as files:
        assert MastodonReader().detect(files) == 60
    assert read_export(renamed).post_count == 52


# --- the statuses API ----------------------------------------------------------------------------------


def test_api_sample_skips_the_boost() -> None:
    page = json.loads((SAMPLES / "mastodon" / "api-statuses.json").read_text(encoding="utf-8"))
    profile = read_export(SAMPLES / "mastodon" / "api-statuses.json")
    assert profile.post_count == sum(s["reblog"] is None for s in page) == 8
    assert profile.replies == 2
    assert not any("Cykelstierne" in p.text for p in profile.posts)  # the boosted post
    assert all(not MARKUP.search(p.text) and "@" not in p.text for p in profile.posts)


def test_api_folder_of_pages(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    boosted = _status("90", "<p>Someone else's words about trains</p>", account="2")
    (pages / "page1.json").write_text(json.dumps([
        _status("3", "<p>Oiled every chain in the shop today</p>", created="2025-05-03T18:00:00Z"),
        _status("4", "<p>Boosted text copied here by some servers</p>", reblog=boosted),
        _status("2", "<p><span class=\"h-card\"><a href=\"https://x.example/@mira\" class=\"u-url mention\">"
                     "@<span>mira</span></a></span> yes, compost tea works</p>", reply_to="77"),
    ]))
    (pages / "page2.json").write_text(json.dumps([
        _status("2", "<p>yes, compost tea works</p>", reply_to="77"),  # overlap with page 1
        _status("1", "<p>Første tomat i år</p>", lang="da", created="2025-04-01T08:00:00Z"),
    ]))
    with open_export(pages) as files:
        assert MastodonReader().detect(files) == 90
    profile = read_export(pages)
    assert profile.post_count == 3
    assert [(p.text, p.kind, p.lang) for p in profile.posts] == [
        ("Første tomat i år", "post", "da"),
        ("yes, compost tea works", "reply", "en"),
        ("Oiled every chain in the shop today", "post", "en"),
    ]


def test_a_timeline_of_many_accounts_keeps_only_the_first_account(tmp_path: Path) -> None:
    path = tmp_path / "statuses.json"
    path.write_text(json.dumps([_status("1", "<p>my own words</p>"), _status("2", "<p>theirs</p>", account="9")]))
    assert [p.text for p in read_export(path).posts] == ["my own words"]


def test_unrelated_json_array_is_not_mastodon(tmp_path: Path) -> None:
    path = tmp_path / "posts_1.json"
    path.write_text(json.dumps([{"media": [{"title": "a photo", "creation_timestamp": 1}]}]))
    with open_export(path) as files:
        assert MastodonReader().detect(files) == 0


# --- broken files ------------------------------------------------------------------------------------------


def test_malformed_outbox_is_named(tmp_path: Path) -> None:
    path = tmp_path / "outbox.json"
    path.write_text('{"type": "OrderedCollection", "orderedItems": [{"type": "Create", "object": {"content": "cu')
    with pytest.raises(ProfileParseError, match=r"outbox\.json: truncated or malformed JSON"):
        read_export(path)


@pytest.mark.parametrize(
    ("item", "problem"),
    [
        ({"type": "Create", "object": {"type": "Note", "content": "<p>hi there</p>", "published": "May 1"}},
         "item 1 has time 'May 1'"),
        ({"type": "Create", "object": {"type": "Note", "content": ["x"], "published": "2025-05-01T10:00:00Z"}},
         "item 1 has content of type list"),
        ("https://example.social/users/x/statuses/1", "item 1 is not an activity object"),
    ],
)
def test_bad_items_are_named(tmp_path: Path, item: Any, problem: str) -> None:
    path = tmp_path / "outbox.json"
    path.write_text(json.dumps({"type": "OrderedCollection", "orderedItems": [item]}))
    with pytest.raises(ProfileParseError, match=rf"outbox\.json: {re.escape(problem)}"):
        read_export(path)


# --- the command line -----------------------------------------------------------------------------------


def test_cli_extract_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", str(_sample_archive()), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["platform"] == "mastodon"
    assert data["post_count"] == 52
    assert len(data["posts"]) == 52
    assert set(data["posts"][0]) == {"text", "created_at", "lang", "kind"}
    assert all(datetime.fromisoformat(p["created_at"]).tzinfo is not None for p in data["posts"])


def test_cli_summary(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", str(SAMPLES / "mastodon" / "api-statuses.json")]) == 0
    out = capsys.readouterr().out
    assert "mastodon" in out and "(2 replies)" in out
