"""Build the TikTok sample: the "Download your data" JSON of "Noor Haddad", an invented home baker in
Rotterdam.

    python sample_profiles/build/build_tiktok.py

writes ``sample_profiles/tiktok/TikTok_Data_1741600000.zip`` holding ``user_data_tiktok.json`` as TikTok
lays it out: ``Activity`` (a long watch history first, so the person's words come late in the file),
``Ads and data``, ``App Settings``, ``Comment``, ``Direct Message`` (private chats with two invented
friends: never read), ``Post`` (video titles, some "N/A") and ``Profile`` (an e-mail address: never
read). Same input, same bytes. Own posts and replies with text: 33 (18 comments, 15 titled videos).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from meta_export import write_zip

OUT = Path(__file__).resolve().parents[1] / "tiktok"
ZIP_NAME = "TikTok_Data_1741600000.zip"

COMMENTS = [
    "This crumb is unreal, how long did you proof it?",
    "I tried your cardamom buns recipe and my kitchen smells like a Swedish bakery now",
    "Cold fermentation overnight changed my sourdough game completely",
    "The shaping at the end is so satisfying to watch",
    "My starter is called Bubbles and she is three years old today",
    "Which flour do you use for the croissants? Mine keep leaking butter",
    "Rye bread with caraway is the taste of my grandmother's kitchen",
    "Baking at 5am before the market opens is my favourite quiet hour",
    "Please do a video on laminated dough for beginners",
    "Za'atar flatbread straight from the oven with olive oil, nothing better",
    "Your scoring patterns look like wheat fields",
    "I burned my first batch of macarons but the second one worked",
    "Steam in the oven is the secret, a tray of ice cubes works for me",
    "Honey and walnut loaf for the weekend, thank you for the idea",
    "The sound of that crust cracking is pure joy",
    "Knafeh for Eid again this year, the whole family asked for it",
    "Hydration at seventy five percent is my sweet spot for focaccia",
    "Love seeing small bakeries in Rotterdam on my feed",
]
TITLES = [
    "Morning sourdough routine in my tiny Rotterdam kitchen",
    "N/A",
    "Cardamom buns, the slow way #baking #cardamom",
    "Focaccia garden with rosemary, tomatoes and olives",
    "How I feed my starter Bubbles every day",
    "Rye and caraway bread like my grandmother made",
    "N/A",
    "Laminated dough for beginners, part one #croissant",
    "Za'atar manakish for a rainy Sunday",
    "Scoring patterns: wheat, leaf and spiral",
    "Market day: selling bread at the Fenix food stall",
    "Knafeh for Eid with my sisters",
    "Honey walnut loaf with a crackly crust",
    "Second try at pistachio macarons",
    "Steam, heat and patience: the secret of a good crust",
    "N/A",
    "Cinnamon rolls for the neighbours on the third floor",
    "A year of baking in thirty seconds #sourdough",
]


def _when(start: datetime, i: int, days: int) -> str:
    return (start + timedelta(days=days * i, hours=i % 7)).strftime("%Y-%m-%d %H:%M:%S")


def build() -> Path:
    start = datetime(2023, 2, 1, 7, 30, tzinfo=UTC)
    data = {
        "Activity": {
            "Video Browsing History": {"VideoList": [
                {"Date": _when(start, i, 1), "Link": f"https://www.tiktokv.com/share/video/73{i:014d}/"}
                for i in range(600)
            ]},
            "Like List": {"ItemFavoriteList": [
                {"Date": _when(start, i, 3), "Link": f"https://www.tiktokv.com/share/video/74{i:014d}/"}
                for i in range(40)
            ]},
        },
        "Ads and data": {"Ad Interests": {"AdInterestCategories": "Food and drink"}},
        "App Settings": {"Settings": {"SettingsMap": {"Interface language": "English", "Private Account": "Disabled"}}},
        "Comment": {"Comments": {"CommentsList": [
            {"date": _when(start, i, 41), "comment": text, "photo": "N/A", "url": ""}
            for i, text in enumerate(COMMENTS)
        ]}},
        "Direct Message": {"Direct Messages": {"ChatHistory": {
            "Chat History with lina.bakes:": [
                {"Date": "2024-03-02 19:01:11", "From": "lina.bakes",
                 "Content": "Are you coming to the market on Saturday?"},
                {"Date": "2024-03-02 19:03:40", "From": "noor.bakes.rdam",
                 "Content": "Yes, with forty loaves and a cold"},
            ],
            "Chat History with sami_h:": [
                {"Date": "2024-07-11 08:20:00", "From": "sami_h", "Content": "My new phone number is 06 1234 5678"},
            ],
        }}},
        "Post": {"Posts": {"VideoList": [
            {"Date": _when(start, i, 40), "Link": f"https://www.tiktokv.com/share/video/75{i:014d}/",
             "Likes": str(20 + i * 7), "WhoCanView": "Everyone", "AllowComments": "Yes", "Sound": "original sound",
             "Location": "Rotterdam", "Title": title}
            for i, title in enumerate(TITLES)
        ]}},
        "Profile": {"Profile Information": {"ProfileMap": {
            "userName": "noor.bakes.rdam", "emailAddress": "noor.haddad@example.com", "birthDate": "1994-05-17",
            "bioDescription": "Bread, buns and flour everywhere",
        }}},
    }
    payload = json.dumps(data, indent=2, ensure_ascii=False).encode("utf-8")
    return write_zip(OUT / ZIP_NAME, [("user_data_tiktok.json", payload)], (2026, 3, 10, 9, 0, 0))


if __name__ == "__main__":
    print(build())
