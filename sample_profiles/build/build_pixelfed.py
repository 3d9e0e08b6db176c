"""Build the Pixelfed sample: ``pixelfed-statuses.json`` of "Ines Varga", an invented bird photographer on
the shores of Lake Balaton.

    python sample_profiles/build/build_pixelfed.py

writes ``sample_profiles/pixelfed/pixelfed-statuses.json`` as Pixelfed's account export does since 2025:
a JSON array of Mastodon-style statuses with ``content_text`` beside the HTML ``content``, ``pf_type``
(``photo``, ``photo:album``, ``share``), shares with ``reblog`` set, a direct message (``visibility``
"direct": never read), replies (``in_reply_to_id``), a photo without a caption. Same input, same bytes.
Own posts and replies with text: 22 (17 posts, 5 replies).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from html import escape
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parents[1] / "pixelfed"
ACCOUNT = {"id": "7301", "username": "ines_varga", "acct": "ines_varga", "display_name": "Ines",
           "url": "https://pixelfed.example/ines_varga"}

# (kind, text): kind is post, reply, share (someone else's), direct (a private message) or photo (no words).
STATUSES: list[tuple[str, str]] = [
    ("post", "First light over Lake Balaton. A grey heron stood still for twenty minutes #birds #balaton"),
    ("post", "Great crested grebes dancing on the water, the courtship season has begun"),
    ("share", "Amazing owl photo by a friend"),
    ("post", "The reed beds at Kis-Balaton are full of bearded reedlings this winter"),
    ("reply", "Thank you! It was a 400mm lens and a lot of patience in the cold"),
    ("post", "Kingfisher on the old jetty, a flash of blue and gone #kingfisher"),
    ("photo", ""),
    ("post", "Morning fog, white storks on the chimneys of the village"),
    ("direct", "Can you send me the location of the hide?"),
    ("post", "Red-footed falcons hunting dragonflies over the meadow"),
    ("reply", "Early morning is best, the birds are busy and the light is soft"),
    ("post", "Migration day: thousands of cranes calling above the lake"),
    ("post", "Bee-eaters nesting in the sand bank, colours like a painting"),
    ("share", "Conservation news from the national park"),
    ("post", "A long walk along the shore with binoculars and a thermos of tea"),
    ("post", "Little egrets in the shallow water, white against the green"),
    ("reply", "I use a floating hide, it lets me get close without disturbing them"),
    ("post", "The first swallows are back in the barn. Spring is here #swallows"),
    ("post", "Marsh harrier gliding low over the reeds at sunset"),
    ("post", "Winter ducks: goldeneyes and smews on the frozen edges of the lake"),
    ("reply", "Yes, please keep your distance from nests, no photo is worth it"),
    ("post", "Ringing day with the ornithology club, a reed warbler weighed only eleven grams"),
    ("post", "Golden hour on the Tihany peninsula, a hoopoe on the lavender field"),
    ("post", "A whole year of birds at the lake, thank you for following along #birdphotography"),
    ("reply", "The camera is old, the patience is what matters"),
    ("post", "Quiet evening, frogs, nightingales and the last light on the water"),
]


def _status(i: int, kind: str, text: str, start: datetime) -> dict[str, Any]:
    when = (start + timedelta(days=14 * i, hours=i % 5)).strftime("%Y-%m-%dT%H:%M:%S.000000Z")
    sid = str(700_000_000_000_000_000 + i)
    status: dict[str, Any] = {
        "id": sid, "uri": f"https://pixelfed.example/p/ines_varga/{sid}", "url": f"https://pixelfed.example/p/ines_varga/{sid}",
        "created_at": when, "in_reply_to_id": None, "in_reply_to_account_id": None, "reblog": None,
        "content": f"<p>{escape(text)}</p>" if text else "", "content_text": text, "language": "en",
        "visibility": "public", "pf_type": "photo", "sensitive": False, "spoiler_text": "",
        "account": ACCOUNT, "media_attachments": [{"id": f"m{i}", "type": "image", "description": "a bird"}],
        "favourites_count": 3 + i % 9, "reblogs_count": i % 3,
    }
    if kind == "reply":
        status.update(in_reply_to_id=str(600_000_000_000_000_000 + i), in_reply_to_account_id="4410", pf_type="text")
    elif kind == "share":
        status.update(pf_type="share", content="", content_text="",
                      reblog={"id": str(500_000_000_000_000_000 + i), "content_text": text, "account": {"id": "88"}})
    elif kind == "direct":
        status.update(visibility="direct", pf_type="text")
    elif kind == "photo":
        status.update(pf_type="photo:album")
    return status


def build() -> Path:
    start = datetime(2024, 1, 6, 7, 15, tzinfo=UTC)
    data = [_status(i, kind, text, start) for i, (kind, text) in enumerate(STATUSES)]
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / "pixelfed-statuses.json"
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


if __name__ == "__main__":
    print(build())
