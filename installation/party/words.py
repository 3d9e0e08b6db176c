"""What the party shows: the same wall-word policy as the portraits, for every word a phone offers, every
prompt the wall captions and every theme. ``wall_words(config)`` is the one entry."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from installation.compose.blocklist import Blocklist, load_blocklist, looks_personal
from installation.compose.policy import WallPolicy, load_policy
from installation.config import Config


@dataclass(frozen=True)
class WallWords:
    """The curator's blocklist, the public-wall policy and the personal-data check, as the party applies them."""

    blocklist: Blocklist
    policy: WallPolicy

    def refusal(self, text: str) -> str | None:
        """Why ``text`` may not be shown (a plain sentence), or None when it may."""
        blocked = self.blocklist.find(text)
        if blocked:
            return f"the wall policy keeps {', '.join(repr(b) for b in dict.fromkeys(blocked))} off the wall"
        if (category := self.policy.check(text)) is not None:
            found = category.pattern.search(_normal(text)) if category.pattern is not None else None
            word = f"{found.group(0)!r}" if found else "its words"
            return f"the wall policy keeps {word} off the wall ({category.label})"
        if looks_personal(text):
            return "links, e-mail addresses, phone numbers and @handles are not shown"
        return None

    def scrub(self, text: str) -> str:
        """``text`` with any blocked or policy word taken out, for a caption written before the lists changed."""
        text = self.blocklist.scrub(text)
        if self.policy.check(text) is not None:
            # The policy matches case-folded text: a caption that carries one of its words is shown folded.
            text = _normal(text)
            for category in self.policy.categories:
                if category.pattern is not None:
                    text = category.pattern.sub(" ", text)
        return " ".join(text.split())


def wall_words(config: Config) -> WallWords:
    """The party's word policy: the same blocklist and ``[compose.policy]`` as for portraits."""
    return WallWords(load_blocklist(config), load_policy(config))


def _normal(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold()
