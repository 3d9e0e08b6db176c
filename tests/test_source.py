"""Hostile and broken exports: every one gets a clear error, nothing is written outside its folder."""

from __future__ import annotations

import io
import json
import re
import stat
import tarfile
import zipfile
from pathlib import Path

import pytest

from extractors import ReadLimits, read_export
from extractors.intake.source import open_export
from installation.errors import (
    ExportTooLargeError,
    IntakeError,
    ProfileParseError,
    UnknownFormatError,
    UnsafeArchiveError,
)

POSTS = "A walk along the harbour at dawn.\n\nBaking rye bread with the neighbours today."


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def test_plain_zip_reads_through_a_private_folder(tmp_path: Path) -> None:
    archive = _zip(tmp_path / "export.zip", {"notes/posts.txt": POSTS.encode()})
    with open_export(archive) as files:
        root = files.root
        assert files.files == ("notes/posts.txt",)
        assert root != tmp_path and root.exists()
        assert stat.S_IMODE(root.stat().st_mode) == 0o700
    assert not root.exists(), "the temporary copy must vanish after reading"
    assert read_export(archive).post_count == 2


def test_zip_slip_is_refused_and_nothing_escapes(tmp_path: Path) -> None:
    archive = _zip(tmp_path / "evil.zip", {"../../escaped.txt": b"owned", "posts.txt": POSTS.encode()})
    with pytest.raises(UnsafeArchiveError, match="outside the archive"):
        read_export(archive)
    assert not (tmp_path.parent / "escaped.txt").exists()


def test_absolute_member_path_is_refused(tmp_path: Path) -> None:
    archive = _zip(tmp_path / "abs.zip", {"/etc/passwd.txt": b"x"})
    with pytest.raises(UnsafeArchiveError, match="absolute path"):
        read_export(archive)


def test_zip_bomb_is_refused_by_ratio(tmp_path: Path) -> None:
    archive = _zip(tmp_path / "bomb.zip", {"data/tweets.js": b"\0" * (20 << 20)})
    with pytest.raises(UnsafeArchiveError, match="zip bomb"):
        read_export(archive)


def test_total_size_cap(tmp_path: Path) -> None:
    archive = _zip(tmp_path / "big.zip", {f"p{i}.txt": POSTS.encode() * 50 for i in range(4)})
    with pytest.raises(ExportTooLargeError, match="exceed"):
        read_export(archive, ReadLimits(max_total_bytes=8000))


def test_file_count_cap(tmp_path: Path) -> None:
    archive = _zip(tmp_path / "many.zip", {f"m/{i}.jpg": b"x" for i in range(50)})
    with pytest.raises(ExportTooLargeError, match="entries"):
        read_export(archive, ReadLimits(max_files=20))


def test_nesting_cap(tmp_path: Path) -> None:
    inner = _zip(tmp_path / "inner.zip", {"posts.txt": POSTS.encode()})
    middle = _zip(tmp_path / "middle.zip", {"inner.zip": inner.read_bytes()})
    outer = _zip(tmp_path / "outer.zip", {"middle.zip": middle.read_bytes()})
    assert read_export(middle).post_count == 2, "one level of nesting is an ordinary export"
    with pytest.raises(ExportTooLargeError, match="nested"):
        read_export(outer, ReadLimits(max_nesting=1))


def _tar_with(path: Path, member: tarfile.TarInfo, data: bytes | None = None) -> Path:
    with tarfile.open(path, "w:gz") as tf:
        posts = tarfile.TarInfo("outbox.txt")
        posts.size = len(POSTS)
        tf.addfile(posts, io.BytesIO(POSTS.encode()))
        tf.addfile(member, io.BytesIO(data) if data is not None else None)
    return path


def test_symlink_in_tar_is_refused(tmp_path: Path) -> None:
    link = tarfile.TarInfo("outbox.json")
    link.type = tarfile.SYMTYPE
    link.linkname = "/etc/passwd"
    with pytest.raises(UnsafeArchiveError, match="link"):
        read_export(_tar_with(tmp_path / "archive.tar.gz", link))


def test_device_in_tar_is_refused(tmp_path: Path) -> None:
    dev = tarfile.TarInfo("null")
    dev.type = tarfile.CHRTYPE
    with pytest.raises(UnsafeArchiveError, match="device"):
        read_export(_tar_with(tmp_path / "archive.tar.gz", dev))


def test_tar_traversal_is_refused(tmp_path: Path) -> None:
    evil = tarfile.TarInfo("../evil.txt")
    evil.size = 3
    with pytest.raises(UnsafeArchiveError, match="outside"):
        read_export(_tar_with(tmp_path / "archive.tar.gz", evil, b"bad"))
    assert not (tmp_path.parent / "evil.txt").exists()


def test_symlink_in_zip_is_refused(tmp_path: Path) -> None:
    archive = tmp_path / "link.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        info = zipfile.ZipInfo("posts.txt")
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(info, "/etc/passwd")
    with pytest.raises(UnsafeArchiveError, match="symbolic link"):
        read_export(archive)


def test_truncated_zip(tmp_path: Path) -> None:
    whole = _zip(tmp_path / "whole.zip", {"posts.txt": POSTS.encode() * 100}).read_bytes()
    cut = tmp_path / "cut.zip"
    cut.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(ProfileParseError, match="truncated or damaged"):
        read_export(cut)


def test_truncated_tar_gz(tmp_path: Path) -> None:
    big = tarfile.TarInfo("posts.txt")
    payload = ("".join(f"Post number {i} about sailing and rope.\n\n" for i in range(3000))).encode()
    big.size = len(payload)
    whole = tmp_path / "whole.tar.gz"
    with tarfile.open(whole, "w:gz") as tf:
        tf.addfile(big, io.BytesIO(payload))
    cut = tmp_path / "cut.tar.gz"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    with pytest.raises(ProfileParseError, match="truncated or damaged"):
        read_export(cut)


def test_wrong_extension_is_judged_by_content(tmp_path: Path) -> None:
    renamed = tmp_path / "posts.txt"
    renamed.write_bytes(_zip(tmp_path / "a.zip", {"posts.txt": POSTS.encode()}).read_bytes())
    assert read_export(renamed).post_count == 2
    fake = tmp_path / "photo.zip"
    fake.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 100)
    with pytest.raises(ProfileParseError, match=r"not a zip or tar\.gz"):
        read_export(fake)
    image = tmp_path / "selfie.jpg"
    image.write_bytes(b"\xff\xd8\xff" + b"\0" * 100)
    with pytest.raises(ProfileParseError, match="not an export this installation reads"):
        read_export(image)


def test_invalid_utf8_names_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "posts.txt"
    bad.write_bytes(b"caf\xe9 au lait\n")
    with pytest.raises(ProfileParseError, match=r"posts\.txt: not valid UTF-8"):
        read_export(bad)


def test_zero_bytes(tmp_path: Path) -> None:
    empty = tmp_path / "export.zip"
    empty.write_bytes(b"")
    with pytest.raises(ProfileParseError, match="empty"):
        read_export(empty)


def test_deep_json_is_a_parse_error_not_a_crash(tmp_path: Path) -> None:
    deep = tmp_path / "posts.jsonl"
    deep.write_text("[" * 100_000 + "]" * 100_000 + "\n")
    with pytest.raises(ProfileParseError, match=r"posts\.jsonl"):
        read_export(deep)


def test_unknown_archive_lists_understood_formats(tmp_path: Path) -> None:
    archive = _zip(tmp_path / "mystery.zip", {"a/b.json": json.dumps({"hello": 1}).encode(),
                                               "c/d.json": b"[]"})
    with pytest.raises(UnknownFormatError, match=r"Understood:.*plain text"):
        read_export(archive)


def test_archive_without_data_files(tmp_path: Path) -> None:
    archive = _zip(tmp_path / "photos.zip", {"a.jpg": b"\xff\xd8\xff", "b.png": b"\x89PNG"})
    with pytest.raises(UnknownFormatError, match="no data files"):
        read_export(archive)


def test_oversize_input_and_file(tmp_path: Path) -> None:
    big = tmp_path / "posts.txt"
    big.write_text(POSTS * 100)
    with pytest.raises(ExportTooLargeError, match="over the limit"):
        read_export(big, ReadLimits(max_input_bytes=1000))
    with pytest.raises(ExportTooLargeError, match="per-file limit"):
        read_export(big, ReadLimits(max_file_bytes=1000))


def test_folder_ignores_symlinks(tmp_path: Path) -> None:
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "posts.txt").write_text(POSTS)
    secret = tmp_path / "secret.txt"
    secret.write_text("do not read me")
    (folder / "link.txt").symlink_to(secret)
    with open_export(folder) as files:
        assert files.files == ("posts.txt",)


def test_every_refusal_is_an_intake_or_parse_error() -> None:
    # The CLI, kiosk and worker rely on these two branches to turn refusals into clear messages.
    assert issubclass(UnsafeArchiveError, IntakeError)
    assert issubclass(ExportTooLargeError, IntakeError)
    assert issubclass(UnknownFormatError, ProfileParseError)


DEEP = b"[" * 200_000 + b"]" * 200_000


@pytest.mark.parametrize(
    ("name", "members"),
    [
        ("tweets.js", {"data/manifest.js": b"window.__THAR_CONFIG = {}",
                       "data/tweets.js": b"window.YTD.tweets.part0 = [\n" + DEEP + b"\n]"}),
        ("outbox.json", {"outbox.json": b'{"type": "OrderedCollection", "orderedItems": ' + DEEP + b"}"}),
        ("your_posts_1.json", {"your_facebook_activity/posts/your_posts_1.json": b'{"a": ' * 100_000 + b"1"
                               + b"}" * 100_000}),
        ("result.json", {"result.json": b'{"personal_information": {"user_id": 1}, "chats": ' + DEEP + b"}"}),
    ],
)
def test_deep_json_in_a_streamed_reader_is_refused_quickly(
    tmp_path: Path, name: str, members: dict[str, bytes]
) -> None:
    # ijson slows with the square of the depth; the depth check must refuse before it parses.
    archive = _zip(tmp_path / "export.zip", members)
    with pytest.raises(ProfileParseError, match=rf"{re.escape(name)}: JSON nested more than"):
        read_export(archive)
