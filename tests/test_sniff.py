"""Content sniffing: any supported data file under any name, the kiosk's early check, nested archives."""

from __future__ import annotations

import io
import tarfile
import zipfile
from pathlib import Path, PurePosixPath

import pytest

from extractors import read_export
from extractors.errors import EmptyProfileError, IntakeError, UnknownFormatError
from extractors.intake.registry import all_signatures
from extractors.intake.sniff import SNIFF_BYTES
from extractors.intake.upload import sniff_upload

SAMPLES = Path(__file__).resolve().parents[1] / "sample_profiles"
# The readers' names, and the name Facebook's newer layouts give the same posts file.
CANONICAL = {sig.canonical for _, sig in all_signatures()} | {"your_posts__check_ins__photos_and_videos_1.json"}


def _data_files() -> list[tuple[str, str, bytes]]:
    """(sample, member name, bytes) of every sample data file whose name a reader declares."""
    out: list[tuple[str, str, bytes]] = []
    for export in sorted(SAMPLES.glob("*/*")):
        if export.parent.name == "build":
            continue
        if export.suffix == ".zip":
            with zipfile.ZipFile(export) as zf:
                members = [(n, zf.read(n)) for n in zf.namelist()]
        elif export.name.endswith(".tar.gz"):
            with tarfile.open(export) as tf:
                members = [(m.name, f.read()) for m in tf.getmembers() if m.isfile() and (f := tf.extractfile(m))]
        elif export.is_dir():
            members = [(p.name, p.read_bytes()) for p in export.iterdir()]
        else:
            members = [(export.name, export.read_bytes())]
        out += [(export.parent.name, n, data) for n, data in members if PurePosixPath(n).name in CANONICAL]
    return out


DATA_FILES = _data_files()


def test_every_platform_has_a_sniffable_sample_file() -> None:
    assert {s for s, _, _ in DATA_FILES} >= {"twitter", "mastodon", "facebook", "instagram", "linkedin",
                                              "telegram", "reddit", "bluesky"}


@pytest.mark.parametrize(("sample", "member", "data"), DATA_FILES, ids=[f"{s}:{m}" for s, m, _ in DATA_FILES])
def test_a_data_file_alone_reads_the_same_under_the_kiosk_name(
    tmp_path: Path, sample: str, member: str, data: bytes
) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    named = tmp_path / "a" / PurePosixPath(member).name
    named.write_bytes(data)
    kind = sniff_upload(data[:SNIFF_BYTES], "whatever it was called")
    renamed = tmp_path / "b" / kind.stored_name
    renamed.write_bytes(data)
    try:
        expected = read_export(named)
    except (UnknownFormatError, EmptyProfileError):
        # A Telegram chat that cannot name its owner, Substack's posts.csv without the bodies beside it.
        pytest.skip(f"{member} is not read on its own")
    got = read_export(renamed)
    assert kind.platform is not None
    assert (got.platform, got.post_count, got.posts) == (expected.platform, expected.post_count, expected.posts)


def test_the_kiosks_first_chunk_decides_the_container() -> None:
    assert sniff_upload(b"PK\x03\x04rest", "x.bin").suffix == ".zip"
    assert sniff_upload(b"\x1f\x8b\x08\x00", "archive").suffix == ".tar.gz"
    assert sniff_upload(b"window.YTD.tweets.part0 = [ {", "x.txt").suffix == ".js"
    assert sniff_upload(b'window.YTD.tweets.part0 = [ {', "x.txt").platform == "twitter"
    assert sniff_upload(b"Date,ShareLink,ShareCommentary,SharedUrl,MediaUrl,Visibility\n", "a").platform == "linkedin"
    assert sniff_upload(b'{"text": "a"}\n{"text": "b"}\n', "notes").suffix == ".jsonl"
    assert sniff_upload(b"Dear diary, today the tomatoes came up.\n\nMore.", "diary").suffix == ".txt"
    assert sniff_upload(b'[{"media": [{"uri": "m.jpg", "creation_timestamp": 1', "export.json").platform == "instagram"


@pytest.mark.parametrize(("head", "says"), [
    (b"\x89PNG\r\n\x1a\n\x00\x00", "PNG picture"),
    (b"\x7fELF\x02\x01\x01\x00", "program"),
    (b"<!DOCTYPE html><html><head><title>Your archive</title>", "web page"),
    (b"", "empty"),
    (bytes(range(256)), "neither an archive nor text"),
])
def test_what_is_never_an_export_is_refused_early(head: bytes, says: str) -> None:
    with pytest.raises(IntakeError, match=says):
        sniff_upload(head, "export.json")


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def _tweets_zip(i: int) -> bytes:
    tweets = (f'window.YTD.tweets.part0 = [{{"tweet": {{"id_str": "{i}", "created_at": '
              f'"Tue Apr 0{i % 9 + 1} 01:00:00 +0000 2025", "full_text": "Comet watch number {i} from the pier"}}}}]')
    return _zip({"data/manifest.js": b"window.__THAR_CONFIG = {}", "data/tweets.js": tweets.encode()})


def test_an_archive_of_archives_reads_them_all(tmp_path: Path) -> None:
    outer = tmp_path / "downloads.zip"
    outer.write_bytes(_zip({f"twitter-{i}.zip": _tweets_zip(i) for i in range(6)}))
    profile = read_export(outer)
    assert profile.platform == "twitter" and profile.post_count == 6


def test_an_archive_with_an_unreadable_archive_is_refused_with_its_name(tmp_path: Path) -> None:
    members = {f"twitter-{i}.zip": _tweets_zip(i) for i in range(3)}
    members["holiday-photos.zip"] = _zip({"notes.json": b'{"camera": "old"}'})
    outer = tmp_path / "downloads.zip"
    outer.write_bytes(_zip(members))
    with pytest.raises(UnknownFormatError, match=r"holds 4 exports, of which 1 .*holiday-photos\.zip"):
        read_export(outer)


def test_two_platforms_in_one_zip_make_one_profile_keeping_each_platform(tmp_path: Path) -> None:
    shares = (b"Date,ShareLink,ShareCommentary,SharedUrl,MediaUrl,Visibility\n"
              b"2024-05-02 09:00:00,https://www.linkedin.com/x,Our lab shipped a sensor today,,,PUBLIC\n")
    outer = tmp_path / "everything.zip"
    outer.write_bytes(_zip({"twitter.zip": _tweets_zip(1), "linkedin.zip": _zip({"Shares.csv": shares})}))
    profile = read_export(outer)
    assert profile.platform == "linkedin+twitter" and profile.post_count == 2
    assert sorted(p.platform for p in profile.posts) == ["linkedin", "twitter"]
