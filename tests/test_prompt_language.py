"""Prompts in the portrait's own language (issue 17): a style for Kandinsky writes Russian for a Russian
profile and German for a German one; English styles on the same profiles stay English."""

from __future__ import annotations

import logging
import re
import tomllib
from datetime import UTC, datetime
from pathlib import Path

import pytest
from composing import compose

from extractors import read_export
from extractors.describe import mood as mood_module
from extractors.describe.portrait import Emotion, Keyword, LanguageInfo, Mood, PortraitStats, Theme, VerbalPortrait
from extractors.describe.portray import describe
from installation.compose.composer import OVER_BUDGET, pick_style, portrait_seed
from installation.compose.language import load_language, shipped_languages, wording
from installation.compose.motifs import SHIPPED_LEXICON
from installation.compose.prompt import Prompt
from installation.compose.tokens import SHIPPED_CLIP_SOURCE, TokenCounter, shipped_clip_counter
from installation.config import Config, load_config, parse_config
from installation.errors import ComposeError, ConfigError

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = load_config(ROOT / "config.toml")
STYLE = "kandinsky-native"
CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)
LATIN = re.compile(r"[a-z]", re.IGNORECASE)
# Words the composer and the lexicon write in English; none may show in a German prompt ("Person" may).
ENGLISH_WORDS = {"a", "an", "the", "with", "and", "of", "on", "in", "mood", "portrait", "single", "light"}
LEXICON = tomllib.loads(SHIPPED_LEXICON.read_text(encoding="utf-8"))


def portrait(
    keywords: list[str],
    lang: str,
    *,
    label: str = "pensive",
    themes: tuple[Theme, ...] = (),
    palette: tuple[str, ...] = ("grey blue", "moss"),
    lighting: tuple[str, ...] = ("candlelight",),
) -> VerbalPortrait:
    return VerbalPortrait(
        platform="mastodon",
        keywords=tuple(Keyword(k, 1.0 - i / 50, (i,)) for i, k in enumerate(keywords)),
        mood=Mood(0.1, -0.2, (Emotion("anticipation", 1.0),), label, palette, lighting),
        themes=themes,
        language=LanguageInfo(lang, 1.0, f"simplemma+stopwords: {lang} 100%"),
        stats=PortraitStats(30, datetime(2025, 1, 1, tzinfo=UTC), datetime(2025, 10, 1, tzinfo=UTC)),
    )


def with_budget(config: Config, tokens: int) -> Config:
    return config.model_copy(update={"compose": config.compose.model_copy(update={"max_tokens": tokens})})


@pytest.fixture(scope="module")
def russian() -> VerbalPortrait:
    """The invented Russian Twitter archive, through the real reader and describe."""
    (export,) = (ROOT / "sample_profiles" / "twitter").glob("twitter-2025-11-02-*.zip")
    return describe(read_export(export, SHIPPED.extract.limits()), SHIPPED.describe)


@pytest.fixture(scope="module")
def german() -> VerbalPortrait:
    """The Telegram sample (a mountain guide in Bavaria, writing in German)."""
    return describe(read_export(ROOT / "sample_profiles" / "telegram", SHIPPED.extract.limits()), SHIPPED.describe)


# --- the two sample profiles ----------------------------------------------------------------------------


def test_a_russian_profile_gets_a_russian_prompt_for_kandinsky(russian: VerbalPortrait) -> None:
    assert russian.language.main == "ru"
    prompt = compose(russian, STYLE, SHIPPED)
    assert prompt.language == "ru"
    assert prompt.motifs and all(CYRILLIC.search(text) for _, text in prompt.motifs)
    assert not LATIN.search(prompt.positive), prompt.positive  # no English motif, mood or style word
    assert "телескоп" in dict(prompt.motifs).values()  # a concrete word, as she wrote it
    assert "настроение" in prompt.positive
    assert 0 < prompt.tokens <= prompt.token_budget == SHIPPED.compose.max_tokens
    assert prompt.counted_by == SHIPPED_CLIP_SOURCE


def test_a_german_profile_gets_a_german_prompt_for_kandinsky(german: VerbalPortrait) -> None:
    assert german.language.main == "de"
    prompt = compose(german, STYLE, SHIPPED)
    assert prompt.language == "de"
    words = set(re.findall(r"\w+", prompt.positive.casefold()))
    assert not words & ENGLISH_WORDS, prompt.positive
    assert {"stimmung", "daneben", "porträt"} <= words
    english_motifs = {str(v).casefold() for v in LEXICON["motifs"].values()}
    assert prompt.motifs and not {text.casefold() for _, text in prompt.motifs} & english_motifs
    assert 0 < prompt.tokens <= prompt.token_budget


@pytest.mark.parametrize(
    ("export", "lang", "word"),
    [("facebook/facebook-*.zip", "da", "stemning"), ("instagram/instagram-*.zip", "es", "ambiente")],
)
def test_danish_and_spanish_samples_get_prompts_in_their_language(export: str, lang: str, word: str) -> None:
    (path,) = (ROOT / "sample_profiles").glob(export)
    profile = describe(read_export(path, SHIPPED.extract.limits()), SHIPPED.describe)
    assert profile.language.main == lang
    prompt = compose(profile, STYLE, SHIPPED)
    words = set(re.findall(r"\w+", prompt.positive.casefold()))
    assert prompt.language == lang and word in words
    assert not words & {"mood", "portrait", "with", "the", "of", "single"}, prompt.positive


@pytest.mark.parametrize("style", ["oil-portrait", "van-gogh", "pencil-sketch"])
def test_an_english_style_on_the_same_profiles_stays_english(
    russian: VerbalPortrait, german: VerbalPortrait, style: str
) -> None:
    for profile in (russian, german):
        prompt = compose(profile, style, SHIPPED)
        assert prompt.language == "en"
        assert not CYRILLIC.search(prompt.positive), prompt.positive
        assert not {"stimmung", "daneben"} & set(re.findall(r"\w+", prompt.positive.casefold()))
        assert " mood" in prompt.positive


def test_a_wider_window_keeps_the_russian_setting_and_more_motifs(russian: VerbalPortrait) -> None:
    tight = compose(russian, STYLE, SHIPPED)
    wide = compose(russian, STYLE, with_budget(SHIPPED, 160))
    assert not tight.setting and CYRILLIC.search(wide.setting)  # a setting costs a Russian prompt ~45 CLIP tokens
    assert wide.setting in wide.positive and len(wide.motifs) >= len(tight.motifs)
    assert wide.token_budget == 160 and tight.tokens <= 77 < wide.tokens <= 160


# --- words, fallbacks, budget -----------------------------------------------------------------------------


def test_symbols_are_translated_and_concrete_words_kept_as_written() -> None:
    prompt = compose(portrait(["rss", "телескоп", "закваска"], "ru"), STYLE, with_budget(SHIPPED, 200))
    painted = dict(prompt.motifs)
    assert painted["rss"] == "оранжевый радиомаяк"  # the lexicon's symbol, in Russian
    assert painted["телескоп"] == "телескоп" and painted["закваска"] == "закваска"
    assert "задумчивое настроение" in prompt.positive and "серо-голубой" in prompt.positive


def test_german_concrete_words_are_painted_as_written() -> None:
    prompt = compose(portrait(["Sauerteig", "Fahrrad"], "de"), STYLE, SHIPPED)
    assert dict(prompt.motifs) == {"Sauerteig": "Sauerteig", "Fahrrad": "Fahrrad"}
    assert "nachdenkliche Stimmung" in prompt.positive and "Kerzenlicht" in prompt.positive


def test_themes_keep_the_persons_words_and_translate_posting_rhythms() -> None:
    config = _config("{scene}, {themes}", ru="{scene}, {themes}")
    themes = (
        Theme("Персеиды", 0.5, "hashtags"),
        Theme("night owl", 0.4, "rhythm"),
        Theme("weekend poster", 0.3, "rhythm"),
    )
    prompt = compose(portrait(["телескоп"], "ru", themes=themes), "native", with_budget(config, 200))
    assert "Персеиды" in prompt.positive and "полуночник" in prompt.positive and "owl" not in prompt.positive


def test_english_words_without_a_translation_are_left_out_not_mixed_in(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    prompt = compose(
        portrait(["телескоп"], "ru", palette=("moss", "a colour nobody translated")), STYLE, with_budget(SHIPPED, 200)
    )
    assert "моховой" in prompt.positive and "nobody" not in prompt.positive
    assert "no Russian text for the palette words a colour nobody translated" in caplog.text


def test_a_language_without_shipped_text_falls_back_to_english_with_a_log_line(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    assert "pl" not in shipped_languages()
    prompt = compose(portrait(["rower"], "pl"), STYLE, SHIPPED)
    assert prompt.language == "en" and " mood" in prompt.positive
    assert f"style {STYLE}: no shipped language text for 'pl': the prompt is in English" in caplog.text


def test_a_style_without_its_own_words_for_the_language_falls_back_to_english(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    config = _config(ru=None, de=None)
    prompt = compose(portrait(["телескоп"], "ru"), "native", config)
    assert prompt.language == "en" and not CYRILLIC.search(prompt.positive)
    assert "no [styles.native.language.ru] table for 'ru'" in caplog.text


def test_a_fixed_code_writes_that_language_for_any_portrait() -> None:
    config = _config(prompt_language="de")
    prompt = compose(portrait(["bicycle", "rss"], "en"), "native", config)
    assert prompt.language == "de"
    assert dict(prompt.motifs) == {"bicycle": "bicycle", "rss": "ein orangefarbenes Funkfeuer"}
    assert "nachdenkliche Stimmung" in prompt.positive


def test_the_setting_gives_way_before_the_last_motif_and_motifs_that_fit_return() -> None:
    themes = (Theme("астрономия", 0.6, "hashtags"),)
    person = portrait(["телескоп", "закваска", "велосипед"], "ru", themes=themes)
    wide = compose(person, STYLE, with_budget(SHIPPED, 200))
    assert wide.setting and len(wide.motifs) == 3
    tight = compose(person, STYLE, with_budget(SHIPPED, 60))
    assert not tight.setting and tight.motifs and tight.tokens <= 60
    over = {k for k, why in tight.keywords_dropped if why == OVER_BUDGET}
    assert over == {k for k, _ in wide.motifs} - {k for k, _ in tight.motifs}


def test_the_prompt_names_its_tokenizer_and_budget() -> None:
    words = TokenCounter("words", lambda text: len(text.split()) + 2)
    config = _config(max_tokens=40)
    prompt = compose(portrait(["телескоп", "закваска"], "ru"), "native", config, counter=words)
    assert (prompt.counted_by, prompt.token_budget) == ("words", 40)
    assert prompt.tokens == len(prompt.positive.split()) + 2 <= 40
    assert Prompt.from_dict(prompt.to_dict()) == prompt


def test_the_clip_count_of_cyrillic_is_about_a_token_a_letter() -> None:
    # Why a Russian prompt in CLIP's 77 tokens is short: CLIP's byte-level BPE has few Cyrillic merges.
    count = shipped_clip_counter().count
    assert count("телескоп") - 2 >= 6 and count("telescope") - 2 == 1


# --- selection by model ------------------------------------------------------------------------------------


def test_selection_passes_over_a_style_written_for_another_model() -> None:
    person = portrait(["телескоп"], "ru", label="pensive")
    seed = portrait_seed(person)
    rotation = SHIPPED.model_copy(update={"compose": SHIPPED.compose.model_copy(update={"selection": "rotation"})})
    chosen = {pick_style(person, rotation, None, seed=seed, turn=t) for t in range(len(SHIPPED.styles))}
    assert STYLE not in chosen and len(chosen) == len(SHIPPED.styles) - 1
    kandinsky = rotation.model_copy(
        update={"render": rotation.render.model_copy(update={"model": "kandinsky-community/kandinsky-3"})}
    )
    assert STYLE in {pick_style(person, kandinsky, None, seed=seed, turn=t) for t in range(len(SHIPPED.styles))}
    assert pick_style(person, rotation, STYLE, seed=seed) == STYLE  # named, it is always used


# --- the shipped text and the config ---------------------------------------------------------------------


@pytest.mark.parametrize("code", ["ru", "de", "es", "fr", "da", "it", "pt", "nl"])
def test_the_shipped_text_covers_the_lexicon_and_the_mood_words(code: str) -> None:
    text = load_language(code)
    assert text is not None and code in shipped_languages()
    motifs = {str(v) for v in LEXICON["motifs"].values() if v}
    settings = {str(v) for v in LEXICON["settings"].values()}
    # The lexicon grows: a new motif without a translation is painted as the person's word meanwhile.
    assert len(motifs & set(text.motifs)) >= 0.9 * len(motifs), sorted(motifs - set(text.motifs))
    assert len(settings & set(text.settings)) >= 0.9 * len(settings), sorted(settings - set(text.settings))
    palettes = mood_module._PALETTES  # the describe stage's mood labels with their colour and light words
    assert set(palettes) <= set(text.moods)
    assert {w for colours, light in palettes.values() for w in (*colours, *light)} <= set(text.words)
    assert {"night owl", "early bird", "weekend poster"} <= set(text.words)
    assert all(not LATIN.search(v) for v in text.motifs.values()) if code == "ru" else True


def test_wording_in_english_is_the_style_itself() -> None:
    spec = SHIPPED.styles["oil-portrait"]
    words = wording(spec, "oil-portrait", SHIPPED.compose, "ru")
    assert (words.code, words.template, words.technique, words.text) == ("en", spec.template, spec.technique, None)


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('prompt_language = "klingon"', r"styles.native.prompt_language: .*\"english\", \"portrait\" or a two-letter"),
        ('[styles.native.language.russian]\ntemplate = "{scene}"', r"styles.native.language: .*two-letter code"),
        (
            '[styles.native.language.fr]\ntemplate = "{scene}, {technique}"',
            r"styles.native.language.fr: .*names \{technique\} but the style sets no technique",
        ),
        (
            '[styles.native.language.fr]\ntemplate = "une nature morte"',
            r"styles.native.language.fr.template: .*neither",
        ),
        ("max_tokens = 4", r"styles.native.max_tokens: .*greater than or equal to 8"),
    ],
)
def test_a_bad_language_key_names_it(tmp_path: Path, table: str, message: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(
        '[styles.native]\ntemplate = "{scene}"\nprompt_language = "portrait"\n' + table + "\n", encoding="utf-8"
    )
    if table.startswith("prompt_language"):
        path.write_text(f'[styles.native]\ntemplate = "{{scene}}"\n{table}\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_config(path)


def _config(
    template: str = "{scene}, {mood} mood",
    *,
    prompt_language: str = "portrait",
    ru: str | None = "{scene}, {mood} настроение",
    de: str | None = "{scene}, {mood} Stimmung",
    **keys: object,
) -> Config:
    """One style "native" that asks for ``prompt_language``, with its own Russian and German templates."""
    language = {code: {"template": t} for code, t in (("ru", ru), ("de", de)) if t is not None}
    style = {"template": template, "prompt_language": prompt_language, "language": language, **keys}
    return parse_config({"compose": {"default_style": "native"}, "styles": {"native": style}}, ROOT / "test.toml")


def test_the_kandinsky_style_has_its_own_words_in_every_shipped_language() -> None:
    assert (
        set(SHIPPED.styles[STYLE].language)
        == set(shipped_languages())
        == {"da", "de", "es", "fr", "it", "nl", "pt", "ru"}
    )


@pytest.mark.parametrize(
    ("place", "expected"),
    [
        ("after subject", "портрет в саду, рядом: телескоп и закваска"),
        ("at the end", "портрет, рядом: телескоп и закваска, в саду"),
        ("left out", "портрет, рядом: телескоп и закваска"),
    ],
)
def test_the_scene_puts_the_setting_where_the_style_says(place: str, expected: str) -> None:
    words = wording(SHIPPED.styles[STYLE], STYLE, SHIPPED.compose, "ru")
    assert words.scene("портрет", "в саду", ["телескоп", "закваска"], place) == expected
    alone = {"after subject": "портрет в саду", "at the end": "портрет, в саду", "left out": "портрет"}
    assert words.scene("портрет", "в саду", [], place) == alone[place]


@pytest.mark.parametrize(
    ("style", "key"),
    [
        ({"language": {"sv": {"template": "{scene}"}}}, "styles.native.language.sv"),
        ({"prompt_language": "sv"}, "styles.native.prompt_language"),
    ],
)
def test_a_language_without_shipped_text_named_by_a_style_is_a_config_error(style: dict[str, object], key: str) -> None:
    config = parse_config(
        {"compose": {"default_style": "native"}, "styles": {"native": {"template": "{scene}", **style}}},
        ROOT / "c.toml",
    )
    with pytest.raises(ConfigError, match=f"{key}: no shipped language text for 'sv' .*lang_sv.toml"):
        compose(portrait(["bicycle"], "sv"), "native", config)


def test_an_english_style_in_a_tight_window_gives_up_its_setting_before_failing() -> None:
    person = portrait(["telescope", "bicycle"], "en", themes=(Theme("astronomy", 0.6, "hashtags"),))
    assert compose(person, "oil-portrait", SHIPPED).setting
    fitted: dict[int, Prompt] = {}
    for budget in range(77, 8, -1):
        try:
            fitted[budget] = compose(person, "oil-portrait", with_budget(SHIPPED, budget))
        except ComposeError:
            break
    assert all(prompt.tokens <= budget for budget, prompt in fitted.items())
    narrowest = fitted[min(fitted)]
    assert not narrowest.setting and narrowest.motifs  # the setting went, the person's motif stayed
    assert any(prompt.setting for prompt in fitted.values())


def test_the_prompt_command_says_the_language_and_the_styles_own_budget(capsys: pytest.CaptureFixture[str]) -> None:
    from installation.cli import main

    (export,) = (ROOT / "sample_profiles" / "twitter").glob("twitter-2025-11-02-*.zip")
    config = ROOT / "config.toml"
    assert main(["prompt", str(export), "--style", "kandinsky-native", "--config", str(config)]) == 0
    out = capsys.readouterr().out
    assert "language: ru" in out
    budget = SHIPPED.styles["kandinsky-native"].max_tokens or SHIPPED.compose.max_tokens
    assert re.search(rf"^tokens: +\d+ of {budget} \(", out, re.M)
    assert re.search(r"^prompt: +.*[а-я]", out, re.M)
