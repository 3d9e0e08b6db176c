"""``describe(profile) -> VerbalPortrait``: the words the installation paints from.

Keywords (spaCy candidates ranked against the posts with a sentence embedding model), mood (VADER and
the NRC emotion lexicon), themes (hashtags, keyword clusters, rhythms) and the language it read them in.
Long histories are sampled (the newest posts and an even spread of older ones), so a 30,000-post archive
costs little more than a 1,000-post one.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from extractors.describe.keywords import extract_keywords
from extractors.describe.mood import read_mood
from extractors.describe.nlp import Analyser, analyser_for, embedder
from extractors.describe.portrait import LanguageInfo, PortraitStats, VerbalPortrait
from extractors.describe.themes import find_themes
from extractors.errors import DescribeError
from extractors.intake.profile import Post, Profile
from extractors.settings import DescribeConfig

_MIN_WORDS = 4  # shorter posts are read only when there are too few longer ones


@dataclass(frozen=True)
class _Sample:
    indices: list[int]  # into profile.posts, oldest first
    weights: npt.NDArray[np.float64]  # recency weight of each


def describe(profile: Profile, config: DescribeConfig) -> VerbalPortrait:
    """The verbal portrait of ``profile``: keywords, mood, themes, language and stats."""
    # 1. Check inputs
    check_inputs(profile, config)
    # 2. Main language, and the spaCy pipeline for it
    language, analyser = choose_language(profile.posts, config)
    # 3. Choose the posts to read: the main language, informative, newest and a spread of older ones
    sample = choose_posts(profile.posts, language.main, config)
    texts = [profile.posts[i].text for i in sample.indices]
    # 4. Parse them once; keywords and mood both read the parse
    docs = list(analyser.nlp.pipe(texts, batch_size=128))
    # 5. Keywords, ranked against the posts
    model = embedder(config.embedding_model, config.max_tokens)
    keywords = extract_keywords(
        texts, docs, sample.indices, sample.weights, analyser, model,
        max_keywords=config.max_keywords,
        diversity=config.diversity,
        max_candidates=config.max_candidates,
        max_embedded_posts=config.max_embedded_posts,
        support_weight=config.support_weight,
    )
    if not keywords.keywords:
        raise DescribeError(
            f"{profile.platform} profile: none of its {len(texts)} readable posts holds a word to describe it by"
        )
    # 6. Mood and themes
    lemmas = [[(t.lemma_ or t.text).lower() for t in doc if t.is_alpha] for doc in docs]
    mood = read_mood(texts, lemmas, sample.weights)
    themes = find_themes(profile.posts, keywords)
    # 7. The portrait
    return VerbalPortrait(
        platform=profile.platform,
        keywords=keywords.keywords,
        mood=mood,
        themes=themes,
        language=language,
        stats=PortraitStats(
            posts_used=len(texts),
            first_post=profile.posts[0].created_at,
            last_post=profile.posts[-1].created_at,
        ),
    )


def check_inputs(profile: Profile, config: DescribeConfig) -> None:
    if not profile.posts:
        raise DescribeError(f"{profile.platform} profile has no readable posts to describe")


def choose_language(posts: Sequence[Post], config: DescribeConfig) -> tuple[LanguageInfo, Analyser]:
    tagged = Counter(p.lang for p in posts if p.lang)
    main, count = tagged.most_common(1)[0] if tagged else ("und", 0)
    analyser = analyser_for(main, tuple(config.spacy_models))
    info = LanguageInfo(main=main, share=round(count / len(posts), 4), analyser=analyser.name, note=analyser.note)
    return info, analyser


def choose_posts(posts: Sequence[Post], main: str, config: DescribeConfig) -> _Sample:
    """Up to ``max_posts`` of the main language (untagged ones too): half the newest, half spread over the rest."""
    in_language = [i for i, p in enumerate(posts) if main == "und" or p.lang in (main, None)]
    wordy = [i for i in in_language if len(posts[i].text.split()) >= _MIN_WORDS]
    pool = wordy if len(wordy) >= min(len(in_language), config.max_posts) // 2 else in_language
    if len(pool) > config.max_posts:
        newest = pool[-(config.max_posts // 2):]
        older = pool[: -(config.max_posts // 2)]
        spread = np.linspace(0, len(older) - 1, config.max_posts - len(newest)).round().astype(int)
        pool = sorted({older[int(k)] for k in spread} | set(newest))
    last = posts[-1].created_at
    ages = np.array([(last - posts[i].created_at).total_seconds() / 86400 for i in pool], dtype=np.float64)
    weights = 0.5 ** (np.clip(ages, 0, None) / config.half_life_days)
    return _Sample(pool, weights)
