"""Keywords: what the person keeps coming back to, ranked cheaply over every post, embedded only where it counts.

1. Every candidate of the fast pass (``candidates``) gets a recurrence score: how many posts use it
   (log), over how much of the time span, and how specific it is (wordfreq: "coffee" is everyday,
   "sourdough" is not). One-off words are ranked only when too few words recur.
2. Only the best ``max_candidates`` are embedded, with the ``max_embedded_posts`` posts that carry the
   most of them (their mean stands for the person): closeness to that mean refines the order, and
   closeness to the everyday (work, meals, sleep, commute, weather: ``EVERYDAY``) fades a candidate, in
   any language the encoder reads ("Tee", "thé", "Arbeitstag" are what anyone writes, not who they are).
3. Maximal Marginal Relevance (as in KeyBERT) keeps the list from being spellings of one idea, and each
   language the person writes a good share in gets its share of the keywords.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from extractors.describe import languages as lang_tools
from extractors.describe.candidates import Candidate
from extractors.describe.encoders import Encoder, Vectors
from extractors.describe.portrait import Keyword

# Zipf frequency (wordfreq) at or above which a lone word is too everyday to describe anyone ("time",
# "people", Danish "bare"); from _SPECIFIC_ZIPF up to it, a phrase's weight fades.
_EVERYDAY_ZIPF = 5.6
_SPECIFIC_ZIPF = 3.0
_HIDDEN_SHARE = 0.25  # a word taken for a name this often is a name everywhere
_LANGUAGE_SHARE = 0.15  # a language with this share of the posts gets its share of the keywords
_MAX_EVIDENCE = 3
_MAX_INDICES = 10
_SNIPPET_CHARS = 120
# The small talk of anyone's feed, in English: a multilingual encoder places "Feierabend" or "déjeuner" by them.
EVERYDAY = (
    "work",
    "job",
    "office",
    "meeting",
    "emails",
    "colleagues",
    "commute",
    "traffic",
    "bus",
    "train",
    "coffee",
    "tea",
    "breakfast",
    "lunch",
    "dinner",
    "pizza",
    "sleep",
    "bed",
    "tired",
    "weekend",
    "week",
    "today",
    "tomorrow",
    "morning",
    "evening",
    "rain",
    "weather",
    "home",
    "friends",
    "family",
    "holiday",
    "thanks",
    "birthday",
    "photos",
)
# Cosine to the nearest everyday word from which a candidate fades, and at which it has faded the most.
_EVERYDAY_FROM, _EVERYDAY_AT, _EVERYDAY_FADE = 0.5, 0.8, 0.9
# Zipf (wordfreq) from which a phrase is small talk by frequency alone, and at which fully: it catches what the
# encoder does not read (Danish) and template words of any language ("thinking", "Kopf", "besoin").
_COMMON_FROM, _COMMON_AT = 4.5, 5.2
_SMALL_TALK = 0.5  # an everyday share from which a phrase is only shown to reach ``min_keywords``
_TIER_ORDER = ((True, True), (True, False), (False, True), (False, False))  # (telling, recurring)
_anchors: dict[str, Vectors] = {}


@dataclass(frozen=True)
class KeywordResult:
    keywords: tuple[Keyword, ...]
    vectors: Vectors  # unit embedding of each keyword, in order (themes cluster them)
    candidates: int  # how many candidates were embedded and ranked


@dataclass(frozen=True)
class Ranking:
    min_keywords: int
    max_keywords: int
    diversity: float
    max_candidates: int
    max_embedded_posts: int
    support_weight: float


def extract_keywords(
    texts: Sequence[str],
    found: dict[str, Candidate],
    post_indices: Sequence[int],
    weights: npt.NDArray[np.float64],
    lang_shares: dict[str, float],
    model: Encoder,
    ranking: Ranking,
) -> KeywordResult:
    """The best ``ranking.max_keywords`` phrases of ``texts`` (analysed posts; ``post_indices`` map them to the
    Profile, ``weights`` are their recency weights)."""
    # 1. Recurrence score of every candidate, over every post
    keys, score = _shortlist(found, weights, ranking.max_candidates)
    if not keys:
        return KeywordResult((), np.zeros((0, 1), dtype=np.float32), 0)
    phrases = [found[k].shown for k in keys]
    # 2. Embed the shortlist and the posts that carry the most of it
    cand_vecs = model.encode(phrases)
    chosen = _informative_posts(found, keys, score, weights, ranking.max_embedded_posts)
    post_vecs = model.encode([texts[i] for i in chosen])
    profile_vec = _unit((post_vecs * weights[chosen, None].astype(np.float32)).sum(axis=0))
    closeness = _scaled(cand_vecs @ profile_vec)
    relevance = (1 - ranking.support_weight) * closeness + ranking.support_weight * score / score.max()
    common = [max(_common_share(k, found[k].lang), _common_share(found[k].shown.lower(), found[k].lang)) for k in keys]
    everyday = np.maximum(everyday_share(cand_vecs, model), common)
    relevance = relevance * (1 - _EVERYDAY_FADE * everyday)
    # 3. MMR with each language's share: what recurs; one-off words, then small talk, only to reach the minimum
    order = _mmr(relevance, cand_vecs, keys, ranking.diversity)
    ranked, top_n = _tiers(order, everyday, [len(found[k].posts) >= 2 for k in keys], ranking)
    picked = _by_language(ranked, [found[k].lang for k in keys], lang_shares, top_n)
    keywords = tuple(_keyword(phrases[i], float(relevance[i]), found[keys[i]], texts, post_indices) for i in picked)
    return KeywordResult(keywords, cand_vecs[picked], len(keys))


def _tiers(
    order: list[int], everyday: npt.NDArray[np.float64], recurs: list[bool], ranking: Ranking
) -> tuple[list[int], int]:
    """``order`` by tier (telling words that recur, telling one-offs, recurring small talk, the rest) and how many
    to show: every telling recurring word up to ``max_keywords``, the later tiers only up to ``min_keywords``."""
    telling = [everyday[i] < _SMALL_TALK for i in range(len(recurs))]
    tiers = [[i for i in order if telling[i] == tell and recurs[i] == rec] for tell, rec in _TIER_ORDER]
    ranked = tiers[0]
    top_n = min(ranking.max_keywords, len(ranked))
    for tier in tiers[1:]:
        if len(ranked) >= ranking.min_keywords:
            break
        ranked = ranked + tier
        top_n = min(ranking.min_keywords, len(ranked))
    return ranked, top_n


def everyday_share(vecs: Vectors, model: Encoder) -> npt.NDArray[np.float64]:
    """How much each embedded phrase is small talk: 0 below ``_EVERYDAY_FROM`` cosine to an everyday word, 1 at
    ``_EVERYDAY_AT``."""
    if model.name not in _anchors:
        _anchors[model.name] = model.encode(list(EVERYDAY))
    nearest = (vecs @ _anchors[model.name].T).max(axis=1).astype(np.float64)
    share: npt.NDArray[np.float64] = np.clip((nearest - _EVERYDAY_FROM) / (_EVERYDAY_AT - _EVERYDAY_FROM), 0.0, 1.0)
    return share


def _common_share(key: str, lang: str) -> float:
    """How much ``key`` is small talk by its words' mean Zipf; an English gerund counts as its verb ("thinking"),
    a hyphenated word as its parts."""
    zipfs = []
    for word in key.split():
        value = lang_tools.zipf(word, lang)
        parts = [p for p in word.split("-") if p]
        if len(parts) > 1:  # a hyphenated word is as everyday as its parts ("day-to-day"), if not as a whole
            value = max(value, sum(lang_tools.zipf(p, lang) for p in parts) / len(parts))
        if lang == "en" and word.endswith("ing") and len(word) > 5:
            value = max(value, lang_tools.zipf(lang_tools.lemma(word, lang), lang) - 0.5)
        zipfs.append(value)
    return min(max((sum(zipfs) / len(zipfs) - _COMMON_FROM) / (_COMMON_AT - _COMMON_FROM), 0.0), 1.0)


def _specificity(key: str, lang: str) -> tuple[float, float]:
    """(weight 0.2..1 from how uncommon the words are, highest Zipf of a word)."""
    zipfs = [lang_tools.zipf(w, lang) for w in key.split()]
    top = max(zipfs)
    mean = sum(zipfs) / len(zipfs)
    fade = min(max((mean - _SPECIFIC_ZIPF) / (_EVERYDAY_ZIPF - _SPECIFIC_ZIPF), 0.0), 1.0)
    return 1.0 - 0.8 * fade, top


def _shortlist(
    found: dict[str, Candidate], weights: npt.NDArray[np.float64], limit: int
) -> tuple[list[str], npt.NDArray[np.float64]]:
    """The ``limit`` candidates with the best recurrence score; one-off ones only when too few recur."""
    scored: list[tuple[float, int, str]] = []
    for key, cand in found.items():
        uses = len(cand.posts)
        if not uses or cand.hidden >= _HIDDEN_SHARE * (uses + cand.hidden):
            continue
        specific, top = _specificity(key, cand.lang)
        if top >= _EVERYDAY_ZIPF and " " not in key:
            continue
        support = float(weights[list(cand.posts)].sum())
        spread = len(cand.bins) / 12
        pair = 1.15 if " " in key else 1.0  # a pair that recurs says more than either word
        # Spread over time weighs most: a news burst fills many posts of one week, a person's life every month.
        scored.append((math.log1p(support) * (0.15 + 0.85 * spread) * specific * pair, uses, key))
    scored.sort(key=lambda s: (-s[0], s[2]))
    # One-off words come after every recurring one, and only to fill a list that is too short.
    pool = ([s for s in scored if s[1] >= 2] + [(0.3 * s[0], *s[1:]) for s in scored if s[1] < 2])[:limit]
    return [s[2] for s in pool], np.array([s[0] for s in pool], dtype=np.float64)


def _informative_posts(
    found: dict[str, Candidate],
    keys: list[str],
    score: npt.NDArray[np.float64],
    weights: npt.NDArray[np.float64],
    limit: int,
) -> list[int]:
    """The analysed posts that carry the most shortlisted score, recent ones first among equals."""
    carried: dict[int, float] = defaultdict(float)
    for key, s in zip(keys, score, strict=True):
        for n in found[key].posts:
            carried[n] += float(s)
    ranked = sorted(carried, key=lambda n: -(carried[n] * weights[n]))
    return sorted(ranked[:limit])


def _unit(vec: Vectors) -> Vectors:
    norm = float(np.linalg.norm(vec))
    return vec / norm if norm else vec


def _scaled(values: Vectors) -> npt.NDArray[np.float64]:
    v = values.astype(np.float64)
    span = float(v.max() - v.min())
    return (v - v.min()) / span if span > 0 else np.ones_like(v)


def _mmr(relevance: npt.NDArray[np.float64], vecs: Vectors, keys: list[str], diversity: float) -> list[int]:
    """Every candidate in Maximal Marginal Relevance order; a phrase sharing a word with a picked one is left out."""
    sims = vecs @ vecs.T
    picked: list[int] = []
    words = [set(k.split()) for k in keys]
    remaining = list(range(len(keys)))
    while remaining:
        if picked:
            redundancy = sims[np.ix_(remaining, picked)].max(axis=1)
            gain = (1 - diversity) * relevance[remaining] - diversity * redundancy
        else:
            gain = relevance[remaining]
        best = remaining.pop(int(np.argmax(gain)))
        if any(words[best] & words[p] for p in picked):
            continue
        picked.append(best)
    return picked


def _by_language(order: list[int], langs: list[str], shares: dict[str, float], top_n: int) -> list[int]:
    """The first ``top_n`` of ``order``, with at least its share for each language written in often enough."""
    quota = {lang: math.floor(share * top_n * 0.8) for lang, share in shares.items() if share >= _LANGUAGE_SHARE}
    picked: list[int] = []
    for lang, need in quota.items():
        picked += [i for i in order if langs[i] == lang][:need]
    rest = [i for i in order if i not in picked]
    picked += rest[: max(0, top_n - len(picked))]
    rank = {i: r for r, i in enumerate(order)}
    return sorted(picked[:top_n], key=lambda i: rank[i])


def _keyword(phrase: str, score: float, cand: Candidate, texts: Sequence[str], post_indices: Sequence[int]) -> Keyword:
    """The keyword with its newest posts as evidence."""
    newest = sorted(cand.posts, key=lambda n: post_indices[n], reverse=True)[:_MAX_INDICES]
    evidence = tuple(_snippet(texts[n], cand.posts[n]) for n in newest[:_MAX_EVIDENCE])
    return Keyword(
        phrase=phrase, score=round(score, 4), post_indices=tuple(post_indices[n] for n in newest), evidence=evidence
    )


def _snippet(text: str, surface: str) -> str:
    """About ``_SNIPPET_CHARS`` characters of ``text`` around ``surface``, on word boundaries."""
    flat = " ".join(text.split())
    if len(flat) <= _SNIPPET_CHARS:
        return flat
    at = max(flat.lower().find(surface.lower()), 0)
    start = max(0, at - _SNIPPET_CHARS // 3)
    end = min(len(flat), start + _SNIPPET_CHARS)
    start = max(0, end - _SNIPPET_CHARS)
    if start > 0:
        start = flat.find(" ", start) + 1 or start
    if end < len(flat):
        end = flat.rfind(" ", start, end) if flat.rfind(" ", start, end) > start else end
    return ("…" if start > 0 else "") + flat[start:end].strip() + ("…" if end < len(flat) else "")


def language_shares(langs: Sequence[str]) -> dict[str, float]:
    counts = Counter(langs)
    return {lang: n / len(langs) for lang, n in counts.most_common()}
