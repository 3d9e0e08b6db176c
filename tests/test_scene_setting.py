"""Where the scene is set: from a painted thing in any language, and in a town the posts name."""

from __future__ import annotations

from dataclasses import replace

from composing import compose
from test_compose import SHIPPED, make_portrait

from extractors.describe.portrait import Keyword, LanguageInfo, Theme, VerbalPortrait
from installation.compose.composer import in_town
from installation.compose.explain import explain, lines
from installation.compose.motifs import load_lexicon
from installation.compose.places import find_place, written_as_name
from installation.compose.policy import load_policy
from installation.compose.scene import IN_TOWN, choose_scene

LEXICON = load_lexicon(SHIPPED)
POLICY = load_policy(SHIPPED)
BAKERY = "in a warm bakery kitchen"


def _with_posts(portrait: VerbalPortrait, posts: dict[str, str]) -> VerbalPortrait:
    keywords = tuple(replace(k, evidence=(posts[k.phrase],)) if k.phrase in posts else k for k in portrait.keywords)
    return replace(portrait, keywords=keywords)


def _german(words: list[str]) -> VerbalPortrait:
    return replace(make_portrait(words), language=LanguageInfo("de", 1.0, "simplemma+stopwords: de 100%"))


def _scene(portrait: VerbalPortrait, town_population: int = 0) -> tuple[str, str, str]:
    words = [k.phrase for k in portrait.keywords]
    scene = choose_scene(portrait, words, LEXICON, POLICY, 3, town_population)
    return scene.setting, scene.setting_from, scene.town


def test_a_thing_of_another_language_sets_the_scene_through_what_is_painted_for_it() -> None:
    # No theme places the scene: the German baker's sourdough does (the lexicon paints it, no English noun)
    assert _scene(_german(["Arbeitstag", "Sauerteig"]))[:2] == (BAKERY, "Sauerteig")
    # ... and the chess player's endgame, through its English noun
    assert _scene(_german(["Endspiel", "Heimweg"]))[:2] == ("in a quiet café", "Endspiel")
    # a word that sets nothing leaves the scene unplaced
    assert _scene(_german(["Arbeitstag"]))[:2] == ("", "")


def test_chess_words_of_each_language_are_painted_as_chess() -> None:
    for word, lang in (("Endspiel", "de"), ("slutspillet", "da"), ("eindspel", "nl"), ("Springer", "de")):
        motif = LEXICON.motif(word, translate_first=lang != "en")
        assert "chess" in motif.text, (word, motif)
    assert LEXICON.motif("pawns").text == "a wooden chess pawn"  # the norms rate "pawn" 3.9: abstract


def test_a_town_written_as_a_name_sets_the_scene_there() -> None:
    portrait = _with_posts(
        make_portrait(["sourdough", "Leeds"]),
        {"sourdough": "fed the sourdough starter", "Leeds": "Market day in Leeds again"},
    )
    assert _scene(portrait, 100_000) == (BAKERY, "sourdough", "Leeds")
    scene = choose_scene(portrait, ["sourdough", "Leeds"], LEXICON, POLICY, 3, 100_000)
    assert dict(scene.dropped)["Leeds"] == IN_TOWN  # not also painted as a motif
    # towns off (0), or the town smaller than the curator's floor: no town
    assert _scene(portrait, 0)[2] == "" and _scene(portrait, 10_000_000)[2] == ""


def test_only_a_word_written_as_a_name_inside_a_sentence_is_a_town() -> None:
    assert written_as_name("Reading", ["We met in Reading on Sunday"])
    assert not written_as_name("Reading", ["Reading all evening."])  # a sentence's first word
    assert not written_as_name("Reading", ["Slow day. Reading again"])
    assert not written_as_name("reading", ["lots of reading in Leeds"])
    keywords = [Keyword("reading", 1.0, (0,), ("lots of reading today",)), Keyword("Nice", 0.9, (1,), ("Nice day!",))]
    assert find_place(keywords, 100_000) is None
    found = find_place([Keyword("München", 1.0, (0,), ("Heute in München gewesen",))], 100_000)
    assert found is not None and found.name == "Munich" and found.population > 1_000_000
    # short alternate names that are also words ("Tee", "Alm") are not towns
    assert find_place([Keyword("Alm", 1.0, (0,), ("Auf der Alm war es schön",))], 1) is None


def test_the_prompt_and_the_explanation_name_the_town_and_the_word_that_set_the_scene() -> None:
    portrait = _with_posts(
        make_portrait(["sourdough", "Leeds", "telescope"]),
        {"sourdough": "fed the sourdough starter", "Leeds": "Market day in Leeds again"},
    )
    prompt = compose(portrait, "pastel", SHIPPED)
    assert prompt.setting == f"{BAKERY} in Leeds" and f"{BAKERY} in Leeds" in prompt.positive
    assert (prompt.setting_from, prompt.town) == ("sourdough", "Leeds")
    assert "Leeds" not in prompt.keywords_used
    text = "\n".join(lines(explain(portrait, prompt)))
    assert f"set {BAKERY} in Leeds (from 'sourdough' and the town 'Leeds')" in text
    assert f"Leeds: painted as '{BAKERY} in Leeds'" in text
    # a style writing in the portrait's language keeps the town as the visitor wrote it
    assert in_town("auf einem Berggrat", "Innsbruck", english=False) == "auf einem Berggrat, Innsbruck"
    assert in_town("", "Leeds", english=True) == "in Leeds"


def test_a_town_the_wall_policy_or_the_blocklist_keeps_off_never_sets_the_scene() -> None:
    portrait = _with_posts(make_portrait(["sourdough", "Leeds"]), {"Leeds": "Market day in Leeds again"})
    blocked = SHIPPED.model_copy(update={"compose": SHIPPED.compose.model_copy(update={"blocked_words": ("leeds",)})})
    prompt = compose(portrait, "pastel", blocked)
    assert "Leeds" not in prompt.positive and prompt.town == ""


def test_a_prefix_entry_does_not_catch_an_unrelated_word() -> None:
    # "bee*" once set a beer lover among beehives, "brot*" a brother in a bakery, "tour*" a chess tournament
    # on a mountain trail, "toot*" painted a tooth as a brass horn
    for word in ("beer", "beef", "brother", "tournament", "strike", "cyclone", "nursery", "honeymoon", "baku"):
        assert LEXICON.setting(word) is None, word
    for word in ("tooth", "brother", "strike", "regeneration", "ideal", "breadth"):
        assert LEXICON.motif(word).source != "lexicon", word
    assert LEXICON.setting("beekeeping") == LEXICON.setting("bees") == "in a meadow with beehives"
    assert LEXICON.setting("Brot") == BAKERY and LEXICON.setting("cycling") == "on a winding road"


def test_the_setting_is_the_place_most_of_the_painted_side_agrees_on() -> None:
    # a stronger "bike" theme alone does not beat the compost, allotment and garden it is painted among
    portrait = replace(
        make_portrait(["compost", "seedlings", "bike"], scores=[0.9, 0.8, 0.3]),
        themes=(Theme("bike", 0.29, "keywords"), Theme("compost", 0.26, "keywords")),
    )
    assert _scene(portrait)[:2] == ("in a leafy garden", "compost")
    # and the diver is set by the reef, with no theme at all
    assert _scene(make_portrait(["plankton", "coral", "octopus"]))[0] == "underwater by a coral reef"
