"""Build the Substack sample: the export of "Field Notes from the Allotment" by "Margit Olsen", an invented
gardener in Aarhus.

    python sample_profiles/build/build_substack.py

writes ``sample_profiles/substack/fieldnotes-export-2026-02-28.zip`` the way Substack lays it out:
``posts.csv`` (``post_id,post_date,is_published,email_sent_at,inbox_sent_at,type,audience,title,subtitle,
podcast_url``), ``posts/<post_id>.html`` bodies, a draft (``is_published`` false), a podcast episode
without a body, and what is never read: ``email_list.fieldnotes.csv`` (subscribers' e-mail addresses)
and ``posts/<post_id>.opens.csv`` / ``.delivers.csv`` tracking. Same input, same bytes.
Published posts with a body: 12.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from html import escape
from pathlib import Path

from meta_export import write_zip

OUT = Path(__file__).resolve().parents[1] / "substack"
ZIP_NAME = "fieldnotes-export-2026-02-28.zip"
HEADER = ["post_id", "post_date", "is_published", "email_sent_at", "inbox_sent_at", "type", "audience", "title",
          "subtitle", "podcast_url"]

# (title, subtitle, paragraphs). An empty list of paragraphs is a podcast episode without a body.
POSTS: list[tuple[str, str, list[str]]] = [
    ("Breaking ground", "A first winter on plot 14", [
        "The allotment came with a shed, a rhubarb crown and a great deal of couch grass.",
        "I spent January digging, sieving stones and planning beds on squared paper by the stove.",
    ]),
    ("Seed catalogues in February", "Dreaming in Latin names", [
        "Every year I order too many tomato varieties and every year I regret nothing.",
        "This season: a yellow pear tomato, a Danish heirloom bean and three kinds of kale.",
    ]),
    ("The compost philosophy", "Patience, layers and worms", [
        "Compost is the slowest magic trick in the garden: greens, browns, air and time.",
        "My neighbour on plot 15 turns his heap every Sunday and it smells of forest floor.",
    ]),
    ("Potatoes in the ground", "Chitting, trenches and hope", [
        "The seed potatoes sat on the windowsill for six weeks growing stubby purple shoots.",
        "We planted them on Easter Monday in cold rain, which is the tradition here.",
    ]),
    ("Slugs, again", "A truce negotiated at dusk", [
        "Beer traps, copper tape and a torch walk at ten in the evening.",
        "The hedgehog that moved under the shed has done more than all of them together.",
    ]),
    ("Midsummer at the allotments", "Bonfires and strawberries", [
        "On Sankt Hans evening the whole association gathered by the pond with a bonfire and songs.",
        "Somebody brought a bowl of strawberries from every plot, and no two tasted the same.",
    ]),
    ("A glut of courgettes", "", [
        "Three plants were two too many. I have made soup, fritters, cake and a very long list of friends.",
    ]),
    ("Saving seeds", "Keeping what grew well", [
        "The best beans are left to dry on the vine, then shelled on the kitchen table in October.",
        "Paper envelopes, dates and a note on how each variety behaved in our clay soil.",
    ]),
    ("Autumn jobs", "Leaves, garlic and the last apples", [
        "Garlic cloves go in as the leaves come down, pointed end up, a hand's width apart.",
        "The old apple tree by the gate gave us forty kilos this year, mostly to the wasps.",
    ]),
    ("Winter reading", "Books for a dark season", [
        "When the ground is frozen the allotment lives on in books about soil, bees and old orchards.",
    ]),
    ("What the garden taught me", "Five years on plot 14", [
        "Grow what you love to eat, share what you cannot eat, and never trust a warm week in April.",
        "The garden has made me slower, more patient and much better at talking to strangers.",
    ]),
    ("Greenhouse at last", "A second-hand gift from plot 9", [
        "Twelve panes of old glass, one cracked, and a frame we carried across the paths on a wheelbarrow.",
        "Now the chillies and the early lettuces have a home while March still bites.",
    ]),
    ("Draft: the pond", "", ["Notes for a post about frogs, never finished."]),
    ("Podcast: a walk around the plots", "", []),
]


def _csv(rows: list[list[str]]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerows(rows)
    return buf.getvalue().encode("utf-8")


def build() -> Path:
    start = datetime(2021, 2, 6, 8, 0, tzinfo=UTC)
    rows = [HEADER]
    members: list[tuple[str, bytes]] = []
    for i, (title, subtitle, paragraphs) in enumerate(POSTS):
        post_id = f"{48_000_000 + i * 1_317}.{title.split(':')[0].lower().replace(' ', '-').replace(',', '')}"
        when = (start + timedelta(days=61 * i)).isoformat().replace("+00:00", "Z")
        draft = title.startswith("Draft")
        podcast = not paragraphs
        rows.append([post_id, when, "false" if draft else "true", "" if draft else when, "" if draft else when,
                     "podcast" if podcast else "newsletter", "everyone", title, subtitle,
                     "https://api.substack.com/feed/podcast/1.mp3" if podcast else ""])
        if paragraphs:
            body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
            members.append((f"posts/{post_id}.html", f'<div class="body markup">{body}</div>'.encode()))
        if not draft:
            members.append((f"posts/{post_id}.opens.csv", _csv([["email", "timestamp"],
                                                                 ["reader.one@example.com", when]])))
            members.append((f"posts/{post_id}.delivers.csv", _csv([["email", "timestamp"],
                                                                    ["reader.one@example.com", when]])))
    members.insert(0, ("posts.csv", _csv(rows)))
    members.append(("email_list.fieldnotes.csv", _csv([
        ["email", "active_subscription", "expiry", "plan", "email_disabled", "created_at"],
        ["reader.one@example.com", "true", "", "free", "false", "2021-03-01T10:00:00Z"],
        ["kirsten.plot9@example.dk", "true", "", "paid", "false", "2022-05-12T10:00:00Z"],
    ])))
    return write_zip(OUT / ZIP_NAME, members, (2026, 2, 28, 12, 0, 0))


if __name__ == "__main__":
    print(build())
