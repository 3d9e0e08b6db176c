"""Do the keywords, and the prompt painted from them, tell one person from another? ``python bench/fidelity.py``

Runs on the crowd of bench/profiles/crowd (120 invented people, ``python bench/profiles/crowd.py``: short
and long, five languages, shared chatter, look-alike pairs, one pastime in two vocabularies, one-off
striking words from a shared pool, thanks to other people by name) or on the exports of FOLDER ....
Keywords come four ways: ours with the multilingual USE encoder, ours with MiniLM, naive KeyBERT on the
joined text (it reads only the first 256 word-pieces) and the most frequent words (stop words of every
language removed). An independent judge, Okapi BM25 of a keyword list against each profile's posts
(length-normalised; ``--judge cosine`` for the former TF-IDF cosine), must pick the profile they came
from: top-1 accuracy for the keywords, and for the composed prompt
(``PortraitPipeline(config).compose``, the portrait's keywords replaced by each method's). "names" counts
keywords that repeat a name from a "thanks to ..." post (should be 0).
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import numpy as np

from extractors import Profile, read_export
from extractors.describe import describe
from extractors.describe import languages as lang_tools
from extractors.describe.encoders import MINILM_NAMES, encoder
from extractors.describe.portrait import Keyword, VerbalPortrait
from extractors.settings import DescribeConfig
from installation.config import load_config
from installation.errors import PortraitError
from installation.jobs.pipeline import PortraitPipeline

ROOT = Path(__file__).resolve().parent.parent
TOP_N = 15
Method = Callable[[Profile], list[str]]
_THANKS = re.compile(r"(?:Thanks to|Danke an|Gracias a|Merci à|Tak til) (.+?) (?:for|für|por|pour) ", re.IGNORECASE)


def find_exports(folder: Path) -> list[Path]:
    """Each .jsonl/.zip/.tar.gz/.car/.json file and each export folder (one with a data file below it)."""
    found: list[Path] = []
    for path in sorted(folder.rglob("*")):
        if any(part in ("build", "__pycache__") or part.startswith(".") for part in path.relative_to(folder).parts):
            continue
        if path.is_file() and path.name.endswith((".jsonl", ".zip", ".tar.gz", ".car", ".json")):
            if not any(p in found for p in path.parents):
                found.append(path)
        elif path.is_dir() and path.name.startswith(("ChatExport", "DataExport")):
            found.append(path)
    return found


def ours(config: DescribeConfig, portraits: dict[int, VerbalPortrait] | None = None) -> Method:
    def run(profile: Profile) -> list[str]:
        portrait = describe(profile, config)
        if portraits is not None:
            portraits[id(profile)] = portrait
        return [k.phrase for k in portrait.keywords]

    return run


def naive_keybert() -> Method:
    from keybert import KeyBERT

    model = KeyBERT(model=encoder(MINILM_NAMES[0], 256).model)  # type: ignore[attr-defined]

    def run(profile: Profile) -> list[str]:
        joined = "\n".join(p.text for p in profile.posts)
        found = model.extract_keywords(joined, top_n=TOP_N, use_mmr=True, diversity=0.5)
        return [str(k) for k, _ in found]

    return run


def frequent_words() -> Method:
    stops = frozenset().union(*(lang_tools.stop_words(lang) for lang in lang_tools.LANGUAGES))

    def run(profile: Profile) -> list[str]:
        counts = Counter(
            w.lower()
            for p in profile.posts
            for w in lang_tools.WORD.findall(p.text)
            if len(w) >= 3 and w.lower() not in stops
        )
        return [w for w, _ in counts.most_common(TOP_N)]

    return run


def judge(texts: list[str], profiles: list[Profile], *, k1: float = 1.2, b: float = 0.75) -> list[int]:
    """For each text, the profile whose posts score it highest by Okapi BM25 (words by their Snowball stem).

    BM25 rather than TF-IDF cosine: cosine divides by the length of the profile's vector, so a short profile,
    whose few words each weigh a lot, wins any list that shares a word with it; BM25 saturates a word's count
    and compares a profile's length with the crowd's mean, so neither short nor long profiles get an edge.
    Each word of a list counts once: repeating a word does not help.
    """
    from nltk.stem.snowball import SnowballStemmer
    from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

    stem = SnowballStemmer("english").stem
    words = TfidfVectorizer().build_analyzer()
    counter = CountVectorizer(analyzer=lambda text: [stem(w) for w in words(text)])
    tf = counter.fit_transform(["\n".join(p.text for p in profile.posts) for profile in profiles]).tocsc()
    lengths = np.asarray(tf.sum(axis=1), dtype=np.float64).ravel()
    norm = k1 * (1 - b + b * lengths / lengths.mean())
    used_by = np.diff(tf.indptr)  # profiles that use each word
    idf = np.log((len(profiles) - used_by + 0.5) / (used_by + 0.5) + 1)
    counts = tf.toarray().astype(np.float64)
    bm25 = counts * (k1 + 1) / (counts + norm[:, None]) * idf[None, :]
    queries = (counter.transform(texts) > 0).astype(np.float64)
    return [int(i) for i in np.asarray(queries @ bm25.T).argmax(axis=1)]


def judge_cosine(texts: list[str], profiles: list[Profile]) -> list[int]:
    """The former judge (``--judge cosine``): TF-IDF cosine, which gives short profiles an edge."""
    from nltk.stem.snowball import SnowballStemmer
    from sklearn.feature_extraction.text import TfidfVectorizer

    stem = SnowballStemmer("english").stem
    words = TfidfVectorizer().build_analyzer()
    vectorizer = TfidfVectorizer(sublinear_tf=True, analyzer=lambda text: [stem(w) for w in words(text)])
    docs = vectorizer.fit_transform(["\n".join(p.text for p in profile.posts) for profile in profiles])
    return [int(i) for i in (vectorizer.transform(texts) @ docs.T).toarray().argmax(axis=1)]


def thanked_names(profile: Profile) -> set[str]:
    names: set[str] = set()
    for post in profile.posts:
        for found in _THANKS.findall(post.text):
            names.update(n.lower() for n in re.split(r",\s*|\s+(?:and|und|y|et|og)\s+", found) if n)
    return names


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="*", type=Path, default=[ROOT / "bench" / "profiles" / "crowd"])
    parser.add_argument("--show", action="store_true", help="print every method's keywords per profile")
    parser.add_argument("--no-minilm", action="store_true", help="skip the MiniLM runs (torch)")
    parser.add_argument("--judge", choices=("bm25", "cosine"), default="bm25", help="the judge (cosine: the former)")
    args = parser.parse_args(argv)
    choose = judge if args.judge == "bm25" else judge_cosine
    os.environ["HF_HUB_OFFLINE"] = "1"
    pipeline = PortraitPipeline(load_config(ROOT / "config.toml"))
    config = pipeline.config.describe
    portraits: dict[int, VerbalPortrait] = {}
    methods: dict[str, Method] = {"ours, USE multilingual": ours(config, portraits)}
    if not args.no_minilm:
        methods["ours, MiniLM"] = ours(config.model_copy(update={"embedding_model": MINILM_NAMES[0]}))
        methods["naive KeyBERT, joined text"] = naive_keybert()
    methods["most frequent words"] = frequent_words()
    profiles: list[Profile] = []
    names: list[str] = []
    for folder in args.folders:
        for path in find_exports(folder):
            try:
                profiles.append(read_export(path))
                names.append(path.name)
            except PortraitError as exc:
                print(f"skipped {path.name}: {exc}", file=sys.stderr)
    short = [i for i, p in enumerate(profiles) if len(p.posts) <= 20]
    mixed = [i for i, p in enumerate(profiles) if len({q.lang for q in p.posts}) > 1]
    print(f"{len(profiles)} profiles ({len(short)} with 5-20 posts, {len(mixed)} in two languages)\n")
    print("| method | keywords top-1 | short | long | mixed | prompt top-1 | names | s/profile |")
    print("|---|---|---|---|---|---|---|---|")
    for label, method in methods.items():
        start = time.perf_counter()
        keywords = [method(p) for p in profiles]
        took = (time.perf_counter() - start) / len(profiles)
        right = np.array([pick == i for i, pick in enumerate(choose([" ".join(k) for k in keywords], profiles))])
        prompts = []
        for profile, kws in zip(profiles, keywords, strict=True):
            base = portraits[id(profile)]
            swapped = dataclasses.replace(base, keywords=tuple(Keyword(k, 1 - i / 50, ()) for i, k in enumerate(kws)))
            prompts.append(pipeline.compose(swapped).positive)
        prompt_right = np.array([pick == i for i, pick in enumerate(choose(prompts, profiles))])
        leaked = sum(
            1
            for p, kws in zip(profiles, keywords, strict=True)
            for k in kws
            if set(k.lower().split()) & thanked_names(p)
        )
        mixed_cell = f"{right[mixed].mean():.0%}" if mixed else "-"
        long_ = [i for i in range(len(profiles)) if i not in short]
        print(
            f"| {label} | {right.mean():.0%} | {right[short].mean():.0%} | {right[long_].mean():.0%} | {mixed_cell}"
            f" | {prompt_right.mean():.0%} | {leaked} | {took:.2f} |",
            flush=True,
        )
        for i, ok in enumerate(right):
            if args.show or not ok:
                print(f"  {label} | {names[i]} ({'ok' if ok else 'MISSED'}): {', '.join(keywords[i])}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
