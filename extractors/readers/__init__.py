"""One module per platform; ``ALL_READERS`` is the order detection breaks ties in."""

from __future__ import annotations

from extractors.readers.bluesky import BlueskyReader
from extractors.readers.facebook import FacebookReader
from extractors.readers.instagram import InstagramReader, ThreadsReader
from extractors.readers.linkedin import LinkedInReader
from extractors.readers.mastodon import MastodonReader
from extractors.readers.plain import PlainReader
from extractors.readers.reddit import RedditReader
from extractors.readers.telegram import TelegramReader
from extractors.readers.twitter import TwitterReader
from extractors.registry import Reader

ALL_READERS: tuple[Reader, ...] = (
    TwitterReader(),
    MastodonReader(),
    FacebookReader(),
    InstagramReader(),
    ThreadsReader(),
    LinkedInReader(),
    BlueskyReader(),
    TelegramReader(),
    RedditReader(),
    PlainReader(),
)
