"""Candidates: one fast pass over every post, each in its own language, collecting words and word pairs.

A candidate is keyed by its lemmas (so "loaves" and "loaf", "Brote" and "Brot" are one), and remembers
the posts it was used in, the time span it was used over, the languages it was written in and the forms
the person wrote, one of which is shown. Stop words, numbers, link left-overs, usernames and other
people's names (``names``) never become candidates. German nouns are told by their capital letter.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from extractors.describe import languages as lang_tools
from extractors.describe.names import Token, masked, tokens

_MIN_LETTERS = 3
_ADVERB_STEM_ZIPF = 3.0  # the word an -ly adverb is made from is at least this common (wordfreq Zipf)
_TIME_BINS = 12  # a profile's time span in twelfths: "used across time" counts how many of them
# Endings of conjugated verbs and gerunds, which a tokenizer without a tagger cannot tell (mostly past tenses).
_VERB_ENDINGS = {
    "es": ("amos", "imos", "aron", "ieron", "aba", "aban", "ábamos", "ando", "iendo", "aste", "iste"),
    "pt": ("amos", "imos", "aram", "eram", "ando", "endo", "ava", "avam"),
    "it": ("iamo", "ando", "endo", "avamo", "avano"),
    "fr": ("ons", "ez", "aient", "ait", "èrent"),
    "da": ("ede", "ende"),
    "nb": ("ede", "ende"),
    "sv": ("ade", "ande", "ende"),
    "nl": ("den", "ten"),
}


@dataclass
class Candidate:
    posts: dict[int, str] = field(default_factory=dict)  # analysed post number -> the form used there
    forms: Counter[str] = field(default_factory=Counter)  # forms as shown, how often each
    langs: Counter[str] = field(default_factory=Counter)
    bins: set[int] = field(default_factory=set)  # twelfths of the time span it was used in
    hidden: int = 0  # uses taken for a person's name

    @property
    def shown(self) -> str:
        return self.forms.most_common(1)[0][0]

    @property
    def lang(self) -> str:
        return self.langs.most_common(1)[0][0]


@dataclass(frozen=True)
class Reading:
    """What the fast pass found: the candidates, and each post's language and content words (for mood)."""

    candidates: dict[str, Candidate]
    post_langs: tuple[str, ...]
    words: tuple[tuple[str, ...], ...]  # lower-case lemmas of each post's content words


def read_posts(
    texts: Sequence[str],
    langs: Sequence[str],
    times: Sequence[float],
    profile_langs: Sequence[str],
    first_names: frozenset[str],
) -> Reading:
    """Candidates of every post; ``langs`` is each post's language, ``times`` its POSIX time."""
    start, end = min(times), max(times)
    span = (end - start) or 1.0
    english_stops = lang_tools.stop_words("en")
    stops = {lang: lang_tools.stop_words(lang) | english_stops for lang in set(langs)}  # English mixes in

    def known(word: str) -> bool:
        low = word.lower()
        return any(lang_tools.zipf(low, lang) > 0 for lang in profile_langs)

    found: dict[str, Candidate] = {}
    words: list[tuple[str, ...]] = []
    for n, (text, lang) in enumerate(zip(texts, langs, strict=True)):
        toks = tokens(text)
        hidden = masked(text, toks, first_names, known, capital_nouns=lang == "de")
        when = min(int((times[n] - start) / span * _TIME_BINS), _TIME_BINS - 1)
        prev: tuple[Token, str, str] | None = None
        content: list[str] = []
        for i, tok in enumerate(toks):
            usable = _usable(tok, lang, stops[lang])
            key = lang_tools.lemma(tok.text, lang) if usable else ""
            if usable and i in hidden:
                _note(found, key, n, lang, when, None)
                usable = False
            if not usable:
                prev = None
                continue
            content.append(key)
            shown = _shown(tok, lang)
            _note(found, key, n, lang, when, shown)
            if prev is not None and text[prev[0].end : tok.start].strip() == "":
                _note(found, f"{prev[1]} {key}", n, lang, when, f"{prev[2]} {shown}")
            prev = (tok, key, shown)
        words.append(tuple(content))
    return Reading(found, tuple(langs), tuple(words))


def _usable(tok: Token, lang: str, stops: frozenset[str]) -> bool:
    text = tok.text
    if not tok.word or len(text) < _MIN_LETTERS or text.lower() in stops or lang_tools.is_noise(text):
        return False
    if lang == "de":
        return text[0].isupper() and not text.isupper()  # German capitalises its nouns: a cheap noun tagger
    low = text.lower()
    if lang == "en" and (_english_adverb(low) or (low.endswith("ed") and lang_tools.lemma(low, lang) != low)):
        return False  # "finally", "baked": adverbs and past tenses make no keyword ("banneton finally")
    return not low.endswith(_VERB_ENDINGS.get(lang, ()))


def _english_adverb(low: str) -> bool:
    """An -ly word made from a word of the language ("finally", "happily", "gently"), not "family", "jelly"."""
    if len(low) < 5 or not low.endswith("ly"):
        return False
    stems = (low[:-2], low[:-3] + "y", low[:-2] + "e") if low.endswith("ily") else (low[:-2], low[:-2] + "e")
    return any(len(stem) >= 4 and lang_tools.zipf(stem, "en") >= _ADVERB_STEM_ZIPF for stem in stems)


def _shown(tok: Token, lang: str) -> str:
    """The form shown: as written for German nouns and for a capital inside a sentence, else lower case."""
    if lang == "de" or (tok.text.istitle() and not tok.opens_sentence):
        return tok.text
    return tok.text.lower()


def _note(found: dict[str, Candidate], key: str, n: int, lang: str, when: int, shown: str | None) -> None:
    cand = found.get(key)
    if cand is None:
        cand = found[key] = Candidate()
    if shown is None:
        cand.hidden += 1
        return
    cand.posts.setdefault(n, shown)
    cand.forms[shown] += 1
    cand.langs[lang] += 1
    cand.bins.add(when)
