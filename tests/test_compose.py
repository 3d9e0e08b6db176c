"""The composer: styles from config.toml turn a verbal portrait into a safe prompt within CLIP's budget."""

from __future__ import annotations

import json
import logging
import random
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from composing import compose

from extractors.describe.portrait import Emotion, Keyword, LanguageInfo, Mood, PortraitStats, Theme, VerbalPortrait
from installation.cli import main
from installation.compose.blocklist import Blocklist, load_blocklist, looks_personal
from installation.compose.composer import BLOCKED, OVER_BUDGET, PERSONAL, portrait_seed
from installation.compose.policy import load_policy
from installation.compose.prompt import Prompt
from installation.compose.scene import OVER_MOTIFS
from installation.compose.tokens import (
    SHIPPED_CLIP_SOURCE,
    WORD_ESTIMATE,
    TokenCounter,
    estimate_tokens,
    shipped_clip_tokenizer,
)
from installation.config import Config, RenderConfig, load_config, parse_config
from installation.errors import ComposeError, ConfigError
from installation.jobs.pipeline import PortraitPipeline
from installation.render.tokens import token_counter

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = load_config(ROOT / "config.toml")


def make_portrait(
    keywords: list[str],
    *,
    label: str = "wistful",
    palette: tuple[str, ...] = ("amber", "ochre"),
    lighting: tuple[str, ...] = ("golden hour light",),
    themes: tuple[str, ...] = (),
    scores: list[float] | None = None,
) -> VerbalPortrait:
    scores = scores or [1.0 - i / 50 for i in range(len(keywords))]
    return VerbalPortrait(
        platform="mastodon",
        keywords=tuple(Keyword(k, s, (i,)) for i, (k, s) in enumerate(zip(keywords, scores, strict=True))),
        mood=Mood(0.3, -0.2, (Emotion("joy", 0.6), Emotion("sadness", 0.4)), label, palette, lighting),
        themes=tuple(Theme(t, 0.5, "hashtags") for t in themes),
        language=LanguageInfo("en", 1.0, "en_core_web_sm"),
        stats=PortraitStats(40, datetime(2024, 1, 1, tzinfo=UTC), datetime(2025, 1, 1, tzinfo=UTC)),
    )


PORTRAITS = {
    "rich": make_portrait(
        ["sourdough bread", "night trains", "jazz records", "lighthouse", "sailing boats", "rainy mornings",
         "vintage cameras", "chess club", "grandmother's garden", "mountain hiking", "harbour cranes",
         "fermentation", "crossword puzzles", "river swimming", "allotment"],
        palette=("amber", "ochre", "dusty rose", "slate blue"),
        lighting=("golden hour light", "long shadows", "soft haze"),
        themes=("food", "travel", "music"),
    ),
    "minimal": make_portrait(["allotment"], label="neutral", palette=(), lighting=()),
    "no keywords": make_portrait([], label="calm"),
    "hostile": make_portrait(
        ["https://example.com/me", "@someone@mastodon.social", "mail me at jo@example.org", "+45 12 34 56 78",
         "nude beach", "PORNOGRAPHY collection", "bloody knife", "Coffee, tea", "coffee tea", "sextant",
         "www.example.net/page", "kayaking"],
        label="restless",
        palette=("blood red", "teal"),
        lighting=("harsh neon",),
        themes=("nsfw", "kayaks"),
    ),
    "german": make_portrait(
        ["Kaffeehaus", "Wanderung im Schwarzwald", "Straßenbahn", "Fußball", "Großstadtgeräusche", "Übermut"],
        label="exuberant",
        palette=("kräftiges Rot",),
    ),
    "long phrases": make_portrait(
        [f"extraordinarily{i} complicated interdisciplinary phenomenology" for i in range(15)],
        label="anxious",
        palette=("cadmium yellow", "prussian blue", "burnt sienna", "viridian"),
        lighting=("chiaroscuro candlelight", "flickering fluorescent tubes"),
    ),
}


def assert_valid(prompt: Prompt, budget: int | None = None) -> None:
    assert prompt.positive.strip() and prompt.negative.strip()
    assert 0 < prompt.tokens <= (prompt.token_budget if budget is None else budget)
    assert prompt.token_budget > 0
    assert WORD_ESTIMATE.count(prompt.positive) == prompt.tokens or prompt.counted_by != WORD_ESTIMATE.source
    assert not looks_personal(prompt.positive)
    for marker in ("http", "www.", "@", ".com"):
        assert marker not in prompt.positive
    assert load_blocklist(SHIPPED).find(prompt.positive) == []
    policy = load_policy(SHIPPED)
    assert policy.check(prompt.positive) is None
    assert all(policy.check(word) is None for word in prompt.keywords_used)  # the wall's caption
    assert prompt.keywords_used == tuple(keyword for keyword, _ in prompt.motifs)
    for _, motif in prompt.motifs:  # whole, never cut
        assert motif in prompt.positive
    assert prompt.width % 8 == 0 and prompt.height % 8 == 0 and prompt.steps >= 1


# --- every shipped style ------------------------------------------------------------------------------


@pytest.mark.parametrize("style", sorted(SHIPPED.styles))
@pytest.mark.parametrize("shape", sorted(PORTRAITS))
def test_every_shipped_style_composes_a_valid_prompt(style: str, shape: str) -> None:
    prompt = compose(PORTRAITS[shape], style, SHIPPED)
    assert prompt.style == style
    assert_valid(prompt)


def test_shipped_styles_cover_the_prompt_craft() -> None:
    text = " ".join(
        " ".join([s.template, s.technique, s.artist, s.period, *s.modifiers]) for s in SHIPPED.styles.values()
    ).casefold()
    for craft in ("oil", "watercolor", "pastel", "pencil sketch", "crayon", "old photograph", "van gogh",
                  "klimt", "hokusai", "1960s", "sepia", "matte", "highly detailed", "trending on artstation",
                  "unreal engine", "8k"):
        assert craft in text, craft
    wide = [s for s in SHIPPED.styles.values() if (s.width or 512) > (s.height or 512)]
    assert wide and all("multiple people" in s.negative for s in wide)
    assert all(s.moods for s in SHIPPED.styles.values())


def test_sample_profiles_compose_in_every_style() -> None:
    """Every shipped style for every sample profile, through the real reader and describe."""
    from extractors import read_export
    from extractors.describe.portray import describe

    exports = [e for d in sorted((ROOT / "sample_profiles").iterdir()) if d.is_dir() and d.name != "build"
               for e in sorted(d.iterdir())]
    assert len(exports) >= 8
    for export in exports:
        portrait = describe(read_export(export, SHIPPED.extract.limits()), SHIPPED.describe)
        for style in SHIPPED.styles:
            prompt = compose(portrait, style, SHIPPED)
            assert_valid(prompt)
            assert prompt.keywords_used, (export.name, style)


# --- seed and selection -------------------------------------------------------------------------------


def test_same_portrait_same_prompt_and_seed() -> None:
    first = compose(PORTRAITS["rich"], None, SHIPPED)
    again = compose(make_portrait([k.phrase for k in reversed(PORTRAITS["rich"].keywords)],
                                  palette=PORTRAITS["rich"].mood.palette, lighting=PORTRAITS["rich"].mood.lighting,
                                  themes=("food", "travel", "music"),
                                  scores=[k.score for k in reversed(PORTRAITS["rich"].keywords)]), None, SHIPPED)
    assert first == again
    seeds = {portrait_seed(p) for p in PORTRAITS.values()}
    assert len(seeds) == len(PORTRAITS)
    assert all(0 <= s < 2**31 for s in seeds)


def with_compose(**changes: Any) -> Config:
    return SHIPPED.model_copy(update={"compose": SHIPPED.compose.model_copy(update=changes)})


def test_fixed_selection_always_picks_the_default_style() -> None:
    config = with_compose(selection="fixed", default_style="crayon")
    assert {compose(p, None, config).style for p in PORTRAITS.values()} == {"crayon"}


def test_rotation_walks_the_pool_in_order() -> None:
    config = with_compose(selection="rotation", pool=("pastel", "klimt", "crayon"))
    picked = [compose(PORTRAITS["rich"], None, config, turn=turn).style for turn in range(6)]
    assert picked == ["pastel", "klimt", "crayon"] * 2


def test_random_selection_is_seeded_by_the_portrait() -> None:
    config = with_compose(selection="random")
    picks = {name: compose(p, None, config).style for name, p in PORTRAITS.items()}
    assert picks == {name: compose(p, None, config).style for name, p in PORTRAITS.items()}
    assert len(set(picks.values())) > 1


def test_mood_selection_picks_a_style_that_declares_the_mood() -> None:
    for label in ("wistful", "restless", "serene", "playful"):
        prompt = compose(make_portrait(["lighthouse", "rain"], label=label), None, SHIPPED)
        assert label in SHIPPED.styles[prompt.style].moods, (label, prompt.style)
    unmatched = compose(make_portrait(["lighthouse"], label="befuddled"), None, SHIPPED)
    assert unmatched.style == SHIPPED.compose.default_style


def test_every_mood_describe_can_name_has_a_shipped_style() -> None:
    from extractors.describe.mood import _PALETTES

    declared = {m for s in SHIPPED.styles.values() for m in s.moods}
    assert set(_PALETTES) <= declared, set(_PALETTES) - declared


def test_unknown_style_names_it() -> None:
    with pytest.raises(ComposeError, match=r"'cubism'.*oil-portrait"):
        compose(PORTRAITS["rich"], "cubism", SHIPPED)


# --- budget -------------------------------------------------------------------------------------------


def test_least_important_keywords_give_way_first_and_whole() -> None:
    words = ["telescope", "bicycle", "teapot", "lantern", "violin", "compass", "kettle", "anchor", "piano", "owl"]
    scores = [1.0 - i / 10 for i in range(10)]
    order = list(range(10))
    random.Random(3).shuffle(order)
    portrait = make_portrait([words[i] for i in order], scores=[scores[i] for i in order])
    config = with_compose(max_tokens=36)
    style = SHIPPED.styles["pencil-sketch"].model_copy(update={"motifs": 6})
    config = config.model_copy(update={"styles": {**config.styles, "pencil-sketch": style}})
    prompt = compose(portrait, "pencil-sketch", config)
    assert prompt.tokens <= 36
    kept = len(prompt.keywords_used)
    assert 0 < kept < 10
    assert list(prompt.keywords_used) == words[:kept]
    budget = tuple((w, OVER_BUDGET) for w in reversed(words[kept:6]))
    assert prompt.keywords_dropped == tuple((w, OVER_MOTIFS) for w in words[6:]) + budget


def test_palette_words_give_way_before_the_last_keywords() -> None:
    portrait = make_portrait(["harbour", "lighthouse", "gulls", "nets", "ropes"],
                             palette=("amber", "ochre", "teal", "rose"), lighting=("dusk", "fog"))
    prompt = compose(portrait, "oil-portrait", with_compose(max_tokens=44))
    assert len(prompt.keywords_used) >= 2
    assert "rose" not in prompt.positive and "amber" in prompt.positive


def test_a_template_over_budget_on_its_own_is_an_error() -> None:
    config = with_compose(max_tokens=12)
    with pytest.raises(ComposeError, match=r"artstation.*over the budget of 12"):
        compose(PORTRAITS["minimal"], "artstation", config)


def test_clip_tokenizer_of_a_local_model_counts(tmp_path: Path) -> None:
    from installation.render.tiny import build_tiny_tokenizer

    model = tmp_path / "model"
    build_tiny_tokenizer().save_pretrained(model / "tokenizer")
    (model / "model_index.json").write_text("{}")
    counter = token_counter(str(model), RenderConfig())
    assert counter.source == f"CLIP tokenizer ({model})"
    text = "a watercolor of harbour cranes, 8k"
    assert counter.count(text) == len(build_tiny_tokenizer()(text).input_ids)
    # The toy vocabulary spells words out letter by letter: far fewer keywords fit than by estimate.
    config = with_compose(tokenizer=str(model), max_tokens=120)
    prompt = compose(PORTRAITS["rich"], "pencil-sketch", config)
    assert prompt.counted_by == counter.source and prompt.tokens <= 120
    assert len(prompt.keywords_used) < len(compose(PORTRAITS["rich"], "pencil-sketch", SHIPPED).keywords_used)


def test_a_t5_tokenizer_of_a_local_model_counts_and_is_named(tmp_path: Path) -> None:
    # Kandinsky 3 reads T5: its own tokenizer counts, and the prompt says so (a tiny Unigram vocabulary).
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers
    from transformers import T5Tokenizer

    pieces = [("<pad>", 0.0), ("</s>", 0.0), ("<unk>", 0.0), ("\u2581", -3.0)]
    pieces += [(f"\u2581{w}", -2.0) for w in ("a", "telescope", "night", "sky")]
    pieces += [(c, -5.0) for c in "abcdefghijklmnopqrstuvwxyzабвгдежзийклмнопрстуфхцчшщъыьэюя,"]
    backend = Tokenizer(models.Unigram(pieces, unk_id=2))
    backend.pre_tokenizer = pre_tokenizers.Metaspace()
    backend.decoder = decoders.Metaspace()
    model = tmp_path / "kandinsky-3"
    T5Tokenizer(tokenizer_object=backend, eos_token="</s>", unk_token="<unk>", pad_token="<pad>",
                    extra_ids=0).save_pretrained(model / "tokenizer")
    (model / "model_index.json").write_text("{}")
    counter = token_counter(str(model), RenderConfig())
    assert counter.source == f"T5 tokenizer ({model})"
    assert counter.count("a telescope") == 3  # two pieces and the end token
    assert counter.count("телескоп") == 1 + 8 + 1  # the word's space, a letter each, the end token
    # The toy vocabulary spells most words letter by letter: a wide window, as for the CLIP toy above.
    prompt = compose(PORTRAITS["rich"], "pencil-sketch", with_compose(tokenizer=str(model), max_tokens=400))
    assert prompt.counted_by == counter.source


def test_without_a_local_tokenizer_the_shipped_clip_vocabulary_counts() -> None:
    assert token_counter("tiny", RenderConfig()).source == SHIPPED_CLIP_SOURCE
    assert token_counter("nobody/not-cached-model", RenderConfig()).source == SHIPPED_CLIP_SOURCE
    # The reference ids of OpenAI's own tokenizer (CLIP's simple_tokenizer) for these texts
    tokenizer = shipped_clip_tokenizer()
    assert tokenizer("a photo of a cat").input_ids == [49406, 320, 1125, 539, 320, 2368, 49407]
    reference = [6522, 77, 35689, 66, 7255, 67, 4166, 1097, 35689, 563, 15304]
    assert tokenizer("ünïcödé naïve café").input_ids[1:-1] == reference
    assert tokenizer("ünïcödé naïve café").input_ids[1:-1] == reference
    issue = ("a portrait of a single person in the style of Gustav Klimt, tweet, RSS, crossposting, archive, DM, "
             "bookmark, Mastodon, site, datum, UI, buoyant mood, sunflower yellow")
    assert token_counter("tiny", RenderConfig()).count(issue) == 49
    assert estimate_tokens("") == 2
    assert estimate_tokens("oil, 8k") == 2 + 1 + 1 + 1 + 1
    assert estimate_tokens("photorealistic") == 2 + 3


def test_a_given_counter_is_used() -> None:
    words = TokenCounter("words", lambda text: len(text.split()) + 2)
    prompt = compose(PORTRAITS["rich"], "vermeer", SHIPPED, counter=words)
    assert prompt.counted_by == "words" and prompt.tokens == len(prompt.positive.split()) + 2


# --- safety -------------------------------------------------------------------------------------------


def test_personal_and_blocked_keywords_are_dropped_with_the_reason(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="installation.compose.composer"):
        prompt = compose(PORTRAITS["hostile"], "watercolor", SHIPPED)
    reasons = dict(prompt.keywords_dropped)
    for personal in ("https://example.com/me", "@someone@mastodon.social", "mail me at jo@example.org",
                     "+45 12 34 56 78", "www.example.net/page"):
        assert reasons[personal] == PERSONAL
    assert reasons["nude beach"] == reasons["PORNOGRAPHY collection"] == "policy: sexual"
    assert reasons["bloody knife"] == "policy: violence"
    assert prompt.withheld == 4  # three keywords and the theme "nsfw"
    assert "sextant" in prompt.keywords_used  # word boundaries: "sex" is blocked, "sextant" is not
    assert "Coffee tea" in prompt.keywords_used and "coffee tea" not in prompt.keywords_used
    assert "blood" not in prompt.positive and "nsfw" not in prompt.positive and "teal" in prompt.positive
    assert "kayaking" in prompt.positive
    # Logs never name the keyword or anything personal.
    assert "nude beach" not in caplog.text and "example" not in caplog.text


def test_the_final_prompt_is_scrubbed_but_the_negative_is_not(caplog: pytest.LogCaptureFixture) -> None:
    text = """
    [compose]
    default_style = "edgy"
    negative = "nude, gore"
    blocked_words = ["lighthouse", "forbidden phrase"]
    [styles.edgy]
    template = "{keywords}, Gore splatter, a FORBIDDEN   phrase, see www.example.com/x, moody"
    """
    config = parse_config(_toml(text), Path("config.toml"))
    with caplog.at_level(logging.WARNING, logger="installation.compose.composer"):
        prompt = compose(make_portrait(["lighthouse", "harbour"]), None, config)
    assert prompt.positive == "harbour, a, see, moody"  # "Gore splatter" is off the wall as a whole
    assert prompt.keywords_dropped == (("lighthouse", BLOCKED),)
    assert prompt.negative == "nude, gore"
    assert "blocked words removed" in caplog.text and "personal-looking" in caplog.text


def test_private_words_never_reach_the_prompt() -> None:
    prompt = compose(make_portrait(["Jo Lindqvist fan club", "harbour"], palette=("jo blue",)), "pastel",
                     SHIPPED, private=("Jo",))
    assert "Jo" not in prompt.positive.split() and "jo" not in prompt.positive.casefold().split()
    # Blocked as the visitor's nickname, or already as a person's full name: kept out either way.
    assert dict(prompt.keywords_dropped).get("Jo Lindqvist fan club") in (BLOCKED, PERSONAL)


def test_blocklist_matches_whole_words_phrases_and_prefixes() -> None:
    blocklist = Blocklist.of(["gun", "dead body", "porn*", "  ", "GUN"])
    assert blocklist.terms == ("gun", "dead body", "porn*")
    assert blocklist.find("a Gun, a shotgun, gunnar, guns") == ["Gun"]
    assert blocklist.find("DEAD\tbody; pornographic; porn") == ["DEAD\tbody", "pornographic", "porn"]
    assert Blocklist.of([]).find("anything") == []


def test_a_curator_blocklist_file_is_read_relative_to_the_config(tmp_path: Path) -> None:
    (tmp_path / "words.txt").write_text("# ours\nharbour  # the sea is off limits\n")
    (tmp_path / "config.toml").write_text(_shipped_with(compose_keys='blocklist = "words.txt"'))
    config = load_config(tmp_path / "config.toml")
    prompt = compose(make_portrait(["harbour", "nude"]), "crayon", config)
    assert dict(prompt.keywords_dropped) == {"harbour": BLOCKED, "nude": "policy: sexual"}  # the wall policy stays
    (tmp_path / "words.txt").unlink()
    with pytest.raises(ConfigError, match=r"config.toml: compose.blocklist: .*words.txt cannot be read"):
        compose(make_portrait(["harbour"]), "crayon", config)


# --- styles and parameters ----------------------------------------------------------------------------


def test_style_render_parameters_override_the_render_defaults() -> None:
    text = """
    [render]
    width = 640
    height = 384
    steps = 2
    guidance = 1.5
    scheduler = "EulerAncestralDiscreteScheduler"
    [compose]
    default_style = "plain"
    [styles.plain]
    template = "{prompt}"
    [styles.big]
    template = "{prompt}, huge"
    width = 1024
    height = 768
    steps = 30
    guidance = 7.0
    scheduler = "DPMSolverMultistepScheduler"
    """
    config = parse_config(_toml(text), Path("config.toml"))
    plain = compose(PORTRAITS["minimal"], "plain", config)
    big = compose(PORTRAITS["minimal"], "big", config)
    assert (plain.width, plain.height, plain.steps, plain.guidance, plain.scheduler) == (
        640, 384, 2, 1.5, "EulerAncestralDiscreteScheduler")
    assert (big.width, big.height, big.steps, big.guidance, big.scheduler) == (
        1024, 768, 30, 7.0, "DPMSolverMultistepScheduler")
    assert plain.positive == (
        "a portrait of a single person in a leafy allotment garden with a vegetable allotment plot, neutral mood")
    assert big.positive == plain.positive + ", huge"


def test_all_slots_are_filled() -> None:
    slots = ("subject", "keywords", "themes", "mood", "palette", "lighting", "technique", "artist", "period",
             "modifiers", "prompt")
    style = {"template": " | ".join("{" + slot + "}" for slot in slots), "subject": "one figure",
             "technique": "etching", "artist": "Albrecht Dürer", "period": "1500s",
             "modifiers": ["fine lines", "cross-hatching"]}
    data = {"compose": {"default_style": "all", "prompt": "{keywords} ({mood})"}, "styles": {"all": style}}
    config = parse_config(data, Path("config.toml"))
    portrait = make_portrait(["owl", "moss"], themes=("woods",), palette=("grey",), lighting=("dusk",))
    assert compose(portrait, None, config).positive == (
        "one figure | owl, moss | woods | wistful | grey | dusk | etching | Albrecht Dürer | 1500s | fine lines, "
        "cross-hatching | owl, moss (wistful)"
    )


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('template = "{keywords}, {moood}"', r"styles.bad.template: .*unknown slot \{moood\}"),
        ('template = "{keywords!r}"', r"styles.bad.template: .*unknown slot \{keywords!r\}"),
        ('template = "a still life"', r"styles.bad.template: .*neither \{scene\}, .*nor \{prompt\}"),
        ('template = "a still life"', r"styles.bad.template: .*neither \{scene\}, .*nor \{prompt\}"),
        ('template = "{prompt}, {artist}"', r"styles.bad: .*names \{artist\} but the style sets no artist"),
        ('template = "{prompt}"\nwidth = 500', r"styles.bad.width: .*multiple of 8"),
        ('template = "{prompt}"\nmood = ["calm"]', r"styles.bad.mood: unknown key"),
    ],
)
def test_a_bad_style_names_the_key(tmp_path: Path, table: str, message: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(f"[styles.bad]\n{table}\n")
    with pytest.raises(ConfigError, match=message):
        load_config(path)


def test_cross_references_are_checked() -> None:
    with pytest.raises(ConfigError, match=r"compose.default_style: no style named 'nope'"):
        compose(PORTRAITS["rich"], None, with_compose(default_style="nope"))
    with pytest.raises(ConfigError, match=r"compose.pool: no style named 'nope'"):
        compose(PORTRAITS["rich"], None, with_compose(pool=("crayon", "nope")))
    with pytest.raises(ConfigError, match=r"styles: no style defined"):
        compose(PORTRAITS["rich"], None, Config())
    with pytest.raises(ConfigError, match=r"compose.prompt: .*must name \{scene\}, \{motifs\} or \{keywords\}"):
        parse_config({"compose": {"prompt": "{subject}"}}, Path("c.toml"))


def test_prompt_round_trips_through_json() -> None:
    prompt = compose(PORTRAITS["hostile"], "wide-still-life", SHIPPED)
    assert Prompt.from_dict(json.loads(json.dumps(prompt.to_dict()))) == prompt
    assert prompt.width > prompt.height


# --- the command line ---------------------------------------------------------------------------------


@pytest.fixture
def fake_describe(monkeypatch: pytest.MonkeyPatch) -> None:
    """The pipeline's describe stage replaced by a fixed portrait, so these tests need no language models."""
    monkeypatch.setattr(PortraitPipeline, "describe", lambda self, profile: PORTRAITS["rich"])


@pytest.fixture
def export(tmp_path: Path) -> Path:
    path = tmp_path / "posts.txt"
    path.write_text("Baked sourdough bread again this morning.\n\nNight trains to the coast, jazz on the radio.\n")
    return path


def test_cli_prompt_json(fake_describe: None, export: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["prompt", str(export), "--style", "klimt", "--json", "--config", str(ROOT / "config.toml")]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data == json.loads(json.dumps(compose(PORTRAITS["rich"], "klimt", SHIPPED).to_dict()))
    assert data["style"] == "klimt" and "Gustav Klimt" in data["positive"]
    # Every keyword is accounted for: painted, or dropped with its reason (the style's motif count here).
    accounted = set(data["keywords_used"]) | {k for k, _ in data["keywords_dropped"]}
    assert {k.phrase for k in PORTRAITS["rich"].keywords} <= accounted
    assert ["mountain hiking", "over the style's motif count"] in data["keywords_dropped"]


def test_keywords_past_max_keywords_are_dropped_as_over_the_limit() -> None:
    limited = compose(PORTRAITS["rich"], "klimt", with_compose(max_keywords=10))
    assert ("crossword puzzles", "over keyword limit") in limited.keywords_dropped


def test_cli_prompt_all_styles(fake_describe: None, export: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["prompt", str(export), "--all-styles", "--json", "--config", str(ROOT / "config.toml")]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [d["style"] for d in data] == list(SHIPPED.styles)
    assert main(["prompt", str(export), "--all-styles", "--config", str(ROOT / "config.toml")]) == 0
    out = capsys.readouterr().out
    assert all(f"style:    {name}" in out for name in SHIPPED.styles)


def test_cli_shows_a_curators_edit_without_a_restart(
    fake_describe: None, export: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(_shipped_with('[styles.mine]\ntemplate = "{prompt}, in felt-tip pen"\n'))
    assert main(["prompt", str(export), "--style", "mine", "--config", str(config)]) == 0
    assert "in felt-tip pen" in capsys.readouterr().out
    config.write_text(_shipped_with('[styles.mine]\ntemplate = "{prompt}, in {bad}"\n'))
    assert main(["prompt", str(export), "--style", "mine", "--config", str(config)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "styles.mine.template" in err and "{bad}" in err


def test_cli_prompt_unknown_style(fake_describe: None, export: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["prompt", str(export), "--style", "cubism", "--config", str(ROOT / "config.toml")]) == 2
    assert "'cubism'" in capsys.readouterr().err


def _toml(text: str) -> dict[str, Any]:
    import tomllib

    return tomllib.loads("\n".join(line.strip() for line in text.splitlines()))


def _shipped_with(tables: str = "", compose_keys: str = "") -> str:
    """The shipped config.toml with more ``tables`` and more keys in its [compose] table."""
    shipped = (ROOT / "config.toml").read_text()
    return shipped.replace("[compose]\n", f"[compose]\n{compose_keys}\n", 1) + "\n" + tables
