"""One module per platform; ``ALL_READERS`` is the order detection breaks ties in."""

from __future__ import annotations

from extractors.intake.reader import Reader
from extractors.intake.readers.bluesky import BlueskyReader
from extractors.intake.readers.facebook import FacebookReader
from extractors.intake.readers.instagram import InstagramReader, ThreadsReader
from extractors.intake.readers.linkedin import LinkedInReader
from extractors.intake.readers.mastodon import MastodonReader
from extractors.intake.readers.pixelfed import PixelfedReader
from extractors.intake.readers.plain import PlainReader
from extractors.intake.readers.reddit import RedditReader
from extractors.intake.readers.substack import SubstackReader
from extractors.intake.readers.telegram import TelegramReader
from extractors.intake.readers.tiktok import TikTokReader
from extractors.intake.readers.twitter import TwitterReader
from extractors.intake.readers.youtube import YouTubeReader

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
    TikTokReader(),
    YouTubeReader(),
    PixelfedReader(),
    SubstackReader(),
    PlainReader(),
)
