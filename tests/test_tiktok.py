"""TikTok "Download your data": comments and video titles; direct messages and the profile never read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractors import read_export
from extractors.errors import ProfileParseError

SAMPLE = next((Path(__file__).parents[1] / "sample_profiles" / "tiktok").glob("TikTok_Data_*.zip"))


def test_sample_reads_comments_and_titled_videos() -> None:
    profile = read_export(SAMPLE)
    assert profile.platform == "tiktok" and profile.post_count == 33 == len(profile.posts)
    assert profile.replies == 18  # every comment answers someone's video
    texts = [p.text for p in profile.posts]
    assert "N/A" not in texts
    assert any("Cardamom buns" in t for t in texts)


def test_direct_messages_and_profile_never_reach_the_profile() -> None:
    blob = json.dumps(read_export(SAMPLE).to_dict(complete=True))
    for private in ("market on Saturday", "06 1234 5678", "example.com", "noor.bakes.rdam", "1994-05-17"):
        assert private not in blob


@pytest.mark.parametrize("name", ["user_data.json", "export.json", "download"])
def test_older_layout_under_any_name(tmp_path: Path, name: str) -> None:
    data = {
        "Activity": {"Comments": {"CommentsList": [{"date": "2021-06-01 10:00:00", "comment": "Lovely bread"}]}},
        "Video": {"Videos": {"VideoList": [{"Date": "2021-06-02 11:00:00", "Title": "My first loaf"},
                                           {"Date": "2021-06-03 11:00:00", "Title": "N/A"}]}},
        "Direct Messages": {"Chat History": {"ChatHistory": {"x": [{"Content": "a secret"}]}}},
    }
    path = tmp_path / name
    path.write_text(json.dumps(data))
    profile = read_export(path)
    assert profile.platform == "tiktok"
    assert [(p.text, p.kind) for p in profile.posts] == [("Lovely bread", "reply"), ("My first loaf", "post")]


def test_bad_date_is_named(tmp_path: Path) -> None:
    path = tmp_path / "user_data_tiktok.json"
    path.write_text(json.dumps({"Comment": {"Comments": {"CommentsList": [{"date": "yesterday", "comment": "x"}]}}}))
    with pytest.raises(ProfileParseError, match=r"user_data_tiktok\.json.*Comment\.Comments\.CommentsList.*yesterday"):
        read_export(path)


def test_sample_is_what_the_build_script_makes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util
    import sys

    build = Path(__file__).parents[1] / "sample_profiles" / "build"
    monkeypatch.syspath_prepend(str(build))
    spec = importlib.util.spec_from_file_location("build_tiktok", build / "build_tiktok.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "OUT", tmp_path)
    assert module.build().read_bytes() == SAMPLE.read_bytes()
    sys.modules.pop("meta_export", None)


def test_minified_export_with_brackets_in_strings_reads(tmp_path: Path) -> None:
    # TikTok writes one line; the depth guard streams it with the parser, so brackets inside strings
    # ("[[[[" in a comment) are text, not nesting.
    comment = "so " + "[[[[{{{{" * 20 + " good"
    data = {"Comment": {"Comments": {"CommentsList": [{"date": "2022-01-01 10:00:00", "comment": comment}]}}}
    path = tmp_path / "user_data_tiktok.json"
    path.write_text(json.dumps(data, separators=(",", ":")))
    assert [p.text for p in read_export(path).posts] == [comment]


@pytest.mark.parametrize("closed", [True, False])
def test_deep_minified_export_is_a_clear_error(tmp_path: Path, closed: bool) -> None:
    deep = b"[" * 200_000 + (b"]" * 200_000 if closed else b"")
    path = tmp_path / "user_data_tiktok.json"
    start = b'{"Comment":{"Comments":{"CommentsList":[{"date":"2022-01-01 10:00:00","comment":"hi"}]}},"Ads and data":'
    path.write_bytes(start + deep + (b"}" if closed else b""))
    with pytest.raises(ProfileParseError, match=r"user_data_tiktok\.json: JSON nested more than 64 levels deep"):
        read_export(path)
