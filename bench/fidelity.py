"""Do the keywords tell one person from another? ``python bench/fidelity.py [FOLDER ...]``

For every export in each folder (default: bench/profiles and sample_profiles), build keywords three ways:
ours (``extractors.describe.portray``), naive KeyBERT on the joined text (it reads only the first 256 word-pieces),
and the most frequent hashtags and nouns. An independent judge, TF-IDF cosine between a keyword list and
each profile's posts, must pick the profile the keywords came from; top-1 accuracy is printed per method.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import numpy as np

from extractors import Profile, read_export
from extractors.describe import describe
from extractors.describe.nlp import embedder, english_analyser, resolve_model_path
from extractors.settings import DescribeConfig
from installation.errors import PortraitError

ROOT = Path(__file__).resolve().parent.parent
TOP_N = 15
Method = Callable[[Profile], list[str]]


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


def ours(config: DescribeConfig) -> Method:
    return lambda profile: [k.phrase for k in describe(profile, config).keywords]


def naive_keybert(config: DescribeConfig) -> Method:
    from keybert import KeyBERT

    model = KeyBERT(model=embedder(config.embedding_model, 256))

    def run(profile: Profile) -> list[str]:
        joined = "\n".join(p.text for p in profile.posts)
        found = model.extract_keywords(joined, top_n=TOP_N, use_mmr=True, diversity=config.diversity)
        return [str(k) for k, _ in found]

    return run


def frequent_tags_and_nouns(config: DescribeConfig) -> Method:
    nlp = english_analyser(tuple(config.spacy_models)).nlp

    def run(profile: Profile) -> list[str]:
        tags = Counter(t.lower() for p in profile.posts for t in p.hashtags)
        nouns: Counter[str] = Counter()
        for doc in nlp.pipe([p.text for p in profile.posts], batch_size=128):
            nouns.update(t.lemma_.lower() for t in doc if t.pos_ == "NOUN" and not t.is_stop and t.is_alpha)
        top_tags = [t for t, _ in tags.most_common(TOP_N // 3)]
        return top_tags + [n for n, _ in nouns.most_common(TOP_N) if n not in top_tags][: TOP_N - len(top_tags)]

    return run


def judge(keywords: list[list[str]], profiles: list[Profile]) -> list[int]:
    """For each keyword list, the profile whose posts are closest by TF-IDF cosine.

    Words are compared by their Snowball stem, so "tomato" and "tomatoes" are one word whichever form a
    method prints; the same analyser reads the posts and every method's keywords.
    """
    from nltk.stem.snowball import SnowballStemmer
    from sklearn.feature_extraction.text import TfidfVectorizer

    stem = SnowballStemmer("english").stem
    words = TfidfVectorizer().build_analyzer()
    vectorizer = TfidfVectorizer(sublinear_tf=True, analyzer=lambda text: [stem(w) for w in words(text)])
    docs = vectorizer.fit_transform(["\n".join(p.text for p in profile.posts) for profile in profiles])
    queries = vectorizer.transform([" ".join(k) for k in keywords])
    return [int(i) for i in (queries @ docs.T).toarray().argmax(axis=1)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="*", type=Path,
                        default=[ROOT / "bench" / "profiles", ROOT / "sample_profiles"])
    parser.add_argument("--show", action="store_true", help="print every method's keywords per profile")
    parser.add_argument("--together", action="store_true",
                        help="also judge all folders' profiles as one crowd (more look-alikes, a harder test)")
    args = parser.parse_args(argv)
    os.environ["HF_HUB_OFFLINE"] = "1"
    config = DescribeConfig()
    resolve_model_path(config.embedding_model)
    methods = {
        "ours (describe)": ours(config),
        "naive KeyBERT, joined text": naive_keybert(config),
        "frequent hashtags + nouns": frequent_tags_and_nouns(config),
    }
    print("| profiles | n | " + " | ".join(methods) + " |")
    print("|---|---|" + "---|" * len(methods))
    crowds: list[tuple[str, list[Profile], list[str]]] = []
    for folder in args.folders:
        profiles: list[Profile] = []
        names: list[str] = []
        for path in find_exports(folder):
            try:
                profiles.append(read_export(path))
                names.append(path.name)
            except PortraitError as exc:
                print(f"skipped {path.name}: {exc}", file=sys.stderr)
        crowds.append((folder.name, profiles, names))
    if args.together:
        crowds.append(("all together", [p for c in crowds for p in c[1]], [n for c in crowds for n in c[2]]))
    for crowd, profiles, names in crowds:
        if len(profiles) < 2:
            print(f"{crowd}: fewer than two readable exports, nothing to tell apart", file=sys.stderr)
            continue
        accuracies = []
        for label, method in methods.items():
            start = time.perf_counter()
            keywords = [method(p) for p in profiles]
            picks = judge(keywords, profiles)
            accuracies.append(float(np.mean([pick == i for i, pick in enumerate(picks)])))
            print(f"{crowd}: {label}: {time.perf_counter() - start:.1f} s", file=sys.stderr)
            for i, pick in enumerate(picks):
                if args.show or pick != i:
                    verdict = "ok" if pick == i else f"MISTAKEN FOR {names[pick]}"
                    print(f"  {label} | {names[i]} ({verdict}): {', '.join(keywords[i])}", file=sys.stderr)
        cells = " | ".join(f"{a:.0%}" for a in accuracies)
        print(f"| {crowd} | {len(profiles)} | {cells} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
