"""TikTok "Download your data" (JSON): ``user_data_tiktok.json`` (older: ``user_data.json``).

One object of sections: ``Activity``, ``Ads and data``, ``App Settings``, ``Comment``, ``Direct
Message``, ``Post``, ``Profile``, ... The person's own words are their comments,
``Comment.Comments.CommentsList[].comment`` (older exports: ``Activity.Comments.CommentsList``), and
their videos' titles, ``Post.Posts.VideoList[].Title`` (older: ``Video.Videos.VideoList``; ``"N/A"``
means none). Each list is streamed on its own by its path, so nothing else is ever built in memory:
the direct messages (private conversations with other people) and the profile (the owner's e-mail)
pass through the parser unread. Dates are ``2023-04-01 18:22:05`` in UTC.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from typing import Any

from extractors.errors import ProfileParseError
from extractors.intake.jsonio import iter_json_lists
from extractors.intake.profile import PostKind
from extractors.intake.reader import RawPost, files_like
from extractors.intake.sniff import Signature
from extractors.intake.source import ExportFiles

# ijson path of the list -> (key of the text, kind): comments answer a video; titles are the person's posts.
_LISTS: dict[str, tuple[str, PostKind]] = {
    "Comment.Comments.CommentsList.item": ("comment", "reply"),
    "Activity.Comments.CommentsList.item": ("comment", "reply"),
    "Post.Posts.VideoList.item": ("Title", "post"),
    "Video.Videos.VideoList.item": ("Title", "post"),
}
_NONE = ("", "N/A")
# Sections every TikTok export has some of at the top; large ones (watch history) may hide the rest.
_SECTIONS = frozenset({"Activity", "Ads and data", "App Settings", "Comment", "Direct Message", "Direct Messages",
                       "Your Activity", "Tiktok Shop", "TikTok Shop", "Income Plus Wallet Transactions"})


class TikTokReader:
    name = "tiktok"
    description = "TikTok 'Download your data' JSON (user_data_tiktok.json)"
    signatures: tuple[Signature, ...] = (Signature("user_data_tiktok.json", "json", prefix=b"{", any_keys=_SECTIONS),)

    def detect(self, files: ExportFiles) -> int:
        return 100 if files_like(files, self.signatures, ".json") else 0

    def read(self, files: ExportFiles) -> Iterator[RawPost]:
        for rel in files_like(files, self.signatures, ".json"):
            label = files.label(rel)
            counts = dict.fromkeys(_LISTS, 0)
            for path, item in iter_json_lists(files, rel, tuple(_LISTS)):
                counts[path] += 1
                key, kind = _LISTS[path]
                post = _post(item, key, kind, f"{label}: {path.removesuffix('.item')}", counts[path])
                if post is not None:
                    yield post


def _post(item: Any, key: str, kind: PostKind, label: str, n: int) -> RawPost | None:
    if not isinstance(item, Mapping):
        raise ProfileParseError(f"{label}: entry {n} is not an object")
    text = item.get(key)
    if not isinstance(text, str) or text.strip() in _NONE:
        return None  # a video without a title, or a comment that was only a picture
    return RawPost(stored=text, text=text, created_at=_time(item.get("date") or item.get("Date"), label, n),
                   lang=None, kind=kind)


def _time(value: Any, label: str, n: int) -> datetime:
    try:
        when = datetime.fromisoformat(str(value).strip())
    except ValueError as exc:
        raise ProfileParseError(f"{label}: entry {n} has date {value!r}, not like 2023-04-01 18:22:05") from exc
    return when if when.tzinfo else when.replace(tzinfo=UTC)
