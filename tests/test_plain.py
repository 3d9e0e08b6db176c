"""The curators' fallback reader: .txt, .jsonl and .csv."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractors import read_export
from installation.cli import main
from installation.errors import EmptyProfileError, ProfileParseError


def test_txt_one_post_per_paragraph(tmp_path: Path) -> None:
    path = tmp_path / "posts.txt"
    path.write_text("First thought about the sea.\n\nSecond thought,\nstill the sea.\n\n\n\nhttps://x.org\n")
    profile = read_export(path)
    assert profile.platform == "plain"
    assert profile.post_count == 3  # the link-only paragraph counts: its stored text is not empty
    assert [p.text for p in profile.posts] == ["First thought about the sea.", "Second thought,\nstill the sea."]
    assert all(p.created_at.tzinfo is not None for p in profile.posts)


def test_jsonl_with_times_kinds_and_languages(tmp_path: Path) -> None:
    path = tmp_path / "posts.jsonl"
    rows = [
        {"text": "Ein langer Spaziergang am Fluss heute", "created_at": "2024-05-01T08:00:00", "lang": "de"},
        {"text": "replying about the weather", "created_at": "2024-05-02T09:00:00+02:00", "kind": "reply"},
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows))
    profile = read_export(path)
    assert [p.lang for p in profile.posts] == ["de", "en"]
    assert [p.kind for p in profile.posts] == ["post", "reply"]
    assert profile.posts[0].created_at.utcoffset() is not None


def test_csv_with_text_column(tmp_path: Path) -> None:
    path = tmp_path / "posts.csv"
    path.write_text('created_at,text\n2024-01-01T10:00:00Z,"Snow on the roofs, quiet streets"\n')
    assert read_export(path).posts[0].text == "Snow on the roofs, quiet streets"


def test_bad_jsonl_line_is_named(tmp_path: Path) -> None:
    path = tmp_path / "posts.jsonl"
    path.write_text('{"text": "fine"}\n{broken\n')
    with pytest.raises(ProfileParseError, match=r"posts\.jsonl: line 2"):
        read_export(path)


def test_bad_time_is_named(tmp_path: Path) -> None:
    path = tmp_path / "posts.jsonl"
    path.write_text('{"text": "fine words", "created_at": "yesterday"}\n')
    with pytest.raises(ProfileParseError, match="'yesterday'"):
        read_export(path)


def test_blank_export_is_empty(tmp_path: Path) -> None:
    path = tmp_path / "posts.txt"
    path.write_text("\n\n   \n")
    with pytest.raises(EmptyProfileError):
        read_export(path)


def test_cli_json_contract(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "posts.txt"
    path.write_text("Tomatoes are ripening on the balcony.\n\nThe first frost came early.")
    assert main(["extract", str(path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"platform", "post_count", "posts", "left_out"}
    assert data["post_count"] == 2
    assert data["left_out"] == {"count": 0, "why": {}}
    assert set(data["posts"][0]) == {"text", "created_at", "lang", "kind"}


def test_counted_but_unlisted_posts_are_explained(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "posts.txt"
    path.write_text("Tomatoes are ripening on the balcony.\n\nhttps://example.com/a\n\n@someone")
    assert main(["extract", str(path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["post_count"] == 3 and len(data["posts"]) == 1
    assert data["left_out"]["count"] == 2 == sum(data["left_out"]["why"].values())
    assert "links" in next(iter(data["left_out"]["why"]))


def test_cli_bad_input_exit_code(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", str(tmp_path / "missing.zip")]) == 2
    assert "missing.zip: no such file" in capsys.readouterr().err
