"""Bluesky: the ``repo.car`` of "Export my data", and pages of the public ``getAuthorFeed`` API.

The repository is a CARv1 file of DAG-CBOR blocks, decoded with libipld. Its root is the signed
commit, whose ``data`` points at a Merkle Search Tree; record keys (``app.bsky.feed.post/3k...``)
exist only in that tree, prefix-compressed, so the tree is walked and only records it reaches are
read: a block left over from a deleted post is never seen. Posts are records of the
``app.bsky.feed.post`` collection with that ``$type``; reposts and likes live in other collections.
The file is read whole (it holds records only, no images), within the export's per-file cap.

API pages (``{"feed": [{"post": {...}, "reason"?}], "cursor"}``, one or several files) are read the
same way: an item with a ``reason`` of ``#reasonRepost`` is someone else's post, and so is any post
whose author is not the feed's owner (the author of most non-repost items).

Links and mentions are cut out by their facets (UTF-8 byte ranges) before the shared cleaning. A
``createdAt`` that is missing or unreadable falls back to the time in the record key (a TID).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from typing import Any

from extractors.errors import ProfileParseError
from extractors.intake.jsonio import load_json
from extractors.intake.reader import RawPost
from extractors.intake.sniff import Signature
from extractors.intake.source import ExportFiles

POST = "app.bsky.feed.post"
_REPOST_REASON = "app.bsky.feed.defs#reasonRepost"
_CUT_FEATURES = ("app.bsky.richtext.facet#link", "app.bsky.richtext.facet#mention")
_TID_ALPHABET = "234567abcdefghijklmnopqrstuvwxyz"
_HEAD = 4096
_MAX_API_FILES = 50  # shallow .json files sniffed for API pages, at most


class BlueskyReader:
    name = "bluesky"
    description = "Bluesky repository export (repo.car) or getAuthorFeed API JSON pages"
    signatures: tuple[Signature, ...] = (
        Signature("repo.car", "car", markers=(b"roots",)),
        Signature("feed.json", "json", markers=(b'"feed"', b'"at://')),
    )

    def detect(self, files: ExportFiles) -> int:
        cars = files.glob("*.car")
        if cars:
            return 100 if b"roots" in _head(files, cars[0], 256) else 50
        return 80 if _api_pages(files) else 0

    def read(self, files: ExportFiles) -> Iterator[RawPost]:
        seen: set[str] = set()  # at:// URIs: the repository and API pages of one person overlap
        for rel in files.glob("*.car"):
            yield from _unique(_read_car(files, rel), seen)
        yield from _unique(_read_api_pages(files, _api_pages(files)), seen)


def _unique(posts: Iterator[tuple[str, RawPost]], seen: set[str]) -> Iterator[RawPost]:
    for uri, post in posts:
        if not uri:
            yield post  # nothing to recognise a repeat by
        elif uri not in seen:
            seen.add(uri)
            yield post


# --- repo.car --------------------------------------------------------------------------------------


def _read_car(files: ExportFiles, rel: str) -> Iterator[tuple[str, RawPost]]:
    import libipld

    label = files.label(rel)
    # 1. Decode the container: a truncated or foreign file fails here.
    try:
        header, blocks = libipld.decode_car(files.path(rel).read_bytes())
    except (ValueError, RecursionError) as exc:
        raise ProfileParseError(f"{label}: not a readable CAR repository ({exc})") from exc
    # 2. Find the commit and the tree it signs.
    roots = header.get("roots") if isinstance(header, dict) else None
    if not isinstance(roots, list) or not roots or not isinstance(roots[0], bytes):
        raise ProfileParseError(f"{label}: the CAR header names no root block")
    commit = blocks.get(roots[0])
    if not isinstance(commit, dict) or "data" not in commit or "did" not in commit:
        raise ProfileParseError(f"{label}: the root block is not a repository commit")
    if commit.get("version") not in (2, 3):
        raise ProfileParseError(f"{label}: repository version {commit.get('version')!r}, expected 3")
    did = str(commit["did"])
    # 3. Walk the tree; keep post records.
    for key, cid in _walk_tree(blocks, commit["data"], label):
        collection, _, rkey = key.partition("/")
        if collection != POST:
            continue
        record = blocks.get(cid)
        if record is None:
            raise ProfileParseError(f"{label}: record {key} is missing from the file")
        if isinstance(record, dict) and record.get("$type") == POST:
            yield f"at://{did}/{key}", _raw_post(record, label, key, rkey)


def _walk_tree(blocks: Mapping[bytes, Any], root: Any, label: str) -> Iterator[tuple[str, bytes]]:
    """Every (key, record CID) the Merkle Search Tree holds; keys are rebuilt from their prefixes."""
    stack = [root]
    visited: set[bytes] = set()
    while stack:
        cid = stack.pop()
        if not isinstance(cid, bytes):
            raise ProfileParseError(f"{label}: a tree link is not a CID")
        if cid in visited:
            raise ProfileParseError(f"{label}: the repository tree refers back to itself")
        visited.add(cid)
        node = blocks.get(cid)
        if not isinstance(node, dict) or not isinstance(node.get("e"), list):
            raise ProfileParseError(f"{label}: a repository tree node is missing or malformed")
        if node.get("l") is not None:
            stack.append(node["l"])
        key = b""
        for entry in node["e"]:
            if not isinstance(entry, dict):
                raise ProfileParseError(f"{label}: a repository tree entry is malformed")
            prefix, suffix = entry.get("p"), entry.get("k")
            if not isinstance(prefix, int) or not isinstance(suffix, bytes) or not 0 <= prefix <= len(key):
                raise ProfileParseError(f"{label}: a repository tree key is malformed")
            key = key[:prefix] + suffix
            if not isinstance(entry.get("v"), bytes):
                raise ProfileParseError(f"{label}: a repository tree entry has no record link")
            yield key.decode("utf-8", errors="replace"), entry["v"]
            if entry.get("t") is not None:
                stack.append(entry["t"])


# --- getAuthorFeed pages ---------------------------------------------------------------------------


def _api_pages(files: ExportFiles) -> list[str]:
    candidates = [f for f in files.glob("*.json") if f.count("/") <= 1][:_MAX_API_FILES]
    return [rel for rel in candidates if _looks_like_feed(_head(files, rel, _HEAD))]


def _looks_like_feed(head: bytes) -> bool:
    return b'"feed"' in head and (b'"at://' in head or b'"feed": []' in head or b'"feed":[]' in head)


def _read_api_pages(files: ExportFiles, rels: list[str]) -> Iterator[tuple[str, RawPost]]:
    # 1. Every page's non-repost items (pages are small: at most 100 items each).
    items: list[tuple[str, dict[str, Any]]] = []
    for rel in rels:
        page = load_json(files, rel)
        feed = page.get("feed") if isinstance(page, dict) else None
        if not isinstance(feed, list):
            raise ProfileParseError(f"{files.label(rel)}: no 'feed' list: not a getAuthorFeed page")
        items += [(files.label(rel), item["post"]) for item in feed
                  if isinstance(item, dict) and isinstance(item.get("post"), dict) and not _is_repost(item)]
    # 2. The feed's owner wrote most of them; anything else is someone else's post.
    authors = Counter(_author(post) for _, post in items)
    owner = authors.most_common(1)[0][0] if authors else None
    # 3. The owner's post records.
    for label, post in items:
        record = post.get("record")
        if _author(post) != owner or not isinstance(record, dict) or record.get("$type") != POST:
            continue
        uri = str(post.get("uri") or "")
        yield uri, _raw_post(record, label, uri or "a feed item", uri.rsplit("/", 1)[-1])


def _is_repost(item: Mapping[str, Any]) -> bool:
    reason = item.get("reason")
    return isinstance(reason, dict) and reason.get("$type") == _REPOST_REASON


def _author(post: Mapping[str, Any]) -> str | None:
    author = post.get("author")
    if isinstance(author, dict) and author.get("did"):
        return str(author["did"])
    uri = str(post.get("uri") or "")
    return uri.removeprefix("at://").split("/", 1)[0] or None


# --- one post record -------------------------------------------------------------------------------


def _raw_post(record: Mapping[str, Any], label: str, where: str, rkey: str) -> RawPost:
    text = record.get("text")
    stored = text if isinstance(text, str) else ""
    langs = record.get("langs")
    lang = str(langs[0]) if isinstance(langs, list) and langs else None
    return RawPost(
        stored=stored,
        text=_without_links(stored, record.get("facets")),
        created_at=_created_at(record.get("createdAt"), rkey, label, where),
        lang=lang,
        kind="reply" if record.get("reply") else "post",
    )


def _without_links(text: str, facets: Any) -> str:
    """The text with link and mention facets (UTF-8 byte ranges) cut out; bad ranges are ignored."""
    if not isinstance(facets, list) or not text:
        return text
    data = text.encode("utf-8")
    cuts: list[tuple[int, int]] = []
    for facet in facets:
        if not isinstance(facet, dict):
            continue
        index, features = facet.get("index"), facet.get("features")
        if not isinstance(index, dict) or not isinstance(features, list):
            continue
        start, end = index.get("byteStart"), index.get("byteEnd")
        kinds = {f.get("$type") for f in features if isinstance(f, dict)}
        if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(data) and (
            kinds & set(_CUT_FEATURES)
        ):
            cuts.append((start, end))
    for start, end in sorted(cuts, reverse=True):
        data = data[:start] + b" " + data[end:]
    return data.decode("utf-8", errors="ignore")


def _created_at(value: Any, rkey: str, label: str, where: str) -> datetime:
    if isinstance(value, str):
        try:
            t = datetime.fromisoformat(value.strip())
        except ValueError:
            pass
        else:
            return t if t.tzinfo else t.replace(tzinfo=UTC)
    tid_time = _tid_time(rkey)
    if tid_time is None:
        raise ProfileParseError(f"{label}: {where} has createdAt {value!r}, not an ISO 8601 time")
    return tid_time


def _tid_time(rkey: str) -> datetime | None:
    """The time inside a TID record key: 53 bits of microseconds since 1970, base32-sortable."""
    if len(rkey) != 13 or any(c not in _TID_ALPHABET for c in rkey):
        return None
    n = 0
    for c in rkey:
        n = n * 32 + _TID_ALPHABET.index(c)
    micros = (n >> 10) & ((1 << 53) - 1)
    try:
        return datetime.fromtimestamp(micros / 1_000_000, UTC)
    except (OverflowError, OSError, ValueError):
        return None


def _head(files: ExportFiles, rel: str, n: int) -> bytes:
    with files.path(rel).open("rb") as fh:
        return fh.read(n)
