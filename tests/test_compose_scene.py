"""The scene: a person in a setting from the themes, with motifs from the keywords, in every style."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from composing import compose
from test_compose import SHIPPED, make_portrait

from extractors.describe.portrait import Keyword
from installation.cli import main
from installation.compose.explain import explain, lines
from installation.compose.motifs import load_lexicon
from installation.config import Config
from installation.jobs.pipeline import PortraitPipeline

ROOT = Path(__file__).resolve().parent.parent

# The web developer's keywords are the ones the issue quotes from a real Mastodon archive.
WEB_DEVELOPER = make_portrait(
    ["tweet", "RSS", "crossposting", "archive", "DM", "bookmark", "Mastodon", "site", "datum", "UI"],
    label="buoyant", palette=("sunflower yellow", "cornflower blue"), lighting=("open airy daylight",),
    themes=("indieweb", "Mastodon"),
)
BAKER = make_portrait(
    ["dough", "hydration", "starter", "fermentation", "sourdough", "bulk", "crumb", "loaf", "cold retard", "flour"],
    label="warm", themes=("sourdough",),
)
ASTRONOMER = make_portrait(
    ["astronomy", "noctilucent cloud", "perseid meteor", "polar alignment", "Dobsonian", "Liverpool",
     "equatorial mount", "exposure", "andromeda galaxy", "congratulation"],
    label="cheerful", themes=("astronomy", "night owl"),
)
PEOPLE = {"web developer": WEB_DEVELOPER, "baker": BAKER, "astronomer": ASTRONOMER}
SETTINGS = {"web developer": "studio", "baker": "bakery kitchen", "astronomer": "starry night sky"}
RAW = {"web developer": ["RSS", "DM", "UI", "datum", "crossposting", "tweet"], "baker": ["bulk", "cold retard"],
       "astronomer": ["Liverpool", "congratulation", "polar alignment"]}


@pytest.mark.parametrize("style", sorted(SHIPPED.styles))
@pytest.mark.parametrize("who", sorted(PEOPLE))
def test_each_profile_gives_a_paintable_scene_in_every_style(who: str, style: str) -> None:
    prompt = compose(PEOPLE[who], style, SHIPPED)
    spec = SHIPPED.styles[style]
    assert 2 <= len(prompt.motifs) <= spec.motifs, prompt.motifs
    assert SETTINGS[who] in prompt.setting
    if "{setting}" in spec.template or spec.setting != "left out":
        assert prompt.setting in prompt.positive
    for _, motif in prompt.motifs:
        assert motif in prompt.positive
    for raw in RAW[who]:  # words with no image, or that became a symbol, are never pasted in raw
        assert not re.search(rf"(?<!\w){re.escape(raw)}(?!\w)", prompt.positive), raw
    assert prompt.tokens <= 77


def test_abstract_and_digital_words_become_symbols_or_stay_on_the_card() -> None:
    prompt = compose(WEB_DEVELOPER, "klimt", SHIPPED)
    lexicon = load_lexicon(SHIPPED)
    assert lexicon.motif("tweet").text == "a small songbird"
    assert lexicon.motif("RSS").text == "an orange broadcast beacon"
    for keyword, motif in prompt.motifs:  # whichever win the slots are painted as their symbols
        assert motif == lexicon.motif(keyword).text and lexicon.motif(keyword).source == "lexicon", (keyword, motif)
    reasons = dict(prompt.keywords_dropped)
    assert reasons["datum"].startswith("no image")
    assert all(not why.startswith(("policy", "blocked")) for why in reasons.values())


def test_concrete_words_stay_as_they_are_by_the_norms() -> None:
    lexicon = load_lexicon(SHIPPED)
    for word in ("spoon", "mudguard", "yogurt", "kayaking"):
        motif = lexicon.motif(word)
        assert motif.text == word and "Brysbaert" in motif.source, motif
    for word in ("honesty", "equatorial", "Liverpool", "zorblax"):
        assert lexicon.motif(word).text == "", word


def test_the_lexicon_speaks_the_describe_languages() -> None:
    lexicon = load_lexicon(SHIPPED)
    bread = {w: lexicon.motif(w).text for w in
             ("Sauerteigbrot", "masa madre", "levain", "lievito madre", "zuurdesem", "surdejsbrød", "закваска")}
    assert set(bread.values()) == {"a sourdough loaf"}, bread
    assert lexicon.motif("Gipfelfoto").text == "a mountain summit"
    assert lexicon.motif("Teleskop").text == lexicon.motif("телескоп").text == "a brass telescope"


def test_words_of_other_languages_are_judged_by_their_english_noun() -> None:
    lexicon = load_lexicon(SHIPPED)
    # concrete: painted as the English noun (norms) or its lexicon motif, the source names the translation
    assert lexicon.motif("Roggen").text == "rye" and "'rye'" in lexicon.motif("Roggen").source
    assert lexicon.motif("solformørkelsen").text == lexicon.motif("solformørkelse").text == "eclipse"
    assert lexicon.motif("granizada").text == "hailstorm"
    assert lexicon.motif("lit tôt").text == "bed"  # the head word of a phrase, from the last word back
    assert lexicon.motif("pelotón").text == "a peloton of cyclists on a country road"
    # abstract: translated, then left off the picture by the norms, with the reason
    for word in ("Besprechung", "reunión", "semaine"):
        motif = lexicon.motif(word)
        assert motif.text == "" and ("abstract" in motif.source or "leaves it out" in motif.source), motif
    assert lexicon.motif("zorblaxen").text == ""


def test_a_style_says_how_many_motifs_and_where_the_setting_goes() -> None:
    config = _styled(motifs=1, setting="at the end")
    prompt = compose(BAKER, "crayon", config)
    assert len(prompt.motifs) == 1
    assert prompt.positive.startswith(f"wax crayon drawing of a portrait of a single person with {prompt.motifs[0][1]}")
    assert f", {prompt.setting}," in prompt.positive
    left_out = compose(BAKER, "crayon", _styled(setting="left out"))
    assert left_out.setting and left_out.setting not in left_out.positive


def test_curators_override_motifs_and_settings_in_config() -> None:
    scene = SHIPPED.compose.scene.model_copy(
        update={"motifs": {"rss": "a lighthouse beam", "datum": "a stone tablet"},
                "settings": {"indieweb": "in a library"}})
    config = SHIPPED.model_copy(update={"compose": SHIPPED.compose.model_copy(update={"scene": scene})})
    prompt = compose(make_portrait(["RSS", "datum"], themes=("indieweb",)), "vermeer", config)
    assert dict(prompt.motifs) == {"RSS": "a lighthouse beam", "datum": "a stone tablet"}
    assert prompt.setting == "in a library"


def test_explain_tells_posts_words_and_motifs_and_hides_policy_words_in_public() -> None:
    portrait = make_portrait(["sourdough", "AFDler", "datum"])
    keywords = tuple(Keyword(k.phrase, k.score, k.post_indices, (f"a post about {k.phrase}",))
                     for k in portrait.keywords)
    from dataclasses import replace

    portrait = replace(portrait, keywords=keywords)
    prompt = compose(portrait, "pastel", SHIPPED)
    story = explain(portrait, prompt)
    text = "\n".join(lines(story))
    assert "sourdough: painted as 'a sourdough loaf'" in text and "from \u201ca post about sourdough\u201d" in text
    assert "datum: kept off the picture: no image" in text and "AFDler: kept off the picture: policy: politics" in text
    public = "\n".join(lines(story, public=True))
    assert "AFDler" not in public and "1 word(s) kept off the wall" in public and "datum" in public


def test_cli_explain_and_all_styles_show_the_scene(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(PortraitPipeline, "describe", lambda self, profile: ASTRONOMER)
    export = tmp_path / "posts.txt"
    export.write_text("Clear skies tonight, the Dobsonian is out.\n")
    assert main(["prompt", str(export), "--all-styles", "--explain", "--config", str(ROOT / "config.toml")]) == 0
    out = capsys.readouterr().out
    assert out.count("scene:    set on a dark hillside under a starry night sky") == len(SHIPPED.styles)
    assert "astronomy: painted as 'a brass telescope'" in out
    assert "Liverpool: kept off the picture: no image" in out


def _styled(**changes: object) -> Config:
    style = SHIPPED.styles["crayon"].model_copy(update=changes)
    return SHIPPED.model_copy(update={"styles": {**SHIPPED.styles, "crayon": style}})
