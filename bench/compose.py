"""Does the composer paint what a painter could paint, and keep the wall clean? ``python bench/compose.py``

For every export in bench/profiles and sample_profiles, describe it and compose a prompt in every style:
1. depictable share: of the portrait's words that reach the prompt, how many the motif lexicon or
   Brysbaert's concreteness norms can picture. "Before" is the composer of issue 12's report (keywords
   pasted as they are, the ten most important), judged by the same lexicon and norms.
2. fidelity: the judge of bench/fidelity.py (BM25 of a word list against each profile's posts) picks the
   profile from (a) the keywords, (b) the painted portrait words of the first style (the keywords its
   motifs paint, the word that set the scene and the town it is set in), of it with four motifs, and of
   every style, (c) the painted text itself (motifs and setting, in English); the crowd and the
   hand-written profiles apart, and the ceiling of any painting: the crowd's generator records each
   person's pastime vocabulary and own details, so people whose paintable words are all a look-alike's
   (twins whose own details are all abstract: "limitar", "prioritet") are counted once, as a picture
   cannot tell them apart.
   ``--ceiling`` adds every paintable keyword painted at once, and the best three of them picked by an
   oracle that asks the judge (slow: every subset of up to three). The oracle beats the ceiling of any
   painting by picking shared words whose counts happen to favour the right look-alike.
3. policy: the terms of tests/test_policy.py kept off the wall per category and language, and the
   everyday posts of bench/profiles wrongly blocked.
"""

from __future__ import annotations

import importlib.util
import itertools
import json
import os
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent


def _load(path: Path, name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def main(argv: list[str] | None = None) -> int:
    ceiling = "--ceiling" in (sys.argv[1:] if argv is None else argv)
    os.environ["HF_HUB_OFFLINE"] = "1"
    # Run as a script, bench/ heads sys.path and its queue.py would stand in for the standard library's.
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
    sys.path.insert(0, str(ROOT / "tests"))
    from extractors import read_export
    from extractors.describe import describe
    from installation.compose.composer import compose
    from installation.compose.motifs import load_lexicon
    from installation.compose.policy import LANGUAGES, load_policy
    from installation.compose.prompt import Prompt
    from installation.compose.scene import portrait_languages
    from installation.compose.tokens import shipped_clip_counter
    from installation.config import load_config

    config = load_config(ROOT / "config.toml")
    counter = shipped_clip_counter()
    lexicon = load_lexicon(config)
    policy = load_policy(config)
    fidelity = _load(ROOT / "bench" / "fidelity.py", "fidelity_bench")

    crowd = _load(ROOT / "bench" / "profiles" / "crowd.py", "crowd_generator")
    crowd_people = crowd.people()  # the generator's own record of who shares what
    crowd_slugs = {person.slug for person in crowd_people}

    # 1. Describe every export once
    exports = [
        e for folder in (ROOT / "bench" / "profiles", ROOT / "sample_profiles") for e in fidelity.find_exports(folder)
    ]
    profiles, portraits, names = [], [], []
    for export in exports:
        try:
            profile = read_export(export, config.extract.limits())
            portraits.append(describe(profile, config.describe))
            profiles.append(profile)
            names.append(export.name)
        except Exception as exc:  # a broken sample is reported, not fatal to the benchmark
            print(f"skipped {export.name}: {exc}", file=sys.stderr)

    # 2. Depictable share, before and after, over every style
    before = [0, 0]
    after = [0, 0]
    keywords, painted_words, painted_text = [], [], []
    per_style: dict[str, list[list[str]]] = {style: [] for style in config.styles}
    set_in: dict[str, int] = {}
    towns: list[str] = []

    def painted(prompt: Prompt) -> list[str]:
        """The portrait's words the picture shows: its motifs' keywords, what set the scene, its town."""
        return list(dict.fromkeys([*prompt.keywords_used, *(w for w in (prompt.setting_from, prompt.town) if w)]))

    for portrait in portraits:
        old = [k.phrase for k in sorted(portrait.keywords, key=lambda k: -k.score)][: config.compose.max_keywords]
        before[0] += sum(bool(lexicon.motif(w).text) for w in old)
        before[1] += len(old)
        for n, style in enumerate(config.styles):
            prompt = compose(portrait, config, counter=counter, style=style)
            words = [*prompt.keywords_used, *([prompt.setting] if prompt.setting else [])]
            after[0] += sum(bool(m) for _, m in prompt.motifs) + bool(prompt.setting)
            after[1] += len(words)
            per_style[style].append(painted(prompt))
            set_in[style] = set_in.get(style, 0) + bool(prompt.setting)
            if n == 0:
                keywords.append([k.phrase for k in portrait.keywords])
                painted_words.append(painted(prompt))
                towns.append(prompt.town)
                painted_text.append([m for _, m in prompt.motifs] + [prompt.setting])
    # What four motifs in every style would paint (styles say how many they want: `motifs`)
    four = config.model_copy(
        update={
            "styles": {
                name: spec.model_copy(update={"motifs": max(spec.motifs, 4)}) for name, spec in config.styles.items()
            }
        }
    )
    painted_four = [painted(compose(p, four, counter=counter, style=next(iter(config.styles)))) for p in portraits]
    # ... and with every keyword the describe stage found offered to the scene ([compose] max_keywords)
    offered = max((len(p.keywords) for p in portraits), default=1)
    every = four.model_copy(update={"compose": four.compose.model_copy(update={"max_keywords": offered})})
    painted_all = [painted(compose(p, every, counter=counter, style=next(iter(config.styles)))) for p in portraits]
    print(f"profiles: {len(portraits)}, styles: {len(config.styles)}")
    share = sum(set_in.values()) / max(len(portraits) * len(config.styles), 1)
    print(f"prompts with a setting: {share:.0%} (towns: {sum(bool(p) for p in towns)} profiles)")
    print(
        f"depictable share of portrait words in the prompt: before {before[0] / before[1]:.0%} "
        f"({before[0]}/{before[1]}), now {after[0] / max(after[1], 1):.0%} ({after[0]}/{after[1]})"
    )

    # 3. Fidelity: can the judge tell the person from the painted words?
    judged: dict[tuple[str, ...], list[bool]] = {}

    def right(lists: list[list[str]]) -> list[bool]:
        """For each profile, whether the judge picks it from its own list (each set of lists judged once)."""
        texts = tuple(" ".join(words) for words in lists)
        if texts not in judged:
            judged[texts] = [p == i for i, p in enumerate(fidelity.judge(list(texts), profiles))]
        return judged[texts]

    def top1(lists: list[list[str]]) -> float:
        hits = right(lists)
        return float(sum(hits) / len(hits))

    first = next(iter(config.styles))
    for label, lists in (
        ("keywords", keywords),
        (f"painted portrait words ({first})", painted_words),
        (f"painted portrait words ({first}, 4 motifs)", painted_four),
        (f"painted portrait words ({first}, 4 motifs, every keyword offered)", painted_all),
        (f"painted text, English motifs ({first})", painted_text),
    ):
        print(f"fidelity top-1 from {label}: {top1(lists):.0%}")
    # The crowd and the hand-written profiles apart: the crowd's look-alikes differ in a few details only
    in_crowd = [n.removesuffix(".jsonl") in crowd_slugs for n in names]
    for label, part in (("crowd", True), ("hand-written profiles", False)):
        hits = [r for r, c in zip(right(painted_words), in_crowd, strict=True) if c == part]
        print(f"  painted portrait words ({first}), {label}: {sum(hits)}/{len(hits)}")
    # What no painting can beat: crowd people whose paintable words (their pastime's vocabulary in their
    # languages, and those of their own details the lexicon or the norms can paint) are all a look-alike's
    # can be told apart only by word counts, not by what the picture shows
    apart: set[tuple[object, ...]] = set()
    for person in crowd_people:
        own = frozenset(
            (lang, w) for lang, words in person.details.items() for w in words
            if lexicon.motif(w, translate_first=lang != "en", langs=person.langs).text
        )  # fmt: skip
        apart.add((person.hobby, person.dialect, person.langs, own))
    hand_written = sum(not c for c in in_crowd)
    bound = (len(apart) + hand_written) / len(names)
    print(
        f"ceiling of any painting: the {len(crowd_people)} crowd people fall into {len(apart)} groups whose "
        f"paintable words differ; with the {hand_written} hand-written profiles, at most {bound:.0%} can be told apart"
    )
    by_style = {style: top1(lists) for style, lists in per_style.items()}
    mean = sum(by_style.values()) / len(by_style)
    listed = ", ".join(f"{style} {value:.0%}" for style, value in by_style.items())
    print(f"fidelity top-1 from painted portrait words per style: {listed}; mean {mean:.0%}")
    if ceiling:
        paintable = [
            [
                k
                for k in words
                if lexicon.motif(k, translate_first=p.language.main != "en", langs=portrait_languages(p)).text
                and policy.check(k, p.language.main) is None
            ]
            for p, words in zip(portraits, keywords, strict=True)
        ]
        print(f"ceiling: every paintable keyword painted: {top1(paintable):.0%}")
        subsets = [
            (i, c) for i, words in enumerate(paintable) for r in (1, 2, 3) for c in itertools.combinations(words, r)
        ]
        picks = fidelity.judge([" ".join(c) for _, c in subsets], profiles)
        named = {i for (i, _), pick in zip(subsets, picks, strict=True) if pick == i}
        print(f"ceiling: the best three paintable keywords (oracle): {len(named) / len(portraits):.0%}")

    # 4. Policy: test terms caught per category and language, false blocks on everyday posts
    tables = _load(ROOT / "tests" / "test_policy.py", "policy_tables")
    print("| category | " + " | ".join(LANGUAGES) + " |")
    print("|---|" + "---|" * len(LANGUAGES))
    for category, by_lang in {**tables.CAUGHT, **tables.OPTIONAL}.items():
        on = load_policy(
            config.model_copy(
                update={
                    "compose": config.compose.model_copy(
                        update={"policy": config.compose.policy.model_copy(update={"include": tuple(tables.OPTIONAL)})}
                    )
                }
            )
        )
        cells = []
        for lang in LANGUAGES:
            terms = by_lang[lang]
            caught = sum((found := on.check(t, lang)) is not None and found.name == category for t in terms)
            cells.append(f"{caught}/{len(terms)}")
        print(f"| {category} | " + " | ".join(cells) + " |")
    posts = [
        json.loads(line)
        for path in sorted((ROOT / "bench" / "profiles").glob("*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    posts += [{"text": p.text, "lang": p.lang} for profile in profiles for p in profile.posts]
    blocked = [(p["text"], f.name) for p in posts if (f := policy.check(p["text"], p.get("lang") or "und"))]
    print(f"everyday posts wrongly blocked: {len(blocked)} of {len(posts)}")
    for text, category in blocked[:20]:
        print(f"  {category}: {text[:100]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
