"""Build the Telegram sample: Leon Brandt, mountain guide in Bavaria (invented), writing in German.

Run from anywhere: ``python sample_profiles/build/build_telegram.py``. The output is deterministic.

Two Telegram Desktop exports, as the app writes them (``date`` in the exporting machine's local time,
``date_unixtime`` in UTC, ``text`` a string or a list of parts, ``text_entities`` beside it):
- ``ChatExport_2024-10-27/result.json``: his public channel "Leon am Berg", exported on its own, with
  forwarded posts, service messages and a photo without caption;
- ``DataExport_2024-10-27/result.json``: his full export, with account information, contacts, a
  private chat, a group where others speak too, a bot chat, somebody else's channel and a left group.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

OUT = Path(__file__).resolve().parent.parent / "telegram"
LOCAL = ZoneInfo("Europe/Berlin")  # the exporting machine's zone: only ``date`` shows it
OWNER_ID = 5123456789
CHANNEL_ID = 1876543210
Part = str | dict[str, str]
Text = str | list[Part]

# Channel posts: (text, flags). flags: "reply" answers an earlier post, "fwd" is forwarded, "photo" has no caption.
CHANNEL: list[tuple[Text, str]] = [
    ("Servus miteinander! Hier nehme ich euch mit auf meine Touren in den bayerischen Alpen.", ""),
    (["Erste Tour der Saison: ", {"type": "bold", "text": "Alpspitze"}, " über die Nordwand-Ferrata. "
      "Noch Altschnee in der Rinne, Steigeisen waren Gold wert. ", {"type": "hashtag", "text": "#Bergsteigen"}], ""),
    ("Wetterumschwung am Nachmittag. Wir sind um 13 Uhr umgekehrt, der Gipfel läuft nicht weg.", ""),
    ("Gewitterwarnung für das Werdenfelser Land, bitte plant eure Touren früh am Morgen.", "fwd"),
    ("Sonnenaufgang am Herzogstand. Der Walchensee lag da wie flüssiges Silber.", ""),
    ("", "photo"),
    (["Kurs ", {"type": "italic", "text": "Spaltenbergung"}, " am Gletscher: sechs Teilnehmer, "
      "viel Seilarbeit und ein sehr zufriedener Bergführer."], ""),
    ("Zur Frage von gestern: Ja, der Kurs findet auch bei leichtem Regen statt.", "reply"),
    ("Hüttenabend auf der Meilerhütte. Kaspressknödel, Kartenspiel und ein Himmel voller Sterne.", ""),
    ("Die Zugspitze über das Höllental bleibt meine Lieblingstour. Leiter, Gletscher, Klettersteig.", ""),
    (["Neue Termine für Juli online: ", {"type": "link", "text": "https://leon-am-berg.de/termine"}], ""),
    ("Steinschlag im Reintal nach dem Starkregen. Der Weg ist bis auf Weiteres gesperrt.", "fwd"),
    ("Heute mit einer Familie auf dem Wank. Die Kinder haben jede Gams gezählt: siebzehn!", ""),
    ("Ausrüstungstipp: Nehmt lieber eine leichte Daunenjacke mehr mit als einen Müsliriegel weniger.", ""),
    ("Bergwacht-Übung am Kreuzeck. Danke an alle Ehrenamtlichen, die bei jedem Wetter ausrücken.", ""),
    ("Genau so, immer zuerst Notruf 112, dann Erste Hilfe und warm halten.", "reply"),
    ("Klettern im Wettersteinkalk: fester Fels, aber die Haken sind alt. Immer Keile dabeihaben.", ""),
    (["Tourenbericht Watzmann-Überschreitung: ", {"type": "bold", "text": "14 Stunden"}, ", zwei Gipfel, "
      "eine Biwakschachtel und Knie, die heute noch protestieren."], ""),
    ("Die Murmeltiere am Schachen pfeifen schon, wenn man um die Kurve kommt.", ""),
    ("Erster Schnee auf 2000 Metern. Die Saison der Skitouren rückt näher.", ""),
    ("Lawinenkurs im November: Verschüttetensuche, Sondieren, Schaufeln. Anmeldung ab jetzt.", ""),
    (["Danke an ", {"type": "mention", "text": "@bergwacht_gap"}, " für den Vortrag über Lawinenkunde!"], ""),
    ("Skitour auf den Schafreuter bei Pulverschnee. Besser wird der Winter nicht.", ""),
    ("Lawinenlagebericht lesen, bevor ihr losgeht. Jeden Tag, ohne Ausnahme.", ""),
    ("Das Lawinenverschüttetensuchgerät gehört an den Körper, nicht in den Rucksack.", "reply"),
    ("Schneeschuhwanderung zur Tutzinger Hütte mit einer Schulklasse. Großes Staunen über die "
     "Benediktenwand.", ""),
    ("Frühling im Tal, Winter am Gipfel. Im April braucht man beides im Rucksack.", ""),
    ("", "photo"),
    ("Die Partnachklamm nach der Schneeschmelze: das Wasser donnert so laut, dass man sich anschreien muss.", ""),
    ("Alpenrosen blühen am Osterfelderkopf. Eine Woche früher als letztes Jahr.", ""),
    ("Der Gletscher am Schneeferner ist wieder kleiner geworden. Man sieht es jedes Jahr deutlicher.", ""),
    ("Hochtour auf den Großvenediger mit zwei Seilschaften. Spurarbeit im Morgengrauen, oben Kaiserwetter.", ""),
    ("Tipp für Einsteiger: Der Jubiläumsgrat ist keine Einsteigertour. Wirklich nicht.", ""),
    ("Die Bergwacht hat gestern drei Wanderer aus dem Jubiläumsgrat geholt.", "fwd"),
    ("Almabtrieb in Mittenwald. Kühe mit Blumenkränzen und eine Blaskapelle, die den Berg hinaufspielt.", ""),
    ("Herbstlicht am Kramerspitz, die Lärchen werden golden.", ""),
    ("Saisonrückblick: 94 Touren, kein einziger Unfall, unzählige Sonnenaufgänge.", ""),
    ("Danke fürs Mitgehen in diesem Jahr. Wir sehen uns am Berg!", ""),
    ("Zu den Kursterminen 2025: Die Liste kommt im Dezember.", "reply"),
]

# Full export chats. Messages: (sender, text, flags); sender "me" is Leon.
PERSONAL: list[tuple[str, Text, str]] = [
    ("Anna Huber", "Hast du am Samstag Zeit für die Kampenwand?", ""),
    ("me", "Samstag klappt! Aber lieber früh, ab Mittag sind Gewitter angesagt.", "reply"),
    ("Anna Huber", "Perfekt, ich hole dich um sechs ab.", ""),
    ("me", ["Bring die Stirnlampe mit. Und ruf notfalls an: ", {"type": "phone", "text": "+49 151 2345678"}], ""),
    ("me", "Gipfelfoto schicke ich dir heute Abend.", ""),
]
GROUP: list[tuple[str, Text, str]] = [
    ("Sepp Maier", "Wer geht am Wochenende zum Stammtisch?", ""),
    ("me", "Ich komme, bringe die neuen Tourenkarten mit.", "reply"),
    ("Resi Gruber", "Hat jemand Erfahrung mit dem neuen Steig am Kramer?", ""),
    ("me", ["Ja, bin ihn letzte Woche gegangen. Gut versichert, aber ", {"type": "bold", "text": "nicht"},
            " bei Nässe."], "reply"),
    ("Sepp Maier", "Danke Leon, sehr hilfreich.", ""),
    ("me", "Die Gewitterwarnung für Sonntag gilt auch für uns. Früh starten!", "fwd"),
    ("me", ["Frag mal ", {"type": "mention_name", "text": "Resi Gruber", "user_id": "6234567890"},
            ", sie kennt die Hütte am besten."], ""),
    ("Resi Gruber", "Klar, die Hütte hat bis Ende Oktober offen.", ""),
    ("me", "Ich biete im Herbst einen Kurs zur Tourenplanung an, wer Interesse hat, bitte melden.", ""),
    ("Hans Ostler", "Ich bin dabei!", "reply"),
    ("me", "Super, Hans. Treffpunkt ist der Parkplatz an der Kreuzeckbahn.", "reply"),
    ("me", "", "photo"),
]
BOT: list[tuple[str, Text, str]] = [("me", "/wetter Zugspitze", ""), ("Wetterbot", "Zugspitze: -3 Grad, Schnee.", "")]
OTHER_CHANNEL: list[tuple[str, Text, str]] = [
    ("Bergwetter Bayern", "Föhnlage am Alpenrand, in den Tälern bis 22 Grad.", ""),
    ("Bergwetter Bayern", "Ab Donnerstag Kaltfront mit Schnee bis 1500 Meter.", ""),
]
LEFT_GROUP: list[tuple[str, Text, str]] = [
    ("Max Kirchner", "Skitour Sonntag, wer ist dabei?", ""),
    ("me", "Ich, aber nur bei Lawinenwarnstufe zwei oder weniger.", "reply"),
]
SENDERS = {"Anna Huber": 6123456780, "Sepp Maier": 6345678901, "Resi Gruber": 6234567890,
           "Hans Ostler": 6456789012, "Max Kirchner": 6567890123, "Wetterbot": 7012345678}

_START = datetime(2024, 3, 2, 6, 15, tzinfo=UTC)


def _entities(text: Text) -> list[dict[str, str]]:
    parts = [text] if isinstance(text, str) else text
    return [{"type": "plain", "text": p} if isinstance(p, str) else dict(p) for p in parts if p != ""]


def _stamp(when: datetime) -> dict[str, str]:
    local = when.astimezone(LOCAL).replace(tzinfo=None)
    return {"date": local.isoformat(), "date_unixtime": str(int(when.timestamp()))}


def _message(mid: int, when: datetime, sender: str, sender_id: str, text: Text, flags: str,
             reply_to: int | None) -> dict[str, Any]:
    msg: dict[str, Any] = {"id": mid, "type": "message", **_stamp(when), "from": sender, "from_id": sender_id}
    if flags == "fwd":
        msg["forwarded_from"] = "Bergwacht Bayern" if "Bergwacht" in json.dumps(text, ensure_ascii=False) \
            else "Bergwetter Bayern"
    if flags == "reply" and reply_to is not None:
        msg["reply_to_message_id"] = reply_to
    if flags == "photo":
        msg.update({"photo": "(File not included. Change data exporting settings to download.)",
                    "width": 1280, "height": 960})
    msg["text"] = text
    msg["text_entities"] = _entities(text)
    return msg


def _service(mid: int, when: datetime, actor: str, actor_id: str, action: str, **extra: Any) -> dict[str, Any]:
    return {"id": mid, "type": "service", **_stamp(when), "actor": actor, "actor_id": actor_id,
            "action": action, **extra, "text": "", "text_entities": []}


def channel_chat() -> dict[str, Any]:
    name, sid = "Leon am Berg", f"channel{CHANNEL_ID}"
    messages = [_service(1, _START - timedelta(days=3), name, sid, "create_channel", title=name)]
    for i, (text, flags) in enumerate(CHANNEL):
        when = _START + timedelta(days=6 * i, hours=(i * 7) % 11, minutes=(i * 13) % 60)
        messages.append(_message(i + 2, when, name, sid, text, flags, reply_to=i + 1))
    messages.append(_service(len(messages) + 1, _START + timedelta(days=6 * len(CHANNEL)), name, sid,
                             "pin_message", message_id=2))
    return {"name": name, "type": "public_channel", "id": CHANNEL_ID, "messages": messages}


def _chat(name: str | None, kind: str, cid: int, rows: list[tuple[str, Text, str]], start: datetime,
          first_id: int, service: dict[str, Any] | None = None) -> dict[str, Any]:
    messages: list[dict[str, Any]] = [service] if service else []
    for i, (sender, text, flags) in enumerate(rows):
        who, uid = ("Leon Brandt", OWNER_ID) if sender == "me" else (sender, SENDERS.get(sender, 0))
        if kind.endswith("channel"):  # a channel's posts carry the channel as sender
            who, sid = name or "", f"channel{cid}"
        else:
            sid = f"user{uid}"
        when = start + timedelta(days=2 * i, hours=i % 5, minutes=(i * 11) % 60)
        messages.append(_message(first_id + i, when, who, sid, text, flags, reply_to=first_id + i - 1))
    chat: dict[str, Any] = {"name": name, "type": kind, "id": cid, "messages": messages}
    if kind == "saved_messages":
        del chat["name"]
    return chat


def full_export() -> dict[str, Any]:
    group_start = _START + timedelta(days=40)
    invite = _service(300, group_start - timedelta(days=1), "Sepp Maier", f"user{SENDERS['Sepp Maier']}",
                      "invite_members", members=["Leon Brandt"])
    return {
        "about": "Here is the data you requested. Remember: Telegram is ad free, it doesn't use your data "
                 "for ad targeting and doesn't sell it to others. Telegram only keeps the information it "
                 "needs to function as a feature-rich cloud service.",
        "personal_information": {"user_id": OWNER_ID, "first_name": "Leon", "last_name": "Brandt",
                                 "phone_number": "+49 151 23456789", "username": "@leon_am_berg",
                                 "bio": "Staatlich geprüfter Berg- und Skiführer, Garmisch-Partenkirchen"},
        "profile_pictures": [{**_stamp(_START - timedelta(days=90)),
                              "photo": "(Photo not included. Change data exporting settings to download.)"}],
        "contacts": {"about": "This is your contact list.", "list": [
            {"user_id": uid, "first_name": name.split()[0], "last_name": name.split()[-1],
             "phone_number": f"+49 170 {uid % 10_000_000:07d}", **_stamp(_START - timedelta(days=200))}
            for name, uid in SENDERS.items() if name != "Wetterbot"]},
        "chats": {"about": "This page lists all chats from this export.", "list": [
            _chat("Anna Huber", "personal_chat", SENDERS["Anna Huber"], PERSONAL, _START + timedelta(days=20), 10),
            _chat("Bergführer Stammtisch Garmisch", "private_supergroup", 1765432109, GROUP, group_start, 301,
                  service=invite),
            _chat("Leon am Berg", "public_channel", CHANNEL_ID, [("me", t, f) for t, f in CHANNEL[:3]],
                  _START, 2),
            _chat("Wetterbot", "bot_chat", SENDERS["Wetterbot"], BOT, _START + timedelta(days=50), 1),
            _chat("Bergwetter Bayern", "public_channel", 1654321098, OTHER_CHANNEL, _START + timedelta(days=60), 500),
        ]},
        "left_chats": {"about": "This page lists all supergroups and channels from this export that you've "
                                "left or were removed from.", "list": [
            _chat("Skitour 2022", "private_supergroup", 1543210987, LEFT_GROUP, _START - timedelta(days=400), 77),
        ]},
    }


def _write(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def _has_text(text: Text) -> bool:
    return bool(text if isinstance(text, str) else "".join(p if isinstance(p, str) else p["text"] for p in text))


def main() -> None:
    _write(OUT / "ChatExport_2024-10-27" / "result.json", channel_chat())
    _write(OUT / "DataExport_2024-10-27" / "result.json", full_export())
    channel = sum(1 for text, flags in CHANNEL if flags != "fwd" and _has_text(text))
    own = sum(1 for rows in (PERSONAL, GROUP, LEFT_GROUP) for sender, text, flags in rows
              if sender == "me" and flags != "fwd" and _has_text(text))
    print(f"telegram: {channel} channel posts and {own} own chat messages with text, written to {OUT}")


if __name__ == "__main__":
    main()
