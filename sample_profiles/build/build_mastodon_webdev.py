"""Build the second Mastodon sample: the archive of "Juno Marlowe", an invented web developer on an invented
instance, who writes about RSS, crossposting, the IndieWeb, CSS, accessibility and a tiny static-site
generator, and about coffee, rain, a cat and the bike to work.

    python sample_profiles/build/build_mastodon_webdev.py

writes ``sample_profiles/mastodon/archive-20260221174512-<hex>.tar.gz`` with the same layout and quirks as
``build_mastodon.py`` (whose functions it reuses): HTML content with h-card mentions, hashtag links and long
links split into ``invisible`` / ``ellipsis`` spans, ``&#39;`` and ``&amp;`` entities, one content warning,
attachments with alt text, replies, one boost and one image-only post. All posts are in English. The outbox
holds 50 own posts and replies with text (10 of them replies). Same input, same bytes.
"""

from __future__ import annotations

from pathlib import Path

from build_mastodon import OUT, Person, Status, write_archive

HOST = "social.example.org"
STAMP = "20260221174512"
SITE = "https://junomarlowe.example"

# (UTC time, text, lang, replying to, content warning, alt texts), as in build_mastodon.STATUSES.
STATUSES: list[Status] = [
    ("2025-02-03T08:12:40Z", "New year, new rule: everything I write lives on my own site first, then gets "
     "crossposted here. POSSE or bust. #IndieWeb", "en", None, None, ()),
    ("2025-02-06T19:25:03Z", "Reminder that RSS never died. My feed reader has 212 subscriptions and zero "
     "algorithms. Bliss.", "en", None, None, ()),
    ("2025-02-10T07:48:19Z", "Biked to work in the rain again. Arrived soaked, made coffee, opened the laptop, "
     "fixed a CSS bug that had been haunting me since Friday. Good Monday.", "en", None, None, ()),
    ("2025-02-13T21:02:55Z", "@petra@fosstodon.example yes! A plain link to the RSS feed in the footer is "
     "still the best subscribe button anyone ever made.", "en",
     "https://fosstodon.example/users/petra/statuses/2231", None, ()),
    ("2025-02-17T12:30:11Z", "Started a tiny static-site generator because every existing one wants me to "
     "learn a new templating language. It is 300 lines of Python and it is called pressling.", "en", None,
     None, ()),
    ("2025-02-21T18:44:36Z", "Biscuit has decided that the warm spot on top of the home server is hers now. "
     "The fan disagrees.", "en", None, None, ("A ginger cat asleep on a small black server box under a desk",)),
    ("2025-02-26T09:15:00Z", "Accessibility tip: if your button is a div with a click handler, it is not a "
     "button. Use the button element & your keyboard users will thank you. #a11y", "en", None, None, ()),
    ("2025-03-03T16:38:27Z", "Wrote up how my site does webmentions without any JavaScript: "
     "https://junomarlowe.example/notes/2025/03/webmentions-without-javascript-on-a-static-site", "en",
     None, None, ()),
    ("2025-03-07T08:05:49Z", "Grey morning, second coffee, the rain on the skylight is the best focus music "
     "there is.", "en", None, None, ()),
    ("2025-03-11T20:21:14Z", "@kofi@mastodon.example I keep bookmarks as plain Markdown files in a git repo. "
     "Grep is my search engine.", "en", "https://mastodon.example/users/kofi/statuses/8812", None, ()),
    ("2025-03-15T11:47:32Z", "Redesigned the UI of the bookmark page on my site: tags as a grid, big tap "
     "targets, dark mode that respects the system setting. #CSS", "en", None, None,
     ("A screenshot of a web page with a grid of coloured tag buttons",)),
    ("2025-03-19T17:09:58Z", "Finally imported my old tweets into my own archive. Twelve years of posts, now "
     "plain HTML on a server I control.", "en", None, None, ()),
    ("2025-03-24T07:52:04Z", "Bike commute soundtrack: rain on the hood, a squeaky chain, gulls over the canal. "
     "I should oil that chain.", "en", None, None, ()),
    ("2025-03-28T22:13:45Z", "Wrangling a flaky deploy script at 11pm.", "en", None,
     "work stress, mild swearing", ()),
    ("2025-04-02T12:26:38Z", "pressling can now build an RSS feed and an Atom feed from the same folder of "
     "Markdown files. 40 more lines. Still under 400. #staticsite", "en", None, None, ()),
    ("2025-04-06T15:34:21Z", "@petra@fosstodon.example crossposting to three networks by hand is a trap. One "
     "feed, one script, done.", "en", "https://fosstodon.example/users/petra/statuses/2307", None, ()),
    ("2025-04-10T08:41:10Z", "Coffee order of the week: a flat white and an apology to the barista for "
     "talking about CSS grid for ten minutes.", "en", None, None, ()),
    ("2025-04-14T19:57:33Z", "Ran a screen reader over my own site for an hour. Found four images without alt "
     "text and a menu nobody could open with a keyboard. Humbling. #accessibility", "en", None, None, ()),
    ("2025-04-19T10:18:06Z", "Biscuit walked across the keyboard and committed a single semicolon to main. "
     "Tests still pass. She is now a contributor.", "en", None, None,
     ("A ginger cat standing on a laptop keyboard",)),
    ("2025-04-23T13:02:50Z", "If you DM me about a bug in pressling, I will fix it. If you open an issue, I "
     "will fix it faster.", "en", None, None, ()),
    ("2025-04-28T18:25:17Z", "@ada@social.example.org the trick with focus outlines is to restyle them, never "
     "to remove them. outline-offset is your friend.", "en",
     "https://social.example.org/users/ada/statuses/5521", None, ()),
    ("2025-05-02T07:39:44Z", "Sun is out, bike tyres pumped, first commute this year without a rain jacket. "
     "The canal path smells of cut grass.", "en", None, None, ()),
    ("2025-05-07T16:11:29Z", "Moved my site to a tiny server in a closet. It serves static files, an RSS feed "
     "and nothing else. Load average: 0.01.", "en", None, None,
     ("A small single-board computer with a blinking green light on a bookshelf",)),
    ("2025-05-12T21:44:02Z", "Spent the evening reading old personal homepages in the Wayback Machine. The web "
     "used to be so weird and I miss it.", "en", None, None, ()),
    ("2025-05-16T09:27:38Z", "Bookmarked: a lovely long read on why the IndieWeb is about owning your words, "
     "not about technology: https://indieweb.example/essays/owning-your-words-is-not-a-tech-problem", "en",
     None, None, ()),
    ("2025-05-21T14:53:15Z", "@kofi@mastodon.example my crossposting script just reads my own RSS feed and "
     "posts anything new. Forty lines, no API keys in the repo.", "en",
     "https://mastodon.example/users/kofi/statuses/9034", None, ()),
    ("2025-05-26T08:08:08Z", "Rainy bank holiday. Cat on lap, coffee on the windowsill, CSS on the screen. "
     "Could be worse.", "en", None, None, ()),
    ("2025-05-31T17:40:51Z", "Gave a talk at the local web meetup about building a site that will still open "
     "in twenty years: plain HTML, a little CSS, an RSS feed. Lovely crowd.", "en", None, None,
     ("A small room of people listening to a speaker in front of a projected slide",)),
    ("2025-06-04T11:22:37Z", "Dark mode for pressling's default theme: two custom properties and a media "
     "query. The whole UI swaps in one line. #CSS", "en", None, None, ()),
    ("2025-06-09T19:06:24Z", "@ada@social.example.org yes, DMs here are not encrypted. For anything private I "
     "send people to email with a key.", "en", "https://social.example.org/users/ada/statuses/5690", None, ()),
    ("2025-06-13T07:31:59Z", "Bike to work, 7km, one heron, two herons, three. The canal is busy this "
     "morning.", "en", None, None, ()),
    ("2025-06-18T15:47:12Z", "Accessibility audit at work today. Colour contrast on our buttons failed. Tiny "
     "change in the palette, huge change for people who actually use it. #a11y", "en", None, None, ()),
    ("2025-06-23T20:14:46Z", "My archive page now lists every post since 2013 by month. Scrolling through it "
     "is like reading an old diary that happens to be valid HTML.", "en", None, None, ()),
    ("2025-06-28T10:39:33Z", "Saturday: fixed the cat flap, baked nothing, read RSS in the garden, answered "
     "zero emails. Perfect.", "en", None, None, ()),
    ("2025-07-03T13:17:05Z", "@petra@fosstodon.example I'd happily swap you a pressling theme for that "
     "webmention receiver you wrote.", "en", "https://fosstodon.example/users/petra/statuses/2512", None, ()),
    ("2025-07-08T08:55:41Z", "Heatwave office plan: fan, iced coffee, and a strict no-meetings-after-two rule. "
     "The server closet is the coolest room in the flat, Biscuit has noticed.", "en", None, None, ()),
    ("2025-07-14T18:30:27Z", "Rewrote my site's navigation with nothing but details and summary elements. No "
     "JavaScript, works with a keyboard, works in a text browser.", "en", None, None, ()),
    ("2025-07-19T09:44:18Z", "Summer storm on the way home. Sheltered under a bridge with my bike and a very "
     "wet courier, swapped notes on rain gear.", "en", None, None, ()),
    ("2025-07-25T16:02:36Z", "pressling 1.0 is out. It turns a folder of Markdown into a site with an RSS feed, "
     "an archive page and nothing else: https://junomarlowe.example/projects/pressling/release-notes-1-0",
     "en", None, None, ()),
    ("2025-08-01T12:48:53Z", "@kofi@mastodon.example the bookmarklet is three lines: grab the title, the URL "
     "and the selection, post them to my own site.", "en", "https://mastodon.example/users/kofi/statuses/9311",
     None, ()),
    ("2025-08-07T07:21:09Z", "Holiday week. Laptop closed. Cat, coffee, long rides along the coast. Back "
     "next Monday with opinions about form labels.", "en", None, None,
     ("A bicycle leaning on a sea wall with grey waves behind it",)),
    ("2025-08-15T19:33:40Z", "Form labels are not optional. A placeholder is not a label. I will keep saying it "
     "until the web listens. #accessibility", "en", None, None, ()),
    ("2025-08-22T10:05:55Z", "Small UI joy: a focus ring that follows your brand colour and still passes "
     "contrast checks. Took an afternoon, worth it.", "en", None, None, ()),
    ("2025-08-29T17:26:14Z", "@ada@social.example.org my rule for side projects: if it needs a database, it is "
     "not a side project any more.", "en", "https://social.example.org/users/ada/statuses/5933", None, ()),
    ("2025-09-05T08:14:28Z", "Autumn rain is back, and so is my bike commute in waterproof trousers. The "
     "coffee at the end tastes better for it.", "en", None, None, ()),
    ("2025-09-12T14:42:03Z", "Someone crossposted my article to three aggregators without a link back. The "
     "RSS feed had the canonical URL right there. Sigh.", "en", None, None, ()),
    ("2025-09-19T21:10:47Z", "Biscuit now sleeps in the box the new server came in rather than near the "
     "server. Progress?", "en", None, None, ("A ginger cat curled up in a cardboard box",)),
    ("2025-09-26T11:58:31Z", "@petra@fosstodon.example your blogroll page inspired mine. Forty sites I read, "
     "each with its RSS feed linked. Go make one.", "en",
     "https://fosstodon.example/users/petra/statuses/2788", None, ()),
    ("2025-10-04T09:36:16Z", "IndieWebCamp this weekend: six people, one long table, lots of coffee, and "
     "everyone left with a working h-card on their site. #IndieWeb", "en", None, None, ()),
    ("2025-10-13T18:03:52Z", "Cold evening, rain on the window, cat asleep on the router, RSS reader at "
     "zero unread. Rare and perfect.", "en", None, None, ()),
]

IMAGE_ONLY = ("2025-06-30T18:45:00Z", "A desk by a rainy window with a laptop, a mug of coffee and a sleeping cat")

BOOSTS: list[tuple[str, str]] = [
    ("2025-05-17T08:30:00Z", "https://indieweb.example/users/news/statuses/771"),
]

JUNO = Person(
    host=HOST, user="junomarlowe", name="Juno Marlowe",
    summary=(f'<p>Web developer. RSS, CSS, accessibility, the IndieWeb. Writing at <a href="{SITE}" '
             'target="_blank" rel="nofollow noopener noreferrer me" translate="no"><span class="invisible">'
             'https://</span><span class="">junomarlowe.example</span><span class="invisible"></span></a>. '
             'Cat, coffee, bike.</p>'),
    joined="2022-11-12T00:00:00Z", statuses=STATUSES, boosts=BOOSTS, image_only=IMAGE_ONLY,
    likes=["https://fosstodon.example/users/petra/statuses/2231",
           "https://mastodon.example/users/kofi/statuses/9034",
           "https://social.example.org/users/ada/statuses/5690"],
    bookmarks=["https://indieweb.example/users/news/statuses/771",
               "https://fosstodon.example/users/petra/statuses/2788"],
    extra_count=7,
)


def build() -> Path:
    return write_archive(JUNO, STAMP, OUT)


if __name__ == "__main__":
    print(build())
