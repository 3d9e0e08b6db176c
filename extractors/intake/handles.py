"""A public Mastodon or Bluesky profile, fetched over the platforms' public APIs into an export file.

The fetched pages are written as the JSON the API returns (Mastodon: an array of statuses; Bluesky:
``{"feed": [...]}`` of getAuthorFeed), which the readers understand like any other export. Fetching is
capped in pages, bytes and time, follows no redirects, and only ever asks the host the handle names.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

import httpx

from extractors.errors import IntakeError, RemoteFetchError
from extractors.settings import FetchLimits

BLUESKY_API = "https://public.api.bsky.app/xrpc/app.bsky.feed.getAuthorFeed"
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_HOST = re.compile(rf"(?:{_LABEL}\.)+[a-z][a-z0-9-]{{1,62}}")  # a DNS name; IP addresses never match
_MASTODON_USER = re.compile(r"[a-z0-9_][a-z0-9_.-]{0,63}")
_DID = re.compile(r"did:plc:[a-z2-7]{24}")
_HINT = "type a Mastodon handle like @name@server.social or a Bluesky handle like name.bsky.social"


@dataclass(frozen=True)
class Handle:
    platform: Literal["mastodon", "bluesky"]
    user: str  # Mastodon user name, or the Bluesky handle / DID
    host: str  # the Mastodon server; for Bluesky the public API's host

    def __str__(self) -> str:
        return f"@{self.user}@{self.host}" if self.platform == "mastodon" else f"@{self.user}"


def parse_handle(text: str) -> Handle:
    """A handle as a visitor types it; anything that is not clearly one is refused."""
    value = text.strip().lower().removeprefix("@")
    if not value or len(value) > 253:
        raise IntakeError(f"{text[:40]!r} is not a handle: {_HINT}")
    if "@" in value:
        user, _, host = value.partition("@")
        if _MASTODON_USER.fullmatch(user) and _HOST.fullmatch(host) and not host.endswith(".local"):
            return Handle("mastodon", user, host)
    elif _HOST.fullmatch(value) or _DID.fullmatch(value):
        return Handle("bluesky", value, urlsplit(BLUESKY_API).netloc)
    raise IntakeError(f"{text[:40]!r} is not a handle: {_HINT}")


def fetch_handle(
    text: str, folder: Path, limits: FetchLimits, transport: httpx.BaseTransport | None = None
) -> Path:
    """Fetch the public posts of ``text`` into ``folder``; returns the export file written."""
    # 1. Check inputs
    handle = parse_handle(text)
    if not folder.is_dir():
        raise RemoteFetchError(f"{folder} is not a folder to fetch into")
    # 2. Fetch the pages, within the caps
    budget = _Budget(limits.max_bytes)
    timeout = httpx.Timeout(limits.timeout_seconds)
    with httpx.Client(timeout=timeout, transport=transport, follow_redirects=False,
                      headers={"Accept": "application/json", "User-Agent": "social-portrait"}) as client:
        if handle.platform == "mastodon":
            data: Any = _mastodon(client, handle, limits.pages, budget)
            name, count = "statuses.json", len(data)
        else:
            data = _bluesky(client, handle, limits.pages, budget)
            name, count = "author_feed.json", len(data["feed"])
    if count == 0:
        raise RemoteFetchError(f"{handle} has no public posts to read")
    # 3. Write them as an export file only this process can read
    path = folder / name
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False)
    return path


class _Budget:
    def __init__(self, max_bytes: int) -> None:
        self.left = max_bytes

    def spend(self, n: int, handle: Handle) -> None:
        self.left -= n
        if self.left < 0:
            raise RemoteFetchError(f"{handle}: the public posts are larger than the fetch limit")


def _get_json(client: httpx.Client, url: str, params: dict[str, Any], handle: Handle, budget: _Budget
              ) -> tuple[Any, httpx.Headers]:
    try:
        with client.stream("GET", url, params=params) as response:
            if response.status_code == 404:
                raise RemoteFetchError(f"{handle}: no such account on {handle.host}")
            if response.status_code == 429:
                raise RemoteFetchError(f"{handle}: {handle.host} asks us to slow down; try again in a minute")
            if response.status_code != 200:
                raise RemoteFetchError(f"{handle}: {handle.host} answered HTTP {response.status_code}")
            body = bytearray()
            for chunk in response.iter_bytes():
                budget.spend(len(chunk), handle)
                body += chunk
            headers = response.headers
    except httpx.TimeoutException as exc:
        raise RemoteFetchError(f"{handle}: {handle.host} did not answer in time") from exc
    except httpx.HTTPError as exc:
        raise RemoteFetchError(f"{handle}: cannot reach {handle.host} ({type(exc).__name__})") from exc
    try:
        return json.loads(body), headers
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError) as exc:
        raise RemoteFetchError(f"{handle}: {handle.host} did not answer with JSON") from exc


def _mastodon(client: httpx.Client, handle: Handle, pages: int, budget: _Budget) -> list[Any]:
    base = f"https://{handle.host}/api/v1"
    account, _ = _get_json(client, f"{base}/accounts/lookup", {"acct": handle.user}, handle, budget)
    if not isinstance(account, dict) or not re.fullmatch(r"[0-9A-Za-z]{1,32}", str(account.get("id", ""))):
        raise RemoteFetchError(f"{handle}: {handle.host} sent an account without a usable id")
    url = f"{base}/accounts/{account['id']}/statuses"
    params: dict[str, Any] = {"limit": 40, "exclude_reblogs": "true"}
    statuses: list[Any] = []
    for _ in range(pages):
        page, headers = _get_json(client, url, params, handle, budget)
        if not isinstance(page, list):
            raise RemoteFetchError(f"{handle}: {handle.host} sent statuses that are not a list")
        statuses.extend(page)
        next_url = httpx.Response(200, headers=headers).links.get("next", {}).get("url")
        # Follow the Link header only on the same server and path: a page cannot send us elsewhere.
        if not page or not next_url or urlsplit(next_url).netloc != handle.host:
            break
        max_id = httpx.URL(next_url).params.get("max_id")
        if not max_id:
            break
        params = {**params, "max_id": max_id}
    return statuses


def _bluesky(client: httpx.Client, handle: Handle, pages: int, budget: _Budget) -> dict[str, Any]:
    feed: list[Any] = []
    params: dict[str, Any] = {"actor": handle.user, "limit": 100}
    for _ in range(pages):
        page, _ = _get_json(client, BLUESKY_API, params, handle, budget)
        if not isinstance(page, dict) or not isinstance(page.get("feed"), list):
            raise RemoteFetchError(f"{handle}: the Bluesky API sent a feed without posts")
        feed.extend(page["feed"])
        cursor = page.get("cursor")
        if not page["feed"] or not isinstance(cursor, str) or not cursor:
            break
        params = {**params, "cursor": cursor}
    return {"feed": feed}
