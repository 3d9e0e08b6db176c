"""One visitor, several exports: separate downloads in a folder or a zip, platforms in top-level folders."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from meta_json import meta

from extractors import read_export
from extractors.errors import ProfileParseError, UnknownFormatError

FB_POSTS = "your_facebook_activity/posts/your_posts__check_ins__photos_and_videos_1.json"
IG_POSTS = "your_instagram_activity/media/posts_1.json"


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def _meta(data: Any) -> bytes:
    return json.dumps(meta(data), ensure_ascii=True).encode()


def facebook_members() -> dict[str, bytes]:
    posts = [{"timestamp": 1700000000, "data": [{"post": "Rabarbergrød på terrassen i solen"}],
              "title": "Ida Holm opdaterede sin status."},
             {"timestamp": 1700000100, "data": [], "title": "Ida Holm har tilføjet et nyt billede."}]
    return {FB_POSTS: _meta(posts),
            "personal_information/profile_information/profile_information.json": b'{"profile_v2": {}}'}


def instagram_members() -> dict[str, bytes]:
    posts = [{"media": [{"uri": "media/posts/1.jpg", "creation_timestamp": 1700000200,
                         "title": "Strikketøj og kaffe ved vinduet"}]}]
    return {IG_POSTS: _meta(posts)}


def tiktok_members() -> dict[str, bytes]:
    data = {"Comment": {"Comments": {"CommentsList": [{"date": "2023-11-15 10:00:00",
                                                       "comment": "Den opskrift prøver jeg i morgen"}]}},
            "Direct Message": {"Direct Messages": {"ChatHistory": {"Chat with x:": [{"Content": "a secret"}]}}}}
    return {"user_data_tiktok.json": json.dumps(data, separators=(",", ":")).encode()}


def _platforms(path: Path) -> tuple[str, list[str]]:
    profile = read_export(path)
    return profile.platform, [p.platform for p in profile.posts]


def test_a_folder_of_separate_downloads_makes_one_profile(tmp_path: Path) -> None:
    folder = tmp_path / "downloads"
    folder.mkdir()
    (folder / "facebook-idaholm-2026-03-02-Ab12Cd34.zip").write_bytes(_zip(facebook_members()))
    (folder / "instagram-ida.holm-2026-03-02-Ef56Gh78.zip").write_bytes(_zip(instagram_members()))
    (folder / "TikTok_Data_1741600000.zip").write_bytes(_zip(tiktok_members()))
    (folder / "notes.pdf").write_bytes(b"%PDF-1.4 not an export")  # beside them, never read
    profile = read_export(folder)
    assert profile.platform == "facebook+instagram+tiktok"
    assert [(p.platform, p.text) for p in profile.posts] == [
        ("facebook", "Rabarbergrød på terrassen i solen"),
        ("instagram", "Strikketøj og kaffe ved vinduet"),
        ("tiktok", "Den opskrift prøver jeg i morgen"),
    ]
    assert "secret" not in json.dumps(profile.to_dict(complete=True))


def test_a_zip_of_separate_downloads_makes_one_profile(tmp_path: Path) -> None:
    outer = tmp_path / "mine.zip"
    outer.write_bytes(_zip({"facebook-idaholm.zip": _zip(facebook_members()),
                            "instagram-ida.holm.zip": _zip(instagram_members())}))
    assert _platforms(outer) == ("facebook+instagram", ["facebook", "instagram"])


@pytest.mark.parametrize("as_zip", [True, False])
def test_platforms_in_top_level_folders_make_one_profile(tmp_path: Path, as_zip: bool) -> None:
    members = {f"facebook/{k}": v for k, v in facebook_members().items()}
    members |= {f"instagram/{k}": v for k, v in instagram_members().items()}
    members |= {f"tiktok/{k}": v for k, v in tiktok_members().items()}
    members["README.txt"] = b"my exports, march 2026"
    if as_zip:
        path = tmp_path / "everything.zip"
        path.write_bytes(_zip(members))
    else:
        path = tmp_path / "everything"
        for rel, data in members.items():
            (path / rel).parent.mkdir(parents=True, exist_ok=True)
            (path / rel).write_bytes(data)
    assert _platforms(path) == ("facebook+instagram+tiktok", ["facebook", "instagram", "tiktok"])


def test_platforms_in_a_zipped_folder_make_one_profile(tmp_path: Path) -> None:
    # macOS's "Compress" on a folder: everything under "my exports/", resource forks under __MACOSX/.
    members = {f"my exports/facebook/{k}": v for k, v in facebook_members().items()}
    members |= {f"my exports/tiktok/{k}": v for k, v in tiktok_members().items()}
    members["__MACOSX/my exports/tiktok/._user_data_tiktok.json"] = b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X"
    path = tmp_path / "my exports.zip"
    path.write_bytes(_zip(members))
    assert _platforms(path) == ("facebook+tiktok", ["facebook", "tiktok"])


def test_meta_layouts_side_by_side_in_one_zip_are_both_read(tmp_path: Path) -> None:
    # Facebook's and Instagram's activity folders at the top of one zip, as Accounts Center can make it.
    path = tmp_path / "meta-2026-03-02.zip"
    path.write_bytes(_zip(facebook_members() | instagram_members()))
    assert _platforms(path) == ("facebook+instagram", ["facebook", "instagram"])


def test_one_platforms_folders_are_read_together(tmp_path: Path) -> None:
    # Instagram's older layout spreads one export over content/ and comments/: not two exports.
    comments = [{"string_map_data": {"Comment": {"value": "Qué bonito"}, "Media Owner": {"value": "lucia"},
                                     "Time": {"timestamp": 1700000300}}}]
    path = tmp_path / "instagram.zip"
    path.write_bytes(_zip({"content/posts_1.json": instagram_members()[IG_POSTS],
                           "comments/post_comments_1.json": _meta(comments)}))
    assert _platforms(path) == ("instagram", ["instagram", "instagram"])


def test_a_folder_with_an_unreadable_download_is_refused_with_its_name(tmp_path: Path) -> None:
    folder = tmp_path / "downloads"
    folder.mkdir()
    (folder / "facebook-idaholm.zip").write_bytes(_zip(facebook_members()))
    (folder / "holiday.zip").write_bytes(_zip({"camera.json": b'{"model": "old"}'}))
    with pytest.raises(UnknownFormatError, match=r"holds 2 exports, of which 1 .*holiday\.zip"):
        read_export(folder)


def test_a_folder_with_a_broken_download_names_it(tmp_path: Path) -> None:
    folder = tmp_path / "downloads"
    folder.mkdir()
    (folder / "facebook-idaholm.zip").write_bytes(_zip(facebook_members()))
    (folder / "instagram-ida.zip").write_bytes(b"this is no zip at all")
    with pytest.raises(ProfileParseError, match=r"instagram-ida\.zip: named like an archive"):
        read_export(folder)
