"""Peak memory and time to read a ~100 MB X/Twitter archive, or a TikTok export of the same size.

Generates an invented archive (a large data/tweets.js plus incompressible "media"; or, with ``--format
tiktok``, one user_data_tiktok.json whose watch history, comments and direct messages fill it), then
reads it with ``read_export`` in a child process and reports the child's peak resident memory, so the
number is not blurred by the generator.
Run: ``python bench/extract_memory.py [--mb 100] [--format twitter|tiktok] [--keep PATH]``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

WORDS = (
    "telescope comet nebula coffee midnight lens tripod aurora meteor orbit harbour tide kettle rye "
    "bicycle garden tomato sourdough choir knitting rain ferry lighthouse library river mountain"
).split()


def _tweet(i: int, rng: random.Random, start: datetime) -> dict[str, object]:
    when = start + timedelta(minutes=7 * i)
    text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 40)))
    if i % 9 == 0:
        text = "RT @someone: " + text
    return {
        "tweet": {
            "edit_info": {"initial": {"editTweetIds": [str(10**17 + i)], "editableUntil": when.isoformat()}},
            "retweeted": False,
            "source": '<a href="https://mobile.twitter.com" rel="nofollow">Twitter Web App</a>',
            "entities": {"hashtags": [], "symbols": [], "user_mentions": [], "urls": []},
            "display_text_range": ["0", str(len(text))],
            "favorite_count": str(rng.randint(0, 50)),
            "id_str": str(10**17 + i),
            "truncated": False,
            "retweet_count": "0",
            "id": str(10**17 + i),
            "created_at": when.strftime("%a %b %d %H:%M:%S +0000 %Y"),
            "favorited": False,
            "full_text": text + " &amp; more https://t.co/" + f"{i:010d}",
            "lang": "en",
        }
    }


def make_archive(path: Path, megabytes: int) -> tuple[int, int]:
    """An archive of ``megabytes`` on disk holding as many MB of tweets.js; (tweets written, own ones)."""
    rng = random.Random(0)
    start = datetime(2015, 1, 1, tzinfo=UTC)
    target = megabytes * (1 << 20)  # as much tweet text as the whole archive, uncompressed
    written = own = 0
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("data/manifest.js", 'window.__THAR_CONFIG = {"dataTypes": {}}')
        with zf.open("data/tweets.js", "w") as out:
            out.write(b"window.YTD.tweets.part0 = [\n")
            size = 0
            while size < target:
                item = _tweet(written, rng, start)
                full_text = item["tweet"]["full_text"]  # type: ignore[index]
                own += not str(full_text).startswith("RT @")
                chunk = (b",\n" if written else b"") + json.dumps(item, indent=2).encode()
                out.write(chunk)
                size += len(chunk)
                written += 1
            out.write(b"\n]")
        n = 0
        while zf.fp is not None and zf.fp.tell() < megabytes * (1 << 20):  # media fill the archive up to size
            zf.writestr(f"data/tweets_media/{n}.jpg", os.urandom(4 << 20), zipfile.ZIP_STORED)
            n += 1
    return written, own


def make_tiktok(path: Path, megabytes: int) -> tuple[int, int]:
    """A TikTok export zip whose one JSON file holds ``megabytes`` MB on one line, minified as TikTok
    writes it (the layout a line-based depth check once had to hold whole); (comments written, own ones)."""
    rng = random.Random(0)
    start = datetime(2021, 1, 1, tzinfo=UTC)
    target = megabytes * (1 << 20)

    def when(i: int) -> str:
        return (start + timedelta(minutes=3 * i)).strftime("%Y-%m-%d %H:%M:%S")

    written = 0
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf, zf.open("user_data_tiktok.json", "w") as out:
        out.write(b'{"Activity": {"Video Browsing History": {"VideoList": [')
        for i in range(target // 4 // 90):  # a quarter watch history, read past without being built
            out.write((b"," if i else b"") + json.dumps({"Date": when(i), "Link": f"https://t.example/{i}"}).encode())
        out.write(b']}}, "Comment": {"Comments": {"CommentsList": [')
        size = 0
        while size < target // 2:
            text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 40)))
            chunk = (b"," if written else b"") + json.dumps({"date": when(written), "comment": text}).encode()
            out.write(chunk)
            size += len(chunk)
            written += 1
        out.write(b']}}, "Direct Message": {"Direct Messages": {"ChatHistory": {"Chat History with a friend:": [')
        for i in range(target // 4 // 90):  # private: streamed past, never built
            out.write((b"," if i else b"") + json.dumps({"Date": when(i), "From": "friend", "Content": "hi"}).encode())
        out.write(b"]}}}}")
    return written, written


CHILD = """
import resource, sys, time
from pathlib import Path
from extractors import ReadLimits, read_export
t = time.perf_counter()
profile = read_export(Path(sys.argv[1]))
print(profile.post_count, len(profile.posts), round(time.perf_counter() - t, 2),
      resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""

BASELINE = """
import resource
import extractors, extractors.intake.readers
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mb", type=int, default=100, help="archive size in MB")
    parser.add_argument("--format", choices=("twitter", "tiktok"), default="twitter", help="which export")
    parser.add_argument("--keep", type=Path, help="write the archive here instead of a temp folder")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = args.keep or Path(tmp) / f"{args.format}-2026-01-01-bench.zip"
        t = time.perf_counter()
        tweets, own = (make_archive if args.format == "twitter" else make_tiktok)(path, args.mb)
        print(f"archive: {path.stat().st_size / 2**20:.0f} MB on disk, {tweets} posts ({own} own), "
              f"made in {time.perf_counter() - t:.1f} s")
        base_kb = int(subprocess.check_output([sys.executable, "-c", BASELINE], text=True))
        out = subprocess.check_output([sys.executable, "-c", CHILD, str(path)], text=True).split()
        counted, kept, seconds, peak_kb = int(out[0]), int(out[1]), float(out[2]), int(out[3])
        assert counted == own, f"counted {counted}, expected {own}"
        print(f"read_export: {counted} posts counted, {kept} kept, {seconds:.1f} s")
        print(f"peak RSS: {peak_kb / 1024:.0f} MB (interpreter + imports alone: {base_kb / 1024:.0f} MB)")


if __name__ == "__main__":
    main()
