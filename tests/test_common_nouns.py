"""A word of another language the lexicon's translations do not know: its common noun, by its lemma."""

from __future__ import annotations

import tomllib

from test_compose import SHIPPED

from installation.compose.motifs import SHIPPED_NOUNS, Lexicon, load_lexicon
from installation.compose.policy import LANGUAGES

RUSSIAN = Lexicon({}, {}, 4.0, {"кофе": "coffee"}, {"ru": {"бинокль": "binoculars", "кофе": "tea"}})


def test_an_inflected_word_is_read_as_its_lemma_in_the_portraits_language() -> None:
    motif = RUSSIAN.motif("бинокля", translate_first=True, langs=("ru",))  # genitive of "binoculars"
    assert motif.text == "binoculars" and motif.english == "binoculars"
    assert "'binoculars'" in motif.source and "concreteness" in motif.source


def test_only_the_portraits_languages_are_read_and_the_translations_come_first() -> None:
    assert RUSSIAN.motif("бинокля", translate_first=True, langs=("de",)).text == ""
    assert RUSSIAN.motif("бинокля", translate_first=True).text == ""
    assert RUSSIAN.motif("кофе", translate_first=True, langs=("ru",)).english == "coffee"


def test_the_shipped_nouns_cover_every_other_describe_language_and_paint_what_they_say() -> None:
    tables = tomllib.loads(SHIPPED_NOUNS.read_text(encoding="utf-8"))
    assert set(tables) == set(LANGUAGES) - {"en"}
    lexicon = load_lexicon(SHIPPED)
    for lang, table in tables.items():
        assert len(table) >= 200, lang
        for key, english in table.items():
            assert key == key.strip().casefold(), (lang, key)
            # every entry reaches a picture: the lexicon's motif for the noun, or the noun rated concrete
            assert lexicon.motif(english).text, (lang, key, english)
    # through the scene's own lookup: written inflected, in a portrait of that language
    for word, lang, english in (
        ("бинокля", "ru", "binoculars"),
        ("paraplyen", "da", "umbrella"),
        ("Ferngläser", "de", "binoculars"),
        ("chaquetas", "es", "jacket"),
        ("phares", "fr", "lighthouse"),
        ("ombrelli", "it", "umbrella"),
        ("vuurtorens", "nl", "lighthouse"),
        ("guarda-chuvas", "pt", "umbrella"),
    ):
        assert lexicon.motif(word, translate_first=True, langs=(lang,)).english == english, (word, lang)


def test_the_card_names_a_painted_noun_in_its_own_language() -> None:
    from installation.kiosk.visitor import card_keywords

    portrait = {"keywords": [{"phrase": "Ferngläser"}]}
    prompt = {"motifs": [("Ferngläser", "binoculars")]}
    assert card_keywords(portrait, prompt, "de")[0]["painted"] == "Fernglas"
    assert card_keywords(portrait, prompt, "en")[0]["painted"] == "binoculars"
