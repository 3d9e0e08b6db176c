"""Broken and odd exports of every reader end in one clear sentence from ``portrait extract``, never a
traceback: wrong types where text or times belong, cut-off files, damaged archives in a folder."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from installation.cli import main

_YT = (b"Comment ID,Channel ID,Comment create timestamp,Price,Parent comment ID,Post ID,Video ID,Comment text,"
       b"Top-level comment ID\n")
BROKEN: dict[str, bytes] = {
    "tweets.js": b'window.YTD.tweets.part0 = [{"tweet": {"full_text": 5}}]',
    "note-tweet.js": b'window.YTD.note_tweet.part0 = [{"noteTweet": {"createdAt": "bad", "core": {"text": 7}}}]',
    "your_posts_1.json": json.dumps([{"timestamp": 1e30, "data": [{"post": "hej"}]}]).encode(),
    "threads_and_replies.json": b'{"text_post_app_text_posts": [{"media": "x"}]}',
    "user_data_tiktok.json": json.dumps({"Comment": {"Comments": {"CommentsList": [{"date": None,
                                                                                     "comment": "hi"}]}}}).encode(),
    "user_data.json": b'{"Comment": {"Comments": {"CommentsList": [{"date": "2023-01-01", "comment": ',
    "comments.csv": _YT + b'x,y,2024-01-01T00:00:00Z,,,,v,{"text": [1,2]} garbage,\n',
    "pixelfed-statuses.json": b'[{"content_text": null, "created_at": 5}]',
    "result.json": json.dumps({"name": "x", "type": "personal_chat", "id": 1, "messages": [
        {"type": "message", "date": "zzz", "date_unixtime": "abc", "from": "me", "text": [{"type": 3}]}]}).encode(),
    "outbox.json": json.dumps({"type": "OrderedCollection", "orderedItems": [
        {"type": "Create", "object": {"content": 5, "published": []}}]}).encode(),
    "repo.car": b"\x0a\xa2erootsgversion" + bytes(range(256)),
    "Shares.csv": b"Date,ShareLink,ShareCommentary,SharedUrl,MediaUrl,Visibility\n2024-01-01,x,\xff\xfe,,,PUBLIC\n",
    "posts.csv": b"post_id,post_date,is_published,type,audience,title,subtitle\n1,zz,true,newsletter,everyone,t,s\n",
    "deep.json": b"[" * 100_000,
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_a_broken_data_file_is_one_clear_sentence(
    tmp_path: Path, name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / name
    path.write_bytes(BROKEN[name])
    assert main(["extract", str(path), "--json"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("portrait: error: ") and "\n" not in err and "Traceback" not in err, err


def test_a_damaged_download_in_a_folder_is_one_clear_sentence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "downloads"
    folder.mkdir()
    with zipfile.ZipFile(folder / "facebook-x.zip", "w") as zf:
        zf.writestr("posts/your_posts_1.json", json.dumps([{"timestamp": 1700000000, "data": [{"post": "hej"}]}]))
    (folder / "instagram-x.zip").write_bytes(b"PK\x03\x04 cut off here")
    assert main(["extract", str(folder), "--json"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("portrait: error: downloads: instagram-x.zip: the archive is truncated or damaged"), err
