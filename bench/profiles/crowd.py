"""A crowd of invented people for the fidelity benchmark: ``python bench/profiles/crowd.py`` writes
bench/profiles/crowd/*.jsonl (plain reader: text, created_at, lang).

Made to be hard to tell apart: half the people are short (5 to 20 posts), half long (80 to 300); most
posts are everyday chatter every one of them writes; people come in look-alike pairs (same pastime, same
words for it, only their own recurring details differ) and pastimes come in two vocabularies ("the same
hobby in different words"); a third write in two languages; everybody drops one-off "striking" rare
words drawn from one shared pool (so a single striking post identifies no one); some thank other people
by name in list form (the names are invented per post and must never become keywords), and each
detail word is shared by about three people. The details a
person keeps coming back to are drawn from wordfreq's mid-frequency words of their language.
"""

from __future__ import annotations

import json
import random
import sys
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

HERE = Path(__file__).parent
OUT = HERE / "crowd"
LANGS = ("en", "de", "es", "fr", "da")

# Pastime -> language -> two vocabularies of the same pastime.
HOBBIES: dict[str, dict[str, tuple[tuple[str, ...], tuple[str, ...]]]] = {
    "baking": {
        "en": (("sourdough", "starter", "crumb", "loaf"), ("oven", "dough", "flour", "proving")),
        "de": (("Sauerteig", "Krume", "Laib", "Roggen"), ("Backofen", "Teig", "Mehl", "Brötchen")),
        "es": (("masa madre", "miga", "hogaza", "centeno"), ("horno", "harina", "levadura", "bizcocho")),
        "fr": (("levain", "mie", "miche", "seigle"), ("four", "farine", "pâte", "brioche")),
        "da": (("surdej", "krumme", "rugbrød", "hvedemel"), ("ovnen", "dejen", "boller", "kagen")),
    },
    "cycling": {
        "en": (("peloton", "cadence", "descent", "climb"), ("bike", "saddle", "gears", "puncture")),
        "de": (("Rennrad", "Anstieg", "Abfahrt", "Trittfrequenz"), ("Fahrrad", "Sattel", "Kette", "Radweg")),
        "es": (("puerto", "pelotón", "bajada", "cadencia"), ("bicicleta", "sillín", "cadena", "pinchazo")),
        "fr": (("col", "peloton", "descente", "cadence"), ("vélo", "selle", "chaîne", "crevaison")),
        "da": (("racercykel", "stigning", "nedkørsel", "feltet"), ("cyklen", "sadlen", "kæden", "punktering")),
    },
    "gardening": {
        "en": (("dahlias", "compost", "seedlings", "greenhouse"), ("roses", "allotment", "weeds", "hedge")),
        "de": (("Dahlien", "Kompost", "Setzlinge", "Gewächshaus"), ("Rosen", "Schrebergarten", "Unkraut", "Hecke")),
        "es": (("dalias", "compost", "plántulas", "invernadero"), ("rosales", "huerto", "malas hierbas", "seto")),
        "fr": (("dahlias", "compost", "semis", "serre"), ("rosiers", "potager", "mauvaises herbes", "haie")),
        "da": (("georginer", "kompost", "kimplanter", "drivhuset"), ("roserne", "kolonihaven", "ukrudt", "hækken")),
    },
    "astronomy": {
        "en": (("telescope", "nebula", "eyepiece", "galaxy"), ("stars", "moon", "planets", "meteors")),
        "de": (("Teleskop", "Nebel", "Okular", "Galaxie"), ("Sterne", "Mond", "Planeten", "Sternschnuppen")),
        "es": (("telescopio", "nebulosa", "ocular", "galaxia"), ("estrellas", "luna", "planetas", "meteoros")),
        "fr": (("télescope", "nébuleuse", "oculaire", "galaxie"), ("étoiles", "lune", "planètes", "météores")),
        "da": (("teleskopet", "tågen", "okularet", "galaksen"), ("stjernerne", "månen", "planeterne", "meteorer")),
    },
    "chess": {
        "en": (("opening", "endgame", "gambit", "rook"), ("board", "pawns", "checkmate", "tournament")),
        "de": (("Eröffnung", "Endspiel", "Gambit", "Turm"), ("Brett", "Bauern", "Schachmatt", "Turnier")),
        "es": (("apertura", "final", "gambito", "torre"), ("tablero", "peones", "jaque mate", "torneo")),
        "fr": (("ouverture", "finale", "gambit", "tour"), ("échiquier", "pions", "échec et mat", "tournoi")),
        "da": (("åbningen", "slutspillet", "gambit", "tårnet"), ("brættet", "bønderne", "skakmat", "turneringen")),
    },
    "running": {
        "en": (("marathon", "intervals", "tempo", "trail"), ("run", "shoes", "miles", "race")),
        "de": (("Marathon", "Intervalle", "Tempolauf", "Trail"), ("Lauf", "Laufschuhe", "Kilometer", "Wettkampf")),
        "es": (("maratón", "series", "tirada larga", "trail"), ("carrera", "zapatillas", "kilómetros", "dorsal")),
        "fr": (("marathon", "fractionné", "sortie longue", "trail"), ("course", "baskets", "kilomètres", "dossard")),
        "da": (("maraton", "intervaller", "tempoløb", "trailløb"), ("løbet", "løbeskoene", "kilometer", "løbetur")),
    },
}
TEMPLATES = {
    "en": ("Another evening with the {a} and the {b}, {c} was on my mind all day.", "{a} again today, {c} and {b}.",
           "Thinking about {c} while sorting out the {a}.", "The {a} and {b}: {c} made the difference."),
    "de": ("Wieder ein Abend mit {a} und {b}, {c} ging mir nicht aus dem Kopf.", "Heute wieder {a}, {c} und {b}.",
           "{c} im Kopf, während ich {a} sortiere.", "{a} und {b}: {c} hat den Unterschied gemacht."),
    "es": ("Otra tarde con {a} y {b}, pensando en {c} todo el día.", "Hoy otra vez {a}, {c} y {b}.",
           "Pensando en {c} mientras preparo {a}.", "{a} y {b}: {c} marcó la diferencia."),
    "fr": ("Encore une soirée avec {a} et {b}, {c} en tête toute la journée.", "Aujourd'hui encore {a}, {c} et {b}.",
           "Je pense à {c} en préparant {a}.", "{a} et {b} : {c} a tout changé."),
    "da": ("Endnu en aften med {a} og {b}, {c} hele dagen i tankerne.", "I dag igen {a}, {c} og {b}.",
           "Tænker på {c} mens jeg ordner {a}.", "{a} og {b}: {c} gjorde forskellen."),
}
CHATTER = {
    "en": ("Monday again. Coffee first, everything else later.", "Rain all day, perfect excuse to stay in.",
           "So tired this week, early night for me.", "Long day at work but a good one.",
           "Can't wait for the weekend.", "The train was late again this morning.",
           "Pizza night with friends, the best kind of night.", "Happy birthday to my favourite person!",
           "Congratulations, well deserved!", "Does anyone have a good podcast recommendation?"),
    "de": ("Montag. Erst Kaffee, dann alles andere.", "Den ganzen Tag Regen, ich bleibe drinnen.",
           "Sehr müde diese Woche, heute früh ins Bett.", "Langer Arbeitstag, aber ein guter.",
           "Endlich Wochenende, endlich Ruhe.", "Der Zug hatte heute wieder Verspätung.",
           "Pizzaabend mit Freunden, der beste Abend.", "Alles Gute zum Geburtstag!"),
    "es": ("Lunes otra vez. Primero café, luego lo demás.", "Llueve todo el día, me quedo en casa.",
           "Muy cansada esta semana, hoy me acuesto pronto.", "Día largo en el trabajo, pero bueno.",
           "Por fin fin de semana.", "El tren llegó tarde otra vez esta mañana.",
           "Noche de pizza con amigos, la mejor noche.", "¡Feliz cumpleaños!"),
    "fr": ("Lundi encore. Café d'abord, le reste après.", "Pluie toute la journée, je reste à la maison.",
           "Tellement fatiguée cette semaine, au lit tôt ce soir.", "Longue journée au travail, mais une bonne.",
           "Vivement le week-end.", "Le train était encore en retard ce matin.",
           "Soirée pizza entre amis, la meilleure soirée.", "Joyeux anniversaire !"),
    "da": ("Mandag igen. Først kaffe, så alt det andet.", "Regn hele dagen, jeg bliver inde.",
           "Meget træt i denne uge, tidligt i seng i aften.", "Lang dag på arbejdet, men en god en.",
           "Endelig weekend.", "Toget var forsinket igen i morges.",
           "Pizzaaften med venner, den bedste slags aften.", "Tillykke med fødselsdagen!"),
}
THANKS = {"en": "Thanks to {names} for the help this week!", "de": "Danke an {names} für die Hilfe!",
          "es": "¡Gracias a {names} por la ayuda!", "fr": "Merci à {names} pour l'aide !",
          "da": "Tak til {names} for hjælpen!"}
AND = {"en": "and", "de": "und", "es": "y", "fr": "et", "da": "og"}


@dataclass(frozen=True)
class Person:
    slug: str
    langs: tuple[str, ...]  # first is the main one
    hobby: str
    dialect: int
    details: dict[str, tuple[str, ...]]  # language -> the person's own recurring words
    n_posts: int
    thanks: bool


def _pools(rng: random.Random) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Per language: words for people's own details, and the shared pool of one-off striking words."""
    from wordfreq import top_n_list

    details: dict[str, list[str]] = {}
    striking: dict[str, list[str]] = {}
    for lang in LANGS:
        words = [w for w in top_n_list(lang, 80000)[3000:] if w.isalpha() and len(w) >= 6]
        mid = words[1000:6000]  # specific, yet words a person writes
        rare = words[-600:]  # the rarest the list knows
        rng.shuffle(mid)
        rng.shuffle(rare)
        fix = str.capitalize if lang == "de" else str
        details[lang] = [fix(w) for w in mid]
        striking[lang] = [fix(w) for w in rare[:60]]
    return details, striking


def people(seed: int = 11) -> list[Person]:
    rng = random.Random(seed)
    detail_pool, _ = _pools(random.Random(seed))
    crowd: list[Person] = []
    hobbies = sorted(HOBBIES)
    for k in range(60):  # 60 look-alike pairs: 120 people
        hobby = hobbies[k % len(hobbies)]
        main = LANGS[k % len(LANGS)]
        second = LANGS[(k + 2) % len(LANGS)]
        langs = (main, second) if k % 3 == 0 else (main,)
        dialect = (k // len(hobbies)) % 2
        short = k % 2 == 0
        for twin in range(2):
            # Each detail word is shared by about three people: only the combination tells them apart.
            details = {lang: tuple(rng.sample(detail_pool[lang][:40], 4)) for lang in langs}
            n = rng.randint(5, 20) if short else rng.randint(80, 300)
            crowd.append(Person(f"{k:02d}{'ab'[twin]}-{hobby}-{'-'.join(langs)}", langs, hobby, dialect, details, n,
                                thanks=(k + twin) % 4 == 1))
    return crowd


def posts(person: Person, striking: dict[str, list[str]], seed: int) -> list[dict[str, str]]:
    from faker import Faker

    rng = random.Random(seed)
    fake = Faker()
    fake.seed_instance(seed)
    start = datetime(2023, 1, 1, tzinfo=UTC)
    out: list[dict[str, str]] = []
    for i in range(person.n_posts):
        lang = person.langs[0] if len(person.langs) == 1 or rng.random() < 0.6 else person.langs[1]
        roll = rng.random()
        if roll < 0.5:
            text = rng.choice(CHATTER[lang])
        elif roll < 0.6:
            text = rng.choice(CHATTER[lang]) + " " + rng.choice(striking[lang])  # one striking word, shared pool
        elif roll < 0.65 and person.thanks:
            names = [fake.first_name() for _ in range(3)] + [fake.user_name().replace("_", "")]
            rng.shuffle(names)
            text = THANKS[lang].format(names=", ".join(names[:-1]) + f" {AND[lang]} " + names[-1])
        else:
            words = HOBBIES[person.hobby][lang][person.dialect]
            a, b = rng.sample(words, 2)
            text = rng.choice(TEMPLATES[lang]).format(a=a, b=b, c=rng.choice(person.details[lang]))
            text = text[0].upper() + text[1:]
        when = start + timedelta(days=i * 900 / person.n_posts + rng.random(), hours=rng.randint(7, 22))
        out.append({"text": text, "created_at": when.isoformat(), "lang": lang})
    if person.thanks and not any("{" in p["text"] for p in out):  # short profiles too thank someone once
        out[0]["text"] = THANKS[person.langs[0]].format(names=f"{fake.first_name()}, {fake.user_name()}")
    return out


def main() -> int:
    OUT.mkdir(exist_ok=True)
    for old in OUT.glob("*.jsonl"):
        old.unlink()
    _, striking = _pools(random.Random(11))
    for n, person in enumerate(people()):
        lines = [json.dumps(p, ensure_ascii=False) for p in posts(person, striking, seed=n)]
        (OUT / f"{person.slug}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
