"""Build the Bluesky sample: Mira Okafor, marine biologist (invented), as repo.car and an API page.

Run from anywhere: ``python sample_profiles/build/build_bluesky.py``. The output is deterministic.

The CAR is written the way a PDS writes one: DAG-CBOR blocks (libipld), CIDv1 dag-cbor sha-256, a
signed-commit root (the signature is filler), a real Merkle Search Tree (key layer = leading zero
bit pairs of sha-256(key), keys prefix-compressed per node) and varint-framed blocks. ``car_bytes``
is also used by tests/test_bluesky.py to write small repositories.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import libipld

OUT = Path(__file__).resolve().parent.parent / "bluesky"
DID = "did:plc:q7mira4okafor2reefs5kxv"
HANDLE = "mira-okafor.bsky.social"
_TID_ALPHABET = "234567abcdefghijklmnopqrstuvwxyz"


# --- writing a repository ----------------------------------------------------------------------------


def cid_of(block: bytes) -> bytes:
    """CIDv1, codec dag-cbor (0x71), multihash sha2-256 (0x12, 32 bytes)."""
    return bytes([0x01, 0x71, 0x12, 0x20]) + hashlib.sha256(block).digest()


def tid(when: datetime, clock_id: int = 7) -> str:
    n = (int(when.timestamp() * 1_000_000) << 10) | clock_id
    return "".join(_TID_ALPHABET[(n >> (5 * i)) & 31] for i in reversed(range(13)))


def _varint(n: int) -> bytes:
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


def _layer(key: str) -> int:
    digest = hashlib.sha256(key.encode()).digest()
    zeros = 0
    for byte in digest:
        if byte == 0:
            zeros += 4
            continue
        for shift in (6, 4, 2, 0):
            if (byte >> shift) & 3:
                return zeros
            zeros += 1
    return zeros


class _Blocks:
    """Blocks by CID, in the order first written."""

    def __init__(self) -> None:
        self.items: dict[bytes, bytes] = {}

    def put(self, value: Any) -> bytes:
        block = libipld.encode_dag_cbor(value)
        cid = cid_of(block)
        self.items.setdefault(cid, block)
        return cid


def _tree(entries: Sequence[tuple[str, bytes, int]], layer: int, blocks: _Blocks) -> bytes | None:
    """Store the MST node for ``entries`` (sorted key, record CID, key layer) at ``layer``."""
    if not entries:
        return None
    here = [i for i, e in enumerate(entries) if e[2] == layer]
    bounds = [-1, *here, len(entries)]
    groups = [entries[bounds[j] + 1 : bounds[j + 1]] for j in range(len(bounds) - 1)]
    node: dict[str, Any] = {"l": _tree(groups[0], layer - 1, blocks), "e": []}
    previous = b""
    for j, i in enumerate(here):
        key = entries[i][0].encode()
        shared = 0
        while shared < min(len(key), len(previous)) and key[shared] == previous[shared]:
            shared += 1
        node["e"].append({"p": shared, "k": key[shared:], "v": entries[i][1],
                          "t": _tree(groups[j + 1], layer - 1, blocks)})
        previous = key
    return blocks.put(node)


def car_bytes(did: str, records: Mapping[str, Mapping[str, Any]], orphans: Iterable[Mapping[str, Any]] = (),
              rev: str = "3kzzzzzzzzz22") -> bytes:
    """A CARv1 repository: commit, tree and the records keyed ``collection/rkey``.

    ``orphans`` are record blocks written into the file but not into the tree (a deleted post's
    leftover block): a correct reader never sees them.
    """
    blocks = _Blocks()
    leaves = sorted((key, blocks.put(dict(rec)), _layer(key)) for key, rec in records.items())
    for rec in orphans:
        blocks.put(dict(rec))
    top = max((e[2] for e in leaves), default=0)
    root = _tree(leaves, top, blocks) or blocks.put({"l": None, "e": []})
    signature = hashlib.sha512(did.encode() + rev.encode()).digest()
    commit = blocks.put({"did": did, "version": 3, "data": root, "rev": rev, "prev": None, "sig": signature})
    header = libipld.encode_dag_cbor({"version": 1, "roots": [commit]})
    out = bytearray(_varint(len(header)) + header)
    for cid in [commit, *(c for c in blocks.items if c != commit)]:
        block = blocks.items[cid]
        out += _varint(len(cid) + len(block)) + cid + block
    return bytes(out)


# --- Mira's posts ----------------------------------------------------------------------------------

# (text, kind, langs); "reply" posts answer someone else's thread. Empty text = a photo-only post.
POSTS: list[tuple[str, str, str]] = [
    ("First dive of the season at the north reef. Water is 26 degrees and the staghorn coral is "
     "putting out new tips everywhere. #coralreefs", "post", "en"),
    ("Plankton tow at dusk: copepods, arrow worms and one very confused larval crab under the scope.",
     "post", "en"),
    ("Our octopus at station 4 has moved house again. Third den this week, always with a shell "
     "doorway she drags behind her.", "post", "en"),
    ("Yes! We log every den with a GPS float and photos. She prefers crevices facing the current.",
     "reply", "en"),
    ("Research cruise packing list: 40 sample jars, two spare regulators, seasickness tablets, one "
     "ukulele nobody asked for.", "post", "en"),
    ("Day one on the ship. The CTD rosette went down to 800 metres and came back with the clearest "
     "water I have ever filtered.", "post", "en"),
    ("Night watch on deck. Bioluminescent plankton turns the wake into a green comet tail.", "post", "en"),
    ("", "post", "en"),
    ("Counting coral recruits on settlement tiles is the slowest joy in science. 212 tiny polyps on "
     "tile 17 alone.", "post", "en"),
    ("Bleaching alert for the lagoon sites. Temperatures have been above threshold for nine days and "
     "the Acropora are turning pale.", "post", "en"),
    ("We saw partial recovery after the 2020 event, but the gap between heatwaves keeps shrinking.",
     "reply", "en"),
    ("Octopus fact of the day: two thirds of their neurons sit in the arms. Each arm tastes what it "
     "touches.", "post", "en"),
    ("New paper on plankton blooms and reef fish spawning is out, proud of our tiny team "
     "nature.com/articles/reef-plankton-2024", "post", "en"),
    ("Thank you! The dataset is open, happy to share the sampling protocol with your lab.",
     "reply", "en"),
    ("Safety stop at five metres, watching a parrotfish grind coral into sand. Half the beach here "
     "came out of a fish.", "post", "en"),
    ("Spent the morning teaching students to identify zooplankton. The joy when someone finds their "
     "first pteropod!", "post", "en"),
    ("Cleaning station visit: a grouper holding perfectly still while cleaner wrasse work through "
     "its gills.", "post", "en"),
    ("Our reef restoration nursery now holds 1,400 coral fragments on floating trees.", "post", "en"),
    ("Mergulho noturno hoje: um polvo caçando entre os corais, mudando de cor a cada segundo.",
     "post", "pt"),
    ("Agreed, night dives change how you see a reef. Everything that hid all day comes out.",
     "reply", "en"),
    ("Storm day. No diving, so I am sorting plankton samples and listening to rain on the lab roof.",
     "post", "en"),
    ("Microplastics in every single plankton sample from the harbour transect. Every one.", "post", "en"),
    ("The research cruise ends tomorrow. 31 stations, 600 litres of filtered seawater, one very tired "
     "crew.", "post", "en"),
    ("", "post", "en"),
    ("Back on land and the floor still moves. Sea legs take longer to leave than to arrive.", "post", "en"),
    ("Coral spawning predicted for the nights after the full moon. Nets ready, torches charged, "
     "coffee stocked.", "post", "en"),
    ("IT HAPPENED. Mass coral spawning at 22:40, the water filled with pink egg bundles rising like "
     "snow falling upwards.", "post", "en"),
    ("We collected gametes for the larval rearing tanks, fingers crossed for settlement next week.",
     "reply", "en"),
    ("The larvae are swimming! Millions of tiny coral larvae spinning in the rearing tanks.", "post", "en"),
    ("Settlement success on the new ceramic tiles is twice what we saw on the old concrete ones.",
     "post", "en"),
    ("Octopus update: she has laid eggs in her den and stopped hunting. Brooding mothers guard the "
     "eggs until the end.", "post", "en"),
    ("It is sad and beautiful. She cleans and aerates every strand of eggs for weeks.", "reply", "en"),
    ("Seagrass survey today. Turtles grazing, a ray buried in the sand, pipefish everywhere.", "post", "en"),
    ("Reading old logbooks from the 1970s reef surveys. Coral cover at our sites was twice what it is "
     "now.", "post", "en"),
    ("Plankton nets mended, microscope cleaned, samples labelled. The unglamorous half of marine "
     "biology.", "post", "en"),
    ("Thanks @reefwatch.bsky.social for the temperature logger data, it filled our gap perfectly.",
     "post", "en"),
    ("Hatching day! Tiny paralarvae drifting out of the octopus den into the plankton.", "post", "en"),
    ("Yes, the paralarvae join the plankton for weeks before they settle on the reef.", "reply", "en"),
    ("Giving a talk at the aquarium on Saturday about coral reefs and why plankton matters to all of "
     "us.", "post", "en"),
    ("Diving the deep wall at 30 metres, sea fans as big as doors and a turtle asleep under a "
     "ledge.", "post", "en"),
    ("Grant submitted for a second research cruise. Now the long wait.", "post", "en"),
    ("Fluorescent corals under blue light look like a city at night.", "post", "en"),
    ("Coral nursery maintenance: scrubbing algae off the trees, one fragment at a time.", "post", "en"),
    ("We outplanted 300 nursery corals to the damaged reef flat today. Hands wrinkled, heart full.",
     "post", "en"),
    ("The fragments are cable-tied to the rock and glued with marine epoxy, then we check them "
     "monthly.", "reply", "en"),
    ("Monthly check: 87 percent of the outplanted corals alive and growing.", "post", "en"),
    ("A reminder that reefs cover a tiny fraction of the ocean floor and feed a quarter of marine "
     "species.", "post", "en"),
    ("Cruise approved! Back to sea in spring, this time with a plankton camera that images every "
     "particle.", "post", "en"),
    ("Last dive of the year at the north reef. Same staghorn patch as January, a little paler, still "
     "here.", "post", "en"),
    ("Year in numbers: 142 dives, 2 research cruises, 1 octopus family, countless copepods.", "post", "en"),
]

_START = datetime(2024, 1, 6, 7, 30, tzinfo=UTC)
_OTHERS = ["did:plc:reefwatch7temp2logger3aa", "did:plc:lagoonlab4bleach5survey6", "did:plc:deepwall8diver9turtle2zz"]


def _when(i: int) -> datetime:
    return _START + timedelta(days=7 * i, hours=(i * 5) % 13, minutes=(i * 37) % 60)


def _strong_ref(did: str, n: int) -> dict[str, str]:
    fake = cid_of(f"{did}/{n}".encode())
    return {"uri": f"at://{did}/{'app.bsky.feed.post'}/{tid(_START - timedelta(days=n))}",
            "cid": libipld.encode_cid(fake)}


def _facets(text: str) -> list[dict[str, Any]]:
    data = text.encode()
    facets = []
    for token in text.split():
        start = data.find(token.encode())
        end = start + len(token.encode())
        if token.startswith("@"):
            facets.append({"index": {"byteStart": start, "byteEnd": end},
                           "features": [{"$type": "app.bsky.richtext.facet#mention", "did": _OTHERS[0]}]})
        elif "/" in token and "." in token:
            facets.append({"index": {"byteStart": start, "byteEnd": end},
                           "features": [{"$type": "app.bsky.richtext.facet#link", "uri": "https://" + token}]})
        elif token.startswith("#"):
            facets.append({"index": {"byteStart": start, "byteEnd": end},
                           "features": [{"$type": "app.bsky.richtext.facet#tag", "tag": token[1:]}]})
    return facets


def post_records() -> dict[str, dict[str, Any]]:
    records: dict[str, dict[str, Any]] = {}
    for i, (text, kind, lang) in enumerate(POSTS):
        when = _when(i)
        rec: dict[str, Any] = {"$type": "app.bsky.feed.post", "text": text,
                               "createdAt": when.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
                               "langs": [lang]}
        if kind == "reply":
            ref = _strong_ref(_OTHERS[i % 3], i)
            rec["reply"] = {"root": ref, "parent": ref}
        if facets := _facets(text):
            rec["facets"] = facets
        if not text:
            rec["embed"] = {"$type": "app.bsky.embed.images", "images": [
                {"alt": "", "image": {"$type": "blob", "ref": cid_of(f"img{i}".encode()),
                                      "mimeType": "image/jpeg", "size": 48_213 + i}}]}
        records[f"app.bsky.feed.post/{tid(when)}"] = rec
    return records


def other_records() -> dict[str, dict[str, Any]]:
    """Reposts, likes, follows and the profile: none of them is a post of Mira's."""
    records: dict[str, dict[str, Any]] = {
        "app.bsky.actor.profile/self": {"$type": "app.bsky.actor.profile", "displayName": "Mira Okafor",
                                        "description": "Marine biologist. Coral reefs, plankton, octopus."},
    }
    for n in range(6):
        when = _when(n * 8 + 3) + timedelta(hours=2)
        records[f"app.bsky.feed.repost/{tid(when, 3)}"] = {
            "$type": "app.bsky.feed.repost", "subject": _strong_ref(_OTHERS[n % 3], 100 + n),
            "createdAt": when.isoformat().replace("+00:00", "Z")}
    for n in range(10):
        when = _when(n * 5 + 1) + timedelta(hours=1)
        records[f"app.bsky.feed.like/{tid(when, 5)}"] = {
            "$type": "app.bsky.feed.like", "subject": _strong_ref(_OTHERS[n % 3], 200 + n),
            "createdAt": when.isoformat().replace("+00:00", "Z")}
    for n, did in enumerate(_OTHERS):
        when = _START - timedelta(days=30 - n)
        records[f"app.bsky.graph.follow/{tid(when, 9)}"] = {
            "$type": "app.bsky.graph.follow", "subject": did, "createdAt": when.isoformat().replace("+00:00", "Z")}
    return records


def api_page() -> dict[str, Any]:
    """One getAuthorFeed page: Mira's ten latest posts, a pinned repeat and two reposts of others."""
    author = {"did": DID, "handle": HANDLE, "displayName": "Mira Okafor"}
    posts = post_records()
    latest = sorted(posts.items(), key=lambda kv: kv[1]["createdAt"], reverse=True)[:10]
    feed: list[dict[str, Any]] = []
    for key, rec in latest:
        cid = libipld.encode_cid(cid_of(libipld.encode_dag_cbor(rec)))
        feed.append({"post": {"uri": f"at://{DID}/{key}", "cid": cid,
                              "author": author, "record": _json_safe(rec), "replyCount": 0, "repostCount": 1,
                              "likeCount": 4, "indexedAt": rec["createdAt"]}})
    pinned = feed[4]
    feed.insert(0, {**pinned, "reason": {"$type": "app.bsky.feed.defs#reasonPin"}})
    for n, did in enumerate(_OTHERS[1:]):
        other = {"did": did, "handle": f"friend{n}.bsky.social", "displayName": f"Friend {n}"}
        text = ["Reef fish counts from the lagoon are in and they are grim.",
                "Who else saw the coral spawning livestream last night?"][n]
        feed.insert(3 + 3 * n, {
            "post": {"uri": f"at://{did}/app.bsky.feed.post/{tid(_when(47 + n), 1)}", "cid": "bafyreif" + "a" * 52,
                     "author": other, "record": {"$type": "app.bsky.feed.post", "text": text, "langs": ["en"],
                                                  "createdAt": _when(47 + n).isoformat().replace("+00:00", "Z")},
                     "indexedAt": _when(47 + n).isoformat().replace("+00:00", "Z")},
            "reason": {"$type": "app.bsky.feed.defs#reasonRepost", "by": author,
                       "indexedAt": _when(47 + n).isoformat().replace("+00:00", "Z")}})
    return {"feed": feed, "cursor": latest[-1][1]["createdAt"]}


def _json_safe(value: Any) -> Any:
    """The API's JSON form of a record: CID links become {"$link": ...}."""
    if isinstance(value, dict):
        return {k: _json_safe(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_safe(v) for v in value]
    if isinstance(value, bytes):
        return {"$link": libipld.encode_cid(value)}
    return value


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    records = {**post_records(), **other_records()}
    (OUT / "repo.car").write_bytes(car_bytes(DID, records, rev=tid(_when(len(POSTS)))))
    (OUT / "api-feed.json").write_text(json.dumps(api_page(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    counted = sum(1 for text, _, _ in POSTS if text)
    print(f"bluesky: {len(POSTS)} post records, {counted} with text, written to {OUT}")


if __name__ == "__main__":
    main()
