"""The wall policy: what may be shown in public, in every language the describe stage handles."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from composing import compose
from test_compose import SHIPPED, make_portrait

from extractors.describe.portrait import Keyword, LanguageInfo
from installation.compose.policy import LANGUAGES, load_policy
from installation.config import Config
from installation.errors import ConfigError

ROOT = Path(__file__).resolve().parent.parent

# Real-looking words per category and language, written for this test (inflected, compounded,
# capitalised as people post them), not copied from the policy file.
CAUGHT: dict[str, dict[str, list[str]]] = {
    "politics": {
        "en": ["Tories", "Reform UK rally", "Brexit"], "de": ["AFDler", "CDU-Parteitag", "Wahlkampfstand"],
        "es": ["PSOE", "Vox"], "fr": ["Rassemblement national", "macronistes"], "it": ["Fratelli d'Italia", "M5S"],
        "pt": ["bolsonaristas", "petistas"], "nl": ["PVV", "GroenLinks"], "ru": ["Путина", "КПРФ"],
        "da": ["Dansk Folkeparti", "Enhedslisten"],
    },
    "extremism": {
        "en": ["neonazis", "great replacement"], "de": ["Hitlerjugend", "Meinungsdelikte", "Ökonazi"],
        "es": ["falangistas", "fascismo"], "fr": ["grand remplacement", "négationnistes"],
        "it": ["squadristi", "fascisti"], "pt": ["integralistas", "terrorismo"], "nl": ["omvolking", "fascisten"],
        "ru": ["нацисты", "фашизма"], "da": ["folkemordet", "terroristen"],
    },
    "slurs": {
        "en": ["retards", "trannies"], "de": ["Kanaken", "Schwuchteln"], "es": ["sudacas", "maricones"],
        "fr": ["bougnoules", "pédés"], "it": ["froci", "zingari"], "pt": ["viados", "retardados"],
        "nl": ["flikkers", "spleetogen"], "ru": ["жиды", "пидоры"], "da": ["perkere", "spassere"],
    },
    "sexual": {
        "en": ["nudes", "pornography"], "de": ["Nacktfotos", "Bordelle"], "es": ["desnudos", "sexo"],
        "fr": ["sexuelles", "salopes"], "it": ["sessuali", "puttane"], "pt": ["sexuais", "prostituição"],
        "nl": ["naaktfoto", "seksuele"], "ru": ["порнография", "проститутки"], "da": ["nøgne", "seksuelle"],
    },
    "violence": {
        "en": ["murdered", "beheading"], "de": ["ermordet", "Vergewaltigung"], "es": ["asesinato", "masacres"],
        "fr": ["meurtrier", "attentats"], "it": ["uccisi", "stupro"], "pt": ["assassinato", "tiroteios"],
        "nl": ["vermoord", "zelfmoord"], "ru": ["убийство", "изнасилование"], "da": ["voldtægten", "selvmordet"],
    },
    "drugs": {
        "en": ["cocaine", "crackheads"], "de": ["Kokainhandel", "Crackpfeife"], "es": ["cocaína", "narcotraficantes"],
        "fr": ["cocaïne", "fentanyl"], "it": ["spacciatori", "cocaina"], "pt": ["cocaína", "maconheiros"],
        "nl": ["heroïne", "drugsdealers"], "ru": ["кокаина", "героином"], "da": ["narkohandlen", "kokainen"],
    },
}
OPTIONAL: dict[str, dict[str, list[str]]] = {
    "health": {
        "en": ["chemotherapy", "depression"], "de": ["Chemotherapie", "Schwangerschaft"], "es": ["embarazada"],
        "fr": ["grossesse"], "it": ["gravidanza"], "pt": ["gravidez"], "nl": ["zwangerschap"], "ru": ["беременность"],
        "da": ["graviditet"],
    },
    "religion": {
        "en": ["mosques", "prayer"], "de": ["Kirchenchor", "Moscheen"], "es": ["iglesias"], "fr": ["églises"],
        "it": ["preghiere"], "pt": ["igrejas"], "nl": ["moskeeën"], "ru": ["церковь"], "da": ["kirkegang"],
    },
}


def test_the_tables_cover_every_language() -> None:
    assert all(set(by_lang) == set(LANGUAGES) for by_lang in (*CAUGHT.values(), *OPTIONAL.values()))


@pytest.mark.parametrize("category", sorted(CAUGHT))
@pytest.mark.parametrize("lang", LANGUAGES)
def test_each_category_is_caught_in_each_language(category: str, lang: str) -> None:
    policy = load_policy(SHIPPED)
    for word in CAUGHT[category][lang]:
        found = policy.check(f"Heute: {word}!", lang)
        assert found is not None and found.name == category, (word, found)


@pytest.mark.parametrize("category", sorted(OPTIONAL))
@pytest.mark.parametrize("lang", LANGUAGES)
def test_health_and_religion_apply_only_when_the_curator_turns_them_on(category: str, lang: str) -> None:
    off = load_policy(SHIPPED)
    on = load_policy(_with_policy(include=(category,)))
    for word in OPTIONAL[category][lang]:
        assert off.check(word, lang) is None, word
        found = on.check(word, lang)
        assert found is not None and found.name == category, word


def test_the_real_failures_stay_off_the_wall() -> None:
    """The words that passed `nazi*` on real exports, and the captions they made."""
    german = make_portrait(["Unveröffentlichte", "Meinungsdelikte", "AFDler", "Hitlerjugend", "Wanderung"])
    german = _language(german, "de")
    prompt = compose(german, "oil-portrait", SHIPPED)
    reasons = dict(prompt.keywords_dropped)
    assert reasons["Meinungsdelikte"] == reasons["Hitlerjugend"] == "policy: extremism"
    assert reasons["AFDler"] == "policy: politics"
    for word in ("Meinungsdelikte", "AFDler", "Hitlerjugend"):
        assert word not in prompt.keywords_used and word.casefold() not in prompt.positive.casefold()
    assert prompt.withheld == 3
    assert prompt.hold_reason == "most of its words are extremist or hateful: held for a curator"

    indian = make_portrait(["Delhi", "BJP", "uttar pradesh"], themes=("BJP",))
    prompt = compose(indian, "oil-portrait", SHIPPED)
    assert "BJP" not in prompt.keywords_used and "bjp" not in prompt.positive.casefold()
    assert dict(prompt.keywords_dropped)["BJP"] == "policy: politics"
    assert prompt.withheld == 2  # the keyword and the theme
    assert prompt.hold_reason == "many of its words are political (party names and politicians): held for a curator"


def test_a_portrait_with_few_policy_words_is_not_held() -> None:
    portrait = make_portrait(["sourdough", "bicycle", "harbour", "lighthouse", "telescope", "Brexit"])
    prompt = compose(portrait, "crayon", SHIPPED)
    assert prompt.withheld == 1 and prompt.hold_reason is None
    assert dict(prompt.keywords_dropped)["Brexit"] == "policy: politics"


def test_everyday_look_alikes_pass() -> None:
    policy = load_policy(SHIPPED)
    for text, lang in [("cold retard overnight", "en"), ("blood moon tonight", "en"), ("shooting stars", "en"),
                       ("trumpet lessons", "en"), ("RSS feed", "en"), ("Nacktschnecken im Beet", "de"),
                       ("seks timer i båden", "da"), ("afdeling", "nl"), ("sextant", "en"),
                       ("Ashkenazi rye bread", "en"), ("Andromeda with the naked eye", "en"),
                       ("Fasching", "de"), ("Waffeln", "de")]:
        assert policy.check(text, lang) is None, text
    assert policy.check("naked selfie", "en") is not None  # the phrase is allowed, the word alone is not
    assert policy.check("seks", "nl") is not None  # Dutch "seks" is sex; Danish "seks" is six


def test_no_false_blocks_on_everyday_posts() -> None:
    """Every post of the benchmark's everyday profiles (nine languages) passes the policy."""
    policy = load_policy(SHIPPED)
    posts = [json.loads(line) for path in sorted((ROOT / "bench" / "profiles").glob("*.jsonl"))
             for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(posts) > 500
    blocked = [(p["text"], found.name) for p in posts if (found := policy.check(p["text"], p.get("lang") or "und"))]
    assert blocked == []


def test_curators_add_terms_and_categories() -> None:
    config = _with_policy(add={"politics": ("Bürgermeister Huber",)},
                          categories={"gambling": {"label": "about gambling", "terms": ("casino*", "poker")}})
    policy = load_policy(config)
    assert policy.check("bürgermeister  huber", "de") is not None
    found = policy.check("Casinonacht", "de")
    assert found is not None and found.label == "about gambling"
    prompt = compose(make_portrait(["poker", "lighthouse"]), "crayon", config)
    assert dict(prompt.keywords_dropped)["poker"] == "policy: gambling"
    assert load_policy(_with_policy(exclude=("drugs",))).check("cocaine", "en") is None


def test_an_unknown_category_is_named() -> None:
    with pytest.raises(ConfigError, match=r"compose.policy.include: no category named 'helth'"):
        load_policy(_with_policy(include=("helth",)))


def _with_policy(**changes: object) -> Config:
    policy = SHIPPED.compose.policy.model_validate({**SHIPPED.compose.policy.model_dump(), **changes})
    return SHIPPED.model_copy(update={"compose": SHIPPED.compose.model_copy(update={"policy": policy})})


def _language(portrait, lang: str):  # type: ignore[no-untyped-def]
    from dataclasses import replace

    keywords = tuple(Keyword(k.phrase, k.score, k.post_indices) for k in portrait.keywords)
    return replace(portrait, keywords=keywords, language=LanguageInfo(lang, 1.0, f"blank:{lang}"))
