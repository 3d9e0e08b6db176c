"""Build the Reddit sample: u/sourdough_sam, a home baker (invented), as Reddit's data request zip.

Run from anywhere: ``python sample_profiles/build/build_reddit.py``. The output is deterministic.

The zip holds CSV files at its top level as Reddit delivers them: ``posts.csv`` and ``comments.csv``
(with an ``ip`` column of documentation-range addresses, ``[deleted]``/``[removed]`` rows, markdown
bodies with escaped entities and quoted parent text) beside files a reader must never use
(``ip_logs.csv``, ``post_votes.csv``, ``subscribed_subreddits.csv``, ``statistics.csv``).
"""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "reddit"
ZIP_NAME = "export_sourdough_sam_20240301.zip"
_START = datetime(2023, 1, 8, 9, 12, 5, tzinfo=UTC)

# (subreddit, title, body); body may be "[deleted]"/"[removed]". An empty body is a link post.
POSTS: list[tuple[str, str, str]] = [
    ("Sourdough", "My starter finally doubled in 6 hours!",
     "Two weeks of feeding 1:1:1 with whole wheat and it finally smells like yogurt instead of nail polish. "
     "Named him Clint Yeastwood."),
    ("Sourdough", "Crumb shot: 75% hydration, 20% whole wheat",
     "Bulk fermentation 5 hours at 24&#176;C, cold retard overnight. Open crumb but a bit gummy near the "
     "bottom &amp; I think I underbaked it."),
    ("Breadit", "First focaccia with discard", ""),
    ("Sourdough", "Why does my dough spread like a pancake?", "[deleted]"),
    ("AskBaking", "Bread flour vs all purpose for a beginner loaf?",
     "I keep reading that **protein content** matters. Is 12.7% enough for a high hydration dough?"),
    ("Sourdough", "Rye starter experiment, week one",
     "Started a second starter with 100% dark rye. It is *ridiculously* active, bubbles within 4 hours.\n\n"
     "Smells like fruit and beer."),
    ("Breadit", "Lamination changed my bread",
     "Stretched the dough paper thin on a wet counter, folded in inclusions (olives and rosemary) and the "
     "structure was so much better."),
    ("Fermentation", "Sauerkraut and sourdough share more than you think",
     "Both are lactic acid fermentation. Salt, time and temperature decide everything."),
    ("Sourdough", "Banneton or bowl with a towel?", "[removed]"),
    ("Sourdough", "Finally got an ear!",
     "Scored at a 30 degree angle with a razor blade, baked in a dutch oven at 250 for 20 minutes lid on."),
    ("Breadit", "Whole wheat sandwich loaf for the kids",
     "Soft, tangy, sliced thin. Used a stiff levain at 60% hydration so it is not too sour."),
    ("Fermentation", "Kombucha SCOBY or sourdough starter: which is easier to keep alive?",
     "My starter survived two weeks of neglect in the fridge. The kombucha did not."),
    ("Sourdough", "Winter bulk fermentation tips?",
     "Kitchen is at 17 degrees and my bulk takes forever. Oven with the light on, proofing box, or just "
     "patience?"),
    ("AskBaking", "How do you measure flour without a scale?",
     "Asking for my dad who refuses to buy a scale. Spoon and level?"),
    ("Sourdough", "One year of sourdough: what I learned",
     "1. Feed the starter at the same time every day.\n2. Watch the dough, not the clock.\n3. Hydration is a "
     "tool, not a trophy.\n\nThanks to everyone here, this sub taught me everything."),
]

# (subreddit, body); every comment is a reply.
COMMENTS: list[tuple[str, str]] = [
    ("Sourdough", "Your starter looks great. Feed it before bed and bake in the morning when it peaks."),
    ("Sourdough", "&gt; is it ready to bake?\n\nDo the float test, but honestly the doubling is the better sign."),
    ("Breadit", "That crust is gorgeous. How long did you preheat the dutch oven?"),
    ("Sourdough", "[deleted]"),
    ("AskBaking", "Bread flour gives you more gluten, so the dough holds its shape at higher hydration."),
    ("Sourdough", "Try a lower hydration first, maybe 68%, then work your way up once shaping feels easy."),
    ("Fermentation", "Lactic acid bacteria are the same family in kimchi, yogurt and sourdough."),
    ("Sourdough", "Wet hands, quick movements, and a bench scraper. Sticky dough stops being scary."),
    ("Breadit", "Add a tablespoon of honey to whole wheat and it softens the bitterness."),
    ("Sourdough", "[removed]"),
    ("Sourdough", "Gummy crumb usually means underbaked or cut too early. Wait two hours before slicing!"),
    ("AskBaking", "Spoon and level gets you within 10 percent, good enough for pancakes, not for bread."),
    ("Sourdough", "Rye starters are wild. Mine smells like vinegar if I skip a feeding."),
    ("Fermentation", "Temperature matters more than anything. 24 to 26 degrees is the sweet spot for bulk."),
    ("Sourdough", "Cold retard in the fridge overnight makes scoring so much easier."),
    ("Breadit", "Beautiful ear. Steam in the first 20 minutes is the secret."),
    ("Sourdough", "I use [this guide](https://www.theperfectloaf.com/beginners-sourdough-bread/) for timings, "
     "it is excellent."),
    ("Sourdough", "Discard crackers: discard, olive oil, salt, rosemary, roll thin, bake at 180 until crisp."),
    ("AskBaking", "Autolyse is just flour and water resting before you add the starter and salt."),
    ("Sourdough", "Thanks u/crumb_queen for the tip about the rice flour in the banneton, no more sticking."),
    ("Fermentation", "Hooch on top of your starter means it is hungry. Pour it off or stir it in for more tang."),
    ("Sourdough", "Stretch and folds every 30 minutes for the first two hours, then leave it alone."),
    ("Breadit", "Your focaccia dimples are perfect. Lots of olive oil is the answer to everything."),
    ("Sourdough", "Bulk is done when the dough has grown about 50 percent and jiggles like jelly."),
    ("AskBaking", "&gt; do I need a dutch oven?\n\nNo, a baking stone and a tray of boiling water work too."),
    ("Sourdough", "Whole wheat flour ferments faster, so shorten your bulk when you add more."),
    ("Fermentation", "My kitchen is a fermentation lab now: starter, kombucha, kraut and hot sauce."),
    ("Sourdough", "Higher hydration is not better bread, just different bread. Open crumb is not the goal."),
    ("Sourdough", "The poke test: if it springs back slowly and leaves a small dent, it is ready to bake."),
    ("Breadit", "Bagels with sourdough starter are worth the effort. Boil with a spoon of barley malt."),
    ("Sourdough", "Flour matters less than people think. Consistency in your routine matters more."),
    ("AskBaking", "Weigh everything, even water. Grams make bread reproducible."),
    ("Sourdough", "My starter is two years old today. Happy birthday Clint Yeastwood."),
    ("Sourdough", "Pre-shape, rest 20 minutes, then final shape. The rest makes tension so much easier."),
    ("Fermentation", "Salt slows fermentation, so never add it straight onto your starter."),
    ("Sourdough", "Ha, same. Every loaf is an experiment and I eat the results."),
    ("Breadit", "Rye bread needs a long rest after baking. Slice it the next day."),
    ("Sourdough", "Cinnamon raisin sourdough: add the raisins at the last fold so they do not tear the dough."),
    ("Sourdough", "[deleted]"),
    ("AskBaking", "Steam gives you oven spring. Ice cubes in a preheated tray do the trick."),
    ("Sourdough", "Bake until the crust is darker than you think. Color is flavor."),
    ("Fermentation", "Wild yeast is everywhere, the starter just gives the good ones a head start."),
]

_SUBS = {"Sourdough": "2s7tv", "Breadit": "2r2ti", "AskBaking": "2t6wl", "Fermentation": "2r8v6"}


def _ip(n: int) -> str:
    return f"203.0.113.{(n * 37) % 250 + 1}" if n % 2 else f"198.51.100.{(n * 53) % 250 + 1}"


def _stamp(when: datetime) -> str:
    return when.strftime("%Y-%m-%d %H:%M:%S UTC")


def _base36(n: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while n:
        n, r = divmod(n, 36)
        out = digits[r] + out
    return out or "0"


def _csv(header: list[str], rows: list[list[str]]) -> bytes:
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue().encode("utf-8")


def posts_csv() -> bytes:
    rows = []
    for i, (sub, title, body) in enumerate(POSTS):
        pid = _base36(10_000_000 + i * 7919)
        when = _START + timedelta(days=23 * i, hours=(i * 5) % 12, minutes=(i * 17) % 60)
        url = f"https://i.redd.it/{pid}x.jpeg" if not body else f"https://www.reddit.com/r/{sub}/comments/{pid}/"
        rows.append([pid, f"https://www.reddit.com/r/{sub}/comments/{pid}/post/", _stamp(when), _ip(i), sub,
                     "0", title, url, body])
    return _csv(["id", "permalink", "date", "ip", "subreddit", "gildings", "title", "url", "body"], rows)


def comments_csv() -> bytes:
    rows = []
    for i, (sub, body) in enumerate(COMMENTS):
        cid = _base36(900_000_000 + i * 104_729)
        post = _base36(20_000_000 + i * 31)
        when = _START + timedelta(days=8 * i + 1, hours=(i * 7) % 14, minutes=(i * 29) % 60, seconds=i)
        parent = f"t1_{_base36(800_000 + i)}" if i % 3 else f"t3_{post}"
        rows.append([cid, f"https://www.reddit.com/r/{sub}/comments/{post}/comment/{cid}/", _stamp(when), _ip(100 + i),
                     sub, "0", f"https://www.reddit.com/r/{sub}/comments/{post}/", parent, body, ""])
    return _csv(["id", "permalink", "date", "ip", "subreddit", "gildings", "link", "parent", "body", "media"], rows)


def _never_read() -> dict[str, bytes]:
    logins = [[_stamp(_START + timedelta(days=40 * n)), _ip(500 + n)] for n in range(8)]
    votes = [[_base36(30_000_000 + n), f"https://www.reddit.com/r/Sourdough/comments/{_base36(30_000_000 + n)}/",
              "up" if n % 4 else "down"] for n in range(12)]
    return {
        "ip_logs.csv": _csv(["date", "ip"], logins),
        "post_votes.csv": _csv(["id", "permalink", "direction"], votes),
        "subscribed_subreddits.csv": _csv(["subreddit"], [[s] for s in _SUBS]),
        "statistics.csv": _csv(["statistic", "value"], [["account name", "sourdough_sam"],
                                                         ["export time", "2024-03-01 10:00:00 UTC"],
                                                         ["is_deleted", "False"]]),
    }


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    members = {"comments.csv": comments_csv(), "posts.csv": posts_csv(), **_never_read()}
    with zipfile.ZipFile(OUT / ZIP_NAME, "w") as zf:
        for name in sorted(members):
            info = zipfile.ZipInfo(name, date_time=(2024, 3, 1, 10, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, members[name])
    gone = ("[deleted]", "[removed]")
    posts = sum(1 for _, _, body in POSTS if body not in gone)
    comments = sum(1 for _, body in COMMENTS if body not in gone)
    print(f"reddit: {posts} posts and {comments} comments that count, written to {OUT / ZIP_NAME}")


if __name__ == "__main__":
    main()
