"""Instagram posts (single and carousel shapes) and Threads, from Meta's JSON export."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from meta_json import write_json

from extractors import read_export
from installation.cli import main
from installation.errors import ProfileParseError

SAMPLE = next((Path(__file__).parents[1] / "sample_profiles" / "instagram").glob("instagram-*.zip"))




def single(ts: int, caption: str) -> dict[str, Any]:
    return {"media": [{"uri": f"media/posts/202401/{ts}.jpg", "creation_timestamp": ts, "title": caption}]}


def carousel(ts: int, caption: str, photos: int = 3) -> dict[str, Any]:
    # The photos carry their own (earlier) upload times; the post's time is the top-level one.
    items = [{"uri": f"media/posts/202401/{ts}_{i}.jpg", "creation_timestamp": ts - 60 - i, "title": ""}
             for i in range(photos)]
    return {"media": items, "title": caption, "creation_timestamp": ts}


def thread(ts: int, text: str, reply: bool) -> dict[str, Any]:
    return {"media": [{"uri": "", "creation_timestamp": ts, "title": text,
                       "text_app_post": {"reply_control": "everyone", "is_reply": reply}}]}


def test_sample_counts_posts_threads_and_replies() -> None:
    profile = read_export(SAMPLE)
    assert profile.platform == "instagram"
    # 28 captioned posts + 8 comments on others' posts and reels + 9 Threads posts + 7 Threads replies
    assert profile.post_count == 52
    assert profile.replies == 15
    assert sum(p.platform == "threads" for p in profile.posts) == 16
    assert all(p.created_at.tzinfo is not None for p in profile.posts)
    assert {p.lang for p in profile.posts} - {None} == {"es"}


def test_sample_mojibake_repaired_and_nfc() -> None:
    texts = [p.text for p in read_export(SAMPLE).posts]
    joined = "\n".join(texts)
    assert "Añoranza de la luz de invierno" in joined
    assert "aÃ±oranza" not in joined.lower() and "Ã" not in joined and "ð\x9f" not in joined
    assert "🍊" in joined and "🧘‍♀️" in joined  # a four-byte emoji and a joined sequence survive
    assert all(unicodedata.is_normalized("NFC", t) for t in texts)
    assert not any("carla" in t.lower() for t in texts)


def test_single_and_carousel_shapes(tmp_path: Path) -> None:
    path = tmp_path / "posts_1.json"
    write_json(path, [
        carousel(1700003600, "Tres fotos del puerto al amanecer"),
        single(1700000000, "Una sola foto de la Lonja"),
        single(1699990000, ""),
        carousel(1699980000, ""),
    ])
    profile = read_export(path)
    assert profile.post_count == 2
    assert [(p.text, int(p.created_at.timestamp())) for p in profile.posts] == [
        ("Una sola foto de la Lonja", 1700000000),
        ("Tres fotos del puerto al amanecer", 1700003600),
    ]


@pytest.mark.parametrize("folder", ["content", "your_instagram_activity/content", "your_instagram_activity/media"])
def test_path_generations_and_numbered_parts(tmp_path: Path, folder: str) -> None:
    export = tmp_path / "instagram-someone-2025-01-01-abc"
    write_json(export / folder / "posts_1.json", [single(1700000000, "Paella del domingo con la familia")])
    write_json(export / folder / "posts_2.json", [carousel(1600000000, "Primer viaje a Granada, qué maravilla")])
    profile = read_export(export)
    assert profile.platform == "instagram"
    assert profile.post_count == 2


def test_decomposed_letters_become_nfc(tmp_path: Path) -> None:
    path = tmp_path / "posts_1.json"
    write_json(path, [single(1700000000, "Mañana temprano en el mercado")])
    # ñ written as n + combining tilde (UTF-8 CC 83) is not NFC; the reader must hand on the composed form.
    path.write_text(path.read_text().replace("\\u00c3\\u00b1", "n\\u00cc\\u0083", 1))
    text = read_export(path).posts[0].text
    assert text.startswith("Mañana temprano")
    assert unicodedata.is_normalized("NFC", text)


def test_threads_alone_is_threads(tmp_path: Path) -> None:
    export = tmp_path / "threads-export"
    write_json(export / "your_instagram_activity/threads/threads_and_replies.json", {"text_post_app_text_posts": [
        thread(1700000000, "Hoy empiezo en Threads, hola a todos 👋", False),
        thread(1700000500, "¡Totalmente de acuerdo contigo!", True),
        thread(1700000900, "", False),
        {"media": [{"uri": "media/a.jpg", "creation_timestamp": 1700001000, "title": "",
                    "text_app_post": {"is_reply": False}},
                   {"uri": "media/b.jpg", "creation_timestamp": 1700001000, "title": "",
                    "text_app_post": {"is_reply": False}}],
         "title": "Dos fotos del Turia en otoño", "creation_timestamp": 1700001000},
    ]})
    profile = read_export(export)
    assert profile.platform == "threads"
    assert profile.post_count == 3
    assert [(p.kind, p.text) for p in profile.posts] == [
        ("post", "Hoy empiezo en Threads, hola a todos 👋"),
        ("reply", "¡Totalmente de acuerdo contigo!"),
        ("post", "Dos fotos del Turia en otoño"),
    ]


def test_cli_extract_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", str(SAMPLE), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["platform"] == "instagram"
    assert data["post_count"] == 52
    assert sum(p["kind"] == "reply" for p in data["posts"]) == 15


def test_malformed_posts_file_is_named(tmp_path: Path) -> None:
    export = tmp_path / "export"
    (export / "your_instagram_activity/media").mkdir(parents=True)
    (export / "your_instagram_activity/media/posts_1.json").write_text('[{"media": [{"title": "ho')
    with pytest.raises(ProfileParseError, match=r"your_instagram_activity/media/posts_1\.json"):
        read_export(export)


def test_wrong_media_shape_is_named(tmp_path: Path) -> None:
    path = tmp_path / "posts_1.json"
    write_json(path, [single(1700000000, "bien"), {"media": "foto.jpg", "title": "mal"}])
    with pytest.raises(ProfileParseError, match=r"posts_1\.json: entry 2 has 'media' that is not a list"):
        read_export(path)


def test_comments_are_read_without_whose_post_it_was() -> None:
    profile = read_export(SAMPLE)
    texts = [p.text for p in profile.posts]
    assert "Esa sombra en la pared es pura poesía" in texts  # post_comments_1.json
    assert "Qué reel tan bonito del puerto al amanecer 🌅" in texts  # reels_comments.json
    blob = json.dumps(profile.to_dict(complete=True))
    assert "luz.de.levante" not in blob and "puerto.vlc" not in blob


@pytest.mark.parametrize("name", ["post_comments_1.json", "export.json"])
def test_a_comments_file_alone_under_any_name(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    write_json(path, [
        {"string_map_data": {"Media Owner": {"value": "someone"}, "Time": {"timestamp": 1700000000}}},
        {"string_map_data": {"Comment": {"value": "Qué colores tan vivos"}, "Media Owner": {"value": "someone"},
                             "Time": {"timestamp": 1700000100}}},
    ])
    profile = read_export(path)
    assert profile.platform == "instagram" and [(p.text, p.kind) for p in profile.posts] == [
        ("Qué colores tan vivos", "reply")]
