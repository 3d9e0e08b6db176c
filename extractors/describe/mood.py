"""Mood: valence from VADER, emotions from the NRC emotion lexicon, arousal from both and the punctuation.

A label word comes from the valence/arousal quadrant and the dominant emotion ("wistful" is sad and calm,
"restless" is negative and agitated); each label carries colour and lighting words for the composer.
VADER and NRC are English lexicons: for other languages they catch emoji, loan words and punctuation only.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from extractors.describe.nlp import emotion_lexicon, vader
from extractors.describe.portrait import Emotion, Mood

# How stirred up each NRC emotion is, after the circumplex model of affect (calm -1 .. excited 1).
_AROUSAL = {
    "anger": 0.8, "fear": 0.6, "surprise": 0.7, "anticipation": 0.5,
    "joy": 0.4, "disgust": 0.3, "trust": -0.3, "sadness": -0.6,
}
_NEUTRAL = 0.1  # |valence| or |arousal| below this is "neither"
_MAX_EMOTIONS = 4

# Label by quadrant (valence sign, arousal sign), then by dominant emotion; "" is the quadrant's default.
_LABELS: dict[tuple[int, int], dict[str, str]] = {
    (1, 1): {"": "exuberant", "anticipation": "eager", "surprise": "playful", "trust": "buoyant"},
    (1, -1): {"": "serene", "joy": "content", "anticipation": "hopeful", "trust": "serene"},
    (-1, 1): {"": "restless", "anger": "fierce", "disgust": "indignant", "fear": "anxious"},
    (-1, -1): {"": "wistful", "sadness": "wistful", "fear": "uneasy", "disgust": "weary"},
    (0, 1): {"": "curious", "anticipation": "expectant", "surprise": "curious"},
    (0, -1): {"": "contemplative", "sadness": "pensive", "trust": "steady"},
    (1, 0): {"": "warm", "joy": "cheerful"},
    (-1, 0): {"": "melancholy", "anger": "brooding"},
    (0, 0): {"": "contemplative"},
}

_PALETTES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "exuberant": (("saffron yellow", "coral", "turquoise"), ("bright midday sun", "sparkling highlights")),
    "eager": (("tangerine", "sky blue", "fresh green"), ("crisp morning light", "long clear shadows")),
    "playful": (("magenta", "lemon", "mint"), ("dappled light", "confetti of reflections")),
    "buoyant": (("sunflower yellow", "cornflower blue", "white"), ("open airy daylight",)),
    "serene": (("sage green", "pale blue", "ivory"), ("soft diffuse light", "still water reflections")),
    "content": (("honey", "cream", "olive"), ("warm window light", "gentle afternoon glow")),
    "hopeful": (("dawn pink", "pale gold", "light teal"), ("first light of dawn", "rising sun")),
    "warm": (("amber", "terracotta", "rose"), ("golden hour", "warm lamplight")),
    "cheerful": (("marigold", "poppy red", "sky blue"), ("sunny daylight", "bright even light")),
    "restless": (("electric blue", "rust", "charcoal"), ("flickering light", "hard contrast")),
    "fierce": (("crimson", "black", "burnt orange"), ("harsh side light", "deep shadows")),
    "indignant": (("oxblood", "acid green", "slate"), ("stark overhead light", "glare")),
    "anxious": (("steel grey", "sickly yellow", "ink blue"), ("uneasy twilight", "flickering neon")),
    "wistful": (("dusty rose", "muted lavender", "faded blue"), ("late afternoon haze", "soft rain light")),
    "uneasy": (("grey-green", "bruised purple", "fog white"), ("overcast light", "dim corridors")),
    "weary": (("ash grey", "sepia", "washed-out ochre"), ("low flat light", "dusk")),
    "melancholy": (("indigo", "slate grey", "muted teal"), ("blue hour", "overcast sky")),
    "brooding": (("deep plum", "graphite", "dark teal"), ("chiaroscuro", "storm light")),
    "curious": (("teal", "copper", "warm white"), ("spotlight", "light through a half-open door")),
    "expectant": (("pale gold", "navy", "peach"), ("pre-dawn glow", "backlight")),
    "contemplative": (("ochre", "stone grey", "deep green"), ("quiet north light", "soft shadows")),
    "pensive": (("grey blue", "moss", "parchment"), ("rainy window light", "candlelight")),
    "steady": (("navy", "oak brown", "linen"), ("even daylight", "calm studio light")),
}


def read_mood(texts: Sequence[str], lemmas: Sequence[Sequence[str]], weights: npt.NDArray[np.float64]) -> Mood:
    """The mood of ``texts`` (their ``lemmas`` feed the emotion lexicon; ``weights`` favour recent posts)."""
    # 1. Valence: VADER's compound score per post, recency-weighted
    analyser = vader()
    compound = np.array([analyser.polarity_scores(t)["compound"] for t in texts], dtype=np.float64)
    valence = float(np.average(compound, weights=weights)) if len(texts) else 0.0
    # 2. Emotions: shares of NRC emotion words (its "positive"/"negative" flags are valence, counted above)
    emotions = _emotions([w for words in lemmas for w in words])
    # 3. Arousal: how stirred up the emotions are, plus exclamation marks and shouting
    arousal = _arousal(emotions, texts)
    # 4. Words for the composer
    label = _label(valence, arousal, emotions)
    palette, lighting = _PALETTES[label]
    return Mood(
        valence=round(float(np.clip(valence, -1, 1)), 4),
        arousal=round(arousal, 4),
        emotions=emotions,
        label=label,
        palette=palette,
        lighting=lighting,
    )


def _emotions(words: list[str]) -> tuple[Emotion, ...]:
    lexicon: Any = emotion_lexicon()
    lexicon.load_token_list(words)
    scores = {k: float(v) for k, v in lexicon.raw_emotion_scores.items() if k in _AROUSAL}
    total = sum(scores.values())
    if not total:
        return ()
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:_MAX_EMOTIONS]
    return tuple(Emotion(name, round(v / total, 4)) for name, v in ranked)


def _arousal(emotions: tuple[Emotion, ...], texts: Sequence[str]) -> float:
    share = sum(e.weight for e in emotions)
    felt = sum(e.weight * _AROUSAL[e.name] for e in emotions) / share if share else 0.0
    if not texts:
        return 0.0
    exclaiming = sum("!" in t for t in texts) / len(texts)
    shouting = sum(any(len(w) > 2 and w.isupper() and w.isalpha() for w in t.split()) for t in texts) / len(texts)
    # Emotion words set the direction; one post in three with "!" or CAPS lifts it noticeably.
    return float(np.clip(felt + 0.8 * exclaiming + 0.4 * shouting - 0.25, -1, 1))


def _sign(value: float) -> int:
    return 0 if abs(value) < _NEUTRAL else (1 if value > 0 else -1)


def _label(valence: float, arousal: float, emotions: tuple[Emotion, ...]) -> str:
    quadrant = _LABELS[(_sign(valence), _sign(arousal))]
    for emotion in emotions[:2]:  # the dominant emotion names the label if the quadrant knows it
        if emotion.name in quadrant:
            return quadrant[emotion.name]
    return quadrant[""]
