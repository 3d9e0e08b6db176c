"""Which keywords win the style's motif slots: the telling ones, each showing a new side of the person."""

from __future__ import annotations

from dataclasses import replace

from test_compose import SHIPPED, make_portrait

from extractors.describe.portrait import LanguageInfo, VerbalPortrait
from installation.compose.motifs import load_lexicon
from installation.compose.places import written_only_as_name
from installation.compose.policy import load_policy
from installation.compose.scene import A_NAME, OVER_MOTIFS, Scene, choose_scene, portrait_languages, telling

LEXICON = load_lexicon(SHIPPED)
POLICY = load_policy(SHIPPED)


def _scene(portrait: VerbalPortrait, limit: int) -> Scene:
    keywords = [k.phrase for k in sorted(portrait.keywords, key=lambda k: -k.score)]
    return choose_scene(portrait, keywords, LEXICON, POLICY, limit)


def _german(words: list[str], scores: list[float]) -> VerbalPortrait:
    portrait = make_portrait(words, scores=scores)
    return replace(portrait, language=LanguageInfo("de", 1.0, "simplemma+stopwords: de 100%"))


def test_everyday_nouns_give_way_to_hobby_words_ranked_below_them() -> None:
    # "Kopf", "Schlaf" and "Tee" are ranked higher, but anyone writes them; sourdough and rye are this baker's
    portrait = _german(["Kopf", "Schlaf", "Tee", "Sauerteig", "Roggen"], [0.9, 0.85, 0.8, 0.6, 0.55])
    scene = _scene(portrait, 2)
    assert [k for k, _ in scene.motifs] == ["Sauerteig", "Roggen"]
    assert dict(scene.dropped)["Kopf"] == OVER_MOTIFS
    # with room for them, everyday things are still painted rather than leaving the canvas empty
    assert {k for k, _ in _scene(portrait, 5).motifs} >= {"Schlaf", "Tee"}


def test_a_word_of_another_language_is_read_as_its_own_noun_before_the_english_norms() -> None:
    scene = _scene(_german(["Tee"], [1.0]), 2)
    assert scene.motifs == (("Tee", "tea"),)  # German tea, not a golf tee
    assert LEXICON.motif("Tee", translate_first=True).english == "tea"


def test_a_second_loaf_gives_way_to_another_side_of_the_person() -> None:
    portrait = make_portrait(["sourdough", "crusty loaf", "telescope"], scores=[0.9, 0.9, 0.5])
    assert [k for k, _ in _scene(portrait, 2).motifs] == ["sourdough", "telescope"]
    # nothing new left: the repeat fills the slot instead of leaving it empty
    assert len(_scene(portrait, 3).motifs) == 3


def test_words_that_set_the_same_scene_show_one_side() -> None:
    # dough and sourdough both put the person in the bakery kitchen
    portrait = make_portrait(["sourdough", "dough", "bicycle"], scores=[0.9, 0.85, 0.5])
    assert [k for k, _ in _scene(portrait, 2).motifs] == ["sourdough", "bicycle"]


def test_a_word_of_one_post_waits_behind_one_that_recurs() -> None:
    portrait = make_portrait(["telescope", "bicycle"], scores=[0.8, 0.7])
    once, often = portrait.keywords
    portrait = replace(portrait, keywords=(once, replace(often, post_indices=(3, 9, 17))))
    assert [k for k, _ in _scene(portrait, 1).motifs] == ["bicycle"]


def test_news_of_a_few_days_waits_behind_what_the_person_keeps_coming_back_to() -> None:
    portrait = replace(
        make_portrait(["hailstorm", "telescope"], scores=[0.9, 0.7]),
        stats=replace(make_portrait([]).stats, posts_used=200),
    )
    storm, scope = portrait.keywords
    run = replace(storm, post_indices=tuple(range(120, 130)))  # ten posts in a row, a few days of 200
    spread = replace(scope, post_indices=tuple(range(5, 200, 20)))
    assert [k for k, _ in _scene(replace(portrait, keywords=(run, spread)), 1).motifs] == ["telescope"]
    # the same word spread over the whole time is the person's, and keeps its rank
    over_time = replace(storm, post_indices=tuple(range(0, 200, 20)))
    assert [k for k, _ in _scene(replace(portrait, keywords=(over_time, spread)), 1).motifs] == ["hailstorm"]
    # news told in two languages: its posts alternate "hailstorm" and "grêle", each word every other post
    bilingual = replace(storm, post_indices=tuple(range(120, 140, 2)))
    assert [k for k, _ in _scene(replace(portrait, keywords=(bilingual, spread)), 1).motifs] == ["telescope"]


def test_telling_ranks_everyday_below_specific_in_the_portraits_languages() -> None:
    portrait = make_portrait(["Kopf", "coffee", "tea", "telescope", "sourdough"])
    recurring = [replace(k, post_indices=(1, 5, 9)) for k in portrait.keywords]
    value = {k.phrase: telling(k, LEXICON.motif(k.phrase), ("de", "en"), 40) for k in recurring}
    assert value["Kopf"] < value["coffee"] < value["tea"] < value["telescope"] == value["sourdough"] == 1.0
    german = replace(portrait.language, main="fr", analyser="simplemma+stopwords: fr 62%, en 38%")
    assert portrait_languages(replace(portrait, language=german)) == ("fr", "en")
    assert portrait_languages(portrait) == ("en",)  # no shares in its note: the main language


def test_the_scene_lists_every_keyword_painted_or_dropped_once() -> None:
    words = ["sourdough", "loaf", "Kopf", "datum", "telescope", "coffee", "bicycle"]
    scene = _scene(make_portrait(words), 3)
    accounted = [k for k, _ in scene.motifs] + [k for k, _ in scene.dropped]
    assert sorted(accounted) == sorted(words)
    assert dict(scene.dropped)["datum"].startswith("no image")


def _with_evidence(portrait: VerbalPortrait, word: str, *snippets: str) -> VerbalPortrait:
    keywords = tuple(replace(k, evidence=snippets) if k.phrase == word else k for k in portrait.keywords)
    return replace(portrait, keywords=keywords)


def test_a_word_the_posts_only_use_as_a_name_is_not_painted_as_the_thing() -> None:
    portrait = make_portrait(["biscuit", "keyboard"], scores=[0.9, 0.5])
    cat = _with_evidence(portrait, "biscuit", "Biscuit decided the server is hers.", "the flat, Biscuit has noticed.")
    scene = _scene(cat, 3)
    assert [k for k, _ in scene.motifs] == ["keyboard"]
    assert dict(scene.dropped)["biscuit"] == A_NAME
    # once the posts also write it in lowercase it is a biscuit again, and a name only at a sentence's start
    # proves nothing
    for snippets in (("the flat, Biscuit has noticed.", "a biscuit with tea"), ("Biscuit with tea.",)):
        assert "biscuit" in {k for k, _ in _scene(_with_evidence(portrait, "biscuit", *snippets), 3).motifs}


def test_capitals_make_no_name_where_every_noun_has_one_or_in_an_acronym() -> None:
    german = _with_evidence(_german(["Kompost"], [1.0]), "Kompost", "Heute wieder Kompost umgesetzt.")
    assert [k for k, _ in _scene(german, 2).motifs] == ["Kompost"]
    assert not written_only_as_name("rss", ["I read it over RSS every day."])
    assert written_only_as_name("Sam", ["Thanks, Sam, for the help."])


def test_the_portrait_stays_of_one_person_and_adds_nobody_else() -> None:
    portrait = make_portrait(["engineers", "robots", "neighbours", "kids"], scores=[0.9, 0.8, 0.7, 0.6])
    scene = _scene(portrait, 4)
    assert [k for k, _ in scene.motifs] == ["robots"]
    assert all(dict(scene.dropped)[w].startswith("no image") for w in ("engineers", "neighbours", "kids"))
