"""Keywords: real lemmas, stop-word lists and the multilingual USE encoder (all offline), small invented profiles."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from extractors import Post, Profile
from extractors.describe import describe, languages
from extractors.describe.portrait import VerbalPortrait
from extractors.settings import DescribeConfig

CYCLIST = [
    "Climbed Alpe d'Huez this morning with Sarah Jones, all 21 hairpins. https://strava.com/activities/123",
    "New carbon wheels on the road bike, it flies on the descents.",
    "Power meter says 250 watts for an hour, threshold test done. @coach_mike was right.",
    "Col du Galibier in the snow, the road was closed near the summit.",
    "Cleaned the chain and the cassette, the bike is ready for the gran fondo.",
    "Headwind on the Col de la Madeleine, brutal climb but a great descent.",
    "Energy gels and rice cakes for the long mountain stages in the Alps.",
    "Bella, my dog, waited at the top of the climb with Tom. Best support crew.",
    "Carbon wheels and a tubeless setup, no more punctures on the gravel roads.",
    "Threshold intervals on the turbo trainer while it rains outside.",
    "The gran fondo in the Alps starts at 6am, 170 km and 4000 metres of climbing.",
    "Descent from the Galibier at 80 km/h, careful in the hairpins.",
    "Bought new cycling shoes and cleats, my knees are grateful.",
    "Mountain stages of the Tour de France on TV, planning my next climb.",
    "Chain wax instead of chain lube, the drivetrain stays clean.",
    "Recovery ride along the lake, easy spin with a coffee stop.",
    "Saddle height fixed after the bike fit, no more knee pain on the climbs.",
    "Rain jacket, arm warmers and gloves for the descent of the Madeleine.",
    "Tubeless sealant everywhere after a puncture on the gravel road.",
    "The turbo trainer and a threshold session before work.",
]
BAKER = [
    "Fed the sourdough starter before work, it doubled overnight.",
    "Rye loaf with caraway seeds came out dense but tasty.",
    "Shaping baguettes is still my nemesis, the scoring keeps tearing.",
    "The farmers market sold out of my focaccia by ten, thanks Emma!",
    "Dutch oven at 250 degrees, steam for the first twenty minutes of the bake.",
    "Spelt flour and wholemeal flour in today's loaf, lovely open crumb.",
    "The banneton finally has a good flour crust, no more sticking dough.",
    "Cinnamon buns for the neighbours on Sunday morning.",
    "Sourdough discard crackers with rosemary and sea salt.",
    "The starter smells of apples today, the rye flour keeps it lively.",
    "Baguettes again: better scoring, a crisp crust and an airy crumb.",
    "Focaccia with olives and rosemary for the market stall.",
    "Bulk fermentation took seven hours in the cold kitchen.",
    "Caraway rye loaf number four, finally a proper crumb.",
    "New lame for scoring the loaves, the ears are back.",
    "Stretch and folds every half hour, the dough is silky.",
    "The Dutch oven cracked, bread baking on a pizza stone instead.",
    "Cinnamon buns with cardamom, the whole street smelled of them.",
]
GERMAN = [
    "Heute mit Anna auf die Zugspitze gewandert, oben Nebel und Schnee.",
    "Hüttenwanderung im Karwendel, drei Tage und zwei Hütten.",
    "Kaiserschmarrn auf der Alm nach dem langen Aufstieg.",
    "Die Wanderschuhe sind nach fünf Jahren endlich durch, neue Wanderschuhe gekauft.",
    "Sonnenaufgang am Herzogstand, der Walchensee glitzert.",
    "Klettersteig am Watzmann mit Lukas Berger, die Aussicht war großartig.",
    "Gewitter am Nachmittag, schnell zurück ins Tal.",
    "Wanderkarte, Proviant und Regenjacke im Rucksack.",
    "Die Zugspitze im Winter, Schneeschuhe und Lawinenkunde.",
    "Hütte im Karwendel mit Kaiserschmarrn und Blick auf die Berge.",
    "Der Rucksack ist zu schwer, weniger Proviant nächstes Mal.",
    "Nebel am Herzogstand, aber der Sonnenaufgang kam doch.",
]
SPANISH = [
    "Fotografía nocturna en el puente de Triana con María, larga exposición.",
    "Revelando carretes en blanco y negro en el cuarto oscuro.",
    "La Semana Santa en Sevilla, procesiones y cirios.",
    "Nueva lente de cincuenta milímetros para retratos.",
    "Exposición de mis fotografías en la galería del barrio.",
    "Luz dorada en la Plaza de España al atardecer.",
    "Película Kodak caducada, colores extraños y preciosos.",
    "Taller de fotografía analógica con estudiantes del barrio.",
    "Los carretes de la procesión ya están en el cuarto oscuro.",
    "Retratos con la lente nueva en la galería.",
    "Atardecer en el puente de Triana, la luz dorada sobre el río.",
    "Película en blanco y negro para la exposición de Sevilla.",
]
DANISH = [
    "Strikker en sweater i islandsk uld med mønster om halsen.",
    "Garnbutikken i Aarhus havde udsalg på alpakagarn, sammen med Mette.",
    "Strømper på strømpepinde, hælen er altid svær.",
    "Strikkecafé på biblioteket hver torsdag aften.",
    "Farvede garn med løgskaller og birkeblade i gryden.",
    "Færdig med babytæppe til min nevø, perlestrik.",
    "Opskrift på en cardigan med raglanærmer.",
    "Nøgler af merino og mohair i kurven.",
    "Sweateren i islandsk uld er færdig, mønsteret blev flot.",
    "Strikkecafé igen, alle strikkede strømper.",
    "Alpakagarn og merino til en ny cardigan.",
    "Løgskaller giver garnet en gylden farve.",
]
NAMES = {"sarah", "jones", "bella", "tom", "emma", "anna", "lukas", "berger", "maría", "maria", "mette", "mike"}
URL_PARTS = {"http", "https", "www", "com", "strava", "activities"}
CONFIG = DescribeConfig(max_embedded_posts=32, max_candidates=100)  # the real path, a little lighter


def make_profile(texts: list[str], lang: str, hour: int = 12) -> Profile:
    start = datetime(2025, 1, 1, hour, tzinfo=UTC)
    posts = tuple(
        Post(text=t, created_at=start + timedelta(days=3 * i), lang=lang, kind="post", platform="plain")
        for i, t in enumerate(texts)
    )
    return Profile(platform="plain", posts=posts, post_count=len(posts))


@pytest.fixture(scope="module")
def portraits() -> dict[str, tuple[Profile, VerbalPortrait]]:
    out = {}
    for name, texts, lang in [
        ("cyclist", CYCLIST, "en"), ("baker", BAKER, "en"),
        ("german", GERMAN, "de"), ("spanish", SPANISH, "es"), ("danish", DANISH, "da"),
    ]:
        profile = make_profile(texts, lang)
        out[name] = (profile, describe(profile, CONFIG))
    return out


def _bad_word(word: str, stop_words: set[str]) -> str | None:
    low = word.lower()
    if low in stop_words:
        return "stop word"
    if re.search(r"\d", word):
        return "number"
    if low in URL_PARTS or "/" in word or "." in word:
        return "URL part"
    if "@" in word or "_" in word:
        return "handle"
    if low in NAMES:
        return "private name"
    return None


@pytest.mark.parametrize("name", ["cyclist", "baker", "german", "spanish", "danish"])
def test_eight_to_fifteen_clean_keywords(portraits: dict[str, tuple[Profile, VerbalPortrait]], name: str) -> None:
    _, portrait = portraits[name]

    stop_words = set(languages.stop_words(portrait.language.main))
    assert 8 <= len(portrait.keywords) <= 15, [k.phrase for k in portrait.keywords]
    for kw in portrait.keywords:
        for word in kw.phrase.split():
            assert _bad_word(word, stop_words) is None, (kw.phrase, _bad_word(word, stop_words))
        assert 0 <= kw.score <= 1


@pytest.mark.parametrize("name", ["cyclist", "baker"])
def test_post_indices_point_to_posts_using_the_phrase(
    portraits: dict[str, tuple[Profile, VerbalPortrait]], name: str
) -> None:
    profile, portrait = portraits[name]
    for kw in portrait.keywords:
        assert kw.post_indices and len(kw.evidence) >= 1
        for i in kw.post_indices:
            words = languages.WORD.findall(profile.posts[i].text)
            lemmas = {languages.lemma(w, "en") for w in words}
            used = all(languages.lemma(w, "en") in lemmas for w in kw.phrase.split())
            assert used, (kw.phrase, profile.posts[i].text)
        first = kw.evidence[0].strip("…")
        assert first in profile.posts[kw.post_indices[0]].text


def test_different_lives_get_different_keywords(portraits: dict[str, tuple[Profile, VerbalPortrait]]) -> None:
    cyclist = {k.phrase for k in portraits["cyclist"][1].keywords}
    baker = {k.phrase for k in portraits["baker"][1].keywords}
    assert not cyclist & baker
    assert {"sourdough", "focaccia", "baguettes", "crumb", "caraway"} & {p.lower() for p in baker}
    assert {"descent", "hairpins", "carbon wheels", "gran fondo", "threshold"} & {p.lower() for p in cyclist}


def test_keywords_are_not_spellings_of_one_idea(portraits: dict[str, tuple[Profile, VerbalPortrait]]) -> None:
    for _, portrait in portraits.values():
        words = [set(k.phrase.lower().split()) for k in portrait.keywords]
        for i, a in enumerate(words):
            for b in words[i + 1 :]:
                assert not a & b, portrait.keywords


@pytest.mark.parametrize(("name", "lang"), [("german", "de"), ("spanish", "es"), ("danish", "da")])
def test_other_languages_say_how_they_were_read(
    portraits: dict[str, tuple[Profile, VerbalPortrait]], name: str, lang: str
) -> None:
    _, portrait = portraits[name]
    assert portrait.language.main == lang
    assert portrait.language.share == 1.0
    assert portrait.language.analyser == f"simplemma+stopwords: {lang} 100%"
    assert portrait.language.note is None  # every post was read


def test_german_keywords_are_nouns(portraits: dict[str, tuple[Profile, VerbalPortrait]]) -> None:
    _, portrait = portraits["german"]
    assert all(k.phrase[0].isupper() for k in portrait.keywords)
    assert {"Zugspitze", "Karwendel", "Kaiserschmarrn", "Wanderschuhe", "Herzogstand"} & {
        k.phrase for k in portrait.keywords
    }


def test_recent_posts_weigh_more() -> None:
    # The same life, but the newest posts are about baking: with a short half-life baking leads.
    texts = CYCLIST + BAKER
    profile = make_profile(texts, "en")
    recent = describe(profile, CONFIG.model_copy(update={"half_life_days": 10.0}))
    baking = {"sourdough", "focaccia", "baguettes", "crumb", "caraway rye", "rye loaf", "cinnamon buns", "rye flour",
              "starter", "scoring", "dutch oven", "flour"}
    assert {k.phrase.lower() for k in recent.keywords[:5]} & baking
