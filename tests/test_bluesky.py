"""Bluesky: repo.car (walking the repository tree) and getAuthorFeed API pages."""

from __future__ import annotations

import importlib.util
import json
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from extractors import read_export
from installation.cli import main
from installation.errors import ProfileParseError

SAMPLE = Path(__file__).resolve().parent.parent / "sample_profiles"
CAR = SAMPLE / "bluesky" / "repo.car"
FEED = SAMPLE / "bluesky" / "api-feed.json"
ME = "did:plc:testperson234567abcdefgh"
SUBJECT = {"uri": "at://did:plc:other/app.bsky.feed.post/3kyyyyyyyyy22", "cid": "bafyreie"}


def _builder() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_bluesky", SAMPLE / "build" / "build_bluesky.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


build = _builder()


def _post(text: str, created: str | None = "2024-05-01T10:00:00.000Z", **extra: Any) -> dict[str, Any]:
    rec: dict[str, Any] = {"$type": "app.bsky.feed.post", "text": text, **extra}
    if created is not None:
        rec["createdAt"] = created
    return rec


def _write_car(tmp_path: Path, records: dict[str, dict[str, Any]], **kw: Any) -> Path:
    path = tmp_path / "repo.car"
    path.write_bytes(build.car_bytes(ME, records, **kw))
    return path


def test_sample_repository_counts_own_posts_and_replies() -> None:
    profile = read_export(CAR)
    expected = sum(1 for text, _, _ in build.POSTS if text)
    assert profile.platform == "bluesky"
    assert profile.post_count == expected == 48  # two photo-only posts have no text
    assert profile.replies == sum(1 for text, kind, _ in build.POSTS if text and kind == "reply") == 8
    assert all(p.created_at.tzinfo is not None for p in profile.posts)
    assert {p.lang for p in profile.posts} == {"en", "pt"}


def test_facets_cut_links_and_mentions_keep_tags() -> None:
    texts = [p.text for p in read_export(CAR).posts]
    assert not any("nature.com" in t or "reefwatch" in t for t in texts)
    assert any(t.startswith("Thanks for the temperature logger data") for t in texts)
    assert any(t.endswith("coralreefs") for t in texts)


def test_reposts_likes_follows_and_profile_are_not_posts(tmp_path: Path) -> None:
    records = {
        "app.bsky.feed.post/3kaaaaaaaaa22": _post("my own words about kelp forests"),
        "app.bsky.feed.repost/3kaaaaaaaab22": {"$type": "app.bsky.feed.repost", "subject": SUBJECT,
                                               "createdAt": "2024-05-01T10:00:00Z"},
        "app.bsky.feed.like/3kaaaaaaaac22": {"$type": "app.bsky.feed.like", "subject": SUBJECT,
                                             "createdAt": "2024-05-01T10:00:00Z"},
        # A post-shaped record in another collection is not a post of this repository.
        "app.bsky.feed.threadgate/3kaaaaaaaad22": _post("not a post collection"),
        "app.bsky.actor.profile/self": {"$type": "app.bsky.actor.profile", "displayName": "Someone"},
    }
    profile = read_export(_write_car(tmp_path, records))
    assert [p.text for p in profile.posts] == ["my own words about kelp forests"]
    assert profile.post_count == 1


def test_only_records_the_tree_reaches_are_read(tmp_path: Path) -> None:
    """A deleted post's block left in the file is not in the tree, so it is not the person's post."""
    records = {f"app.bsky.feed.post/3kbbbbbbbb{c}22": _post(f"tide pool diary number {c}") for c in "abcdefgh"}
    path = _write_car(tmp_path, records, orphans=[_post("a post I deleted last year")])
    profile = read_export(path)
    assert profile.post_count == 8
    assert not any("deleted" in p.text for p in profile.posts)


def test_many_records_walk_a_deep_tree(tmp_path: Path) -> None:
    start = datetime(2024, 1, 1, tzinfo=UTC)
    records = {f"app.bsky.feed.post/{build.tid(start.replace(minute=i % 60, hour=i // 60))}":
               _post(f"observation {i} of the seagrass meadow") for i in range(300)}
    profile = read_export(_write_car(tmp_path, records))
    assert profile.post_count == 300
    assert len({p.text for p in profile.posts}) == 300


def test_reply_language_and_time_fallback(tmp_path: Path) -> None:
    ref = {"uri": "at://did:plc:other/app.bsky.feed.post/3kzzzzzzzzz22", "cid": "bafyreie"}
    when = datetime(2023, 7, 14, 9, 30, tzinfo=UTC)
    records = {
        "app.bsky.feed.post/3kccccccccc22": _post("Antwort auf deine Frage zum Riff", langs=["de"],
                                                  reply={"root": ref, "parent": ref}),
        f"app.bsky.feed.post/{build.tid(when)}": _post("a post whose client wrote a broken time", created="yesterday"),
    }
    posts = {p.text: p for p in read_export(_write_car(tmp_path, records)).posts}
    reply = posts["Antwort auf deine Frage zum Riff"]
    assert (reply.kind, reply.lang) == ("reply", "de")
    assert posts["a post whose client wrote a broken time"].created_at == when


def test_unreadable_time_without_tid_key_is_named(tmp_path: Path) -> None:
    path = _write_car(tmp_path, {"app.bsky.feed.post/not-a-tid": _post("words", created="someday")})
    with pytest.raises(ProfileParseError, match=r"repo\.car: .*'someday'"):
        read_export(path)


def test_truncated_car_is_a_parse_error_naming_the_file(tmp_path: Path) -> None:
    data = CAR.read_bytes()
    path = tmp_path / "repo.car"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ProfileParseError, match=r"repo\.car: not a readable CAR"):
        read_export(path)


def test_garbage_car_is_a_parse_error(tmp_path: Path) -> None:
    path = tmp_path / "export.car"
    path.write_bytes(b"this is not a content archive at all")
    with pytest.raises(ProfileParseError, match=r"export\.car"):
        read_export(path)


def test_api_page_skips_reposts_and_pins_count_once() -> None:
    page = json.loads(FEED.read_text(encoding="utf-8"))
    reposts = [i["post"]["record"]["text"] for i in page["feed"]
               if i.get("reason", {}).get("$type") == "app.bsky.feed.defs#reasonRepost"]
    assert reposts  # the sample has them
    profile = read_export(FEED)
    texts = {p.text for p in profile.posts}
    assert profile.post_count == 10 == len(texts)
    assert not texts & set(reposts)


def test_api_pages_in_a_folder_skip_other_authors(tmp_path: Path) -> None:
    def item(did: str, n: int, text: str) -> dict[str, Any]:
        return {"post": {"uri": f"at://{did}/app.bsky.feed.post/3kddddddd{n:02d}22", "author": {"did": did},
                         "record": _post(text, created=f"2024-06-{n:02d}T08:00:00Z")}}

    pages = [
        {"feed": [item(ME, 1, "mangroves at low tide"), item(ME, 2, "mangrove crabs everywhere")], "cursor": "a"},
        {"feed": [item(ME, 3, "last page of my feed"), item("did:plc:someoneelse", 4, "a stranger's words")]},
    ]
    for n, page in enumerate(pages, start=1):
        (tmp_path / f"page-{n}.json").write_text(json.dumps(page))
    profile = read_export(tmp_path)
    assert sorted(p.text for p in profile.posts) == [
        "last page of my feed", "mangrove crabs everywhere", "mangroves at low tide"]


def test_repository_and_api_pages_together_count_each_post_once() -> None:
    assert read_export(SAMPLE / "bluesky").post_count == read_export(CAR).post_count


def test_cli_extract_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", str(CAR), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["platform"] == "bluesky"
    assert data["post_count"] == 48
    assert {p["kind"] for p in data["posts"]} == {"post", "reply"}
    assert all(datetime.fromisoformat(p["created_at"]).tzinfo is not None for p in data["posts"])
