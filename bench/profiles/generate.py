"""Invented lives for the fidelity and speed benchmarks: ``python bench/profiles/generate.py`` writes one
plain-reader .jsonl per person here (text, created_at, lang).

The people come in pairs that share a pastime (two bakers, two cyclists, two gardeners, ...) and write
the same posts about it (``GENRES``), and every one of them writes the same everyday posts (weather,
work, tired, coffee), so a portrait must find what is particular to a life, not its genre. Each English
person lives two lives (``lives``): the same pastime in two cities, as people with one hobby do.
``posts(person, n, seed)`` makes any number of posts for the speed benchmark.
"""

from __future__ import annotations

import json
import random
import sys
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

HERE = Path(__file__).parent


@dataclass(frozen=True)
class Person:
    slug: str
    genre: str  # key of GENRES: posts this person shares with their twin
    lang: str
    hours: tuple[int, ...]  # hours of the day they tend to post at (UTC)
    lines: tuple[str, ...]  # what their life is about
    tags: tuple[str, ...]


EVERYDAY = {
    "en": (
        "Monday again. Coffee first, everything else later.",
        "Rain all day, perfect excuse to stay in.",
        "So tired this week, early night for me.",
        "Long day at work but a good one.",
        "Anyone else think this week lasted a month?",
        "Sunny afternoon, finally some warmth.",
        "Happy birthday to my favourite person!",
        "Back from a short holiday, inbox is a disaster.",
        "Thanks so much, that made my day!",
        "Haha so true.",
        "Congratulations, well deserved!",
        "Can't wait for the weekend.",
        "Watching a film with a cup of tea tonight.",
        "The train was late again this morning.",
        "Great to see everyone at the pub last night.",
        "New week, new plans, same old me.",
        "Finally cleaned the flat, feels like a new home.",
        "Does anyone have a good podcast recommendation?",
        "Pizza night with friends, the best kind of night.",
        "Quiet Sunday, reading and a long walk.",
    ),
    "de": (
        "Montag. Erst Kaffee, dann alles andere.",
        "Den ganzen Tag Regen, ich bleibe drinnen.",
        "Sehr müde diese Woche, heute früh ins Bett.",
        "Langer Arbeitstag, aber ein guter.",
        "Danke, das hat meinen Tag gerettet!",
        "Endlich Wochenende, endlich Ruhe.",
        "Der Zug hatte heute wieder Verspätung.",
        "Pizzaabend mit Freunden, der beste Abend.",
    ),
    "es": (
        "Lunes otra vez. Primero café, luego lo demás.",
        "Llueve todo el día, me quedo en casa.",
        "Muy cansada esta semana, hoy me acuesto pronto.",
        "Día largo en el trabajo, pero bueno.",
        "¡Gracias, me has alegrado el día!",
        "Por fin fin de semana.",
        "El tren llegó tarde otra vez esta mañana.",
        "Noche de pizza con amigos, la mejor noche.",
    ),
    "da": (
        "Mandag igen. Først kaffe, så alt det andet.",
        "Regn hele dagen, jeg bliver inde.",
        "Meget træt i denne uge, tidligt i seng i aften.",
        "Lang dag på arbejdet, men en god en.",
        "Tak, det reddede min dag!",
        "Endelig weekend.",
        "Toget var forsinket igen i morges.",
        "Pizzaaften med venner, den bedste slags aften.",
    ),
}

GENRES = {
    "baking": (
        "Flour everywhere, the kitchen smells amazing.",
        "Oven is on, baking all afternoon.",
        "Butter, sugar and patience: weekend baking.",
        "Testing a new recipe, fingers crossed.",
    ),
    "cycling": (
        "Pumped the tyres and oiled the chain, ready to ride.",
        "Saddle sore but happy after a long ride.",
        "Cycling in the rain again, mudguards saved me.",
        "New helmet, safety first on the bike.",
    ),
    "garden": (
        "Muddy boots, muddy hands, happy heart: garden day.",
        "Watering everything before the heat.",
        "Spring is here, everything is growing.",
        "Weeding for hours, the borders look tidy.",
    ),
    "night": (
        "Awake at 3am again, the night is so quiet.",
        "Night owl life, coffee at midnight.",
        "Sleeping during the day is an art.",
        "Watching the sunrise after a long night.",
    ),
    "games": (
        "One more game, then bed. Famous last words.",
        "Practice session tonight, trying to improve.",
        "Tournament this weekend, nervous and excited.",
        "Watching replays to learn from my mistakes.",
    ),
    "berge": (
        "Wieder in den Bergen, das ist mein Glück.",
        "Frische Luft und müde Beine am Abend.",
    ),
    "fotos": (
        "Siempre con la cámara en la mochila.",
        "Mil fotos y solo una buena.",
    ),
    "garn": (
        "Strikketøjet er altid med i tasken.",
        "En kop te og strikketøj, den perfekte aften.",
    ),
    "backen": (
        "Mehl überall, die Küche duftet herrlich.",
        "Der Ofen läuft, Backtag bis zum Abend.",
    ),
    "correr": (
        "Zapatillas puestas, a correr antes del trabajo.",
        "Piernas cansadas pero la cabeza tranquila.",
    ),
    "roning": (
        "Tidligt op og ud på vandet igen.",
        "Ømme arme, men glad efter træningen.",
    ),
}

PEOPLE = (
    Person("baker-leeds", "baking", "en", (6, 7, 8), (
        "Fed the sourdough starter before work, it doubled overnight.",
        "Rye loaf with caraway seeds came out dense but tasty.",
        "Shaping baguettes is still my nemesis, the scoring keeps tearing.",
        "Leeds farmers market sold out of my focaccia by ten.",
        "Dutch oven at 250 degrees, steam for the first twenty minutes.",
        "Tried a fifty percent wholemeal loaf with spelt flour, lovely crumb.",
        "The banneton finally has a good flour crust, no more sticking.",
        "Cinnamon buns for the neighbours on Sunday morning.",
    ), ("sourdough", "breadbaking")),
    Person("patissier-lyon", "baking", "en", (14, 15, 16), (
        "Macarons cracked again, the meringue was too stiff.",
        "Tempering dark chocolate on the marble slab, glossy snap at last.",
        "Choux pastry for profiteroles, the craquelin topping makes them perfect.",
        "Lyon praline tart with pink pralines, a local classic.",
        "Laminating croissant dough, three folds, butter must stay cold.",
        "Piping gold leaf onto an opera cake for a wedding order.",
        "Crème pâtissière with real vanilla pods, the good stuff.",
        "Sugar work workshop: pulled sugar roses, burnt fingers.",
    ), ("patisserie", "pastry")),
    Person("cyclist-alps", "cycling", "en", (5, 6, 18), (
        "Climbed Alpe d'Huez this morning, all 21 hairpins.",
        "New carbon wheels, the bike feels like a rocket on the descents.",
        "Power meter says 250 watts for an hour, threshold test done.",
        "Col du Galibier in the snow, the road was still closed at the top.",
        "Chain lube, cleaned the cassette, ready for the gran fondo.",
        "Climbing the Col de la Madeleine with a headwind, brutal.",
        "Strava segment record on the descent, careful on the switchbacks.",
        "Energy gels and rice cakes for the long mountain stages.",
    ), ("cycling", "alps")),
    Person("bike-courier", "cycling", "en", (10, 13, 17), (
        "Forty deliveries across Manchester today, fixed gear all the way.",
        "Cargo bike loaded with parcels, the rain cover saved the day.",
        "Taxi door opened right in the bike lane, close call.",
        "Courier union meeting about the new app pay rates.",
        "Puncture on Oxford Road during the lunch rush, changed it in four minutes.",
        "Messenger bag strap snapped, sewing it back tonight.",
        "Dispatcher sent me across town for a single envelope.",
        "Track stands at every red light, the fixie life.",
    ), ("courier", "fixedgear")),
    Person("gardener-kent", "garden", "en", (7, 9, 16), (
        "Dahlias are blooming in the cutting garden, cafe au lait is huge.",
        "Slugs ate every hosta leaf overnight, war has been declared.",
        "Pruned the climbing roses along the brick wall.",
        "Sweet peas on hazel wigwams, the scent is unreal.",
        "Compost heap turned, steaming in the cold morning.",
        "Planted two hundred tulip bulbs in the borders for spring.",
        "Greenhouse full of chilli seedlings and tomato cuttings.",
        "Lavender hedge trimmed, bees everywhere.",
    ), ("gardening", "dahlias")),
    Person("beekeeper-wales", "garden", "en", (11, 12, 19), (
        "Opened the hives today, the queen is laying well in both colonies.",
        "Heather honey harvest from the Brecon Beacons, dark and thick.",
        "Varroa mite count is low after the oxalic acid treatment.",
        "Caught a swarm hanging from the apple tree in a cardboard box.",
        "Extracting honey in the kitchen, everything is sticky.",
        "Beeswax candles rolled for the village fair.",
        "Smoker, veil, hive tool: the apiary inspection routine.",
        "Feeding sugar syrup before the winter cluster forms.",
    ), ("beekeeping", "honey")),
    Person("astronomer-shetland", "night", "en", (0, 1, 2, 3, 23), (
        "Aurora over Lerwick at 2am, green curtains with red tops.",
        "Jupiter through the telescope, four moons and the great red spot.",
        "Polar alignment of the equatorial mount took an hour in the frost.",
        "Andromeda galaxy in forty stacked exposures.",
        "Perseid meteors from the dark sky site, counted sixty.",
        "Cloudy again, watching the forecast for a clear gap.",
        "New eyepiece for the Dobsonian, the Orion nebula glows.",
        "Noctilucent clouds in the northern twilight at midnight.",
    ), ("astronomy", "aurora")),
    Person("nurse-nightshift", "night", "en", (1, 2, 3, 4), (
        "Twelve hour night shift on the cardiac ward, three admissions.",
        "Handover at 7am, then sleep with blackout curtains.",
        "Patient's family brought the whole ward biscuits, made my night.",
        "Cannula on the first try, small victories.",
        "Staffing levels on the ward are dangerous, again.",
        "Night shift snacks: toast in the staff room at 4am.",
        "Monitoring telemetry alarms all night, heart rhythms everywhere.",
        "Nursing student on her first night, she did brilliantly.",
    ), ("nursing", "nightshift")),
    Person("gamer-speedrun", "games", "en", (20, 21, 22, 23), (
        "New personal best in the Zelda speedrun, 1:32 any percent.",
        "Streaming tonight on Twitch, glitch hunting in Ocarina of Time.",
        "Frame perfect trick finally consistent after two hundred resets.",
        "Mario 64 sixteen star run, the backwards long jump is pain.",
        "Speedrunning community marathon raised money for charity.",
        "Controller stick is drifting, ordered a new one.",
        "Splits are green until the water temple, then chaos.",
        "Routing a new category with wrong warps.",
    ), ("speedrun", "twitch")),
    Person("chess-coach", "games", "en", (17, 18, 19), (
        "Taught the Sicilian Najdorf to the club juniors today.",
        "Blitz tournament: four wins, one loss on time.",
        "Endgame lesson on rook and pawn, the Lucena position.",
        "Rated 2150 after the weekend rapid open.",
        "The Queen's Gambit declined is my student's new favourite.",
        "Analysing the world championship game with the engine.",
        "Simultaneous exhibition against twenty kids at the school.",
        "Opening preparation for the league match, the Caro-Kann.",
    ), ("chess",)),
    Person("wanderer-bayern", "berge", "de", (8, 9, 17), (
        "Auf die Zugspitze gewandert, oben Nebel und Schnee.",
        "Hüttenwanderung im Karwendel, drei Tage, zwei Hütten.",
        "Kaiserschmarrn auf der Alm nach dem Aufstieg.",
        "Die Wanderschuhe sind nach fünf Jahren endlich durch.",
        "Sonnenaufgang am Herzogstand, der Walchensee glitzert.",
        "Bergsteigen mit Klettersteigset am Watzmann.",
        "Gewitter am Nachmittag, schnell ins Tal.",
        "Wanderkarte, Proviant und Regenjacke im Rucksack.",
    ), ("wandern", "berge")),
    Person("fotografa-sevilla", "fotos", "es", (19, 20, 21), (
        "Fotografía nocturna en el puente de Triana, larga exposición.",
        "Revelando carretes en blanco y negro en el cuarto oscuro.",
        "La Semana Santa en Sevilla, procesiones y cirios.",
        "Nueva lente de cincuenta milímetros para retratos.",
        "Exposición de mis fotografías en la galería del barrio.",
        "Luz dorada en la Plaza de España al atardecer.",
        "Película Kodak caducada, colores extraños y preciosos.",
        "Taller de fotografía analógica con estudiantes.",
    ), ("fotografia", "analogico")),
    Person("baeckerin-hamburg", "backen", "de", (5, 6, 14), (
        "Franzbrötchen mit Zimt und Zucker, frisch aus dem Ofen.",
        "Der Sauerteig für das Roggenbrot ruht über Nacht.",
        "Brezeln schlingen will gelernt sein, Lauge nicht vergessen.",
        "Auf dem Wochenmarkt in Altona waren die Laugenbrezeln schnell weg.",
        "Dinkelbrötchen mit Kürbiskernen für das Frühstück.",
        "Butterkuchen vom Blech, wie bei Oma in Hamburg.",
        "Die Backstube ist um vier Uhr morgens schon warm.",
        "Stollen für die Weihnachtszeit, Rosinen in Rum eingelegt.",
    ), ("backen", "sauerteig")),
    Person("corredora-madrid", "correr", "es", (6, 7, 20), (
        "Diez kilómetros por el Retiro antes de que apriete el calor.",
        "Series en la pista de atletismo, cuatrocientos metros a tope.",
        "Dorsal recogido para el maratón de Madrid, qué nervios.",
        "Cuestas en la Casa de Campo, las piernas ardiendo.",
        "Zapatillas nuevas con placa de carbono para la media maratón.",
        "Rodaje suave por Madrid Río con el club de atletismo.",
        "Geles de cafeína y pulsómetro cargado para el domingo.",
        "Marca personal en la San Silvestre Vallecana.",
    ), ("running", "maraton")),
    Person("roer-koebenhavn", "roning", "da", (5, 6, 19), (
        "Roning i Sydhavnen ved solopgang, vandet var helt stille.",
        "Ny rekord på romaskinen i klubbens kælder.",
        "Otteren ud på Bagsværd Sø til regattaen.",
        "Årerne er slebet og lakeret til sæsonen.",
        "Kajakroerne drillede os ved broen igen.",
        "Styrmanden råbte takten, vi ramte to og tredive tag.",
        "Vintertræning med ergometer og vægte i klubhuset.",
        "Kanalrundfart med båden gennem Christianshavn.",
    ), ("roning", "regatta")),
    Person("strikker-aarhus", "garn", "da", (10, 20, 21), (
        "Strikker en sweater i islandsk uld med mønster om halsen.",
        "Garnbutikken i Aarhus havde udsalg på alpakagarn.",
        "Strømper på strømpepinde, hælen er altid svær.",
        "Strikkecafé på biblioteket hver torsdag aften.",
        "Farvede garn med løgskaller og birkeblade i gryden.",
        "Færdig med babytæppe til min nevø, perlestrik.",
        "Opskrift på en cardigan med raglanærmer.",
        "Nøgler af merino og mohair i kurven.",
    ), ("strik", "garn")),
)


CITY_LINES = (
    "Sunset over {city} tonight.",
    "Back in {city} after the weekend.",
    "{city} is beautiful in the rain.",
    "Morning walk through {city} before work.",
    "Nothing beats {city} in spring.",
)
CITIES = (
    "Derby", "York", "Bristol", "Glasgow", "Cardiff", "Norwich", "Oxford", "Brighton", "Edinburgh", "Dundee",
    "Belfast", "Plymouth", "Liverpool", "Sheffield", "Exeter", "Aberdeen", "Cambridge", "Nottingham",
    "Inverness", "Swansea",
)


def posts(
    person: Person, n: int, seed: int = 0, end: datetime | None = None, city: str | None = None
) -> list[dict[str, str]]:
    """``n`` posts in ``person``'s voice, oldest first, ending at ``end``.

    Half are everyday chatter, then the genre's shared posts, their own lines and, with ``city``, posts
    about the place they live in.
    """
    rng = random.Random(f"{person.slug}-{city}-{seed}")
    end = end or datetime(2026, 3, 1, tzinfo=UTC)
    everyday = EVERYDAY[person.lang]
    out = []
    for i in range(n):
        day = end - timedelta(days=(n - i) * 700 / max(n, 1))
        at = day.replace(hour=rng.choice(person.hours), minute=rng.randrange(60))
        roll = rng.random()
        if roll < 0.5:  # most of what people post is everyday chatter
            text = rng.choice(everyday)
        elif roll < 0.6:
            text = rng.choice(GENRES[person.genre])
        elif roll < 0.7 and city is not None:
            text = rng.choice(CITY_LINES).format(city=city)
        elif roll < 0.95:
            text = rng.choice(person.lines)
        else:
            text = " ".join(rng.sample(person.lines, 2))
        if rng.random() < 0.3:
            text += " #" + rng.choice(person.tags)
        out.append({"text": text, "created_at": at.isoformat(), "lang": person.lang})
    return out


def lives() -> list[tuple[str, Person, str | None]]:
    """Two lives per English person, the same pastime in two different cities, so that a portrait naming
    only the pastime cannot tell them apart; one life per person writing in another language."""
    english = [p for p in PEOPLE if p.lang == "en"]
    out: list[tuple[str, Person, str | None]] = []
    for i, person in enumerate(english):
        for city in CITIES[2 * i : 2 * i + 2]:
            out.append((f"{person.slug}-{city.lower()}", person, city))
    out += [(p.slug, p, None) for p in PEOPLE if p.lang != "en"]
    return out


def main() -> int:
    for old in HERE.glob("*.jsonl"):
        old.unlink()
    made = lives()
    for slug, person, city in made:
        lines = (json.dumps(p, ensure_ascii=False) for p in posts(person, 150, city=city))
        (HERE / f"{slug}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {len(made)} profiles to {HERE}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
