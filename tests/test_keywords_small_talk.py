"""Issue 11: small talk fades (any language), what recurs over time beats a news burst, German lists are no names."""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import ModuleType

from extractors import Post, Profile
from extractors.describe import describe
from extractors.describe.keywords import _common_share
from extractors.describe.names import masked, tokens
from extractors.settings import DescribeConfig

CONFIG = DescribeConfig(max_embedded_posts=24, max_candidates=80)
CHATTER = [
    "Coffee first this morning, so tired after work, and the bus was full too.",
    "Long meeting this morning, the weekend cannot come soon enough, need more sleep this week.",
    "Tea and an early night, another long day at work tomorrow.",
    "Lunch with friends from work, but home now with a tea.",
    "The train was late again, at least the coffee at work was good.",
    "Pizza dinner with friends at the weekend, so back to bed early.",
    "So tired after work, coffee and an early night.",
    "Too many emails this week, the weekend cannot come soon enough.",
    "Rain all day today, home now with a tea and friends at the weekend.",
]
BAKING = [
    "Fed the sourdough starter before work, the banneton is dusted with rye.",
    "Rye sourdough with caraway, the banneton left a lovely spiral.",
    "Caraway and rye again, the sourdough starter doubled overnight.",
]


def _profile(texts: Sequence[str], step_days: float = 9.0, lang: str | None = "en") -> Profile:
    start = datetime(2024, 1, 1, 12, tzinfo=UTC)
    posts = tuple(
        Post(text=t, created_at=start + timedelta(days=step_days * i), lang=lang, kind="post", platform="plain")
        for i, t in enumerate(texts)
    )
    return Profile(platform="plain", posts=posts, post_count=len(posts))


def test_small_talk_that_recurs_gives_way_to_the_pastime_said_in_a_few_posts() -> None:
    # Chatter dominates the profile (coffee, tea, work, weekend in many posts), the pastime is three posts.
    texts = [t for pair in zip(CHATTER, BAKING + [""] * 6, strict=True) for t in pair if t]
    phrases = [k.phrase.lower() for k in describe(_profile(texts), CONFIG).keywords]
    words = [set(p.split()) for p in phrases]
    small_talk = [n for n, w in enumerate(words) if w & {"coffee", "tea", "work", "weekend", "friends", "bus", "sleep"}]
    pastime = [n for n, w in enumerate(words) if w & {"sourdough", "rye", "caraway", "banneton"}]
    assert len(pastime) >= 3, phrases
    # Small talk only after the pastime, and only to reach the minimum length of the list.
    assert all(s > max(pastime) for s in small_talk) and len(phrases) <= CONFIG.min_keywords, phrases


def test_everyday_words_are_small_talk_in_each_language_and_a_gerund_counts_as_its_verb() -> None:
    for key, lang in (
        ("thinking", "en"),
        ("talking", "en"),
        ("kopf", "de"),
        ("venner", "da"),
        ("besoin", "fr"),
        ("day-to-day", "en"),
    ):
        assert _common_share(key, lang) >= 0.5, key
    for key, lang in (
        ("sourdough", "en"),
        ("baking", "en"),
        ("sauerteig", "de"),
        ("levain", "fr"),
        ("zustellungs-filter", "de"),
    ):
        assert _common_share(key, lang) == 0.0, key


def test_a_word_used_over_the_months_beats_a_news_burst_of_more_posts() -> None:
    # Six posts about a hailstorm in one week, four about the allotment over a year: the allotment's words win.
    texts = [f"The hailstorm again, {w} everywhere." for w in ("hail", "ice", "water", "chaos", "damage", "mess")]
    texts += [f"Dahlias and compost at the allotment, {w}." for w in ("spring", "summer", "autumn", "winter")]
    start = datetime(2024, 1, 1, 12, tzinfo=UTC)
    days = [100.0 + d for d in range(6)] + [0.0, 120.0, 240.0, 360.0]
    posts = tuple(
        Post(text=t, created_at=start + timedelta(days=d), lang="en", kind="post", platform="plain")
        for t, d in sorted(zip(texts, days, strict=True), key=lambda td: td[1])
    )
    phrases = [k.phrase for k in describe(Profile(platform="plain", posts=posts, post_count=10), CONFIG).keywords]
    spread = [phrases.index(w) for w in ("allotment", "compost", "dahlias") if w in phrases]
    assert len(spread) >= 2 and sorted(spread)[1] < phrases.index("hailstorm"), phrases


def test_capitalised_german_nouns_in_a_list_are_no_names_but_thanked_people_still_are() -> None:
    def known(word: str) -> bool:
        return word.lower() in {"sauerteig", "roggen", "abend", "wieder", "ein", "mit", "und", "hilfe", "für"}

    text = "Wieder ein Abend mit Sauerteig und Roggen."
    toks = tokens(text)
    hidden = {toks[i].text for i in masked(text, toks, frozenset(), known, capital_nouns=True)}
    assert not hidden & {"Sauerteig", "Roggen"}, hidden
    thanks = "Danke an Gabrielle, poconnell und Renée für die Hilfe!"
    toks = tokens(thanks)
    hidden = {toks[i].text for i in masked(thanks, toks, frozenset({"Gabrielle", "Renée"}), known, capital_nouns=True)}
    assert {"Gabrielle", "poconnell", "Renée"} <= hidden, hidden


def test_a_german_baker_keeps_the_bread_she_bakes_with_others() -> None:
    texts = [
        "Wieder ein Abend mit Sauerteig und Roggen, das Brot ging mir nicht aus dem Kopf.",
        "Heute wieder Sauerteig, Roggen und Kümmel.",
        "Ein Laib mit Roggen und Sauerteig, die Krume ist perfekt.",
        "Mit Kümmel und Roggen gebacken, der Sauerteig war kräftig.",
    ]
    phrases = {k.phrase for k in describe(_profile(texts, lang="de"), CONFIG).keywords}
    assert {"Sauerteig", "Roggen"} <= phrases, phrases


def _fidelity() -> ModuleType:
    path = Path(__file__).resolve().parent.parent / "bench" / "fidelity.py"
    spec = importlib.util.spec_from_file_location("fidelity_bench", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_fidelity_judge_gives_a_short_profile_no_edge() -> None:
    # A list of the long baker's words, one of which (tea) the short chatterer also uses: the baker is picked.
    baker = _profile(BAKING + CHATTER + [f"Rye loaf number {n}, caraway on top." for n in range(20)])
    chatterer = _profile(["Tea and toast.", "Tea again, rain.", "Tea time, rain all day."])
    others = [_profile([f"{w} and {w} again, the {w} club." for w in ws]) for ws in (("chess", "rook"), ("kayak",))]
    profiles = [baker, chatterer, *others]
    picks = _fidelity().judge(["tea rye caraway banneton", "tea rain toast"], profiles)
    assert picks == [0, 1]
