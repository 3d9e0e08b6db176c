"""Adverbs and past tenses make no keyword phrase: a cheap lexical rule, no tagger."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from extractors.describe.candidates import _english_adverb, read_posts
from extractors.describe.nlp import first_names


def test_ly_adverbs_are_told_from_ly_nouns() -> None:
    assert [w for w in ("finally", "happily", "gently", "family", "jelly", "rally", "lily") if _english_adverb(w)] == [
        "finally", "happily", "gently"]


def test_banneton_finally_is_no_phrase_but_banneton_is_a_word() -> None:
    texts = ["The banneton finally arrived today.", "Proofed the dough in the banneton finally.",
             "My banneton finally has a home."]
    start = datetime(2024, 1, 1, tzinfo=UTC)
    times = [(start + timedelta(days=30 * i)).timestamp() for i in range(len(texts))]
    found = read_posts(texts, ["en"] * 3, times, ["en"], first_names()).candidates
    assert "banneton" in found
    assert not [key for key in found if "final" in key or "proof" in key]
