"""What the party's web pages share: the config, the store, the word policy, who is the host, and which
phone is which (a random name per phone, never an account), with the phones' rate limits.

``PartyContext`` is the one entry; the host and phone routes take it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field
from pathlib import Path

from fastapi import Request

from installation.config import Config
from installation.party.store import PartyStore
from installation.party.stream import join_url
from installation.party.words import WallWords, wall_words

HOST_COOKIE = "party_host"
PHONE_COOKIE = "party_phone"
LOOPBACK = ("127.0.0.1", "::1", "localhost")
HERE = Path(__file__).parent
# Pages load only their own script, style and images; nothing may frame them.
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
                               "script-src 'self'; frame-ancestors 'none'; form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
_ADJECTIVES = (
    "Amber", "Azure", "Brave", "Bright", "Calm", "Coral", "Curious", "Dreamy", "Gentle", "Golden", "Jade",
    "Lively", "Lunar", "Misty", "Quiet", "Rosy", "Silver", "Sunny", "Swift", "Velvet", "Violet", "Wild",
)
_ANIMALS = (
    "Badger", "Crane", "Dolphin", "Falcon", "Finch", "Fox", "Gecko", "Hare", "Heron", "Ibis", "Koala", "Lynx",
    "Marten", "Moth", "Otter", "Owl", "Panda", "Puffin", "Robin", "Seal", "Swan", "Wren",
)
NEW_PHONES_PER_MINUTE = 10  # per client address: a cleared cookie does not buy unlimited names


def random_name() -> str:
    """A name for a phone: two words and a number, drawn at random, saying nothing about its owner."""
    return f"{secrets.choice(_ADJECTIVES)} {secrets.choice(_ANIMALS)} {secrets.randbelow(90) + 10}"


class RateLimit:
    """At most ``per_minute`` events per key in any sliding minute (in memory)."""

    def __init__(self, per_minute: int) -> None:
        self.per_minute = per_minute
        self._events: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def allow(self, key: str) -> bool:
        now = time.monotonic()
        with self._lock:
            events = self._events[key]
            while events and events[0] <= now - 60:
                events.popleft()
            if len(events) >= self.per_minute:
                return False
            events.append(now)
            return True


@dataclass(frozen=True)
class Phone:
    """One phone in the room: the hash of its cookie (what the store keeps) and its random name."""

    key: str
    name: str
    cookie: str | None  # a newly minted cookie to set, else None


@dataclass
class PartyContext:
    """Everything a party request needs."""

    config: Config
    store: PartyStore
    words: WallWords = field(init=False)
    votes: RateLimit = field(init=False)
    new_phones: RateLimit = field(init=False)

    def __post_init__(self) -> None:
        self.words = wall_words(self.config)
        self.votes = RateLimit(self.config.party.votes_per_minute)
        self.new_phones = RateLimit(NEW_PHONES_PER_MINUTE)

    def is_host(self, request: Request) -> bool:
        """The host screen: this machine, or a browser that logged in with ``[party] host_token``."""
        token = self.config.party.host_token
        if token is not None:
            given = request.cookies.get(HOST_COOKIE, "")
            return hmac.compare_digest(given.encode(), token.encode())
        return request.client is not None and request.client.host in LOOPBACK

    def phone(self, request: Request, *, mint: bool) -> Phone | None:
        """The phone behind ``request``; ``mint`` gives a new phone a name (None when it may not have one)."""
        cookie = request.cookies.get(PHONE_COOKIE)
        if cookie:
            key = hashlib.sha256(cookie.encode()).hexdigest()
            name = self.store.phone_name(key)
            if name is not None:
                return Phone(key, name, None)
        if not mint:
            return None
        address = request.client.host if request.client else "-"
        if not self.new_phones.allow(address):
            return None
        cookie = secrets.token_urlsafe(18)
        key = hashlib.sha256(cookie.encode()).hexdigest()
        name = random_name()
        self.store.add_phone(key, name)
        return Phone(key, name, cookie)

    def phone_url(self, request: Request, session_id: str) -> str:
        """What the QR code says: ``[party] public_url`` if set; else the address this page was asked on,
        or this machine's address on the local network when that was a loopback address phones cannot reach."""
        settings = self.config.party
        if settings.public_url or (request.url.hostname in LOOPBACK and settings.host in ("0.0.0.0", "::", "")):
            return join_url(self.config, session_id)
        return str(request.base_url).rstrip("/") + f"/p/{session_id}"
