"""Reddit data request: posts.csv and comments.csv, the ip column dropped, deleted rows skipped."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from extractors import read_export
from installation.cli import main
from installation.errors import ProfileParseError

ZIP = Path(__file__).resolve().parent.parent / "sample_profiles" / "reddit" / "export_sourdough_sam_20240301.zip"
COMMENTS_HEADER = "id,permalink,date,ip,subreddit,gildings,link,parent,body,media\n"


def _zip_rows(name: str) -> list[dict[str, str]]:
    with zipfile.ZipFile(ZIP) as zf:
        return list(csv.DictReader(io.StringIO(zf.read(name).decode("utf-8"))))


def _comments(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "comments.csv"
    path.write_text(COMMENTS_HEADER + "".join(rows), encoding="utf-8")
    return path


def test_sample_counts_posts_and_comments_without_deleted_rows() -> None:
    posts, comments = _zip_rows("posts.csv"), _zip_rows("comments.csv")
    gone = {"[deleted]", "[removed]"}
    assert any(r["body"] in gone for r in posts) and any(r["body"] in gone for r in comments)
    profile = read_export(ZIP)
    assert profile.platform == "reddit"
    assert profile.post_count == 52 == sum(r["body"] not in gone for r in posts + comments)
    assert profile.replies == 39
    assert not any(p.text in gone for p in profile.posts)
    assert all(p.created_at.tzinfo is not None for p in profile.posts)


def test_ip_addresses_appear_nowhere_in_the_profile(capsys: pytest.CaptureFixture[str]) -> None:
    ips = {r["ip"] for r in _zip_rows("posts.csv") + _zip_rows("comments.csv") + _zip_rows("ip_logs.csv")}
    assert len(ips) > 10
    assert main(["extract", str(ZIP), "--json"]) == 0
    out = capsys.readouterr().out
    data = json.loads(out)
    assert data["platform"] == "reddit" and data["post_count"] == 52
    assert not any(ip in out for ip in ips)
    assert not re.search(r"\b\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b", out)


def test_post_is_title_and_body_and_comments_are_replies() -> None:
    posts = read_export(ZIP).posts
    first = posts[0]
    assert first.text.startswith("My starter finally doubled in 6 hours!\n\nTwo weeks of feeding")
    assert (first.kind, first.created_at) == ("post", datetime(2023, 1, 8, 9, 12, 5, tzinfo=UTC))
    link_post = next(p for p in posts if p.text.startswith("First focaccia"))
    assert link_post.text == "First focaccia with discard"  # a link post has its title only
    assert any(p.kind == "reply" and p.text.startswith("Your starter looks great") for p in posts)


def test_markdown_quotes_links_entities_and_user_mentions(tmp_path: Path) -> None:
    path = _comments(
        tmp_path,
        'c1,/r/Sourdough/c1,2023-02-01 10:00:00 UTC,203.0.113.9,Sourdough,0,/r/x,t1_a,'
        '"&gt; how wet is your dough?\n\nAbout 78% &amp; [this recipe](https://example.org/r) helped, '
        'ask u/crumb_queen in r/Breadit",\n',
    )
    (post,) = read_export(path).posts
    assert post.text == "About 78% & this recipe helped, ask in Breadit"
    assert post.kind == "reply"


def test_comments_alone_are_read(tmp_path: Path) -> None:
    _comments(
        tmp_path,
        "c1,/p,2023-02-01 10:00:00 UTC,198.51.100.1,AskBaking,0,/l,t3_x,Weigh your flour in grams,\n",
        "c2,/p,2023-02-02 10:00:00 UTC,198.51.100.2,AskBaking,0,/l,t3_x,[removed],\n",
        "c3,/p,2023-02-03 10:00:00 UTC,198.51.100.3,AskBaking,0,/l,t3_x,[deleted],\n",
    )
    profile = read_export(tmp_path)
    assert profile.post_count == 1
    assert [p.text for p in profile.posts] == ["Weigh your flour in grams"]


def test_bad_date_is_named_with_file_and_value(tmp_path: Path) -> None:
    path = _comments(tmp_path, "c9,/p,last tuesday,198.51.100.1,Sourdough,0,/l,t3_x,Proof overnight,\n")
    with pytest.raises(ProfileParseError, match=r"comments\.csv: row 'c9' has date 'last tuesday'"):
        read_export(path)


def test_invalid_utf8_is_named(tmp_path: Path) -> None:
    path = tmp_path / "posts.csv"
    path.write_bytes(b"id,permalink,date,ip,subreddit,gildings,title,url,body\n"
                     b"p1,/p,2023-02-01 10:00:00 UTC,198.51.100.1,Sourdough,0,Crumb \xff shot,,\n")
    with pytest.raises(ProfileParseError, match=r"posts\.csv: not valid UTF-8"):
        read_export(path)
