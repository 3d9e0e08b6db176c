"""X / Twitter archive: ``twitter-YYYY-MM-DD-<hex>.zip``, its unpacked folder, or its tweets file.

Tweets live in ``data/tweets.js`` (older archives: ``data/tweet.js``; large ones go on in
``tweets-part1.js``, ``tweets-part2.js`` ...), each a JavaScript assignment ``window.YTD.tweets.part0 =
[...]`` whose entries are ``{"tweet": {...}}`` or, in the oldest archives, the bare tweet. A post longer
than 280 characters is stored twice: truncated with an ellipsis in the tweets file and whole in
``data/note-tweet.js``, with no id linking them; the whole text replaces the truncated one.
``deleted-tweets.js`` and ``account.js`` (the e-mail address) are never opened.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from datetime import datetime, timedelta
from pathlib import PurePosixPath
from typing import Any

from extractors.errors import ProfileParseError
from extractors.intake.jsonio import iter_json_items
from extractors.intake.reader import RawPost
from extractors.intake.sniff import Signature
from extractors.intake.source import ExportFiles
from extractors.intake.text import unescape

# tweets.js, tweet.js, tweets-part1.js ... but not deleted-tweets.js, tweet-headers.js or tweetdeck.js.
_TWEETS_FILE = re.compile(r"^tweets?(?:-part(\d+))?\.js$")
_TWITTER_TIME = "%a %b %d %H:%M:%S %z %Y"  # Wed Jan 01 00:00:01 +0000 2020
# The truncated copy of a note tweet ends in "…", sometimes followed by the t.co link to the whole post.
_TRUNCATED_TAIL = re.compile(r"…(?:\s*https?://t\.co/\w+)*\s*$")
_LINK = re.compile(r"https?://\S+")
# A reply's stored text opens with the handles it answers, outside display_text_range; its note does not.
_LEADING_MENTIONS = re.compile(r"^(?:\s*@\w+)+\s+")
_HEAD_BYTES = 256


class TwitterReader:
    name = "twitter"
    description = "X/Twitter archive (twitter-*.zip, its folder, data/tweets.js or data/note-tweet.js)"
    signatures: tuple[Signature, ...] = (
        Signature("tweets.js", "js", prefix=b"window.YTD.tweets.part"),
        Signature("tweet.js", "js", prefix=b"window.YTD.tweet.part"),
        Signature("note-tweet.js", "js", prefix=b"window.YTD.note_tweet.part"),
        # The array alone, the assignment cut off: tweets are known by their fields.
        Signature("tweets.js", "json", prefix=b"[", markers=(b'"full_text"', b'"created_at"', b'"id_str"')),
    )

    def detect(self, files: ExportFiles) -> int:
        tweet_files = _tweet_files(files)
        if not tweet_files:
            # note-tweet.js handed over alone: the long posts are all there is, and they are the person's.
            return 80 if files.find("note-tweet.js") else 0
        if files.find("manifest.js"):
            return 100
        with files.path(tweet_files[0]).open("rb") as fh:
            head = fh.read(_HEAD_BYTES).lstrip(b"\xef\xbb\xbf \t\r\n")
        # A lone tweets file is Twitter's if it opens with the archive's own assignment.
        return 90 if head.startswith(b"window.YTD.tweet") else 20

    def read(self, files: ExportFiles) -> Iterator[RawPost]:
        # 1. Long posts: the whole texts of note tweets, by the second they were posted.
        tweet_files = _tweet_files(files)
        if not tweet_files:
            yield from _NoteTweets.posts(files, PurePosixPath(files.find("note-tweet.js")[0]).parent)
            return
        notes = _NoteTweets.load(files, PurePosixPath(tweet_files[0]).parent)
        # 2. Every tweets file in part order; an id seen twice (overlapping parts) counts once.
        seen: set[str] = set()
        for rel in tweet_files:
            label = files.label(rel)
            for n, entry in enumerate(iter_json_items(files, rel, "item", skip_to=b"["), start=1):
                tweet = _unwrap(entry, "tweet", label, n)
                tweet_id = str(tweet.get("id_str") or tweet.get("id") or f"{rel}#{n}")
                if tweet_id in seen:
                    continue
                seen.add(tweet_id)
                post = _raw_post(tweet, notes, label, n)
                if post is not None:
                    yield post


def _raw_post(tweet: Mapping[str, Any], notes: _NoteTweets, label: str, n: int) -> RawPost | None:
    """One tweet as a RawPost; None for a retweet, which is someone else's words."""
    stored = tweet.get("full_text")
    if not isinstance(stored, str):
        raise ProfileParseError(f"{label}: entry {n} has no full_text string")
    if stored.startswith("RT @"):
        return None  # the archive marks retweets only by this prefix; "retweeted" is always false
    created_at = _tweet_time(tweet.get("created_at"), label, n)
    whole = notes.whole_text(created_at, stored, _display_start(tweet))
    if whole is not None:
        stored = whole
    replying = tweet.get("in_reply_to_status_id_str") or tweet.get("in_reply_to_status_id")
    lang = tweet.get("lang")
    return RawPost(
        stored=stored,
        text=unescape(stored),
        created_at=created_at,
        lang=lang if isinstance(lang, str) else None,
        kind="reply" if replying else "post",
    )


def _display_start(tweet: Mapping[str, Any]) -> int:
    """Where the shown text begins: after the handles a reply opens with (0 when not recorded)."""
    shown = tweet.get("display_text_range")
    try:
        return max(int(shown[0]), 0) if isinstance(shown, list) and shown else 0
    except (TypeError, ValueError):
        return 0


def _tweet_files(files: ExportFiles) -> list[str]:
    """The tweets files of the shallowest folder that has any, the unnumbered one first, then by part."""
    hits = [f for f in files.files if _TWEETS_FILE.match(PurePosixPath(f).name)]
    if not hits:
        return []
    home = min((PurePosixPath(f).parent for f in hits), key=lambda p: (len(p.parts), str(p)))
    ours = [f for f in hits if PurePosixPath(f).parent == home]

    def part(rel: str) -> tuple[int, str]:
        m = _TWEETS_FILE.match(PurePosixPath(rel).name)
        return (int(m.group(1)) if m and m.group(1) else 0, rel)

    return sorted(ours, key=part)


def _unwrap(entry: Any, key: str, label: str, n: int) -> Mapping[str, Any]:
    """The object inside ``{key: {...}}``, or the entry itself where the archive has no wrapper."""
    if isinstance(entry, dict):
        inner = entry.get(key, entry)
        if isinstance(inner, dict):
            return inner
    raise ProfileParseError(f"{label}: entry {n} is not a {key} object")


def _tweet_time(value: Any, label: str, n: int) -> datetime:
    try:
        return datetime.strptime(str(value), _TWITTER_TIME)
    except ValueError as exc:
        raise ProfileParseError(
            f"{label}: entry {n} has created_at {value!r}, not a time like 'Wed Jan 01 00:00:01 +0000 2020'"
        ) from exc


def _comparable(text: str) -> str:
    """Text for matching a truncated copy to its note: links and spacing differ between the two."""
    return " ".join(_LEADING_MENTIONS.sub("", _LINK.sub(" ", unescape(text))).split())


class _NoteTweets:
    """The whole texts from note-tweet.js, found by posting time (to the second) and text prefix."""

    def __init__(self, by_second: dict[datetime, list[str]]) -> None:
        self._by_second = by_second

    @classmethod
    def posts(cls, files: ExportFiles, folder: PurePosixPath) -> Iterator[RawPost]:
        """The notes as posts, for a note-tweet.js read without its tweets file."""
        for when, texts in sorted(cls.load(files, folder)._by_second.items()):
            for text in texts:
                yield RawPost(stored=text, text=unescape(text), created_at=when, lang=None, kind="post")

    @classmethod
    def load(cls, files: ExportFiles, folder: PurePosixPath) -> _NoteTweets:
        by_second: dict[datetime, list[str]] = {}
        for rel in [f for f in files.find("note-tweet.js") if PurePosixPath(f).parent == folder][:1]:
            label = files.label(rel)
            for n, entry in enumerate(iter_json_items(files, rel, "item", skip_to=b"["), start=1):
                note = _unwrap(entry, "noteTweet", label, n)
                core = note.get("core")
                text = core.get("text") if isinstance(core, dict) else None
                if not isinstance(text, str):
                    raise ProfileParseError(f"{label}: entry {n} has no core.text string")
                created = note.get("createdAt")
                try:
                    when = datetime.fromisoformat(str(created).replace("Z", "+00:00"))
                except ValueError as exc:
                    raise ProfileParseError(
                        f"{label}: entry {n} has createdAt {created!r}, not an ISO 8601 time"
                    ) from exc
                if when.tzinfo is None:
                    raise ProfileParseError(f"{label}: entry {n} has createdAt {created!r} without a time zone")
                by_second.setdefault(when.replace(microsecond=0), []).append(text)
        return cls(by_second)

    def whole_text(self, created_at: datetime, full_text: str, shown_from: int = 0) -> str | None:
        """The note's text if ``full_text`` is the truncated copy of one, else None.

        ``shown_from`` is the start of display_text_range: the handles before it are not in the note.
        """
        if not self._by_second or not _TRUNCATED_TAIL.search(full_text):
            return None
        shown = full_text[shown_from:] if 0 < shown_from < len(full_text) else full_text
        prefix = _comparable(_TRUNCATED_TAIL.sub("", shown))
        # The two copies are written moments apart: allow the neighbouring second too.
        for delta in (0, -1, 1):
            for text in self._by_second.get(created_at + timedelta(seconds=delta), []):
                if _comparable(text).startswith(prefix):
                    return text
        return None
