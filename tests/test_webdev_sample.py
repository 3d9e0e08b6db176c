"""Issue 12's "done when", on real-looking exports: the web developer, the baker and the astronomer each give
a scene a painter could paint in every shipped style, read and described as a visitor's upload would be."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
from composing import compose
from test_compose import SHIPPED

from extractors import read_export
from extractors.describe.portrait import VerbalPortrait
from extractors.describe.portray import describe
from installation.compose.motifs import load_lexicon
from installation.compose.scene import portrait_languages

SAMPLES = Path(__file__).resolve().parents[1] / "sample_profiles"
EXPORTS = {
    "web developer": "mastodon/archive-20260221174512-*.tar.gz",
    "baker": "reddit/export_sourdough_sam_20240301.zip",
    "astronomer": "twitter/twitter-2026-03-14-*.zip",
}
# Words of the web developer's posts that have no image of their own: painted as a symbol, or not at all.
RAW = ("rss", "dm", "ui", "datum", "tweet", "bookmark", "crosspost")
LEXICON = load_lexicon(SHIPPED)


@cache
def _portrait(who: str) -> VerbalPortrait:
    """Describing an export takes seconds: once per person for the whole module."""
    (export,) = SAMPLES.glob(EXPORTS[who])
    return describe(read_export(export, SHIPPED.extract.limits()), SHIPPED.describe)


def test_the_web_developer_sample_is_about_the_web() -> None:
    # The sample must carry the words, or the test below proves nothing about them
    phrases = {k.phrase.casefold() for k in _portrait("web developer").keywords}
    assert {"rss", "css"} <= phrases, phrases


@pytest.mark.parametrize("style", sorted(SHIPPED.styles))
@pytest.mark.parametrize("who", sorted(EXPORTS))
def test_each_sample_gives_a_scene_with_motifs_and_no_raw_words(who: str, style: str) -> None:
    portrait = _portrait(who)
    prompt = compose(portrait, style, SHIPPED)
    assert prompt.setting, (who, style, prompt.positive)
    assert len(prompt.motifs) >= 2, (who, style, prompt.motifs)
    for raw in RAW:
        assert not re.search(rf"\b{raw}\b", prompt.positive, re.IGNORECASE), (who, style, raw, prompt.positive)
    translate = portrait.language.main != "en"
    painted = dict(prompt.motifs)
    assert set(painted) <= set(prompt.keywords_used), (prompt.motifs, prompt.keywords_used)
    for keyword in prompt.keywords_used:
        motif = LEXICON.motif(keyword, translate_first=translate, langs=portrait_languages(portrait))
        assert motif.text, (keyword, motif.source)
        assert motif.source.startswith(("lexicon", "concreteness")), (keyword, motif.source)
        if keyword in painted:
            assert painted[keyword] == motif.text, (keyword, painted[keyword], motif)
