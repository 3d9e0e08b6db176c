"""YouTube comments from Takeout: JSON-piece cells, header variants, localised names."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

import pytest

from extractors import read_export
from extractors.errors import ProfileParseError

SAMPLE = next((Path(__file__).parents[1] / "sample_profiles" / "youtube").glob("takeout-*.zip"))


def test_sample_reads_comments_and_explains_the_link_only_one() -> None:
    profile = read_export(SAMPLE)
    assert profile.platform == "youtube" and profile.post_count == 26 and len(profile.posts) == 25
    assert profile.to_dict()["left_out"]["count"] == 1
    assert profile.replies == 4
    texts = [p.text for p in profile.posts]
    assert "At the way you bend the sides" in texts[1]  # the timestamp link piece is not words
    assert not any("{" in t or "videoLink" in t for t in texts)


def test_watch_history_and_subscriptions_are_never_read() -> None:
    blob = json.dumps(read_export(SAMPLE).to_dict(complete=True))
    assert "Luthier Diaries" not in blob
    with zipfile.ZipFile(SAMPLE) as zf:
        subscriptions = zf.read("Takeout/YouTube and YouTube Music/subscriptions/subscriptions.csv").decode()
    assert "Luthier Diaries" in subscriptions


def _csv(header: list[str], rows: list[list[str]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue()


@pytest.mark.parametrize("name", ["Kommentare.csv", "export.csv", "export"])
def test_older_lower_case_header_under_any_name(tmp_path: Path, name: str) -> None:
    text = _csv(["comment id", "channel id", "comment create timestamp", "price", "video id", "comment text"],
                [["c1", "ch", "2020-02-01T10:00:00+00:00", "", "v1", '{"text":"Wonderful "},{"text":"tuning tips"}']])
    path = tmp_path / name
    path.write_text(text)
    (post,) = read_export(path).posts
    assert post.text == "Wonderful tuning tips" and post.kind == "post"


def test_broken_pieces_are_named(tmp_path: Path) -> None:
    path = tmp_path / "comments.csv"
    path.write_text(_csv(["Comment ID", "Comment create timestamp", "Comment text"],
                         [["c1", "2020-02-01T10:00:00+00:00", '{"text": "cut off']]))
    with pytest.raises(ProfileParseError, match=r"comments\.csv: row 1 .*not JSON pieces"):
        read_export(path)
