"""Telegram Desktop result.json: own messages only, text as string or parts, times from date_unixtime."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from extractors import read_export
from installation.cli import main
from installation.errors import ProfileParseError

SAMPLE = Path(__file__).resolve().parent.parent / "sample_profiles" / "telegram"
CHANNEL = SAMPLE / "ChatExport_2024-10-27"
FULL = SAMPLE / "DataExport_2024-10-27" / "result.json"


def _msg(mid: int, sender: str, text: Any, unix: int = 1_700_000_000, **extra: Any) -> dict[str, Any]:
    return {"id": mid, "type": "message", "date": "2023-11-14T23:13:20", "date_unixtime": str(unix),
            "from": sender, "from_id": sender, "text": text, **extra}


def _write(path: Path, data: dict[str, Any]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def _full(chats: list[dict[str, Any]], owner: int | None = 42) -> dict[str, Any]:
    data: dict[str, Any] = {"about": "Here is the data you requested."}
    if owner is not None:
        data["personal_information"] = {"user_id": owner, "first_name": "Test", "phone_number": "+49 170 0000000"}
    data["chats"] = {"about": "", "list": chats}
    return data


def test_channel_export_counts_own_posts_not_forwards_or_service() -> None:
    profile = read_export(CHANNEL)
    assert profile.platform == "telegram"
    assert profile.post_count == 34  # 39 posts: 3 forwarded, 2 photos without caption
    assert profile.replies == 4
    texts = [p.text for p in profile.posts]
    assert not any("Gewitterwarnung" in t or "Steinschlag im Reintal" in t for t in texts)  # forwarded
    assert any(t.startswith("Erste Tour der Saison: Alpspitze über") for t in texts)  # parts joined
    assert {p.lang for p in profile.posts} == {"de"}
    assert all(p.created_at.tzinfo is not None for p in profile.posts)


def test_full_export_keeps_only_the_owners_messages() -> None:
    profile = read_export(FULL)
    texts = " | ".join(p.text for p in profile.posts)
    assert profile.post_count == 9
    assert "Hast du am Samstag Zeit" not in texts  # Anna speaks in the private chat
    assert "Wer geht am Wochenende" not in texts  # Sepp speaks in the group
    assert "/wetter" not in texts  # a bot chat
    assert "Föhnlage" not in texts  # somebody else's channel
    assert "Lawinenwarnstufe" in texts  # a group the person has left still holds their words


def test_identifying_parts_and_personal_information_never_reach_the_profile(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", str(SAMPLE), "--json"]) == 0
    out = capsys.readouterr().out
    for secret in ("+49", "Resi Gruber", "leon_am_berg", "5123456789", "Leon Brandt", "Anna Huber"):
        assert secret not in out
    data = json.loads(out)
    assert data["platform"] == "telegram"
    assert data["post_count"] == 43  # the channel export and the full export together
    assert any(p["text"] == "Frag mal , sie kennt die Hütte am besten." for p in data["posts"])


def test_unixtime_wins_and_a_bare_date_is_taken_as_utc(tmp_path: Path) -> None:
    local_only = {**_msg(2, "channel7", "Nur mit lokaler Zeit"), "date": "2024-05-01T12:00:00"}
    del local_only["date_unixtime"]
    chat = {"name": "Mein Kanal", "type": "public_channel", "id": 7,
            "messages": [_msg(1, "channel7", "Mit Unixzeit geschrieben", unix=1_714_557_600), local_only]}
    times = {p.text: p.created_at for p in read_export(_write(tmp_path / "result.json", chat)).posts}
    assert times["Mit Unixzeit geschrieben"] == datetime(2024, 5, 1, 10, 0, tzinfo=UTC)
    assert times["Nur mit lokaler Zeit"] == datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def test_owner_found_in_full_export_applies_to_a_chat_exported_alone(tmp_path: Path) -> None:
    group = {"name": "Seilschaft", "type": "private_supergroup", "id": 9, "messages": [
        _msg(1, "user42", "Meine eigene Nachricht im Gruppenchat"),
        _msg(2, "user77", "Die Nachricht eines anderen Menschen"),
    ]}
    _write(tmp_path / "ChatExport" / "result.json", group)
    _write(tmp_path / "DataExport" / "result.json", _full([group]))  # the same chat twice: counted once
    profile = read_export(tmp_path)
    assert [p.text for p in profile.posts] == ["Meine eigene Nachricht im Gruppenchat"]
    assert profile.post_count == 1


def test_single_private_chat_without_owner_is_refused(tmp_path: Path) -> None:
    chat = {"name": "Anna", "type": "personal_chat", "id": 5, "messages": [_msg(1, "user5", "Hallo")]}
    with pytest.raises(ProfileParseError, match=r"result\.json: .*full export"):
        read_export(_write(tmp_path / "result.json", chat))


def test_full_export_without_account_information_is_refused(tmp_path: Path) -> None:
    data = _full([{"name": "G", "type": "private_group", "id": 3, "messages": [_msg(1, "user42", "Hallo")]}],
                 owner=None)
    with pytest.raises(ProfileParseError, match="Account information"):
        read_export(_write(tmp_path / "result.json", data))


def test_service_and_saved_from_messages_do_not_count(tmp_path: Path) -> None:
    saved = {"type": "saved_messages", "id": 42, "messages": [
        _msg(1, "user42", "Eine Notiz an mich selbst über Hüttenzeiten"),
        _msg(2, "user9", "Gespeichert aus einem Kanal", saved_from="Bergwetter"),
        {"id": 3, "type": "service", "date": "2023-11-14T23:13:20", "date_unixtime": "1700000000",
         "actor": "Test", "actor_id": "user42", "action": "pin_message", "text": "", "message_id": 1},
    ]}
    profile = read_export(_write(tmp_path / "result.json", saved))
    assert [p.text for p in profile.posts] == ["Eine Notiz an mich selbst über Hüttenzeiten"]


def test_truncated_result_json_is_named(tmp_path: Path) -> None:
    text = FULL.read_text(encoding="utf-8")
    path = tmp_path / "result.json"
    path.write_text(text[: len(text) * 2 // 3], encoding="utf-8")
    with pytest.raises(ProfileParseError, match=r"result\.json: truncated or malformed JSON"):
        read_export(path)
