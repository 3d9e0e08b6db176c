"""Build the Mastodon sample: the archive of "Rune Falk", an invented bike mechanic and urban gardener in
Aarhus, and one page of the public statuses API for the same person.

    python sample_profiles/build/build_mastodon.py

writes ``sample_profiles/mastodon/archive-20260314021109-<hex>.tar.gz`` laid out as Mastodon's backup
service writes it (media files, ``outbox.json``, ``likes.json``, ``bookmarks.json``, avatar, header,
``actor.json``) and ``sample_profiles/mastodon/api-statuses.json`` (``GET /api/v1/accounts/:id/statuses``).
Same input, same bytes.

Quirks present: content as HTML with h-card mentions, hashtag links and long links split into
``invisible`` / ``ellipsis`` spans, ``&#39;`` and ``&amp;`` entities, posts in Danish, content
warnings (``summary``), attachments with alt text, replies, boosts (``Announce``) and one image-only
post whose content is empty. The outbox holds 52 own posts and replies with text (11 of them replies):
the post_count ``portrait extract`` must report. The API page holds 8 statuses of the person's own, 2 of
them replies, plus one boost.
"""

from __future__ import annotations

import gzip
import hashlib
import html
import io
import json
import re
import tarfile
from datetime import datetime
from pathlib import Path
from typing import Any, NamedTuple

OUT = Path(__file__).resolve().parents[1] / "mastodon"
HOST = "social.aarhus.example"
ACTOR = f"https://{HOST}/users/runefalk"
PUBLIC = "https://www.w3.org/ns/activitystreams#Public"
FOLLOWERS = f"{ACTOR}/followers"
STAMP = "20260314021109"  # the archive's name: when Mastodon's backup service wrote it

# (UTC time, text, lang, replying to, content warning, alt texts of attached images).
# In the text, @user@host becomes an h-card mention, #Tag a hashtag link, https://... a split link;
# a blank line starts a new paragraph.
Status = tuple[str, str, str, str | None, str | None, tuple[str, ...]]
STATUSES: list[Status] = [
    ("2025-03-02T08:14:05Z", "Workshop open again after winter. First job of the season: a rusty Christiania "
     "cargo bike whose chain looked like it had spent January in the harbour. #bikerepair #Aarhus",
     "en", None, None, ("A cargo bike upside down on a work stand, chain orange with rust",)),
    ("2025-03-04T17:40:22Z", "Sået tomater i vindueskarmen i dag. Sungold, San Marzano og en gammel dansk sort "
     "fra min morfar. #tomater #kolonihave", "da", None, None, ()),
    ("2025-03-06T12:02:48Z", "@mira@fosstodon.example yes, a 3-speed Sturmey Archer hub will outlive us both if you "
     "keep a drop of oil in it once a year.", "en", "https://fosstodon.example/users/mira/statuses/1139",
     None, ()),
    ("2025-03-09T10:31:10Z", "Rain all week. The compost heap is happy, the allotment paths are soup, and I have "
     "trued six wheels in the workshop. Balance.", "en", None, None, ()),
    ("2025-03-12T19:05:55Z", "Guide I keep sending people on chain wear: https://www.cykelviden.example/guides/"
     "kaedeslid-og-kassetter-hvornaar-skal-de-skiftes — measure before it eats your cassette.", "en", None,
     None, ()),
    ("2025-03-15T09:48:33Z", "Kompostbunken damper i morgenkulden. Det bedste tegn på at foråret er på vej.",
     "da", None, None, ("Steam rising from a wooden compost bin in morning light",)),
    ("2025-03-18T16:20:41Z", "Swapped the brake pads on a courier's bike in 11 minutes while he drank my coffee. "
     "Personal best & a happy customer.", "en", None, None, ()),
    ("2025-03-21T07:55:19Z", "Things I found inside a bottom bracket today: sand, a wasp, what might once have "
     "been a sandwich.", "en", None, "bike grime, mildly gross", ()),
    ("2025-03-24T18:12:02Z", "@jens@mastodon.example Danish winter salt is the enemy. Rinse the chain with warm "
     "water, dry it, oil it. Every week.", "en", "https://mastodon.example/users/jens/statuses/4471", None, ()),
    ("2025-03-29T11:03:27Z", "Allotment day one: dug over two beds, found last year's forgotten potatoes, "
     "fixed the shed door with a spoke. Mechanic brain never switches off. #allotment", "en", None, None, ()),
    ("2025-04-02T13:47:50Z", "Regn, regn, regn. Jeg cykler alligevel. Regntøj er en livsstil i Aarhus.", "da",
     None, None, ()),
    ("2025-04-05T10:10:10Z", "Tomato seedlings potted on into their own little pots. 48 plants. I have space "
     "for 12. This is a problem for May Rune.", "en", None, None,
     ("Rows of small tomato seedlings in yoghurt pots on a windowsill",)),
    ("2025-04-08T17:33:45Z", "Today's repair café at the library: 14 bikes, 3 lamps, 1 toaster that was not "
     "my department. Great crowd. #repaircafe", "en", None, None, ()),
    ("2025-04-11T09:02:36Z", "@mira@fosstodon.example ha, I'd swap you a box of seedlings for that old Brooks "
     "saddle any day.", "en", "https://fosstodon.example/users/mira/statuses/1187", None, ()),
    ("2025-04-15T19:58:03Z", "Hvem har lånt min kædenitte? Den har været væk i tre dage og jeg mistænker "
     "naboen.", "da", None, None, ()),
    ("2025-04-19T08:26:59Z", "Worm count in the compost is up. Bokashi bucket experiment going well, smells "
     "like pickles. #compost", "en", None, "compost, smells", ()),
    ("2025-04-23T15:44:12Z", "Built a wheel from scratch for an apprentice today, explaining tension by ear. "
     "A good wheel sings a little when you pluck the spokes.", "en", None, None, ()),
    ("2025-04-27T12:15:30Z", "Plantede kartofler i dag på kolonihaven. Solen skinnede i præcis en time, så "
     "kom regnen tilbage.", "da", None, None, ()),
    ("2025-05-01T10:00:00Z", "Riding to the allotment with a trailer full of horse manure. Aarhus traffic "
     "gives you a lot of space when you smell like that.", "en", None, None, ()),
    ("2025-05-04T18:21:07Z", "@jens@mastodon.example the Brompton hinge clamp just needs a new bolt, 20 kroner. "
     "Bring it Thursday.", "en", "https://mastodon.example/users/jens/statuses/4522", None, ()),
    ("2025-05-09T07:30:45Z", "Tomatoes planted out in the greenhouse at the allotment. The 36 extras went to "
     "neighbours, the bike shop customers, and one very surprised postman.", "en", None, None,
     ("A small greenhouse full of tomato plants tied to bamboo canes",)),
    ("2025-05-13T16:05:28Z", "Patching tubes is meditation. Scuff, glue, wait, press. The world can wait five "
     "minutes.", "en", None, None, ()),
    ("2025-05-18T09:49:14Z", "Kolonihaveforeningen har fået nye regler for kompost. Jeg har skrevet et langt "
     "brev. Det er meget høfligt. Næsten.", "da", None, None, ()),
    ("2025-05-22T20:17:33Z", "Someone brought a 1972 Raleigh to the workshop that has been in a barn for "
     "thirty years. Stripped it, cleaned it, it rides. Best day of the month. #vintagebike", "en", None,
     None, ("An old green Raleigh bicycle leaning against a brick wall",)),
    ("2025-05-27T13:38:09Z", "@sanne@social.aarhus.example the trick with aphids is ladybirds and patience, "
     "not spray.", "en", "https://social.aarhus.example/users/sanne/statuses/9921", None, ()),
    ("2025-06-01T06:45:51Z", "Early ride along the bay before opening the shop. Mist on the water, gulls, a "
     "clicking freewheel I need to look at. Perfect morning.", "en", None, None, ()),
    ("2025-06-05T17:12:26Z", "Første blomster på tomatplanterne! Gule stjerner overalt i drivhuset.", "da",
     None, None, ("Yellow tomato flowers close up",)),
    ("2025-06-09T11:57:40Z", "Tubeless setup on a gravel bike today. Sealant everywhere, including my "
     "eyebrows. It holds air though. #bikerepair", "en", None, None, ()),
    ("2025-06-14T14:30:00Z", "Rain again. Put buckets under the shed gutter and collected 200 litres for the "
     "tomatoes. Aarhus weather, finally useful.", "en", None, None, ()),
    ("2025-06-18T19:41:18Z", "@mira@fosstodon.example compost tea: one spade of compost in a bucket of rain "
     "water, stir, wait a day. Tomatoes love it.", "en", "https://fosstodon.example/users/mira/statuses/1240",
     None, ()),
    ("2025-06-23T21:05:44Z", "Sankthans at the allotment: bonfire, neighbours singing, and me fixing two kids' "
     "bikes by the fire with a multitool.", "en", None, None, ()),
    ("2025-06-28T08:22:15Z", "Lærte en 12-årig at lappe en slange i dag. Hun var hurtigere end mig til sidst.",
     "da", None, None, ()),
    ("2025-07-03T16:48:57Z", "Heat wave week: working in the shop with the doors open, watering the allotment "
     "at 6am and 10pm, living on cucumbers.", "en", None, "heat", ()),
    ("2025-07-08T12:03:31Z", "Blight on two tomato plants. Pulled them, bagged them, did not compost them. "
     "Sad day in the greenhouse. #tomatoes", "en", None, "plant disease", ()),
    ("2025-07-12T10:14:06Z", "@jens@mastodon.example no, WD-40 is not chain oil. I will die on this hill.",
     "en", "https://mastodon.example/users/jens/statuses/4688", None, ()),
    ("2025-07-17T18:39:23Z", "Første modne tomat! En enkelt Sungold, delt i tre med naboerne. Den smagte af "
     "sol.", "da", None, None, ("One ripe orange cherry tomato on a palm",)),
    ("2025-07-22T07:58:42Z", "Shop rule posted on the door: bikes first, gossip second, tomatoes available at "
     "the counter while they last.", "en", None, None, ()),
    ("2025-07-27T15:26:11Z", "Rebuilt a Shimano Nexus hub for the third time this month. The city bike fleet "
     "in this town runs on these and on me.", "en", None, None, ()),
    ("2025-08-01T09:09:09Z", "Harvest: 4 kg of tomatoes, a bucket of beans, one courgette the size of a "
     "toddler. Compost bins are full of green stuff again.", "en", None, None,
     ("A wooden crate full of red and yellow tomatoes",)),
    ("2025-08-05T19:34:52Z", "@sanne@social.aarhus.example tomato sauce swap on Saturday? I bring jars, you "
     "bring basil.", "en", "https://social.aarhus.example/users/sanne/statuses/10388", None, ()),
    ("2025-08-10T13:13:13Z", "Tomatsovs kogt i tre timer. Hele køkkenet dufter. 11 glas på hylden til vinteren.",
     "da", None, None, ()),
    ("2025-08-15T17:50:27Z", "Cargo bike season: every family in Aarhus wants their box bike serviced before "
     "school starts. Booked until September.", "en", None, None, ()),
    ("2025-08-21T08:40:35Z", "Wrote up how I build a compost bin from old pallets and bike inner tubes as "
     "hinges: https://notes.runefalk.example/2025/08/pallet-compost-bin-with-inner-tube-hinges", "en", None,
     None, ()),
    ("2025-08-27T20:02:48Z", "@mira@fosstodon.example September is for saving seeds. Ferment the tomato seeds "
     "for three days, rinse, dry on paper.", "en", "https://fosstodon.example/users/mira/statuses/1301",
     None, ()),
    ("2025-09-02T11:25:19Z", "Autumn rain is back and so are the puncture repairs. Glass on the cycle paths "
     "after every weekend. #Aarhus", "en", None, None, ()),
    ("2025-09-08T16:37:02Z", "Sidste tomater plukket grønne. De modner i avispapir i skuret.", "da", None, None, ()),
    ("2025-09-14T10:46:54Z", "Tore down the greenhouse tomatoes and fed it all to the compost. Circle of "
     "life, allotment edition.", "en", None, None, ()),
    ("2025-09-20T14:58:21Z", "Winter-proofing bikes workshop at the library on Sunday: lights, mudguards, chain "
     "care. Free, bring your bike & your questions. #repaircafe", "en", None, None, ()),
    ("2025-09-26T18:18:18Z", "@jens@mastodon.example mudguards are not optional in Aarhus. Your back will agree.",
     "en", "https://mastodon.example/users/jens/statuses/4902", None, ()),
    ("2025-10-03T07:44:50Z", "Cold morning, frost on the saddle, leaves on the cycle path. Fixed a dynamo hub "
     "for a night-shift nurse before her shift. Good start.", "en", None, None, ()),
    ("2025-10-11T12:20:33Z", "Kolonihaven lukket ned for vinteren. Kompost vendt, redskaber olieret, skuret "
     "låst. Vi ses i marts.", "da", None, None, ("A padlocked allotment shed with a bike leaning on it",)),
    ("2025-10-19T15:03:07Z", "@sanne@social.aarhus.example I'll bring the chain whip, you bring coffee. Deal.",
     "en", "https://social.aarhus.example/users/sanne/statuses/11050", None, ()),
]

IMAGE_ONLY = ("2025-07-30T17:02:11Z", "A bicycle wheel hanging on a garden fence, full of ripe tomatoes")

BOOSTS: list[tuple[str, str]] = [
    ("2025-03-10T08:00:00Z", "https://mastodon.example/users/cyklistforbundet/statuses/5510"),
    ("2025-04-20T09:30:00Z", "https://fosstodon.example/users/mira/statuses/1190"),
    ("2025-06-02T12:00:00Z", "https://social.aarhus.example/users/aarhuskommune/statuses/8812"),
    ("2025-07-19T10:10:00Z", "https://botanical.example/users/seedlibrary/statuses/301"),
    ("2025-09-03T16:45:00Z", "https://mastodon.example/users/jens/statuses/4810"),
    ("2025-10-05T07:15:00Z", "https://social.aarhus.example/users/sanne/statuses/10999"),
]



class Person(NamedTuple):
    """One account's archive: who, on which instance, and what they posted, boosted, liked and bookmarked.

    The other sample builders (``build_mastodon_webdev.py``) pass their own person to the same functions.
    A NamedTuple, not a dataclass: the tests load this file without registering it as a module.
    """

    host: str
    user: str
    name: str
    summary: str  # the profile's bio, HTML as Mastodon stores it
    joined: str
    statuses: list[Status]
    boosts: list[tuple[str, str]]
    likes: list[str]
    bookmarks: list[str]
    image_only: tuple[str, str] | None = None  # (UTC time, alt text) of a post that is only an image
    extra_count: int = 3  # statuses_count runs ahead of the list by this many

    @property
    def actor(self) -> str:
        return f"https://{self.host}/users/{self.user}"

    @property
    def followers(self) -> str:
        return f"{self.actor}/followers"


RUNE = Person(
    host=HOST, user="runefalk", name="Rune Falk",
    summary="<p>Cykelmekaniker og kolonihavenørd i Aarhus. Bikes, tomatoes, compost, rain.</p>",
    joined="2022-11-05T00:00:00Z", statuses=STATUSES, boosts=BOOSTS, image_only=IMAGE_ONLY,
    likes=["https://fosstodon.example/users/mira/statuses/1139", "https://mastodon.example/users/jens/statuses/4522"],
    bookmarks=["https://botanical.example/users/seedlibrary/statuses/301"],
)

_TOKEN = re.compile(r"(@\w+@[\w.]+\w)|(#\w+)|(https://\S+\w)")


def _link(url: str) -> str:
    rest = url.removeprefix("https://")
    if len(rest) > 30:
        visible = (f'<span class="ellipsis">{html.escape(rest[:30])}</span>'
                   f'<span class="invisible">{html.escape(rest[30:])}</span>')
    else:
        visible = f'<span class="">{html.escape(rest)}</span><span class="invisible"></span>'
    return (f'<a href="{html.escape(url)}" target="_blank" rel="nofollow noopener noreferrer" translate="no">'
            f'<span class="invisible">https://</span>{visible}</a>')


def _inline(text: str, host: str) -> str:
    out, at = [], 0
    for m in _TOKEN.finditer(text):
        out.append(html.escape(text[at:m.start()]))
        mention, tag, url = m.groups()
        if mention:
            user, host = mention[1:].split("@")
            out.append(f'<span class="h-card" translate="no"><a href="https://{host}/@{user}" '
                       f'class="u-url mention">@<span>{user}</span></a></span>')
        elif tag:
            out.append(f'<a href="https://{host}/tags/{tag[1:].lower()}" class="mention hashtag" '
                       f'rel="tag">#<span>{tag[1:]}</span></a>')
        else:
            out.append(_link(url))
        at = m.end()
    out.append(html.escape(text[at:]))
    return "".join(out)


def to_html(text: str, host: str = HOST) -> str:
    """Mastodon's rendering: paragraphs, <br /> for line breaks, entities escaped (' as &#39;)."""
    return "".join("<p>" + "<br />".join(_inline(line, host) for line in para.split("\n")) + "</p>"
                   for para in text.split("\n\n"))


def _status_id(published: str, seq: int) -> str:
    ms = int(datetime.fromisoformat(published.replace("Z", "+00:00")).timestamp() * 1000)
    return str((ms << 16) + seq)


def _tags(text: str, host: str = HOST) -> list[dict[str, str]]:
    tags = []
    for m in _TOKEN.finditer(text):
        mention, tag, _url = m.groups()
        if mention:
            user, host = mention[1:].split("@")
            tags.append({"type": "Mention", "href": f"https://{host}/users/{user}", "name": mention})
        elif tag:
            tags.append({"type": "Hashtag", "href": f"https://{host}/tags/{tag[1:].lower()}", "name": tag.lower()})
    return tags


def _attachments(sid: str, alts: tuple[str, ...]) -> list[dict[str, Any]]:
    return [{"type": "Document", "mediaType": "image/jpeg",
             "url": f"media_attachments/files/{sid[:3]}/{sid[3:6]}/{sid[6:9]}/original/{sid}{i}.jpg",
             "name": alt, "blurhash": "UKFiMm~q9F%M00RPxuWB", "focalPoint": [0.0, 0.0],
             "width": 1600, "height": 1200} for i, alt in enumerate(alts)]


def _create(person: Person, seq: int, status: Status) -> dict[str, Any]:
    published, text, lang, reply_to, warning, alts = status
    sid = _status_id(published, seq)
    host, actor, followers = person.host, person.actor, person.followers
    content = to_html(text, host) if text else ""
    note = {
        "id": f"{actor}/statuses/{sid}", "type": "Note", "summary": warning, "inReplyTo": reply_to,
        "published": published, "url": f"https://{host}/@{person.user}/{sid}", "attributedTo": actor,
        "to": [PUBLIC], "cc": [followers], "sensitive": warning is not None,
        "atomUri": f"{actor}/statuses/{sid}", "inReplyToAtomUri": reply_to,
        "conversation": f"tag:{host},{published[:10]}:objectId={sid[-6:]}:objectType=Conversation",
        "content": content, "contentMap": {lang: content}, "attachment": _attachments(sid, alts),
        "tag": _tags(text, host),
        "replies": {"id": f"{actor}/statuses/{sid}/replies", "type": "Collection",
                    "first": {"type": "CollectionPage", "next": f"{actor}/statuses/{sid}/replies?only_other_"
                              "accounts=true&page=true", "partOf": f"{actor}/statuses/{sid}/replies",
                              "items": []}},
    }
    return {"id": f"{actor}/statuses/{sid}/activity", "type": "Create", "actor": actor, "published": published,
            "to": [PUBLIC], "cc": [followers], "object": note}


def _announce(person: Person, seq: int, published: str, target: str) -> dict[str, Any]:
    sid = _status_id(published, seq)
    return {"id": f"{person.actor}/statuses/{sid}/activity", "type": "Announce", "actor": person.actor,
            "published": published, "to": [PUBLIC], "cc": [target.split("/statuses/")[0], person.followers],
            "object": target}


def _outbox(person: Person) -> dict[str, Any]:
    items = [_create(person, i, s) for i, s in enumerate(person.statuses)]
    if person.image_only:
        items.append(_create(person, 90, (person.image_only[0], "", "en", None, None, (person.image_only[1],))))
    items += [_announce(person, 100 + i, t, target) for i, (t, target) in enumerate(person.boosts)]
    items.sort(key=lambda item: str(item["published"]))
    return {
        "@context": ["https://www.w3.org/ns/activitystreams", {
            "ostatus": "http://ostatus.org#", "atomUri": "ostatus:atomUri",
            "inReplyToAtomUri": "ostatus:inReplyToAtomUri", "conversation": "ostatus:conversation",
            "sensitive": "as:sensitive", "toot": "http://joinmastodon.org/ns#", "votersCount": "toot:votersCount",
            "blurhash": "toot:blurhash", "focalPoint": {"@container": "@list", "@id": "toot:focalPoint"},
            "Hashtag": "as:Hashtag"}],
        "id": "outbox.json",
        "type": "OrderedCollection",
        "totalItems": len(items) + person.extra_count,  # statuses_count, which never quite matches the list
        "orderedItems": items,
    }


def _actor(person: Person = RUNE) -> dict[str, Any]:
    actor = person.actor
    return {
        "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
        "id": actor, "type": "Person", "following": f"{actor}/following", "followers": person.followers,
        "inbox": f"{actor}/inbox", "outbox": "outbox.json", "featured": f"{actor}/collections/featured",
        "preferredUsername": person.user, "name": person.name, "summary": person.summary,
        "url": f"https://{person.host}/@{person.user}", "manuallyApprovesFollowers": False, "discoverable": True,
        "published": person.joined, "likes": "likes.json", "bookmarks": "bookmarks.json",
        "icon": {"type": "Image", "mediaType": "image/png", "url": "avatar.png"},
        "image": {"type": "Image", "mediaType": "image/jpeg", "url": "header.jpg"},
    }


def _collection(name: str, uris: list[str]) -> dict[str, Any]:
    return {"@context": "https://www.w3.org/ns/activitystreams", "id": name, "type": "OrderedCollection",
            "totalItems": len(uris), "orderedItems": uris}


def _api_account() -> dict[str, Any]:
    return {"id": "109312345678901234", "username": "runefalk", "acct": "runefalk", "display_name": "Rune Falk",
            "locked": False, "bot": False, "discoverable": True, "group": False,
            "created_at": "2022-11-05T00:00:00.000Z", "note": _actor()["summary"],
            "url": f"https://{HOST}/@runefalk", "avatar": f"https://{HOST}/avatars/original/missing.png",
            "followers_count": 312, "following_count": 190, "statuses_count": 61, "fields": [], "emojis": []}


def _api_status(seq: int, status: Status, reblog: dict[str, Any] | None = None) -> dict[str, Any]:
    published, text, lang, reply_to, warning, alts = status
    sid = _status_id(published, seq)
    created = published.replace("Z", ".000Z")
    return {
        "id": sid, "created_at": created, "in_reply_to_id": reply_to.rsplit("/", 1)[-1] if reply_to else None,
        "in_reply_to_account_id": "109300000000000007" if reply_to else None,
        "sensitive": warning is not None, "spoiler_text": warning or "", "visibility": "public",
        "language": lang if reblog is None else None, "uri": f"{ACTOR}/statuses/{sid}",
        "url": f"https://{HOST}/@runefalk/{sid}", "replies_count": 0, "reblogs_count": 0,
        "favourites_count": seq % 5, "edited_at": None,
        "content": to_html(text) if reblog is None else "", "reblog": reblog,
        "account": _api_account(),
        "media_attachments": [{"id": f"{sid}{i}", "type": "image", "description": alt,
                               "url": f"https://{HOST}/system/media_attachments/{sid}{i}.jpg"}
                              for i, alt in enumerate(alts)],
        "mentions": [], "tags": [{"name": t["name"][1:], "url": t["href"]} for t in _tags(text)
                                 if t["type"] == "Hashtag"],
        "emojis": [], "card": None, "poll": None,
    }


def _api_page() -> list[dict[str, Any]]:
    # The newest few posts, newest first, as the API pages them; one of them a boost.
    own = STATUSES[-8:]
    boosted = {"id": "113300000000000001", "created_at": "2025-10-04T21:00:00.000Z", "content":
               "<p>Cykelstierne i Midtbyen lukkes i weekenden. Tag omvejen over Åboulevarden.</p>",
               "language": "da", "reblog": None, "in_reply_to_id": None,
               "account": {"id": "109300000000000042", "username": "aarhuskommune", "acct": "aarhuskommune@"
                           + HOST}}
    page = [_api_status(200 + i, s) for i, s in enumerate(own)]
    page.append(_api_status(300, ("2025-10-05T07:15:00Z", "", "da", None, None, ()), reblog=boosted))
    page.sort(key=lambda s: str(s["created_at"]), reverse=True)
    return page


def _dump(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


def _tar_gz(members: dict[str, bytes]) -> bytes:
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size, info.mode, info.mtime = len(data), 0o444, 1773454269
            tar.addfile(info, io.BytesIO(data))
    return gzip.compress(raw.getvalue(), mtime=0)


def write_archive(person: Person, stamp: str, out: Path) -> Path:
    """Write ``archive-<stamp>-<hex>.tar.gz`` for ``person`` into ``out``, replacing that stamp's old archive.

    1. Outbox, media placeholders, likes, bookmarks, avatar, header and actor, in the backup's member order.
    2. One tar.gz with fixed mtimes, so the same person gives the same bytes.
    3. Only this stamp's archives are replaced: other samples in the same folder stay.
    """
    outbox = _outbox(person)
    media = {str(a["url"]): b"\xff\xd8\xff\xe0fake-jpeg"
             for item in outbox["orderedItems"] if item["type"] == "Create"
             for a in item["object"]["attachment"]}
    members = {
        **media,
        "outbox.json": _dump(outbox),
        "likes.json": _dump(_collection("likes.json", person.likes)),
        "bookmarks.json": _dump(_collection("bookmarks.json", person.bookmarks)),
        "avatar.png": b"\x89PNG\r\n\x1a\nfake-avatar",
        "header.jpg": b"\xff\xd8\xff\xe0fake-header",
        "actor.json": _dump(_actor(person)),
    }
    archive = _tar_gz(members)
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob(f"archive-{stamp}-*.tar.gz"):
        old.unlink()
    path = out / f"archive-{stamp}-{hashlib.sha256(archive).hexdigest()[:32]}.tar.gz"
    path.write_bytes(archive)
    return path


def build() -> list[Path]:
    path = write_archive(RUNE, STAMP, OUT)  # OUT read now: tests point it elsewhere
    api = OUT / "api-statuses.json"
    api.write_text(json.dumps(_api_page(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return [path, api]


if __name__ == "__main__":
    for p in build():
        print(p)
