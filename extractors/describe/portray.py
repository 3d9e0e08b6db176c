"""``describe(profile, config) -> VerbalPortrait``: the words the installation paints from.

Every post is read, each in its own language: a fast pass collects candidate words and pairs
(``candidates``), a recurrence score ranks them all and only the best are embedded (``keywords``); mood
reads each post in its language (``mood``: VADER and NRC for English, the mood lexicon for the others);
themes come from hashtags, keyword clusters and rhythms. Only an export of more than ``max_posts`` posts
is sampled, evenly over its whole time span, and the portrait says so.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from extractors.describe import languages as lang_tools
from extractors.describe.candidates import read_posts
from extractors.describe.encoders import encoder
from extractors.describe.keywords import Ranking, extract_keywords, language_shares
from extractors.describe.mood import read_mood
from extractors.describe.nlp import first_names
from extractors.describe.portrait import LanguageInfo, PortraitStats, VerbalPortrait
from extractors.describe.themes import find_themes
from extractors.errors import DescribeError
from extractors.intake.profile import Post, Profile
from extractors.settings import DescribeConfig


@dataclass(frozen=True)
class _Sample:
    indices: list[int]  # into profile.posts, oldest first
    weights: npt.NDArray[np.float64]  # recency weight of each
    sampled: bool  # fewer than all posts (only beyond max_posts)


def describe(profile: Profile, config: DescribeConfig) -> VerbalPortrait:
    """The verbal portrait of ``profile``: keywords, mood, themes, language and stats."""
    # 1. Check inputs
    check_inputs(profile)
    # 2. The posts to read: all of them, or an even spread over time for a huge export
    sample = choose_posts(profile.posts, config)
    posts = [profile.posts[i] for i in sample.indices]
    texts = [p.text for p in posts]
    # 3. Each post's language, and the profile's languages
    langs = post_languages(posts)
    shares = language_shares(langs)
    # 4. The fast pass over every post: candidates and content words
    reading = read_posts(texts, langs, [p.created_at.timestamp() for p in posts],
                         [lang for lang, share in shares.items() if share >= 0.05] or ["en"], first_names())
    # 5. Keywords: recurrence over all posts, embeddings only for the best
    model = encoder(config.embedding_model, config.max_tokens)
    ranking = Ranking(config.min_keywords, config.max_keywords, config.diversity, config.max_candidates,
                      config.max_embedded_posts, config.support_weight)
    keywords = extract_keywords(texts, reading.candidates, sample.indices, sample.weights, shares, model, ranking)
    if not keywords.keywords:
        raise DescribeError(
            f"{profile.platform} profile: none of its {len(texts)} readable posts holds a word to describe it by"
        )
    # 6. Mood and themes
    mood = read_mood(texts, reading.words, sample.weights, reading.post_langs)
    themes = find_themes(profile.posts, keywords)
    # 7. The portrait
    return VerbalPortrait(
        platform=profile.platform,
        keywords=keywords.keywords,
        mood=mood,
        themes=themes,
        language=language_info(shares, len(profile.posts), sample),
        stats=PortraitStats(
            posts_used=len(texts),
            first_post=profile.posts[0].created_at,
            last_post=profile.posts[-1].created_at,
            posts_total=len(profile.posts) if sample.sampled else None,
        ),
    )


def check_inputs(profile: Profile) -> None:
    if not profile.posts:
        raise DescribeError(f"{profile.platform} profile has no readable posts to describe")


def choose_posts(posts: Sequence[Post], config: DescribeConfig) -> _Sample:
    """Every post; beyond ``max_posts``, that many spread evenly over the whole time span (not the newest)."""
    pool = list(range(len(posts)))
    sampled = len(pool) > config.max_posts
    if sampled:
        pool = sorted({int(k) for k in np.linspace(0, len(posts) - 1, config.max_posts).round()})
    last = posts[-1].created_at
    ages = np.array([(last - posts[i].created_at).total_seconds() / 86400 for i in pool], dtype=np.float64)
    weights = 0.5 ** (np.clip(ages, 0, None) / config.half_life_days)
    return _Sample(pool, weights, sampled)


def post_languages(posts: Sequence[Post]) -> list[str]:
    """Each post's language: the platform's tag where we read it, else detected, else the profile's main one."""
    langs = [lang_tools.code(p.lang) or lang_tools.detect(p.text) for p in posts]
    known = Counter(lang for lang in langs if lang)
    main = known.most_common(1)[0][0] if known else "en"
    return [lang or main for lang in langs]


def language_info(shares: dict[str, float], total: int, sample: _Sample) -> LanguageInfo:
    main, share = next(iter(shares.items()))
    mix = ", ".join(f"{lang} {s:.0%}" for lang, s in shares.items() if s >= 0.05)
    note = None
    if sample.sampled:
        note = f"{len(sample.indices):,} of {total:,} posts read, spread evenly over the whole time span"
    return LanguageInfo(main=main, share=round(share, 4), analyser=f"simplemma+stopwords: {mix}", note=note)
