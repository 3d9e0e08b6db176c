"""Telegram Desktop's JSON export (``result.json``): a full export or one chat's history.

A full export (Settings > Advanced > Export Telegram data) is ``{"personal_information": {"user_id"},
"chats": {"list": [...]}, "left_chats": {...}}``; a single chat's export is ``{name, type, id,
messages}``. Several ``result.json`` files in one folder or archive are read together, and a message
met twice (same chat, same id) counts once.

Whose messages are the person's:
- With a full export, the owner is ``personal_information.user_id``: messages whose ``from_id`` is
  ``user<id>`` are theirs, in every chat but bot chats (commands, not words). A channel's posts carry
  the channel as sender and a full export cannot show whose channel it is, so channel posts count
  only from a channel exported on its own.
- A single exported channel (``public_channel``/``private_channel``) or ``saved_messages`` is taken as
  the person's own: every message in it counts. The visitor chose to hand it over.
- A single group or private chat without a full export beside it cannot say which sender is the
  visitor: that is refused with a ProfileParseError asking for the full export, rather than guessed.
Service messages, forwarded messages (``forwarded_from``/``saved_from``) and inline-bot results
(``via_bot``) never count.

Times come from ``date_unixtime`` (UTC seconds). ``date`` is the exporting machine's local time
without a zone; when it is all there is, it is taken as UTC. Text is a string or a list of strings
and ``{type, text}`` parts; parts that identify people or ways to reach them (mentions, links,
e-mail, phone, bank card) are left out of the text, everything else is joined.

The file is streamed with ijson, one message at a time, so memory stays bounded by the largest
message, not the export.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import ijson

from extractors.errors import ProfileParseError
from extractors.intake.jsonio import guarded, open_json_stream
from extractors.intake.reader import RawPost
from extractors.intake.sniff import Signature
from extractors.intake.source import ExportFiles

CHANNEL_TYPES = ("public_channel", "private_channel")
_WHOLE_CHATS = (*CHANNEL_TYPES, "saved_messages")  # exported alone, every message in them is the person's
_SKIPPED_CHATS = ("bot_chat",)
_DROPPED_PARTS = ("mention", "mention_name", "link", "email", "phone", "bank_card")
_FORWARD_KEYS = ("forwarded_from", "saved_from", "via_bot")
_CHAT_FIELDS = ("chats.list.item.type", "chats.list.item.id")
_HEAD = 4096
_TOP_MARKERS = (b'"personal_information"', b'"messages"', b'"chats"', b'"left_chats"')


@dataclass(frozen=True)
class _Header:
    full: bool  # a full export (chat lists) rather than one chat's history
    owner: str | None  # "user<id>" from personal_information
    chat_type: str | None  # single-chat exports only
    chat_id: int | None  # single-chat exports only


@dataclass(frozen=True)
class _Chat:
    type: str | None
    id: int | None
    single: bool  # exported on its own, not as part of a full export


class TelegramReader:
    name = "telegram"
    description = "Telegram Desktop JSON export (result.json: full export or one chat)"
    signatures: tuple[Signature, ...] = (
        Signature("result.json", "json", markers=(b'"personal_information"',)),
        Signature("result.json", "json", markers=(b'"messages"', b'"date_unixtime"')),
    )

    def detect(self, files: ExportFiles) -> int:
        if any(_head_has_markers(files, rel) for rel in files.find("result.json")):
            return 100
        return 70 if _export_files(files) else 0

    def read(self, files: ExportFiles) -> Iterator[RawPost]:
        # 1. Which files, and what kind each is.
        rels = _export_files(files)
        headers = {rel: _read_header(files, rel) for rel in rels}
        # 2. The owner, from the full export(s).
        owners = {h.owner for h in headers.values() if h.owner}
        if len(owners) > 1:
            raise ProfileParseError(f"{files.name}: full exports of {len(owners)} different accounts in one upload")
        owner = owners.pop() if owners else None
        # 3. The owner's messages, each counted once.
        seen: set[tuple[int | None, Any]] = set()
        for rel in rels:
            header = headers[rel]
            label = files.label(rel)
            _check_owner_known(header, owner, label)
            for chat, message in _messages(files, rel, header):
                if not _is_own(message, chat, owner):
                    continue
                key = (chat.id, message.get("id"))
                if key in seen:
                    continue
                seen.add(key)
                yield _raw_post(message, label)


def _export_files(files: ExportFiles) -> list[str]:
    named = [rel for rel in files.find("result.json") if _head_has_markers(files, rel)]
    if named:
        return named
    return [rel for rel in files.glob("*.json")[:50] if _looks_like_telegram(_head(files, rel))]


def _head(files: ExportFiles, rel: str) -> bytes:
    with files.path(rel).open("rb") as fh:
        return fh.read(_HEAD)


def _head_has_markers(files: ExportFiles, rel: str) -> bool:
    head = _head(files, rel)
    return any(m in head for m in _TOP_MARKERS)


def _looks_like_telegram(head: bytes) -> bool:
    return b'"personal_information"' in head or (b'"messages"' in head and b'"date_unixtime"' in head)


def _check_owner_known(header: _Header, owner: str | None, label: str) -> None:
    if header.full and header.owner is None and owner is None:
        raise ProfileParseError(
            f"{label}: a full Telegram export without 'Account information': it cannot show which messages "
            "are yours. Export again with 'Account information' ticked."
        )
    if not header.full and owner is None and header.chat_type not in _WHOLE_CHATS:
        raise ProfileParseError(
            f"{label}: one {header.chat_type or 'chat'} history cannot show which sender you are. Use the full "
            "export (Settings > Advanced > Export Telegram data, JSON, with 'Account information'), or export "
            "your own channel."
        )


def _is_own(message: Mapping[str, Any], chat: _Chat, owner: str | None) -> bool:
    if message.get("type") != "message" or any(k in message for k in _FORWARD_KEYS):
        return False
    if chat.type in _SKIPPED_CHATS:
        return False
    if chat.single and chat.type in _WHOLE_CHATS:
        return True
    return owner is not None and message.get("from_id") == owner


# --- streaming the file ----------------------------------------------------------------------------


def _read_header(files: ExportFiles, rel: str) -> _Header:
    """The top-level facts, read until the message lists begin (a few kilobytes into real files)."""
    owner: str | None = None
    chat_type: str | None = None
    chat_id: int | None = None
    full = False
    with open_json_stream(files, rel) as fh:
        for prefix, event, value in guarded(ijson.parse(fh, use_float=True), files.label(rel)):
            if prefix == "personal_information.user_id" and event in ("number", "string"):
                owner = f"user{value}"
            elif prefix == "type" and event == "string":
                chat_type = str(value)
            elif prefix == "id" and event == "number":
                chat_id = int(value)
            elif prefix == "" and event == "map_key" and value in ("chats", "left_chats", "messages"):
                full = value != "messages"
                break
    if full:
        return _Header(full=True, owner=owner, chat_type=None, chat_id=None)
    return _Header(full=False, owner=owner, chat_type=chat_type, chat_id=chat_id)


def _messages(files: ExportFiles, rel: str, header: _Header) -> Iterator[tuple[_Chat, dict[str, Any]]]:
    """Every message of every chat in the file with the chat it belongs to, one at a time."""
    label = files.label(rel)
    with open_json_stream(files, rel) as fh:
        if not header.full:
            # One chat: its type and id are in the header, and ijson builds the messages in C.
            chat = _Chat(type=header.chat_type, id=header.chat_id, single=True)
            for message in guarded(ijson.items(fh, "messages.item", use_float=True), label):
                if isinstance(message, dict):
                    yield chat, message
            return
        # A full export: each chat's type and id come before its messages; watching the event stream on
        # its way into ijson.items tells which chat a message belongs to when it comes out.
        fields: dict[str, Any] = {}
        events = _watch_chats(ijson.parse(fh, use_float=True), fields)
        for message in guarded(ijson.items(events, "chats.list.item.messages.item"), label):
            if isinstance(message, dict):
                yield _Chat(type=fields.get("type"), id=fields.get("id"), single=False), message


def _watch_chats(events: Iterator[tuple[str, str, Any]], fields: dict[str, Any]) -> Iterator[tuple[str, str, Any]]:
    for prefix, event, value in events:
        if prefix.startswith("left_chats."):
            prefix = prefix[5:]  # left chats have the same shape: one pass reads both lists
        if prefix == "chats.list.item" and event == "start_map":
            fields.clear()
        elif prefix in _CHAT_FIELDS:
            fields[prefix.rsplit(".", 1)[-1]] = value
        yield prefix, event, value


# --- one message -----------------------------------------------------------------------------------


def _raw_post(message: Mapping[str, Any], label: str) -> RawPost:
    stored, plain = _texts(message.get("text"))
    return RawPost(
        stored=stored,
        text=plain,
        created_at=_time(message, label),
        lang=None,
        kind="reply" if message.get("reply_to_message_id") is not None else "post",
    )


def _texts(text: Any) -> tuple[str, str]:
    """(the text as stored, the text without identifying parts)."""
    if isinstance(text, str):
        return text, text
    if not isinstance(text, list):
        return "", ""
    stored: list[str] = []
    plain: list[str] = []
    for part in text:
        if isinstance(part, str):
            stored.append(part)
            plain.append(part)
        elif isinstance(part, dict) and isinstance(part.get("text"), str):
            stored.append(part["text"])
            if part.get("type") not in _DROPPED_PARTS:
                plain.append(part["text"])
    return "".join(stored), "".join(plain)


def _time(message: Mapping[str, Any], label: str) -> datetime:
    unix = message.get("date_unixtime")
    if unix is not None:
        try:
            return datetime.fromtimestamp(int(str(unix)), UTC)
        except (ValueError, OverflowError, OSError) as exc:
            raise ProfileParseError(
                f"{label}: message {message.get('id')!r} has date_unixtime {unix!r}, not a Unix time"
            ) from exc
    local = message.get("date")
    try:
        t = datetime.fromisoformat(str(local))
    except ValueError as exc:
        raise ProfileParseError(f"{label}: message {message.get('id')!r} has date {local!r}, not a time") from exc
    return t if t.tzinfo else t.replace(tzinfo=UTC)
