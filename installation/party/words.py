"""What the party shows: the same wall-word policy as the portraits, for every word a phone offers, every
prompt the wall captions and every theme. ``wall_words(config)`` is the one entry."""

from __future__ import annotations

from dataclasses import dataclass

from installation.compose.blocklist import Blocklist, load_blocklist, looks_personal
from installation.config import Config


@dataclass(frozen=True)
class WallWords:
    """The curator's blocklist and the personal-data check, as the party applies them."""

    blocklist: Blocklist

    def refusal(self, text: str) -> str | None:
        """Why ``text`` may not be shown (a plain sentence), or None when it may."""
        blocked = self.blocklist.find(text)
        if blocked:
            return f"the wall policy keeps {', '.join(repr(b) for b in dict.fromkeys(blocked))} off the wall"
        if looks_personal(text):
            return "links, e-mail addresses, phone numbers and @handles are not shown"
        return None

    def scrub(self, text: str) -> str:
        """``text`` with any blocked word taken out, for a caption written before the list changed."""
        return " ".join(self.blocklist.scrub(text).split())


def wall_words(config: Config) -> WallWords:
    """The party's word policy: ``compose.blocklist`` and ``compose.blocked_words``, as for portraits."""
    return WallWords(load_blocklist(config))
