"""Build the Facebook sample: the "Download Your Information" export of "Sofie Lund", an invented retired
teacher in Odense who knits, sings in a choir, minds her grandchildren, grows rhubarb and loves her
summer house.

    python sample_profiles/build/build_facebook.py

writes ``sample_profiles/facebook/facebook-sofielund-2026-03-02-Xy7Qk2Lm.zip`` the way Facebook zips it
today: ``your_facebook_activity/posts/your_posts__check_ins__photos_and_videos_1.json`` and ``_2.json``,
``your_facebook_activity/comments_and_reactions/comments.json``, the posts' photos under
``your_facebook_activity/posts/media/``, and ``personal_information/profile_information/
profile_information.json`` (name and e-mail: never read). Same input, same bytes.

Quirks present: every string written as Meta writes it (each UTF-8 byte its own ``\\u00XX`` escape, so
"tilføjet" is stored as "tilfÃ¸jet" and each emoji as four escapes); generated Danish titles on every
entry ("Sofie Lund har tilføjet et nyt billede.") that are not her words; photo-only entries, a
check-in and shared links without words of her own; a post that is only a link; a sticker comment
without words. Own posts and replies with text: 52 (44 posts, 8 comments); the link-only post counts
but has no words left after cleaning.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from meta_export import meta, write_zip

OUT = Path(__file__).resolve().parents[1] / "facebook"
NAME = "Sofie Lund"
ZIP_NAME = "facebook-sofielund-2026-03-02-Xy7Qk2Lm.zip"
ACTIVITY = "your_facebook_activity"

# (local-ish UTC time, what kind of entry, her words or "" for none). Kinds: status, photo, photos,
# share, checkin. A photo entry with words is a photo post with a caption.
PART_1: list[tuple[str, str, str]] = [
    ("2019-04-14 09:12:00", "status", "Første rabarber er stukket op i haven! 🌱 Foråret er endelig kommet "
     "til Odense."),
    ("2019-04-20 15:40:00", "photo", ""),
    ("2019-05-03 19:05:00", "photos", "Har strikket den første trøje til lille Ida. Blød merinould i lyseblå, "
     "med små perlemorsknapper. Jeg håber den passer 💙🧶"),
    ("2019-05-19 11:30:00", "status", "Korkoncert i Sankt Knuds Kirke i aftes. Vi sang Carl Nielsen, og der var "
     "helt stille bagefter. Det var en gave at være med 🎶"),
    ("2019-06-02 16:45:00", "photo", "Rabarbergrød med fløde, præcis som min mor lavede den. Nogle ting skal "
     "man ikke lave om på."),
    ("2019-06-22 21:10:00", "checkin", ""),
    ("2019-06-23 22:30:00", "status", "Sankthans i sommerhuset ved Kerteminde. Bål på stranden, børnebørnene "
     "sang Midsommervisen og vi fik pølser på pind. Skønt 🔥"),
    ("2019-07-10 08:15:00", "share", ""),
    ("2019-07-28 14:00:00", "photos", "Tre uger i sommerhuset. Morgenbad kl. 7, strikketøj på terrassen, "
     "jordbær fra gårdbutikken. Pensionistlivet er ikke så ringe endda ☀️"),
    ("2019-08-15 10:20:00", "status", "Har lige tilføjet tre nye rabarberplanter til bedet bag skuret. "
     "Sorten hedder Victoria, og naboen siger den er sød nok til at spise rå."),
    ("2019-09-05 13:00:00", "status", "Savner skolen lidt i dag. 38 år med 4. klasser, og den første "
     "skoledag i august kan jeg stadig mærke i maven. God start til alle lærere derude ❤️"),
    ("2019-10-12 17:35:00", "photo", ""),
    ("2019-11-02 20:00:00", "status", "Koret øver julekoncert. Altstemmen i 'Det kimer nu til julefest' er "
     "sværere end man skulle tro. Vi øver og øver 😅"),
    ("2019-12-14 18:25:00", "photos", "Julekoncerten er overstået, og vi fik stående applaus! Tak til alle "
     "der kom i kulden. Gløgg og æbleskiver bagefter i sognegården 🎄"),
    ("2020-01-08 09:40:00", "status", "Nytårsforsæt: strikke et tæppe med et kvadrat for hver dag i året. "
     "Vejrets farve bestemmer garnet. Dag 8 er grå, selvfølgelig."),
    ("2020-02-16 15:15:00", "status", "Ida har lært at sige 'mormor'. Jeg smelter fuldstændig 🥰"),
    ("2020-03-18 11:00:00", "status", "Koret er aflyst indtil videre. Vi synger over telefonen i stedet, "
     "det lyder forfærdeligt, men vi griner meget."),
    ("2020-04-05 10:30:00", "photo", "Rabarberne er tidligt på den i år. Første høst blev til saft, "
     "og resten fryser jeg til kage."),
    ("2020-04-19 14:50:00", "share", ""),
    ("2020-05-10 16:05:00", "status", "Børnebørnene vinkede til mig gennem vinduet i dag. Mateo havde tegnet "
     "en regnbue til mig. Den hænger nu på køleskabet 🌈"),
    ("2020-06-14 12:20:00", "photos", "Sommerhuset er luftet ud og klar. Malet vinduesrammerne blå igen, "
     "og hortensiaen blomstrer som aldrig før."),
    ("2020-07-02 09:00:00", "photo", ""),
    ("2020-08-09 19:45:00", "status", "Lærte Ida at strikke sin første maske i dag. Hun er fem og "
     "utålmodig, præcis som jeg var 😄🧶"),
    ("2020-09-20 13:35:00", "status", "Vejrtæppet er halvvejs! 182 kvadrater. September er mest gyldent og "
     "grønt."),
    ("2020-10-31 17:10:00", "status", "Rabarberkompot på glas til vinteren: 14 glas. Spisekammeret er fuldt, "
     "og jeg er stolt som en pave."),
    ("2020-12-24 15:00:00", "status", "Glædelig jul fra Odense! Risalamanden er lavet, mandlen er gemt, "
     "og i år får børnebørnene lov til at snyde lidt 🎅"),
    ("2021-01-17 10:10:00", "status", "Vinterbadning ved Kerteminde med veninderne fra koret. Man føler sig "
     "udødelig i ti minutter bagefter ❄️"),
    ("2021-02-28 20:30:00", "status", "https://www.odense.dk/kultur/koncerter"),
]

PART_2: list[tuple[str, str, str]] = [
    ("2021-03-21 11:45:00", "photos", "Vejrtæppet er færdigt! 365 kvadrater, og man kan se hele året: grå "
     "januar, gul juli, den stormfulde november. Det skal ligge i sommerhuset."),
    ("2021-04-25 14:20:00", "status", "Rabarberkagen er i ovnen. Opskriften er fra min mormor, med "
     "marcipan i bunden. Huset dufter af forår 🍰"),
    ("2021-05-30 19:00:00", "status", "Første korprøve i over et år. Vi græd næsten alle sammen, da vi sang "
     "'Du kom med alt hvad der var godt'. Hvor har jeg savnet det 🎶"),
    ("2021-06-19 10:35:00", "photo", ""),
    ("2021-07-13 16:15:00", "photos", "Mateo fangede sin første krabbe fra broen ved sommerhuset. Han "
     "navngav den Bent og satte den fri igen 🦀"),
    ("2021-08-07 08:50:00", "status", "Stille morgen i sommerhuset. Kaffe, fuglesang og en halv ærme på "
     "strikkepindene. Mere behøver man ikke."),
    ("2021-09-12 12:05:00", "checkin", ""),
    ("2021-10-03 15:25:00", "status", "Har meldt mig som frivillig lektiehjælper på biblioteket. Det "
     "gamle lærerhjerte banker stadig 📚"),
    ("2021-11-21 18:40:00", "status", "Strikkeklubben har strikket 40 huer til hjemløse i Odense. "
     "Vi afleverer dem på fredag. Tak til alle der donerede garn!"),
    ("2021-12-11 20:15:00", "photos", "Luciaoptog i kirken med børnekoret. Ida gik forrest med lys i håret, "
     "og mormor tudede 🕯️"),
    ("2022-01-30 11:30:00", "status", "Januar er strikkemåned. Jeg har tre projekter i gang: sokker til "
     "Henrik, en sjal til mig selv og en bamse til den lille ny, der kommer i april 👶"),
    ("2022-04-18 09:05:00", "photo", "Velkommen til verden, lille Asta! Vores tredje barnebarn. Bamsen "
     "blev færdig i sidste øjeblik 💛"),
    ("2022-05-22 13:50:00", "status", "Rabarberne har taget over i haven. Hvis nogen i Bolbro vil have "
     "nogle, så stil en pose ved lågen, så fylder jeg den."),
    ("2022-06-26 17:00:00", "status", "Koret sang på Flakhaven til Odense Festuge. Solen skinnede, og "
     "folk stod stille og lyttede. Sådan en dag husker man."),
    ("2022-08-14 10:00:00", "share", "Vigtig artikel om ensomhed blandt ældre. Ring til en du ikke har hørt "
     "fra længe i dag, det koster så lidt."),
    ("2022-09-25 14:40:00", "status", "Sidste weekend i sommerhuset for i år. Lukker vandet, tager "
     "hynderne ind og siger farvel til havet. Vi ses til påske 🌊"),
    ("2023-02-12 16:30:00", "status", "Har lært at strikke brioche-strik fra en video. Det tog fire aftener "
     "og mange bandeord, men nu sidder det 😅"),
    ("2023-05-07 12:15:00", "photos", "Asta tog sine første skridt hen over græsplænen mod rabarberbedet. "
     "Hun har åbenbart min smag 😄"),
    ("2023-07-23 20:20:00", "status", "Midsommeraften i sommerhuset med alle tre børnebørn. Vi spillede "
     "kongespil til solen gik ned over Storebælt."),
    ("2023-10-08 11:10:00", "status", "Koret har fået ny dirigent. Hun er 29 og fuld af energi, og vi "
     "skal synge både Bach og ABBA til jul. Jeg glæder mig!"),
    ("2024-03-17 15:45:00", "status", "Strikkeopskrift til alle der har spurgt: rabarbersokkerne er "
     "strikket i sokkegarn på pind 2,5 med et simpelt hulmønster. Farven hedder 'Rabarber', naturligvis."),
    ("2024-06-30 09:30:00", "photo", ""),
    ("2024-08-18 13:25:00", "status", "Ida er begyndt i 4. klasse. Samme klassetrin som jeg underviste i "
     "så mange år. Tiden flyver ❤️"),
    ("2025-04-27 10:40:00", "status", "Rabarbersæsonen er skudt i gang igen. Syv år med de samme planter, "
     "og de bliver bare bedre og bedre 🌱"),
    ("2025-12-20 19:00:00", "photos", "Julekoncert med både Bach og ABBA. Det lykkedes! Tak til vores "
     "dirigent og til alle jer der kom 🎄🎶"),
]

# Her comments on other people's posts: (time, her words or "" for a sticker, whose post).
COMMENTS: list[tuple[str, str, str]] = [
    ("2019-05-04 08:10:00", "Tusind tak! Den er strikket med kærlighed 💙", "Henrik Lund"),
    ("2020-03-19 12:00:00", "Vi ses på telefonen kl. 19, husk noderne!", "Kirsten Holm"),
    ("2020-12-25 10:30:00", "", "Henrik Lund"),
    ("2021-05-31 09:00:00", "Det var en stor aften. Tak fordi du holdt sammen på os alle.", "Grethe Nør"),
    ("2022-04-18 12:40:00", "Hun er helt perfekt. Mormor er så stolt ❤️", "Henrik Lund"),
    ("2022-05-23 07:45:00", "Der er rabarber nok til hele Bolbro, kom bare forbi!", "Jens Madsen"),
    ("2023-10-09 17:20:00", "Vi glæder os til at synge med dig, velkommen til koret!", "Maja Dirigent"),
    ("2024-08-19 08:30:00", "Sikke en flot taske! Held og lykke i 4. klasse, skat.", "Ida Lund"),
    ("2025-04-28 09:15:00", "Ja, kom og hent en pose i weekenden 🌱", "Kirsten Holm"),
]

TITLES = {
    "status": f"{NAME} har opdateret sin status.",
    "photo": f"{NAME} har tilføjet et nyt billede.",
    "photos": f"{NAME} har tilføjet 3 nye billeder.",
    "share": f"{NAME} har delt et link.",
    "checkin": f"{NAME} var på Sommerhuset ved Kerteminde.",
}



def _ts(text: str) -> int:
    return int(datetime.strptime(text, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC).timestamp())


def _media_uri(ts: int, i: int) -> str:
    return f"{ACTIVITY}/posts/media/Dine_opslag_{ts}/{ts}_{i}_n.jpg"


def _entry(when: str, kind: str, words: str) -> dict[str, Any]:
    ts = _ts(when)
    entry: dict[str, Any] = {"timestamp": ts}
    attachments: list[dict[str, Any]] = []
    if kind in ("photo", "photos"):
        count = 3 if kind == "photos" else 1
        attachments.append({"data": [{"media": {
            "uri": _media_uri(ts, i), "creation_timestamp": ts,
            "media_metadata": {"photo_metadata": {"exif_data": [{"upload_ip": "0.0.0.0"}]}},
            "title": "Billeder fra tidslinjen", "description": words,
        }} for i in range(count)]})
    elif kind == "share":
        attachments.append({"data": [{"external_context": {"url": "https://www.dr.dk/nyheder/indland/ensomhed"}}]})
    elif kind == "checkin":
        attachments.append({"data": [{"place": {
            "name": "Sommerhuset ved Kerteminde", "coordinate": {"latitude": 55.45, "longitude": 10.66},
            "address": "Strandvejen, 5300 Kerteminde", "url": "https://www.facebook.com/kerteminde"}}]})
    if attachments:
        entry["attachments"] = attachments
    entry["data"] = ([{"post": words}] if words else []) + [{"update_timestamp": ts}]
    entry["title"] = TITLES[kind]
    return entry


def _comment(when: str, words: str, whose: str) -> dict[str, Any]:
    ts = _ts(when)
    entry: dict[str, Any] = {"timestamp": ts}
    if not words:
        sticker = f"{ACTIVITY}/stickers_used/369239263222822.png"
        entry["attachments"] = [{"data": [{"media": {"uri": sticker}}]}]
    entry["data"] = [{"comment": {"timestamp": ts, "comment": words, "author": NAME}}]
    entry["title"] = f"{NAME} har kommenteret {whose}s opslag."
    return entry


def _json(data: Any) -> bytes:
    # Meta's own layout: two-space indent, ASCII only (every byte escaped).
    return json.dumps(meta(data), indent=2, ensure_ascii=True).encode("ascii")


def build() -> Path:
    members: list[tuple[str, bytes]] = []
    posts = f"{ACTIVITY}/posts"
    for n, part in enumerate((PART_1, PART_2), start=1):
        entries = [_entry(*row) for row in reversed(part)]  # newest first, as Facebook lists them
        members.append((f"{posts}/your_posts__check_ins__photos_and_videos_{n}.json", _json(entries)))
    members.append((f"{ACTIVITY}/comments_and_reactions/comments.json",
                    _json({"comments_v2": [_comment(*row) for row in reversed(COMMENTS)]})))
    members.append(("personal_information/profile_information/profile_information.json", _json({
        "profile_v2": {"name": {"full_name": NAME, "first_name": "Sofie", "last_name": "Lund"},
                       "emails": {"emails": ["sofie.lund@example.dk"]},
                       "current_city": {"name": "Odense, Denmark"}}})))
    jpeg = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
    for when, kind, _ in PART_1 + PART_2:
        if kind in ("photo", "photos"):
            members.append((_media_uri(_ts(when), 0), jpeg))
    return write_zip(OUT / ZIP_NAME, members, date_time=(2026, 3, 2, 9, 41, 0))


if __name__ == "__main__":
    print(build())
