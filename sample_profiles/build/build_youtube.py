"""Build the YouTube sample: the Google Takeout of "Tomás Ferreira", an invented guitar maker in Porto.

    python sample_profiles/build/build_youtube.py

writes ``sample_profiles/youtube/takeout-20260305T101500Z-001.zip`` the way Takeout lays it out:
``Takeout/YouTube and YouTube Music/comments/comments.csv`` (the newer Title Case header with parent and
top-level comment ids; each text cell a comma-joined sequence of ``{"text": ...}`` pieces, some with a
``videoLink`` timestamp, one cell spanning lines), ``subscriptions/subscriptions.csv`` and
``history/watch-history.html`` (never read) and ``Takeout/archive_browser.html``. Same input, same bytes.
Own comments with text: 26, of which one is only a timestamp link (counted, nothing left to list).
"""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from meta_export import write_zip

OUT = Path(__file__).resolve().parents[1] / "youtube"
ZIP_NAME = "takeout-20260305T101500Z-001.zip"
BASE = "Takeout/YouTube and YouTube Music"
HEADER = ["Comment ID", "Channel ID", "Comment create timestamp", "Price", "Parent comment ID", "Post ID",
          "Video ID", "Comment text", "Top-level comment ID"]

# (text pieces, answers another comment). A piece ("1:32", True) is a timestamp link into the video.
COMMENTS: list[tuple[list[tuple[str, bool]], bool]] = [
    ([("Beautiful spruce top, the grain on that one is so tight", False)], False),
    ([("At ", False), ("4:12", True),
      (" the way you bend the sides over the hot pipe is exactly how my teacher did it", False)], False),
    ([("I build classical guitars in Porto and this channel taught me French polish", False)], False),
    ([("Thank you! I use shellac flakes dissolved in alcohol, three days before polishing", False)], True),
    ([("Rosewood smells like pepper when you sand it, nobody believes me", False)], False),
    ([("That rosette is a small miracle of patience", False)], False),
    ([("The bracing pattern explains why it sounds so warm in the bass", False)], False),
    ([("Fado guitars and classical guitars share more than people think", False)], False),
    ([("Yes, the Portuguese guitar has steel strings and a fan tuner, a very different animal", False)], True),
    ([("2:05", True)], False),
    ([("Humidity in the workshop matters more than any tool. I keep mine at forty five percent", False)], False),
    ([("Spent the whole weekend carving a neck from Spanish cedar", False)], False),
    ([("Great tip about sharpening chisels on a leather strop", False)], False),
    ([("My first guitar took me two years, my tenth took three months", False)], False),
    ([("Agreed, hide glue is reversible and that matters for repairs decades later", False)], True),
    ([("The tap tone at ", False), ("7:48", True), (" is lovely, like a small bell", False)], False),
    ([("Old growth wood is rare now, reclaimed wood from old furniture is a good option", False)], False),
    ([("Thanks for showing the mistakes too. Learning happens there", False)], False),
    ([("The sound of a new guitar opening up over the first months is the best reward", False)], False),
    ([("Fret levelling is my least favourite job and the most important one", False)], False),
    ([("I play fado on Thursdays at a small tasca by the river", False)], False),
    ([("Maple binding on a cedar top looks so clean", False)], False),
    ([("Strings: I prefer normal tension for old guitars", False)], True),
    ([("Watching this at the workshop with coffee before the glue dries", False)], False),
    ([("Lovely video.\nThe part about the soundboard thickness\nwas what I needed.", False)], False),
    ([("Ten years of building and I still get nervous when I string a guitar for the first time", False)], False),
]


def _cell(pieces: list[tuple[str, bool]], i: int) -> str:
    parts = []
    for text, link in pieces:
        piece: dict[str, object] = {"text": text}
        if link:
            piece["videoLink"] = f"https://www.youtube.com/watch?v=vid{i:05d}&t={text.replace(':', 'm')}s"
        parts.append(json.dumps(piece, ensure_ascii=False))
    return ",".join(parts)


def build() -> Path:
    start = datetime(2022, 9, 3, 18, 10, tzinfo=UTC)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(HEADER)
    for i, (pieces, reply) in enumerate(COMMENTS):
        when = (start + timedelta(days=47 * i, minutes=13 * i)).isoformat(timespec="milliseconds")
        cid = f"Ugz{i:04d}abcdEFGH"
        parent = f"Ugy{i:04d}parent" if reply else ""
        writer.writerow([cid, "UCtomasferreira0000000", when, "", parent, "", f"vid{i:05d}", _cell(pieces, i),
                         parent or cid])
    subs = ("Channel Id,Channel Url,Channel Title\n"
            "UCwoodworker01,http://www.youtube.com/channel/UCwoodworker01,Luthier Diaries\n")
    history = "<html><body><div>Watched <a href=\"https://www.youtube.com/watch?v=abc\">a video</a></div></body></html>"
    members = [
        ("Takeout/archive_browser.html", b"<!DOCTYPE html><html><body>Takeout</body></html>"),
        (f"{BASE}/comments/comments.csv", buf.getvalue().encode("utf-8")),
        (f"{BASE}/subscriptions/subscriptions.csv", subs.encode()),
        (f"{BASE}/history/watch-history.html", history.encode()),
    ]
    return write_zip(OUT / ZIP_NAME, members, (2026, 3, 5, 10, 15, 0))


if __name__ == "__main__":
    print(build())
