"""Facebook "Download Your Information" JSON: posts, mojibake, path generations."""

from __future__ import annotations

import json
import unicodedata
import zipfile
from pathlib import Path
from typing import Any

import pytest
from meta_json import write_json

from extractors import read_export
from installation.cli import main
from installation.errors import ProfileParseError

SAMPLE = next((Path(__file__).parents[1] / "sample_profiles" / "facebook").glob("facebook-*.zip"))




def entry(ts: int, words: str | None, title: str = "Karen Vind opdaterede sin status.") -> dict[str, Any]:
    data: list[dict[str, Any]] = [{"post": words}] if words is not None else []
    return {"timestamp": ts, "data": [*data, {"update_timestamp": ts}], "title": title}


def test_sample_counts_posts_not_comments() -> None:
    profile = read_export(SAMPLE)
    assert profile.platform == "facebook"
    assert profile.post_count == 44  # posts with words; the 8 comments on others' posts are not counted
    assert profile.replies == 0
    assert len(profile.posts) == 43  # the link-only post counts but has no words left
    assert all(p.created_at.tzinfo is not None for p in profile.posts)
    assert [p.created_at for p in profile.posts] == sorted(p.created_at for p in profile.posts)


def test_sample_mojibake_repaired_and_nfc() -> None:
    texts = [p.text for p in read_export(SAMPLE).posts]
    joined = "\n".join(texts)
    assert "tilføjet" in joined
    assert "tilfÃ¸jet" not in joined and "Ã" not in joined and "ð\x9f" not in joined
    assert "🌱" in joined and "🧶" in joined and "❄️" in joined
    assert all(unicodedata.is_normalized("NFC", t) for t in texts)


def test_generated_titles_and_name_never_in_posts() -> None:
    with zipfile.ZipFile(SAMPLE) as zf:
        raw = [json.loads(zf.read(n)) for n in zf.namelist() if n.endswith(".json") and "/posts/" in n]
    titles = {meta_title.encode("latin-1").decode("utf-8") for part in raw for e in part
              if (meta_title := e.get("title"))}
    assert "Sofie Lund har tilføjet et nyt billede." in titles
    texts = [p.text for p in read_export(SAMPLE).posts]
    assert not any(title in text for title in titles for text in texts)
    assert not any("Sofie" in text for text in texts)


@pytest.mark.parametrize(
    "folder, name",
    [
        ("posts", "your_posts_{}.json"),
        ("your_activity_across_facebook/posts", "your_posts__check_ins__photos_and_videos_{}.json"),
        ("your_facebook_activity/posts", "your_posts__check_ins__photos_and_videos_{}.json"),
    ],
)
def test_three_path_generations_with_numbered_parts(tmp_path: Path, folder: str, name: str) -> None:
    export = tmp_path / "facebook-karenvind"
    write_json(export / folder / name.format(1), [
        entry(1700000300, "Kaffe på altanen og solskin 😊"),
        entry(1700000200, None, "Karen Vind har tilføjet et nyt billede."),
    ])
    write_json(export / folder / name.format(2), [entry(1600000000, "Første dag på den nye arbejdsplads.")])
    profile = read_export(export)
    assert profile.platform == "facebook"
    assert profile.post_count == 2
    assert [p.text for p in profile.posts] == ["Første dag på den nye arbejdsplads.", "Kaffe på altanen og solskin 😊"]
    assert profile.posts[0].created_at.isoformat() == "2020-09-13T12:26:40+00:00"


def test_object_wrapped_generation(tmp_path: Path) -> None:
    path = tmp_path / "your_posts_1.json"
    write_json(path, {"status_updates_v2": [entry(1500000000, "Sommer i Skagen, lyset er fantastisk"),
                                            entry(1500000100, "")]})
    profile = read_export(path)
    assert profile.post_count == 1
    assert profile.posts[0].text == "Sommer i Skagen, lyset er fantastisk"


def test_photos_check_ins_and_shares_without_words_do_not_count(tmp_path: Path) -> None:
    share = entry(1600000100, None, "Karen Vind delte et link.")
    share["attachments"] = [{"data": [{"external_context": {"url": "https://example.com/artikel"}}]}]
    shared_with_words = entry(1600000200, "Læs den her, den er vigtig!", "Karen Vind delte et link.")
    photo = entry(1600000300, None, "Karen Vind har tilføjet 2 nye billeder.")
    photo["attachments"] = [{"data": [{"media": {"uri": "x.jpg", "description": "Karen Vind"}}]}]
    path = tmp_path / "your_posts_1.json"
    write_json(path, [share, shared_with_words, photo])
    profile = read_export(path)
    assert profile.post_count == 1
    assert [p.text for p in profile.posts] == ["Læs den her, den er vigtig!"]


def test_comments_on_others_posts_are_not_read(tmp_path: Path) -> None:
    export = tmp_path / "export"
    write_json(export / "your_facebook_activity/posts/your_posts__check_ins__photos_and_videos_1.json",
               [entry(1600000000, "Et opslag fra mig selv")])
    write_json(export / "your_facebook_activity/comments_and_reactions/comments.json", {"comments_v2": [
        {"timestamp": 1600000500, "data": [{"comment": {"timestamp": 1600000500, "comment": "Tillykke søde! 🎉",
                                                        "author": "Karen Vind"}}],
         "title": "Karen Vind kommenterede Jens' opslag."},
        {"timestamp": 1600000600, "data": [{"comment": {"timestamp": 1600000600, "comment": "",
                                                        "author": "Karen Vind"}}],
         "title": "Karen Vind svarede på Jens' kommentar."},
    ]})
    profile = read_export(export)
    assert profile.post_count == 1
    assert [(p.kind, p.text) for p in profile.posts] == [("post", "Et opslag fra mig selv")]


def test_decomposed_letters_become_nfc(tmp_path: Path) -> None:
    path = tmp_path / "your_posts_1.json"
    write_json(path, [entry(1600000000, "Blåbær og rødgrød med fløde i haven")])
    # å written as a + combining ring (UTF-8 CC 8A) is not NFC; the reader must hand on the composed form.
    path.write_text(path.read_text().replace("\\u00c3\\u00a5", "a\\u00cc\\u008a", 1))
    text = read_export(path).posts[0].text
    assert text.startswith("Blåbær og")
    assert unicodedata.is_normalized("NFC", text)


def test_cli_extract_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", str(SAMPLE), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["platform"] == "facebook"
    assert data["post_count"] == 44
    assert {p["kind"] for p in data["posts"]} == {"post"}
    assert all(p["created_at"].endswith("+00:00") for p in data["posts"])


def test_truncated_file_is_named(tmp_path: Path) -> None:
    path = tmp_path / "your_posts_1.json"
    path.write_text('[{"timestamp": 1600000000, "data": [{"post": "Hej med j')
    with pytest.raises(ProfileParseError, match=r"your_posts_1\.json"):
        read_export(path)


def test_bad_timestamp_is_named(tmp_path: Path) -> None:
    path = tmp_path / "your_posts_1.json"
    write_json(path, [entry(1600000000, "fint nok"), {"timestamp": "yesterday", "data": [{"post": "hej"}]}])
    with pytest.raises(ProfileParseError, match=r"your_posts_1\.json: entry 2 has timestamp 'yesterday'"):
        read_export(path)


def test_cli_malformed_file_exit_code(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "your_posts_1.json"
    path.write_text('{"status_updates_v2": 42}')
    assert main(["extract", str(path), "--json"]) == 2
    assert "your_posts_1.json" in capsys.readouterr().err


def test_mention_markup_leaves_no_name(tmp_path: Path) -> None:
    # The newer layout marks people as "@[id:2048:Name]" (older exports "@[100004:2048:Name]"); the mark
    # and the name inside it go, the person's own words stay, and the post still counts.
    export = tmp_path / "facebook-karenvind"
    write_json(export / "your_facebook_activity/posts/your_posts__check_ins__photos_and_videos_1.json", [
        entry(1700000300, "Kaffe på altanen med @[id:2048:Søren Østergaard] og solskin"),
        entry(1700000400, "@[100004211:2048:Birthe Holm] tillykke med dagen!"),
        entry(1700000500, "@[id:2048:Jens Ole Hansen]"),
    ])
    profile = read_export(export)
    assert profile.post_count == 3
    assert [p.text for p in profile.posts] == ["Kaffe på altanen med og solskin", "tillykke med dagen!"]
    assert profile.left_out and profile.left_out[0][1] == 1  # the mention-only post, said why
    for name in ("Søren", "Østergaard", "Birthe", "Holm", "Jens", "Hansen", "2048", "@["):
        assert all(name not in p.text for p in profile.posts), name
