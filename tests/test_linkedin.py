"""LinkedIn Shares.csv: the stray-quote quirk, styled letters, reposts, and nothing but Shares read."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

import extractors.intake.readers.linkedin as linkedin
from extractors import read_export
from extractors.intake.jsonio import iter_lines
from extractors.intake.source import ExportFiles
from installation.cli import main
from installation.errors import ExportTooLargeError, ProfileParseError

SAMPLE = next((Path(__file__).parents[1] / "sample_profiles" / "linkedin").glob("Basic_LinkedInDataExport_*.zip"))
HEADER = "Date,ShareLink,ShareCommentary,SharedUrl,MediaUrl,Visibility\n"
LINK = "https://www.linkedin.com/feed/update/urn%3Ali%3Ashare%3A70412"


def is_styled(ch: str) -> bool:
    return 0x1D400 <= ord(ch) <= 0x1D7FF  # the Mathematical Alphanumeric Symbols block


def test_sample_counts_own_posts_not_reposts() -> None:
    profile = read_export(SAMPLE)
    assert profile.platform == "linkedin"
    assert profile.post_count == 41  # 48 rows, 7 of them bare reposts
    assert profile.replies == 0
    assert all(p.created_at.tzinfo is not None and p.created_at.utcoffset() == UTC.utcoffset(None)
               for p in profile.posts)


def test_sample_stray_quotes_undone_and_letters_folded() -> None:
    texts = [p.text for p in read_export(SAMPLE).posts]
    pid = next(t for t in texts if t.startswith("Why PID still wins in the warehouse"))
    assert pid.split("\n")[:2] == [
        "Why PID still wins in the warehouse",
        "Everyone wants model predictive control. But a well-tuned PID loop on the drive wheels beats a fancy "
        "controller that nobody on the night shift can debug.",
    ]
    assert "\n\nKeep it simple" in pid
    assert any('My job was mostly to ask "why" three times.' in t for t in texts)
    assert not any(line.startswith('"') and line.endswith('"') for t in texts for line in t.split("\n"))
    assert not any(is_styled(ch) for t in texts for ch in t)


def test_only_shares_is_opened(monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[str] = []
    real = iter_lines

    def spy(files: ExportFiles, rel: str) -> Iterator[str]:
        opened.append(rel)
        return real(files, rel)

    monkeypatch.setattr(linkedin, "iter_lines", spy)
    texts = [p.text for p in read_export(SAMPLE).posts]
    assert opened == ["Shares.csv"]
    with zipfile.ZipFile(SAMPLE) as zf:
        assert "arjun.mehta@example.com" in zf.read("Connections.csv").decode()
    assert not any("example.com" in t or "Arjun" in t for t in texts)


def test_quoted_lines_inside_an_unquoted_field(tmp_path: Path) -> None:
    # Some files quote each line but not the field around them: a plain CSV parse splits the post.
    body = (
        '2021-03-04 10:11:12,' + LINK + '1,"Three lessons, learned the hard way:"\n'
        '"1. Floors are never flat"\n'
        '""\n'
        '"2. Say ""thank you"" to the night shift",https://example.com/a,,PUBLIC\n'
        '2021-03-05 08:00:00,' + LINK + '2,A short one, with a comma.,,,MEMBER_NETWORK\n'
    )
    path = tmp_path / "Shares.csv"
    path.write_text(HEADER + body)
    assert len(list(csv.reader(io.StringIO(body)))) > 2  # the quirk: naive parsing finds too many rows
    profile = read_export(path)
    assert profile.post_count == 2
    assert [p.text for p in profile.posts] == [
        'Three lessons, learned the hard way:\n1. Floors are never flat\n\n2. Say "thank you" to the night shift',
        "A short one, with a comma.",
    ]
    assert profile.posts[0].created_at == datetime(2021, 3, 4, 10, 11, 12, tzinfo=UTC)


def test_plain_multiline_field_is_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "Shares.csv"
    path.write_text(HEADER + f'2024-01-02 03:04:05 UTC,{LINK}3,"First line\n\n""Quoted"" second line",,,PUBLIC\n')
    assert read_export(path).posts[0].text == 'First line\n\n"Quoted" second line'


def test_styled_letters_fold_to_plain(tmp_path: Path) -> None:
    path = tmp_path / "Shares_9876543.csv"
    path.write_text(HEADER + f"2024-01-02 03:04:05,{LINK}4,𝗪𝗮𝗿𝗲𝗵𝗼𝘂𝘀𝗲 𝗿𝗼𝗯𝗼𝘁𝘀 are 𝟭𝟬𝟬% about floors,,,PUBLIC\n")
    profile = read_export(path)
    assert profile.platform == "linkedin"
    assert profile.posts[0].text == "Warehouse robots are 100% about floors"


def test_cli_extract_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", str(SAMPLE), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["platform"] == "linkedin"
    assert data["post_count"] == 41
    assert all(p["kind"] == "post" and p["created_at"].endswith("+00:00") for p in data["posts"])


def test_bad_date_is_named(tmp_path: Path) -> None:
    path = tmp_path / "Shares.csv"
    path.write_text(HEADER + f"2024-01-02 03:04:05,{LINK}5,fine,,,PUBLIC\n2024-13-40 99:00:00,{LINK}6,bad,,,PUBLIC\n")
    with pytest.raises(ProfileParseError, match=r"Shares\.csv: the row at line 3 has Date '2024-13-40 99:00:00'"):
        read_export(path)


def test_stray_text_before_rows_is_named(tmp_path: Path) -> None:
    path = tmp_path / "Shares.csv"
    path.write_text(HEADER + "not a row at all\n")
    with pytest.raises(ProfileParseError, match=r"Shares\.csv: line 2 should start a row with a date"):
        read_export(path)


def test_missing_column_is_named(tmp_path: Path) -> None:
    path = tmp_path / "Shares.csv"
    path.write_text("Date,ShareLink\n2024-01-02 03:04:05,https://x\n")
    with pytest.raises(ProfileParseError, match=r"Shares\.csv: no ShareCommentary column"):
        read_export(path)


@pytest.mark.parametrize("quoted_field", [True, False])
def test_every_line_unquoted_including_empty_ones(tmp_path: Path, quoted_field: bool) -> None:
    # A real Shares.csv: each line inside doubled quotes, empty lines as """", some lines left bare.
    body = '""Big news from the lab.""\n""""\nWe shipped the sensor today.\n""""\n""Thanks to the whole team!""'
    cell = f'"{body}"' if quoted_field else body
    path = tmp_path / "Shares.csv"
    path.write_text(HEADER + f"2024-05-02 09:00:00,{LINK},{cell},,,MEMBER_NETWORK\n", encoding="utf-8")
    (post,) = read_export(path).posts
    assert [line for line in post.text.split("\n")] == [
        "Big news from the lab.", "", "We shipped the sensor today.", "", "Thanks to the whole team!",
    ]
    assert '"' not in post.text


def test_a_huge_field_is_refused_by_name_and_cap(tmp_path: Path) -> None:
    path = tmp_path / "Shares.csv"
    with path.open("w", encoding="utf-8") as out:
        out.write(HEADER + f'2024-05-02 09:00:00,{LINK},"')
        for _ in range(50):
            out.write("word " * 200_000 + "\n")  # 50 MB in one field, over many lines
        out.write('",,,MEMBER_NETWORK\n')
    with pytest.raises(ExportTooLargeError, match=r"Shares\.csv.*cap of \d+"):
        read_export(path)


def test_a_huge_field_under_a_memory_limit_is_a_clear_error(tmp_path: Path) -> None:
    # One 50 MB line under a 1.5 GB address-space limit: an ExportTooLargeError, never a MemoryError.
    path = tmp_path / "Shares.csv"
    path.write_bytes((HEADER + f'2024-05-02 09:00:00,{LINK},"' + "x" * (50 << 20) + '",,,PUBLIC\n').encode())
    script = (
        "import resource, sys\n"
        "resource.setrlimit(resource.RLIMIT_AS, (1536 << 20, 1536 << 20))\n"
        "from pathlib import Path\n"
        "from extractors import read_export\n"
        "from extractors.errors import PortraitError\n"
        "try:\n    read_export(Path(sys.argv[1]))\n"
        "except PortraitError as exc:\n    print(type(exc).__name__, exc)\n"
    )
    import os
    import subprocess
    import sys

    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}
    done = subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True, text=True, env=env,
                          cwd=Path(__file__).parents[1], timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.startswith("ExportTooLargeError") and "Shares.csv" in done.stdout and "cap" in done.stdout


def test_mention_markup_leaves_no_name(tmp_path: Path) -> None:
    # LinkedIn's little-text mentions carry a person's name and member URN: both go, the words stay.
    path = tmp_path / "Shares.csv"
    path.write_text(HEADER + f"2024-01-02 03:04:05,{LINK}5,Thanks @[Maria Garcia](urn:li:person:AbC12x) for "
                    "the warehouse tour,,,PUBLIC\n")
    [post] = read_export(path).posts
    assert post.text == "Thanks for the warehouse tour"
