"""Themes: coarse topics (recurring hashtags, clusters of related keywords) and posting rhythms.

A rhythm is named only when the data shows it: a night owl posts a good share between midnight and five,
an early bird between five and nine, a weekend poster clearly more on Saturdays and Sundays than on
weekdays. Times are read in the zone each post was stamped with (exports mostly say UTC).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np

from extractors.describe.keywords import KeywordResult
from extractors.describe.portrait import Theme
from extractors.intake.profile import Post

_MIN_POSTS_FOR_RHYTHM = 12
_NIGHT_HOURS = range(0, 5)
_MORNING_HOURS = range(5, 9)
_RHYTHM_SHARE = 0.3  # night or early-morning share that makes a habit (an even spread gives 0.2 or less)
_WEEKEND_SHARE = 0.5  # an even spread puts 2/7 = 0.29 on weekends
_HASHTAG_MIN_POSTS = 3
_HASHTAG_MIN_SHARE = 0.02
_MAX_HASHTAG_THEMES = 3
_CLUSTER_SIMILARITY = 0.5  # cosine above which two keywords belong to one topic
_MAX_KEYWORD_THEMES = 3


def find_themes(posts: Sequence[Post], keywords: KeywordResult) -> tuple[Theme, ...]:
    """Hashtag themes, keyword clusters and rhythms, each kind strongest first."""
    themes: dict[str, Theme] = {}
    for theme in (*_hashtag_themes(posts), *_keyword_themes(keywords), *_rhythms(posts)):
        themes.setdefault(theme.name.lower(), theme)  # a hashtag that is also a keyword cluster: once
    return tuple(themes.values())


def _hashtag_themes(posts: Sequence[Post]) -> list[Theme]:
    used: Counter[str] = Counter()
    spelling: dict[str, Counter[str]] = {}
    for post in posts:
        for tag in {t.lower(): t for t in post.hashtags}.items():
            used[tag[0]] += 1
            spelling.setdefault(tag[0], Counter())[tag[1]] += 1
    floor = max(_HASHTAG_MIN_POSTS, _HASHTAG_MIN_SHARE * len(posts))
    common = [(tag, n) for tag, n in used.most_common(_MAX_HASHTAG_THEMES) if n >= floor]
    return [Theme(spelling[tag].most_common(1)[0][0], round(n / len(posts), 4), "hashtags") for tag, n in common]


def _keyword_themes(keywords: KeywordResult) -> list[Theme]:
    """Groups of two or more related keywords, named by their best keyword (single-link on cosine)."""
    n = len(keywords.keywords)
    if n < 2:
        return []
    sims = keywords.vectors @ keywords.vectors.T
    group = list(range(n))

    def root(i: int) -> int:
        while group[i] != i:
            i = group[i]
        return i

    for i in range(n):
        for j in range(i + 1, n):
            if sims[i, j] >= _CLUSTER_SIMILARITY:
                group[root(j)] = root(i)
    members: dict[int, list[int]] = {}
    for i in range(n):
        members.setdefault(root(i), []).append(i)
    scores = [k.score for k in keywords.keywords]
    total = sum(scores) or 1.0
    themes = [
        Theme(keywords.keywords[min(m)].phrase, round(sum(scores[i] for i in m) / total, 4), "keywords")
        for m in members.values()
        if len(m) >= 2
    ]
    themes.sort(key=lambda t: -t.weight)
    return themes[:_MAX_KEYWORD_THEMES]


def _rhythms(posts: Sequence[Post]) -> list[Theme]:
    if len(posts) < _MIN_POSTS_FOR_RHYTHM:
        return []
    hours = np.array([p.created_at.hour for p in posts])
    weekend = float(np.mean([p.created_at.weekday() >= 5 for p in posts]))
    night = float(np.isin(hours, list(_NIGHT_HOURS)).mean())
    morning = float(np.isin(hours, list(_MORNING_HOURS)).mean())
    found = [
        Theme("night owl", round(night, 4), "rhythm") if night >= _RHYTHM_SHARE else None,
        Theme("early bird", round(morning, 4), "rhythm") if morning >= _RHYTHM_SHARE else None,
        Theme("weekend poster", round(weekend, 4), "rhythm") if weekend >= _WEEKEND_SHARE else None,
    ]
    return sorted((t for t in found if t is not None), key=lambda t: -t.weight)
