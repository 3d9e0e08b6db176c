"""Build the X/Twitter sample: the archive of "Ada Quill", an invented amateur astronomer and night owl.

    python sample_profiles/build/build_twitter.py

writes ``sample_profiles/twitter/twitter-2026-03-14-<hex>.zip`` the way the platform zips it:
``Your archive.html``, ``assets/``, ``data/manifest.js``, ``data/tweets.js`` + ``data/tweets-part1.js``,
``data/note-tweet.js``, ``data/deleted-tweets.js``, ``data/account.js``, ``data/profile.js``. Same
input, same bytes: fixed member times, order and ids.

Quirks present: HTML entities (``&amp;`` ``&lt;`` ``&gt;``), t.co links, @mentions, hashtags, replies,
retweets (``RT @``), two long posts stored truncated in tweets.js and whole in note-tweet.js, a
media-only tweet (a t.co link and nothing else), deleted tweets and an e-mail address that must never
be read. Own posts and replies: 50, 10 of them replies (``portrait extract`` must report post_count 50;
the media-only tweet counts but has no words left after cleaning).
"""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parents[1] / "twitter"
ACCOUNT_ID = "1402286631108780032"
HANDLE = "adaquill_sky"
TWITTER_EPOCH_MS = 1288834974657

# (UTC time, full_text as Twitter stores it, lang). A reply starts with the @handle it answers.
TWEETS: list[tuple[str, str, str]] = [
    ("2025-01-04 03:22:10", "Quadrantids were worth the frostbite. 41 meteors between 1 &amp; 3am, thermos empty, "
     "fingers gone. #Quadrantids #meteorwatch", "en"),
    ("2025-01-04 03:40:51", "@orbit_owl Mostly from the north-east, two bright ones with trains that lingered for "
     "seconds. You?", "en"),
    ("2025-01-09 22:15:03", "New eyepiece day. The 9mm finally makes the Trapezium look like four separate stars "
     "instead of one smudge. #astronomy", "en"),
    ("2025-01-12 01:47:29", "Coffee number three. Clouds rolled in at midnight, rolled out at 1:30, and Jupiter's "
     "Great Red Spot was right there on the meridian. Night owls win again ☕🪐", "en"),
    ("2025-01-18 23:58:02", "Collimating the Dobsonian at midnight because apparently that's my personality now. "
     "Primary mirror was off by a hair &gt; everything looked soft. Fixed.", "en"),
    ("2025-01-25 02:31:44", "Comet C/2024 G3 through binoculars from the hill behind the allotments: faint, "
     "fan-shaped, absolutely magical. https://t.co/Zr4kPq1mVa #comet", "en"),
    ("2025-01-25 02:35:12", "@skylight_ines Yes! Low in the west after dusk, you need a clear horizon. 10x50s "
     "are enough.", "en"),
    ("2025-02-02 00:09:37", "Rule of the night: if the forecast says &lt;20% cloud, I am outside. If it says "
     "&lt;50%, I am outside complaining.", "en"),
    ("2025-02-08 21:44:20", "Stacked 600 frames of the Orion Nebula tonight. The core is burnt out but the wings "
     "came through. Astrophotography is 10% photos, 90% waiting for the laptop. #astrophotography", "en"),
    ("2025-02-08 23:02:55", "https://t.co/Qx7mNb2LoP", "zxx"),
    ("2025-02-14 22:20:41", "Valentine's plan: me, the telescope, a flask of coffee and the Pleiades. Perfect "
     "date honestly.", "en"),
    ("2025-02-21 01:13:08", "@dark_sky_dan The Bortle 3 site near the reservoir? I went there last autumn, the "
     "Milky Way cast shadows. Worth the drive.", "en"),
    ("2025-03-01 02:55:16", "Zodiacal light tonight! A soft cone rising from the western horizon after twilight. "
     "First time I've been sure I saw it.", "en"),
    ("2025-03-08 23:37:49", "Reading old observing logs from 2019. Past me wrote 'saw Saturn, cried a bit'. "
     "Past me was right.", "en"),
    ("2025-03-14 03:05:27", "Total lunar eclipse! The Moon went copper-red over the rooftops and the whole street "
     "was quiet. Woke my neighbour &amp; her kids to see it, no regrets. #eclipse #BloodMoon", "en"),
    ("2025-03-14 03:21:40", "@lunartic_lee It was so much darker than I expected at totality. Like a coal "
     "glowing in the sky.", "en"),
    ("2025-03-22 22:48:33", "Dark-sky trip planning spreadsheet has 14 tabs. Tab 9 is just coffee shops open "
     "before 6am near observatories.", "en"),
    ("2025-04-02 00:30:11", "Spring galaxy season. Tried to star-hop to M51 and got lost in Ursa Major for "
     "forty minutes. Found it eventually, two faint smudges holding hands. 🌌", "en"),
    ("2025-04-12 23:15:59", "There is a specific silence at 2am in a field with a telescope that I have never "
     "found anywhere else.", "en"),
    ("2025-04-22 02:44:08", "Lyrids peak tonight but the Moon is in the way. Counted 9 anyway. Nine is a "
     "number. #Lyrids #meteorwatch", "en"),
    ("2025-04-22 02:50:30", "@orbit_owl Nine! Beat my lazy estimate of seven. Bring the big thermos next time.",
     "en"),
    ("2025-05-03 01:02:47", "Astrophotography tip nobody told me: label your dew heater cables. Ask me how I "
     "know.", "en"),
    ("2025-05-17 22:26:18", "Arrived on La Palma for the dark-sky week. The sky here is unreal, the Milky Way "
     "core rising over the caldera at 3am. https://t.co/Lp9wTq3vXe #LaPalma #darksky", "en"),
    ("2025-05-18 03:14:36", "¡Qué cielo! Nunca había visto tantas estrellas. La Vía Láctea parece una nube de "
     "verdad sobre el Roque de los Muchachos.", "es"),
    ("2025-05-19 02:08:54", "Night two on La Palma: Omega Centauri low in the south, a globular cluster I can "
     "never see from home. Bucket list item ticked. ✅", "en"),
    ("2025-05-20 14:12:05", "Daytime nap in a hammock so I can stay up until dawn again. Astronomer sleep "
     "schedule is a lifestyle.", "en"),
    ("2025-06-07 23:49:21", "Short nights are rough for us night owls. Astronomical twilight never ends in June "
     "here, so it's planets and noctilucent clouds only.", "en"),
    ("2025-06-21 00:40:02", "Noctilucent clouds! Electric blue ripples low in the north at midnight. Solstice "
     "gift. #NLC", "en"),
    ("2025-07-05 01:35:45", "@skylight_ines Try a red torch and stay off the phone for 20 minutes, your dark "
     "adaptation will thank you.", "en"),
    ("2025-07-19 23:11:30", "Bought a second-hand star tracker for astrophotography. The seller threw in a box "
     "of old Sky at Night magazines &amp; a planisphere from 1987.", "en"),
    ("2025-08-12 02:57:03", "Perseids from the garden: 63 meteors, one fireball that lit up the shed. Coffee "
     "at 3am tastes different. #Perseids #meteorwatch", "en"),
    ("2025-08-12 03:04:19", "@dark_sky_dan Greenish, broke into two pieces near Cassiopeia. Did you get it on "
     "camera?", "en"),
    ("2025-08-30 22:33:57", "Sketching Saturn at the eyepiece tonight. The rings are nearly edge-on this year, "
     "a thin bright needle through the planet.", "en"),
    ("2025-09-13 00:18:42", "First autumn frost on the telescope tube. Cold nights are back, and with them the "
     "long dark hours. Happy owl.", "en"),
    ("2025-09-27 01:29:26", "Andromeda Galaxy naked eye from the reservoir car park. 2.5 million light years, "
     "and those photons ended in my eye tonight. Still can't get over that.", "en"),
    ("2025-10-11 23:52:14", "🔭☕🌌", "und"),
    ("2025-10-21 02:46:05", "Orionids radiant is up. Coffee poured. Chair reclined. Let's go. #Orionids", "en"),
    ("2025-10-21 04:12:38", "@lunartic_lee 22 in two hours, a couple of very fast ones. Your turn tomorrow "
     "night!", "en"),
    ("2025-11-08 23:26:31", "Aurora alert went off at 11pm and I sprinted up the hill with the camera. Faint "
     "pink pillars on the long exposures, grey to the eye. Still counts. #aurora", "en"),
    ("2025-11-09 00:03:15", "@dark_sky_dan Kp 6! Pink on camera, grey-green by eye. Did it reach you down "
     "south?", "en"),
    ("2025-11-16 01:41:50", "Finally built a dew shield out of a camping mat &amp; duct tape. Looks terrible, "
     "works perfectly. Astronomy on a budget.", "en"),
    ("2025-11-29 22:58:07", "Thanks to @orbit_owl for lending me the hydrogen-alpha filter. Tomorrow: the Sun, "
     "for once. Daylight astronomy feels illegal for a night owl.", "en"),
    ("2025-12-06 02:19:44", "Winter hexagon is fully up by 2am: Sirius, Procyon, Pollux, Capella, Aldebaran, "
     "Rigel. Six old friends back for the cold season.", "en"),
    ("2025-12-14 03:33:29", "Geminids, the best shower of the year, and it's clear! 78 meteors in three hours, "
     "slow and bright ones, three coffees. #Geminids #meteorwatch", "en"),
    ("2025-12-14 03:47:02", "@skylight_ines Yes, south-facing and lying flat on a camping mat. Neck saved, "
     "toes frozen.", "en"),
    ("2025-12-21 23:55:10", "Longest night of the year. Sixteen hours of darkness. I have never been happier "
     "about a calendar date.", "en"),
    ("2026-01-02 00:37:23", "New year's resolution: finish the Messier list. 71 down, 39 to go, most of them "
     "faint fuzzies in spring &lt;3", "en"),
    ("2026-01-10 02:14:48", "Cold clear night, Orion over the rooftops, a mug of coffee steaming in the red "
     "torch light. This is the whole reason I live like a bat.", "en"),
]

# Long posts: (UTC time, whole text, how many characters of it the truncated copy in tweets.js keeps,
# whether that copy ends with a t.co link to the whole post).
NOTE_TWEETS: list[tuple[str, str, int, bool]] = [
    ("2025-06-28 01:22:07",
     "A small thread of a thought at 1am: I started observing because of insomnia. Years of lying awake, "
     "annoyed at the dark. Then a friend lent me binoculars and said the dark is the point. Now the dark "
     "is the best part of my day. I plan my week around moon phases, I know which street lights switch "
     "off at midnight, and I have a coffee order for every season of the sky. Insomnia turned into a hobby "
     "turned into a whole life. If you can't sleep tonight, go outside and look up for ten minutes.",
     268, True),
    ("2025-11-02 00:05:48",
     "Comet report for anyone who asked: the tail has grown to about three degrees in binoculars, greenish "
     "head, thin ion tail pointing away from where the Sun set. I photographed it from the hill with the "
     "star tracker, 40 frames of 60 seconds, stacked at home until 4am with far too much coffee. It is "
     "fading now, so go this week if you can: after dusk, low in the west, a dark site makes all the "
     "difference. Tag me if you catch it, I'd love to see your photos.",
     272, False),
]

# Someone else's words: a retweet is recognised only by its "RT @" prefix.
RETWEETS: list[tuple[str, str]] = [
    ("2025-01-20 22:01:00", "RT @NASA_fake_ed: Tonight's sky: Venus and Saturn meet low in the west after "
     "sunset. Look up! https://t.co/Vn3kRe8sPa"),
    ("2025-03-30 21:45:12", "RT @orbit_owl: The Messier marathon is on tonight &amp; the weather is actually "
     "cooperating for once"),
    ("2025-05-25 23:10:30", "RT @darkskyintl_fake: Light pollution is growing 10% a year. Shield your outdoor "
     "lights, point them down."),
    ("2025-08-11 20:30:00", "RT @meteor_society_x: Perseids peak tonight, best after midnight. Get away from "
     "city lights!"),
    ("2025-10-30 22:15:45", "RT @skylight_ines: My first ever astrophoto of the Pleiades, thanks to everyone "
     "who helped 💙 https://t.co/Ui2pWs9kTr"),
]

# Tweets the person deleted: the archive keeps them, the portrait never uses them.
DELETED: list[tuple[str, str, str]] = [
    ("2025-02-27 23:30:00", "My horoscope says Mercury retrograde ruined my focus tonight. Zodiac jokes aside, "
     "the eyepiece was just dirty.", "2025-02-28 08:00:00"),
    ("2025-07-02 00:12:09", "Honestly tempted to sell the whole telescope and take up knitting. Horoscope says "
     "yes.", "2025-07-02 09:30:00"),
    ("2025-09-05 02:02:02", "Wrong comet name in my last tweet, embarrassing. Deleting soon.", "2025-09-05 08:15:00"),
]

PROFILE_EMAIL = "ada.quill.stars@example.com"


def _utc(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)


def _twitter_time(when: datetime) -> str:
    return when.strftime("%a %b %d %H:%M:%S +0000 %Y")


def _snowflake(when: datetime, seq: int) -> str:
    ms = int(when.timestamp() * 1000) - TWITTER_EPOCH_MS
    return str((ms << 22) + seq)


def _entities(text: str) -> dict[str, Any]:
    def spans(pattern: str) -> list[re.Match[str]]:
        return list(re.finditer(pattern, text))

    return {
        "hashtags": [{"text": m.group(1), "indices": [str(m.start()), str(m.end())]}
                     for m in spans(r"#(\w+)")],
        "symbols": [],
        "user_mentions": [
            {"name": m.group(1).replace("_", " ").title(), "screen_name": m.group(1),
             "indices": [str(m.start()), str(m.end())], "id_str": str(1000 + len(m.group(1))),
             "id": str(1000 + len(m.group(1)))}
            for m in spans(r"@(\w+)")
        ],
        "urls": [
            {"url": m.group(0), "expanded_url": "https://example.org/sky/" + m.group(0)[-6:],
             "display_url": "example.org/sky/" + m.group(0)[-6:], "indices": [str(m.start()), str(m.end())]}
            for m in spans(r"https://t\.co/\w+")
        ],
    }


def _tweet(when: datetime, seq: int, full_text: str, lang: str, reply_ids: dict[str, str]) -> dict[str, Any]:
    tweet_id = _snowflake(when, seq)
    tweet: dict[str, Any] = {
        "edit_info": {"initial": {"editTweetIds": [tweet_id], "editableUntil": _twitter_time(when),
                                  "editsRemaining": "5", "isEditEligible": True}},
        "retweeted": False,
        "source": '<a href="https://mobile.twitter.com" rel="nofollow">Twitter Web App</a>',
        "entities": _entities(full_text),
        "display_text_range": ["0", str(len(full_text))],
        "favorite_count": str(seq % 7),
        "id_str": tweet_id,
        "truncated": False,
        "retweet_count": "0" if full_text.startswith("RT @") else str(seq % 3),
        "id": tweet_id,
        "created_at": _twitter_time(when),
        "favorited": False,
        "full_text": full_text,
        "lang": lang,
    }
    reply = re.match(r"@(\w+) ", full_text)
    if reply:
        # Replies name the tweet they answer; the ids are invented but stable.
        other = reply_ids.setdefault(reply.group(1), str(1700000000000000000 + 7919 * (len(reply_ids) + 1)))
        tweet.update({
            "in_reply_to_status_id_str": other, "in_reply_to_status_id": other,
            "in_reply_to_user_id_str": str(1000 + len(reply.group(1))),
            "in_reply_to_user_id": str(1000 + len(reply.group(1))),
            "in_reply_to_screen_name": reply.group(1),
        })
        tweet["display_text_range"] = [str(reply.end()), str(len(full_text))]
    if "t.co/Qx7" in full_text:
        tweet["extended_entities"] = {"media": [{"type": "photo", "url": full_text,
                                                 "media_url_https": "https://pbs.twimg.com/media/fake.jpg"}]}
    return tweet


def _js(global_name: str, entries: list[dict[str, Any]]) -> bytes:
    # Twitter's own layout: "key" : value, two-space indent, no semicolon, no final newline.
    body = json.dumps(entries, ensure_ascii=False, indent=2, separators=(",", " : "))
    return f"window.{global_name} = {body}".encode()


def build() -> Path:
    reply_ids: dict[str, str] = {}
    rows: list[tuple[datetime, str, str]] = [(_utc(t), text, lang) for t, text, lang in TWEETS]
    rows += [(_utc(t), text, "en") for t, text in RETWEETS]
    notes = []
    for t, whole, keep, link in NOTE_TWEETS:
        when = _utc(t)
        truncated = whole[:keep].rstrip() + "…" + (" https://t.co/Nt" + when.strftime("%H%M%S") if link else "")
        rows.append((when, truncated, "en"))
        notes.append({"noteTweet": {
            "noteTweetId": _snowflake(when, 9),
            "updatedAt": when.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
            "lifecycle": {"value": "Active", "name": "Active", "originalName": "Active", "annotations": {}},
            "createdAt": when.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
            "core": {"styletags": [], "urls": [], "text": whole, "mentions": [], "cashtags": [],
                     "hashtags": []},
        }})
    rows.sort(key=lambda r: r[0], reverse=True)  # the archive lists newest first
    tweets = [{"tweet": _tweet(when, i, text, lang, reply_ids)} for i, (when, text, lang) in enumerate(rows)]
    part0, part1 = tweets[:40], tweets[40:]
    deleted = []
    for i, (t, text, gone) in enumerate(DELETED):
        entry = _tweet(_utc(t), 50 + i, text, "en", reply_ids)
        entry["deleted_at"] = _twitter_time(_utc(gone))
        deleted.append({"tweet": entry})
    account = [{"account": {"email": PROFILE_EMAIL, "createdVia": "web", "username": HANDLE,
                            "accountId": ACCOUNT_ID, "createdAt": "2021-06-08T22:14:07.000Z",
                            "accountDisplayName": "Ada Quill"}}]
    profile = [{"profile": {"description": {"bio": "Amateur astronomer. Night owl. Coffee-powered.",
                                            "website": "", "location": "Somewhere dark"},
                            "avatarMediaUrl": "https://pbs.twimg.com/profile_images/fake.jpg"}}]
    files = {
        "data/tweets.js": _js("YTD.tweets.part0", part0),
        "data/tweets-part1.js": _js("YTD.tweets.part1", part1),
        "data/note-tweet.js": _js("YTD.note_tweet.part0", notes),
        "data/deleted-tweets.js": _js("YTD.deleted_tweets.part0", deleted),
        "data/account.js": _js("YTD.account.part0", account),
        "data/profile.js": _js("YTD.profile.part0", profile),
    }
    manifest = {
        "userInfo": {"accountId": ACCOUNT_ID, "userName": HANDLE, "displayName": "Ada Quill"},
        "archiveInfo": {"sizeBytes": "1048576", "generationDate": "2026-03-14T02:11:09.000Z",
                        "isPartialArchive": False, "maxPartSizeBytes": "53687091200"},
        "readmeInfo": {"fileName": "data/README.txt", "directory": "data/", "name": "README.txt"},
        "dataTypes": {
            "tweets": {"files": [
                {"fileName": "data/tweets.js", "globalName": "YTD.tweets.part0", "count": str(len(part0))},
                {"fileName": "data/tweets-part1.js", "globalName": "YTD.tweets.part1", "count": str(len(part1))},
            ]},
            "noteTweet": {"files": [{"fileName": "data/note-tweet.js", "globalName": "YTD.note_tweet.part0",
                                     "count": str(len(notes))}]},
            "deletedTweets": {"files": [{"fileName": "data/deleted-tweets.js",
                                         "globalName": "YTD.deleted_tweets.part0", "count": str(len(deleted))}]},
            "account": {"files": [{"fileName": "data/account.js", "globalName": "YTD.account.part0",
                                   "count": "1"}]},
            "profile": {"files": [{"fileName": "data/profile.js", "globalName": "YTD.profile.part0",
                                   "count": "1"}]},
        },
    }
    members = {
        "Your archive.html": b"<!DOCTYPE html><html><head><title>Your archive</title>"
                             b'<script src="assets/js/ondemand.s.a1b2c3.js"></script></head>'
                             b"<body><noscript>Enable JavaScript to browse your archive.</noscript></body></html>",
        "assets/js/ondemand.s.a1b2c3.js": b'"use strict";window.__ARCHIVE_VIEWER__={version:"1.0"};',
        "data/manifest.js": b"window.__THAR_CONFIG = "
                            + json.dumps(manifest, indent=2, separators=(",", " : ")).encode(),
        "data/README.txt": b"Twitter archive README (sample): describes the files in data/.\n",
        **files,
        "data/tweets_media/" + _snowflake(_utc("2025-02-08 23:02:55"), 0) + "-orion.jpg": b"\xff\xd8\xff\xe0fake",
    }
    return write_archive(members, "twitter-2026-03-14", (2026, 3, 14, 2, 11, 9))


def write_archive(members: dict[str, bytes], stem: str, date_time: tuple[int, int, int, int, int, int]) -> Path:
    """``<stem>-<sha256>.zip`` in OUT, replacing an earlier build of the same stem (only that one: the
    Russian sample shares the folder); fixed member times, so the same input gives the same bytes."""
    digest = hashlib.sha256(b"".join(members.values())).hexdigest()
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob(f"{stem}-*.zip"):
        old.unlink()
    path = OUT / f"{stem}-{digest}.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, date_time=date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, data)
    return path


if __name__ == "__main__":
    print(build())
