"""Build a Russian X/Twitter sample: the archive of "Марина Соколова", an invented physics teacher in Kazan
who runs her school's astronomy club, bakes rye bread on a sourdough starter and grows tomatoes at her dacha.

    python sample_profiles/build/build_twitter_ru.py

writes ``sample_profiles/twitter/twitter-2025-11-02-<hex>.zip`` in the platform's layout (``Your
archive.html``, ``data/manifest.js``, ``data/tweets.js``, ``data/account.js``, ``data/profile.js``), with the
tweet records of ``build_twitter.py``: HTML entities, t.co links, @mentions, hashtags, replies, retweets
(``RT @``, left out by the reader) and an e-mail address in account.js that must never be read. Own posts and
replies: 30, 4 of them replies. It is the Russian profile that shows a prompt written in the portrait's own
language (a style with ``prompt_language = "portrait"``, for Kandinsky). Same input, same bytes.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

HERE = Path(__file__).resolve().parent
ACCOUNT_ID = "1587734400112233445"
HANDLE = "marina_nebo_kzn"
NAME = "Марина Соколова"


def _english_builder() -> ModuleType:
    # The tweet records are written exactly as the English sample writes them.
    spec = importlib.util.spec_from_file_location("build_twitter", HERE / "build_twitter.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# (UTC time, full_text as Twitter stores it). A reply starts with the @handle it answers.
TWEETS: list[tuple[str, str]] = [
    (
        "2025-01-05 19:12:40",
        "Первые снежные выходные. Достала телескоп на балкон, Юпитер и четыре спутника как на ладони. #астрономия",
    ),
    (
        "2025-01-11 06:30:02",
        "Закваска проснулась после праздников. Ржаной хлеб сегодня вышел с хрустящей корочкой и тмином.",
    ),
    (
        "2025-01-17 20:45:19",
        "Астрономический кружок в школе: десять восьмиклассников, один телескоп и очень "
        "много вопросов про чёрные дыры.",
    ),
    (
        "2025-01-17 21:02:11",
        "@kazan_sky_club Да, в пятницу снова собираемся, если небо будет ясным. Берите термос с чаем!",
    ),
    (
        "2025-01-26 22:18:37",
        "Мороз минус двадцать, зато небо чистое. Туманность Ориона в телескоп видна даже из города.",
    ),
    ("2025-02-02 07:55:48", "Воскресное утро: закваска, мука, печь и кот, который считает, что тесто принадлежит ему."),
    (
        "2025-02-09 18:40:03",
        "Объясняла на уроке законы Кеплера на примере кометы. Дети нарисовали орбиту мелом на асфальте во дворе.",
    ),
    (
        "2025-02-15 23:11:26",
        "Луна сегодня огромная и жёлтая. Сфотографировала кратеры через окуляр на телефон https://t.co/Lm4Rt8sQaZ",
    ),
    ("2025-02-22 08:20:15", "Ржаной хлеб на закваске, третья попытка. Мякиш наконец пористый, корочка тёмная. #хлеб"),
    (
        "2025-03-01 17:34:50",
        "RT @roscosmos_fake: Сегодня вечером МКС пролетит над Поволжьем, смотрите на запад после заката!",
    ),
    (
        "2025-03-08 10:05:44",
        "Восьмое марта: ученики подарили мне кактус в горшке в форме ракеты. Лучший подарок учителю физики.",
    ),
    ("2025-03-14 21:47:09", "Весеннее равноденствие близко. Галактика Андромеды низко на западе, бинокль справляется."),
    ("2025-03-14 22:03:30", "@astro_lena_ufa Андромеда видна до одиннадцати, потом уходит за дома. Попробуй с крыши!"),
    (
        "2025-03-29 12:40:00",
        "Частное солнечное затмение через сварочное стекло. Школьный двор, сорок детей, все в восторге. #затмение",
    ),
    ("2025-04-12 09:15:21", "День космонавтики. Рассказывала кружку про Гагарина и показывала старый глобус Луны."),
    ("2025-04-26 16:30:55", "На даче посадила помидоры в теплице. Рассада пережила переезд в багажнике, чудо."),
    ("2025-05-03 07:48:12", "Огород, чай из самовара и первые редиски. Телескоп на даче ждёт тёмной ночи."),
    ("2025-05-17 23:55:08", "На даче небо тёмное, Млечный Путь видно без телескопа. Сидела на крыльце до двух ночи."),
    ("2025-05-18 00:14:41", "@kazan_sky_club Фотографии метеоров выложу завтра, один был яркий, с зелёным хвостом."),
    (
        "2025-06-07 11:22:37",
        "Испекла хлеб на даче в старой печи. Закваска поехала со мной в банке, как домашнее животное.",
    ),
    (
        "2025-06-21 21:30:19",
        "Белые ночи у нас не бывают, но серебристые облака сегодня светились на севере. Редкое зрелище.",
    ),
    ("2025-07-05 08:50:26", "Помидоры покраснели, огурцы не успеваю собирать. Закваска ревнует к огороду."),
    ("2025-07-19 22:41:13", "Сатурн с кольцами в телескоп. Соседский мальчик смотрел и сказал: как наклейка."),
    (
        "2025-08-12 23:59:50",
        "Персеиды! Насчитала тридцать семь метеоров за час, термос с чаем опустел к двум часам. #Персеиды",
    ),
    ("2025-08-13 00:20:04", "@astro_lena_ufa Да, радиант высоко, лучше смотреть лёжа на пледе. Комары тоже наблюдают."),
    ("2025-08-30 15:10:32", "Собрала урожай яблок на даче. Пирог с яблоками и корицей, пока ученики не вернулись."),
    (
        "2025-09-06 19:25:45",
        "Новый учебный год, новый кружок астрономии. Записалось двадцать человек, телескопа на всех не хватит.",
    ),
    ("2025-09-20 06:40:18", "Ржаной хлеб с кориандром для учительской. Коллеги просят рецепт закваски."),
    ("2025-10-04 21:15:27", "Осенний дождь третий день. Читаю старые журналы наблюдений и пью чай с чабрецом."),
    ("2025-10-18 20:05:39", "Наконец ясно! Туманность Андромеды и Плеяды в бинокль, мороз щиплет пальцы."),
    ("2025-10-26 09:30:58", "Первый снег на даче. Укрыла розы, забрала телескоп домой до весны."),
]

PROFILE_EMAIL = "marina.sokolova.nebo@example.com"


def build() -> Path:
    # 1. The tweet records, newest first, as the English sample writes them
    english = _english_builder()
    reply_ids: dict[str, str] = {}
    rows = sorted(((english._utc(t), text) for t, text in TWEETS), key=lambda r: r[0], reverse=True)
    tweets = [{"tweet": english._tweet(when, i, text, "ru", reply_ids)} for i, (when, text) in enumerate(rows)]

    # 2. The other data files and the manifest
    account = [
        {
            "account": {
                "email": PROFILE_EMAIL,
                "createdVia": "web",
                "username": HANDLE,
                "accountId": ACCOUNT_ID,
                "createdAt": "2022-11-04T17:02:41.000Z",
                "accountDisplayName": NAME,
            }
        }
    ]
    profile = [
        {
            "profile": {
                "description": {
                    "bio": "Учитель физики. Кружок астрономии. Хлеб на закваске.",
                    "website": "",
                    "location": "Казань",
                },
                "avatarMediaUrl": "https://pbs.twimg.com/profile_images/fake.jpg",
            }
        }
    ]
    files = {
        "data/tweets.js": english._js("YTD.tweets.part0", tweets),
        "data/account.js": english._js("YTD.account.part0", account),
        "data/profile.js": english._js("YTD.profile.part0", profile),
    }
    manifest = {
        "userInfo": {"accountId": ACCOUNT_ID, "userName": HANDLE, "displayName": NAME},
        "archiveInfo": {
            "sizeBytes": "262144",
            "generationDate": "2025-11-02T08:14:55.000Z",
            "isPartialArchive": False,
            "maxPartSizeBytes": "53687091200",
        },
        "readmeInfo": {"fileName": "data/README.txt", "directory": "data/", "name": "README.txt"},
        "dataTypes": {
            "tweets": {
                "files": [{"fileName": "data/tweets.js", "globalName": "YTD.tweets.part0", "count": str(len(tweets))}]
            },
            "account": {"files": [{"fileName": "data/account.js", "globalName": "YTD.account.part0", "count": "1"}]},
            "profile": {"files": [{"fileName": "data/profile.js", "globalName": "YTD.profile.part0", "count": "1"}]},
        },
    }
    members = {
        "Your archive.html": b"<!DOCTYPE html><html><head><title>Your archive</title>"
        b'<script src="assets/js/ondemand.s.a1b2c3.js"></script></head>'
        b"<body><noscript>Enable JavaScript to browse your archive.</noscript></body></html>",
        "assets/js/ondemand.s.a1b2c3.js": b'"use strict";window.__ARCHIVE_VIEWER__={version:"1.0"};',
        "data/manifest.js": b"window.__THAR_CONFIG = "
        + json.dumps(manifest, ensure_ascii=False, indent=2, separators=(",", " : ")).encode(),
        "data/README.txt": b"Twitter archive README (sample): describes the files in data/.\n",
        **files,
    }

    # 3. The zip, with fixed member times so that the same input gives the same bytes
    path: Path = english.write_archive(members, "twitter-2025-11-02", (2025, 11, 2, 8, 14, 55))
    return path


if __name__ == "__main__":
    print(build())
