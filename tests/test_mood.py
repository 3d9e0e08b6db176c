"""Mood: VADER valence, NRC emotions, arousal and the label words (lexicons only, no models: fast)."""

from __future__ import annotations

import re

import numpy as np

from extractors.describe.mood import _PALETTES, read_mood
from extractors.describe.portrait import Mood

HAPPY = [
    "What a wonderful day, I love this sunshine and my amazing friends!",
    "So happy and grateful, the best holiday ever.",
    "Laughing all evening, pure joy, great food and lovely people.",
    "Won the little race today, I feel fantastic and proud!",
]
SAD = [
    "Feeling lonely and sad tonight, I miss my grandmother so much.",
    "Another grey day, tired and hopeless, nothing works.",
    "Cried at the funeral, grief is heavy and the house is empty.",
    "Lost my job today, I feel awful and broken.",
]
CALM = [
    "Quiet morning tea by the window, slow and peaceful.",
    "A calm walk by the lake, the water was still.",
    "Reading in the garden, gentle breeze, nothing to do.",
]
AGITATED = [
    "FURIOUS!!! The train cancelled AGAIN, I am so angry!!",
    "Terrified, the storm is screaming outside, the windows shake!",
    "Outrage!! They lied to us, this is a disgrace!!!",
]


def mood_of(texts: list[str]) -> Mood:
    lemmas = [re.findall(r"[a-z]+", t.lower()) for t in texts]
    return read_mood(texts, lemmas, np.ones(len(texts)))


def test_valence_follows_obviously_happy_and_sad_posts() -> None:
    happy, sad = mood_of(HAPPY), mood_of(SAD)
    assert happy.valence > 0.3
    assert sad.valence < -0.3
    assert happy.emotions[0].name in ("joy", "trust", "anticipation")
    assert "sadness" in {e.name for e in sad.emotions[:2]}


def test_arousal_separates_calm_from_agitated() -> None:
    calm, agitated = mood_of(CALM), mood_of(AGITATED)
    assert agitated.arousal > 0.3
    assert calm.arousal < agitated.arousal - 0.4
    assert agitated.label in ("restless", "fierce", "indignant", "anxious")


def test_labels_carry_palette_and_lighting_words() -> None:
    for texts in (HAPPY, SAD, CALM, AGITATED):
        mood = mood_of(texts)
        assert mood.label in _PALETTES
        assert (mood.palette, mood.lighting) == _PALETTES[mood.label]
        assert -1 <= mood.valence <= 1 and -1 <= mood.arousal <= 1
        assert abs(sum(e.weight for e in mood.emotions) - 1) < 0.01 or len(mood.emotions) == 4
    assert mood_of(SAD).label in ("wistful", "melancholy", "pensive", "uneasy", "weary")
    assert mood_of(HAPPY).label in ("exuberant", "eager", "playful", "buoyant", "warm", "cheerful", "content")


def test_recent_posts_weigh_more_in_valence() -> None:
    texts = SAD + HAPPY
    lemmas = [re.findall(r"[a-z]+", t.lower()) for t in texts]
    recent_happy = read_mood(texts, lemmas, np.array([0.05] * len(SAD) + [1.0] * len(HAPPY)))
    recent_sad = read_mood(texts, lemmas, np.array([1.0] * len(SAD) + [0.05] * len(HAPPY)))
    assert recent_happy.valence > 0.3 > -0.3 > recent_sad.valence


def test_no_emotion_words_is_neutral_not_an_error() -> None:
    mood = mood_of(["Tuesday.", "Bus 42 at 8:15."])
    assert mood.emotions == ()
    assert abs(mood.valence) < 0.1
    assert mood.label in _PALETTES
