"""Issue 11: every post read, each in its own language, words that recur, no one else's names, light imports."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

from extractors import Post, Profile
from extractors.describe import describe, languages
from extractors.describe.names import masked, tokens
from extractors.describe.nlp import first_names
from extractors.describe.portray import choose_posts
from extractors.settings import DescribeConfig

CONFIG = DescribeConfig(max_embedded_posts=24, max_candidates=80)
ROWING_DE = [
    "Rudertraining am Morgen, der Achter lag ruhig auf dem Wasser.",
    "Neue Skulls für das Einer-Boot, die Ruderblätter sind leichter.",
    "Regatta am Wochenende, der Achter wurde Zweiter.",
    "Die Skulls gereinigt, das Bootshaus riecht nach Lack.",
    "Wintertraining im Bootshaus auf dem Ergometer.",
    "Der Ergometer zeigt eine neue Bestzeit, die Regatta kann kommen.",
]
CODE_EN = [
    "Refactored the parser again, the data pipeline finally streams.",
    "Species of beetles in the garden data set, a nice test case for the parser.",
    "The pipeline handles a million rows now; the data validator caught three bugs.",
    "Release notes written, the parser is faster than ever.",
    "Profiling the pipeline: the validator was the slow part.",
    "New species records imported, the data validator is happy.",
]
ONE_OFF = "Unveröffentlichte Zustellungs-Filter unter der Zimmerdecke entdeckt."


def _profile(texts: Sequence[tuple[str, str | None]], start: datetime | None = None, step_days: float = 3) -> Profile:
    start = start or datetime(2024, 1, 1, 12, tzinfo=UTC)
    posts = tuple(
        Post(text=t, created_at=start + timedelta(days=step_days * i), lang=lang, kind="post", platform="plain")
        for i, (t, lang) in enumerate(texts)
    )
    return Profile(platform="plain", posts=posts, post_count=len(posts))


def test_a_mixed_profile_gets_keywords_from_both_languages_each_used_in_several_posts() -> None:
    # Untagged posts: the language of each is detected, not the profile's majority.
    texts = [(t, None) for pair in zip(ROWING_DE, CODE_EN, strict=True) for t in pair] + [(ONE_OFF, None)]
    profile = _profile(texts)
    portrait = describe(profile, CONFIG)
    phrases = [k.phrase for k in portrait.keywords]
    langs = {languages.detect(profile.posts[k.post_indices[0]].text) for k in portrait.keywords}
    assert {"de", "en"} <= langs, phrases
    assert all(len(k.post_indices) >= 2 for k in portrait.keywords), phrases
    assert not {"Unveröffentlichte", "Zimmerdecke", "Zustellungs-Filter"} & set(phrases)
    assert "de 5" in portrait.language.analyser and "en 4" in portrait.language.analyser


def test_keywords_are_words_the_person_wrote_never_a_lemma_that_is_no_word() -> None:
    portrait = describe(_profile([(t, "en") for t in CODE_EN * 2]), CONFIG)
    written = {w.lower() for t in CODE_EN for w in languages.WORD.findall(t)}
    for kw in portrait.keywords:
        assert all(w.lower() in written for w in kw.phrase.split()), kw.phrase
    assert not {"datum", "specie"} & {w for k in portrait.keywords for w in k.phrase.lower().split()}


def test_names_in_thanks_lists_and_usernames_never_become_keywords() -> None:
    thanks = [
        "Release 2.4 is out! Thanks to auroursa, quiple, tkusano and Signez for the parser fixes.",
        "Release 2.5: thanks to quiple, Signez and auroursa, the pipeline is faster.",
        "Danke an auroursa, Jonas und tkusano für den Validator!",
        "Release 2.6 with thanks to tkusano, quiple and auroursa for the data validator.",
    ]
    portrait = describe(_profile([(t, "en") for t in CODE_EN] + [(t, None) for t in thanks]), CONFIG)
    words = {w for k in portrait.keywords for w in k.phrase.lower().split()}
    assert not words & {"auroursa", "quiple", "tkusano", "signez", "jonas"}, words
    assert words & {"parser", "pipeline", "validator"}


def test_a_list_of_names_is_masked_but_a_list_of_things_is_not() -> None:
    def hidden(text: str) -> list[str]:
        toks = tokens(text)
        found = masked(text, toks, first_names(), lambda w: languages.zipf(w.lower(), "en") > 0)
        return [toks[i].text for i in sorted(found)]

    assert hidden("Merci à Camille, zorblax et Mathis pour tout !") == ["Camille", "zorblax", "Mathis"]
    assert hidden("Rye, spelt and wholemeal flour in the loaf.") == []
    assert hidden("Coffee with dev_kusano42 after work.") == ["dev_kusano42"]


def test_every_post_is_read_and_recurrence_over_time_beats_one_burst() -> None:
    # 600 posts over five years: "pottery" in a few posts every year, "hackathon" in a burst of one week.
    texts: list[tuple[str, str | None]] = []
    for i in range(600):
        if i % 40 == 0:
            texts.append((f"Throwing bowls on the wheel, the pottery glaze came out well {i}.", "en"))
        elif 300 <= i < 316:
            texts.append(("Hackathon hackathon hackathon all week long.", "en"))
        else:
            texts.append(("Coffee first, then the inbox, then a walk.", "en"))
    portrait = describe(_profile(texts, step_days=3), CONFIG)
    assert portrait.stats.posts_used == 600 and portrait.stats.posts_total is None
    phrases = [k.phrase.lower() for k in portrait.keywords]
    assert any("pottery" in p for p in phrases)
    oldest = min(i for k in portrait.keywords if "pottery" in k.phrase.lower() for i in k.post_indices)
    assert oldest < 600  # indices into the whole profile
    pottery = next(i for i, p in enumerate(phrases) if "pottery" in p)
    burst = [i for i, p in enumerate(phrases) if "hackathon" in p]
    assert not burst or pottery < burst[0], phrases


def test_a_huge_export_is_sampled_over_the_whole_time_span_and_says_so() -> None:
    texts = [(f"{'Kayak' if i % 2 else 'Canoe'} trip on the river, paddle and dry bag number {i}.", "en")
             for i in range(300)]
    profile = _profile(texts, step_days=1)
    portrait = describe(profile, CONFIG.model_copy(update={"max_posts": 100}))
    assert portrait.stats.posts_used == 100 and portrait.stats.posts_total == 300
    assert portrait.language.note and "100 of 300 posts" in portrait.language.note
    sample = choose_posts(profile.posts, CONFIG.model_copy(update={"max_posts": 100}))
    assert sample.indices[0] == 0 and sample.indices[-1] == 299  # the whole span, not only the newest
    assert max(b - a for a, b in zip(sample.indices, sample.indices[1:], strict=False)) <= 4


def test_describe_imports_neither_torch_nor_spacy_nor_scipy(tmp_path: Path) -> None:
    export = tmp_path / "posts.jsonl"
    start = datetime(2025, 1, 1, tzinfo=UTC)
    export.write_text("\n".join(
        json.dumps({"text": t, "created_at": (start + timedelta(days=i)).isoformat(), "lang": "en"})
        for i, t in enumerate(CODE_EN * 2)
    ), encoding="utf-8")
    script = (
        "import sys\n"
        "from installation.cli import main\n"
        f"assert main(['describe', {str(export)!r}, '--json']) == 0\n"
        "heavy = {'torch', 'sentence_transformers', 'transformers', 'scipy', 'sympy', 'spacy', 'thinc'}\n"
        "print(sorted(heavy & {m.split('.')[0] for m in sys.modules}), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300,
                          cwd=Path(__file__).resolve().parent.parent)
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip().splitlines()[-1] == "[]"
