"""Mood: valence and emotions read in each post's own language, arousal from the emotions and the punctuation.

English posts keep VADER (valence) and the NRC emotion lexicon (emotions). Posts in German, Spanish,
French, Italian, Portuguese, Dutch, Russian and Danish are read with the mood lexicon of their language
(``data/mood_lexicon.toml``): each word is looked up as written and as its simplemma lemma, negation
("nicht", "pas", "no", "не", "ikke") flips and damps it, intensifiers strengthen it, the part after "but"
counts more, and emoji and emoticons are scored by VADER's emoji lexicon. A post's valence is normalised
as VADER's compound score, so posts of every language average into one mood. A language without a
lexicon is read as English. A label word comes from the valence/arousal quadrant and the dominant emotion
("wistful" is sad and calm, "restless" is negative and agitated); each label carries colour and lighting
words for the composer.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt

from extractors.describe import languages
from extractors.describe.nlp import emotion_lexicon, mood_lexicon, vader
from extractors.describe.portrait import Emotion, Mood
from extractors.errors import DescribeError

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


# Word scores on VADER's scale (its lexicon rates "good" 1.9, "love" 3.2), so compound scores compare.
_WORD_SCALE = 3.0
_VADER_ALPHA = 15.0  # VADER's normalisation: compound = sum / sqrt(sum^2 + alpha)
_NEGATED = -0.5  # a negated word flips and loses half its weight ("nicht gut" is bad, not as bad as "schlecht")
_INTENSIFIED = 1.3
_BEFORE_BUT, _AFTER_BUT = 0.5, 1.5  # VADER's weights around "but"
_EXCLAMATION = 0.292  # VADER's emphasis per "!", up to four
_NEGATION_BEFORE, _NEGATION_AFTER = 4, 4  # words a negator reaches forwards ("no fue un día bonito"); backwards
_MIN_PREFIX = 3
_TOKEN = re.compile(r"[^\W\d_]+|[.,;:!?…\n]")  # words (elisions split: "n'aime" is "n", "aime") and clause ends


@dataclass(frozen=True)
class _Lexicon:
    """One language's mood lexicon: whole words, word starts ("glück*"), and the words that bend them."""

    words: dict[str, tuple[float, str]]
    prefixes: dict[str, tuple[float, str]]
    negators: frozenset[str]
    intensifiers: frozenset[str]
    contrast: frozenset[str]
    post_negation: bool
    longest: int  # the longest word start, where the prefix search begins


@dataclass(frozen=True)
class _PostMood:
    valence: float  # VADER-style compound score, -1 .. 1
    emotions: Counter[str]  # emotion -> how many feeling words of it (NRC posts: none, counted together)


def read_mood(
    texts: Sequence[str],
    lemmas: Sequence[Sequence[str]],
    weights: npt.NDArray[np.float64],
    langs: Sequence[str] | None = None,
) -> Mood:
    """The mood of ``texts``, each read in its language ``langs`` (the describe stage's per-post languages).

    ``lemmas`` are each post's content-word lemmas (they feed the English emotion lexicon), ``weights``
    favour recent posts. Without ``langs`` each post's language is detected as the describe stage does.
    """
    # 1. Check inputs
    check_inputs(texts, lemmas, weights, langs)
    langs = list(langs) if langs is not None else post_languages(texts)
    # 2. Each post in its own language: the mood lexicon where the language has one, else VADER and NRC
    analyser = vader()
    read = [_read_post(text, lang, analyser) for text, lang in zip(texts, langs, strict=True)]
    # 3. Valence: the posts' compound scores, recency-weighted
    valence = float(np.average([r.valence for r in read], weights=weights)) if len(texts) else 0.0
    # 4. Emotions: NRC's emotion words of the English (and unlexiconed) posts plus the lexicon's of the others
    counts: Counter[str] = Counter()
    for r in read:
        counts.update(r.emotions)
    english = [w for words, r, lang in zip(lemmas, read, langs, strict=True) if _lexicon(lang) is None for w in words]
    counts.update(_nrc_counts(english))
    emotions = _shares(counts)
    # 5. Arousal: how stirred up the emotions are, plus exclamation marks and shouting
    arousal = _arousal(emotions, texts)
    # 6. Words for the composer
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


def check_inputs(
    texts: Sequence[str],
    lemmas: Sequence[Sequence[str]],
    weights: npt.NDArray[np.float64],
    langs: Sequence[str] | None,
) -> None:
    if len(lemmas) != len(texts) or len(weights) != len(texts):
        raise DescribeError(
            f"mood needs one lemma list and one weight per post: {len(texts)} posts, "
            f"{len(lemmas)} lemma lists, {len(weights)} weights"
        )
    if langs is not None and len(langs) != len(texts):
        raise DescribeError(f"mood needs one language per post: {len(texts)} posts, {len(langs)} languages")


def post_languages(texts: Sequence[str]) -> list[str]:
    """Each post's language as the describe stage finds it for an untagged post: detected, else the main one."""
    found = [languages.detect(text) for text in texts]
    known = Counter(lang for lang in found if lang)
    main = known.most_common(1)[0][0] if known else "en"
    return [lang or main for lang in found]


def _read_post(text: str, lang: str, analyser: Any) -> _PostMood:
    lexicon = _lexicon(lang)
    if lexicon is None:
        return _PostMood(float(analyser.polarity_scores(text)["compound"]), Counter())
    return _read_with_lexicon(text, lang, lexicon, analyser)


def _read_with_lexicon(text: str, lang: str, lexicon: _Lexicon, analyser: Any) -> _PostMood:
    """A post's compound valence and emotion words, by the mood lexicon of its language."""
    tokens = _TOKEN.findall(text)
    lows = [t.lower() for t in tokens]
    # Clause number of every token: punctuation and "but" end the reach of a negator or an intensifier
    ends = [not t[0].isalpha() or low in lexicon.contrast for t, low in zip(tokens, lows, strict=True)]
    clause = np.cumsum(ends).tolist()
    entries = [
        None if not t[0].isalpha() else _entry(lexicon, t, low, lang) for t, low in zip(tokens, lows, strict=True)
    ]
    but = max((i for i, low in enumerate(lows) if low in lexicon.contrast), default=-1)
    total, emotions = 0.0, Counter[str]()
    for i, entry in enumerate(entries):
        if entry is None or _modifies(lexicon, lows, entries, i):
            continue
        value, emotion = entry
        score = _WORD_SCALE * value

        def near(words: frozenset[str], lo: int, hi: int, i: int = i) -> bool:
            return any(lows[j] in words and clause[j] == clause[i] for j in range(max(lo, 0), min(hi, len(lows))))

        if near(lexicon.intensifiers, i - 2, i):
            score *= _INTENSIFIED
        negated = near(lexicon.negators, i - _NEGATION_BEFORE, i) or (
            lexicon.post_negation and near(lexicon.negators, i + 1, i + 1 + _NEGATION_AFTER)
        )
        if negated:
            score *= _NEGATED
        elif emotion:
            emotions[emotion] += 1  # "not happy" is no joy, and no sadness either
        if but >= 0:
            score *= _BEFORE_BUT if i < but else _AFTER_BUT
        total += score
    total += _emoji_sum(text, analyser)
    if total:
        total += math.copysign(_EXCLAMATION * min(text.count("!"), 4), total)
    return _PostMood(total / math.sqrt(total * total + _VADER_ALPHA), emotions)


def _modifies(lexicon: _Lexicon, lows: list[str], entries: list[tuple[float, str] | None], i: int) -> bool:
    """Whether word ``i`` only bends its neighbour: a negator, "but", or an intensifier before a feeling word."""
    low = lows[i]
    if low in lexicon.negators or low in lexicon.contrast:
        return True
    return low in lexicon.intensifiers and i + 1 < len(entries) and entries[i + 1] is not None


def _entry(lexicon: _Lexicon, token: str, low: str, lang: str) -> tuple[float, str] | None:
    """The lexicon's valence and emotion of a word: whole word as written, its lemma, then the longest start."""
    hit = lexicon.words.get(low)
    if hit is not None:
        return hit
    lemma = languages.lemma(token, lang)
    hit = lexicon.words.get(lemma)
    if hit is not None:
        return hit
    for word in (low, lemma):
        for k in range(min(len(word), lexicon.longest), _MIN_PREFIX - 1, -1):
            hit = lexicon.prefixes.get(word[:k])
            if hit is not None:
                return hit
    return None


def _emoji_sum(text: str, analyser: Any) -> float:
    """VADER's summed valence of the post's emoji and emoticons (":)", "<3", "😭"), on its raw scale."""
    # Emoji wherever they stand ("Tag😊"), and emoticons as whole tokens; VADER's English words stay out.
    marks = [ch for ch in text if unicodedata.category(ch) == "So"]
    marks += [t for t in text.split() if t in analyser.lexicon and not t[0].isalpha()]
    if not marks:
        return 0.0
    compound = float(np.clip(analyser.polarity_scores(" ".join(marks))["compound"], -0.999, 0.999))
    return compound * math.sqrt(_VADER_ALPHA / (1 - compound * compound))  # back from compound to VADER's sum


@lru_cache(maxsize=32)
def _lexicon(lang: str) -> _Lexicon | None:
    """The mood lexicon of ``lang`` with the entries every language shares, or None (English: VADER and NRC)."""
    data = mood_lexicon()
    if lang == "en" or lang not in data:
        return None
    section, shared = data[lang], data.get("all", {})
    words: dict[str, tuple[float, str]] = {}
    prefixes: dict[str, tuple[float, str]] = {}
    for raw in [*shared.get("words", ()), *section.get("words", ())]:  # the language's own entry wins
        key, value = _parse_entry(lang, raw)
        if key.endswith("*"):
            prefixes[key[:-1]] = value
        else:
            words[key] = value
    return _Lexicon(
        words=words,
        prefixes=prefixes,
        negators=frozenset(w.lower() for w in section.get("negators", ())),
        intensifiers=frozenset(w.lower() for w in section.get("intensifiers", ())),
        contrast=frozenset(w.lower() for w in section.get("contrast", ())),
        post_negation=bool(section.get("post_negation", False)),
        longest=max(map(len, prefixes), default=0),
    )


def _parse_entry(lang: str, raw: object) -> tuple[str, tuple[float, str]]:
    """``"glück* 0.7 joy"`` -> ("glück*", (0.7, "joy")), or an error naming the entry and what is wrong."""
    parts = str(raw).split()
    if not 2 <= len(parts) <= 3:
        raise DescribeError(f'mood lexicon [{lang}] entry {raw!r} must be "WORD VALENCE [EMOTION]"')
    word, emotion = parts[0].lower(), parts[2] if len(parts) == 3 else ""
    try:
        value = float(parts[1])
    except ValueError:
        raise DescribeError(
            f"mood lexicon [{lang}] entry {raw!r}: valence must be a number but is {parts[1]!r}"
        ) from None
    if not -1 <= value <= 1:
        raise DescribeError(f"mood lexicon [{lang}] entry {raw!r}: valence must be between -1 and 1 but is {value}")
    if emotion and emotion not in _AROUSAL:
        raise DescribeError(f"mood lexicon [{lang}] entry {raw!r}: emotion must be one of {sorted(_AROUSAL)}")
    if word.endswith("*") and len(word) - 1 < _MIN_PREFIX:
        raise DescribeError(f"mood lexicon [{lang}] entry {raw!r}: a word start needs {_MIN_PREFIX} letters")
    return word, (value, emotion)


def _nrc_counts(words: list[str]) -> Counter[str]:
    """NRC's emotion counts of English lemmas (its "positive"/"negative" flags are valence, read by VADER)."""
    if not words:
        return Counter()
    lexicon: Any = emotion_lexicon()
    lexicon.load_token_list(words)
    return Counter({k: float(v) for k, v in lexicon.raw_emotion_scores.items() if k in _AROUSAL})


def _shares(counts: Counter[str]) -> tuple[Emotion, ...]:
    total = sum(counts.values())
    if not total:
        return ()
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:_MAX_EMOTIONS]
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
