"""A crowd of invented people for the fidelity benchmark: ``python bench/profiles/crowd.py`` writes
bench/profiles/crowd/*.jsonl (plain reader: text, created_at, lang).

Made so that counting words is not enough to tell people apart (the most frequent words must lose):

- most posts are everyday chatter everyone writes, built from a few everyday words ("coffee", "train",
  "weekend") that therefore top any word count;
- people come in look-alike quartets: two pairs with the same pastime in the same words and the same
  languages; twins share two of their four own recurring details, and each detail word is shared by
  several people of the crowd;
- each pastime comes in two vocabularies ("the same hobby in different words"), in five languages;
- most of what anyone posts is the chatter (about 70 %); the pastime is a fifth of a long profile and
  only two or three posts of a short one;
- half of the people are short (5 to 20 posts), half long (80 to 300); a third write in two languages;
- news bursts: every long profile goes on about the same four news events, each for a few days at the
  same moment of the shared time span (many posts, one moment: recurrence without spread over time, and
  words that tell nobody apart);
- a chatter post strings three everyday phrases together, so that a few posts already hold most of the
  everyday words everyone uses (the chatter says little about who wrote it);
- one-off striking rare words from a shared pool, some said three times in one post (many uses, one post);
- a third thank people, again and again, from one shared community of names and usernames (names recur,
  and must never become keywords).

The details a person keeps coming back to are drawn from wordfreq's mid-frequency words of their language.
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
_DETAIL_POOL = 24  # detail words per language: each is used by several people of the crowd
_NEWS = 4  # the crowd's news events, the first of EVENTS: each at the same moment for everyone

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
    "en": (
        "Another evening with the {a} and the {b}, {c} was on my mind all day.",
        "{a} again today, {c} and {b}.",
        "Thinking about {c} while sorting out the {a}.",
        "The {a} and {b}: {c} made the difference.",
    ),
    "de": (
        "Wieder ein Abend mit {a} und {b}, {c} ging mir nicht aus dem Kopf.",
        "Heute wieder {a}, {c} und {b}.",
        "{c} im Kopf, während ich {a} sortiere.",
        "{a} und {b}: {c} hat den Unterschied gemacht.",
    ),
    "es": (
        "Otra tarde con {a} y {b}, pensando en {c} todo el día.",
        "Hoy otra vez {a}, {c} y {b}.",
        "Pensando en {c} mientras preparo {a}.",
        "{a} y {b}: {c} marcó la diferencia.",
    ),
    "fr": (
        "Encore une soirée avec {a} et {b}, {c} en tête toute la journée.",
        "Aujourd'hui encore {a}, {c} et {b}.",
        "Je pense à {c} en préparant {a}.",
        "{a} et {b} : {c} a tout changé.",
    ),
    "da": (
        "Endnu en aften med {a} og {b}, {c} hele dagen i tankerne.",
        "I dag igen {a}, {c} og {b}.",
        "Tænker på {c} mens jeg ordner {a}.",
        "{a} og {b}: {c} gjorde forskellen.",
    ),
}
# Everyday chatter: an opening and a closing half, freely combined, both full of everyday words.
CHATTER = {
    "en": (
        (
            "Coffee first this morning",
            "The train was late again",
            "Rain all day today",
            "So tired after work",
            "Long meeting this morning",
            "Lunch with friends from work",
            "Stuck in traffic on the way home",
            "Too many emails this week",
            "Tea and an early night",
            "Pizza dinner with friends",
        ),
        (
            "and the weekend cannot come soon enough.",
            "so back to bed early.",
            "but home now with a tea.",
            "and the bus was full too.",
            "at least the coffee at work was good.",
            "friends and dinner at the weekend.",
            "another long day at work tomorrow.",
            "need more sleep this week.",
        ),
    ),
    "de": (
        (
            "Erst Kaffee an diesem Morgen",
            "Der Zug hatte wieder Verspätung",
            "Den ganzen Tag Regen",
            "So müde nach der Arbeit",
            "Lange Besprechung am Morgen",
            "Mittagessen mit Kollegen",
            "Im Stau auf dem Heimweg",
            "Zu viele Mails diese Woche",
            "Tee und früh ins Bett",
            "Pizza mit Freunden",
        ),
        (
            "und endlich bald Wochenende.",
            "also früh ins Bett.",
            "aber jetzt zu Hause mit Tee.",
            "und der Bus war auch voll.",
            "wenigstens war der Kaffee bei der Arbeit gut.",
            "am Wochenende Abendessen mit Freunden.",
            "morgen wieder ein langer Arbeitstag.",
            "diese Woche brauche ich mehr Schlaf.",
        ),
    ),
    "es": (
        (
            "Primero café esta mañana",
            "El tren llegó tarde otra vez",
            "Lluvia todo el día",
            "Muy cansada después del trabajo",
            "Reunión larga esta mañana",
            "Comida con amigos del trabajo",
            "Atasco de vuelta a casa",
            "Demasiados correos esta semana",
            "Té y a dormir pronto",
            "Cena de pizza con amigos",
        ),
        (
            "y el fin de semana no llega nunca.",
            "así que a la cama pronto.",
            "pero ya en casa con un té.",
            "y el autobús también iba lleno.",
            "al menos el café del trabajo estaba bueno.",
            "amigos y cena el fin de semana.",
            "mañana otro día largo de trabajo.",
            "necesito dormir más esta semana.",
        ),
    ),
    "fr": (
        (
            "Café d'abord ce matin",
            "Le train était encore en retard",
            "Pluie toute la journée",
            "Tellement fatiguée après le travail",
            "Longue réunion ce matin",
            "Déjeuner avec des amis du travail",
            "Bouchons en rentrant à la maison",
            "Trop de mails cette semaine",
            "Thé et au lit tôt",
            "Soirée pizza entre amis",
        ),
        (
            "et vivement le week-end.",
            "donc au lit tôt.",
            "mais à la maison avec un thé.",
            "et le bus était plein aussi.",
            "au moins le café au travail était bon.",
            "amis et dîner ce week-end.",
            "encore une longue journée de travail demain.",
            "besoin de dormir plus cette semaine.",
        ),
    ),
    "da": (
        (
            "Kaffe først i morges",
            "Toget var forsinket igen",
            "Regn hele dagen",
            "Så træt efter arbejde",
            "Langt møde i morges",
            "Frokost med venner fra arbejdet",
            "Kø på vej hjem",
            "Alt for mange mails i denne uge",
            "Te og tidligt i seng",
            "Pizzaaften med venner",
        ),
        (
            "og weekenden kan ikke komme hurtigt nok.",
            "så tidligt i seng.",
            "men hjemme nu med en kop te.",
            "og bussen var også fuld.",
            "kaffen på arbejdet var i det mindste god.",
            "venner og aftensmad i weekenden.",
            "endnu en lang arbejdsdag i morgen.",
            "har brug for mere søvn i denne uge.",
        ),
    ),
}
# News everyone goes on about for a few days: (event word, a sentence about it).
EVENTS = {
    "en": ("eclipse", "heatwave", "blackout", "hailstorm", "Eurovision", "snowstorm", "earthquake", "flooding"),
    "de": (
        "Sonnenfinsternis",
        "Hitzewelle",
        "Stromausfall",
        "Hagelsturm",
        "Eurovision",
        "Schneesturm",
        "Erdbeben",
        "Hochwasser",
    ),
    "es": ("eclipse", "ola de calor", "apagón", "granizada", "Eurovisión", "nevada", "terremoto", "inundaciones"),
    "fr": ("éclipse", "canicule", "panne", "grêle", "Eurovision", "tempête de neige", "séisme", "inondations"),
    "da": (
        "solformørkelsen",
        "hedebølgen",
        "strømafbrydelsen",
        "haglstormen",
        "Eurovision",
        "snestormen",
        "jordskælvet",
        "oversvømmelsen",
    ),
}
EVENT_TEMPLATES = {
    "en": (
        "Still talking about the {e}. What a {e}!",
        "The {e} again, everyone at work on about the {e}.",
        "Photos of the {e} everywhere today.",
    ),
    "de": ("Immer noch {e}. Was für ein {e}!", "Wieder {e}, alle reden nur vom {e}.", "Überall Fotos vom {e}."),
    "es": (
        "Todavía hablando del {e}. ¡Menudo {e}!",
        "Otra vez el {e}, todos en el trabajo con el {e}.",
        "Fotos del {e} por todas partes hoy.",
    ),
    "fr": (
        "On parle encore de {e}. Quelle {e} !",
        "Encore {e}, tout le monde au travail parle de {e}.",
        "Des photos de {e} partout aujourd'hui.",
    ),
    "da": (
        "Vi taler stadig om {e}. Sikke {e}!",
        "Igen {e}, alle på arbejdet taler om {e}.",
        "Billeder af {e} overalt i dag.",
    ),
}
STRIKING = {
    "en": "{w}! Never thought I would see {w} here. {w}, really.",
    "de": "{w}! Nie gedacht, hier {w} zu sehen. {w}, wirklich.",
    "es": "¡{w}! Nunca pensé ver {w} aquí. {w}, en serio.",
    "fr": "{w} ! Jamais pensé voir {w} ici. {w}, vraiment.",
    "da": "{w}! Troede aldrig, jeg ville se {w} her. {w}, virkelig.",
}
THANKS = {
    "en": "Thanks to {names} for the help this week!",
    "de": "Danke an {names} für die Hilfe!",
    "es": "¡Gracias a {names} por la ayuda!",
    "fr": "Merci à {names} pour l'aide !",
    "da": "Tak til {names} for hjælpen!",
}
AND = {"en": "and", "de": "und", "es": "y", "fr": "et", "da": "og"}


@dataclass(frozen=True)
class Person:
    slug: str
    langs: tuple[str, ...]  # first is the main one
    hobby: str
    dialect: int
    details: dict[str, tuple[str, ...]]  # language -> the person's own recurring words
    events: tuple[int, ...]  # which of the crowd's news events (indices into EVENTS) the person goes on about
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


def community(seed: int) -> list[str]:
    """The shared community people thank: first names and usernames, the same few for everyone."""
    from faker import Faker

    fake = Faker(["en_US", "de_DE", "es_ES", "fr_FR", "da_DK"])
    fake.seed_instance(seed)
    return [fake.first_name() for _ in range(10)] + [fake.user_name().replace("_", "") for _ in range(6)]


def people(seed: int = 11) -> list[Person]:
    rng = random.Random(seed)
    detail_pool, _ = _pools(random.Random(seed))
    crowd: list[Person] = []
    hobbies = sorted(HOBBIES)
    for k in range(60):  # 60 look-alike pairs: pairs k and k + 30 share pastime, words and languages
        g = k % 30
        hobby = hobbies[g % len(hobbies)]
        main = LANGS[g % len(LANGS)]
        second = LANGS[(g + 2) % len(LANGS)]
        langs = (main, second) if g % 3 == 0 else (main,)
        dialect = (g // len(hobbies)) % 2
        short = g % 2 == 0
        shared = {lang: rng.sample(detail_pool[lang][:_DETAIL_POOL], 2) for lang in langs}
        for twin in range(2):
            # Twins share two details and differ in two; each detail word is shared by several people.
            details = {
                lang: tuple(
                    shared[lang] + rng.sample([w for w in detail_pool[lang][:_DETAIL_POOL] if w not in shared[lang]], 2)
                )
                for lang in langs
            }
            n = rng.randint(5, 20) if short else rng.randint(80, 300)
            events = () if short else tuple(range(_NEWS))
            crowd.append(
                Person(
                    f"{k:02d}{'ab'[twin]}-{hobby}-{'-'.join(langs)}",
                    langs,
                    hobby,
                    dialect,
                    details,
                    events,
                    n,
                    thanks=(k + twin) % 3 == 1,
                )
            )
    return crowd


def posts(person: Person, striking: dict[str, list[str]], names: list[str], seed: int) -> list[dict[str, str]]:
    rng = random.Random(seed)
    start = datetime(2023, 1, 1, tzinfo=UTC)
    short = person.n_posts <= 20
    thanked = rng.sample(names, 5)  # the person's usual helpers, from the shared community
    # News bursts: each event fills a few neighbouring posts, at the same moment of the span for everyone.
    burst: dict[int, int] = {}
    size = 2 if short else max(4, person.n_posts // 15)
    for event in person.events:
        at = max(0, min(person.n_posts - size, int((event + 0.5) / _NEWS * person.n_posts) - size // 2))
        burst.update({i: event for i in range(at, min(person.n_posts, at + size)) if i not in burst})
    # A short profile speaks of its pastime in two or three posts only, the rest is chatter.
    free = [i for i in range(person.n_posts) if i not in burst]
    pastime = set(rng.sample(free, min(len(free), 2 if person.n_posts < 12 else 3))) if short else set()
    out: list[dict[str, str]] = []
    for i in range(person.n_posts):
        lang = person.langs[0] if len(person.langs) == 1 or rng.random() < 0.6 else person.langs[1]
        roll = rng.random()
        hobby_share = 0.0 if short else 0.2
        if i in burst:
            text = rng.choice(EVENT_TEMPLATES[lang]).format(e=EVENTS[lang][burst[i]])
        elif i in pastime or roll < hobby_share:
            words = HOBBIES[person.hobby][lang][person.dialect]
            a, b = rng.sample(words, 2)
            c, d = rng.sample(person.details[lang], 2)
            # In a short profile, two of its own details in each of its few pastime posts.
            text = rng.choice(TEMPLATES[lang]).format(a=a, b=d if short else b, c=c)
        elif roll < hobby_share + 0.05:
            text = STRIKING[lang].format(w=rng.choice(striking[lang]))  # three uses, one post, shared pool
        elif roll < hobby_share + 0.12 and person.thanks:
            some = rng.sample(thanked, rng.randint(3, 4))
            text = THANKS[lang].format(names=", ".join(some[:-1]) + f" {AND[lang]} " + some[-1])
        else:
            opening, closing = CHATTER[lang]
            first, then = rng.sample(closing, 2)
            text = f"{rng.choice(opening)}, {first[:-1]}, {then}"
        text = text[0].upper() + text[1:]
        when = start + timedelta(days=i * 900 / person.n_posts + rng.random(), hours=rng.randint(7, 22))
        out.append({"text": text, "created_at": when.isoformat(), "lang": lang})
    if person.thanks and not any(THANKS[p["lang"]][:5] in p["text"] for p in out):  # short ones thank once too
        out[0]["text"] = THANKS[person.langs[0]].format(
            names=f"{thanked[0]}, {thanked[1]} {AND[person.langs[0]]} {thanked[2]}"
        )
        out[0]["lang"] = person.langs[0]
    return out


def main() -> int:
    OUT.mkdir(exist_ok=True)
    for old in OUT.glob("*.jsonl"):
        old.unlink()
    _, striking = _pools(random.Random(11))
    names = community(11)
    for n, person in enumerate(people()):
        lines = [json.dumps(p, ensure_ascii=False) for p in posts(person, striking, names, seed=n)]
        (OUT / f"{person.slug}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
