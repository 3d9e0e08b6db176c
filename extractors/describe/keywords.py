"""Keywords: candidate phrases from spaCy, ranked against the person's posts with a sentence embedding model.

Candidates are noun chunks (lemmatised) and named entities of places, organisations, events, works and
products; with a blank pipeline (no tagger), runs of content words, capitalised ones only for German.
Person names, handles, URL parts, numbers and stop words never become candidates. The ranking follows
KeyBERT (cosine similarity of candidate and document embeddings, then Maximal Marginal Relevance), but
the "document" is a recency-weighted mean of embedded posts, never one joined text: the model reads at
most 256 word-pieces. How many posts use a candidate counts as much as how close it is to them.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from extractors.describe.nlp import Analyser, commonness, first_names
from extractors.describe.portrait import Keyword

Vectors = npt.NDArray[np.float32]

# Entity kinds that may become keywords: places, organisations, events, works of art, products, groups.
_KEPT_ENTITIES = {"GPE", "LOC", "FAC", "ORG", "EVENT", "WORK_OF_ART", "PRODUCT", "NORP"}
_PLACE_ENTITIES = {"GPE", "LOC", "FAC"}
# Entity kinds whose words are not topics (dates, amounts, ...).
_SKIPPED_ENTITIES = {"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL"}
_CHUNK_POS = {"ADJ", "NOUN", "PROPN"}
# What is left of links after cleaning, and HTML entity names.
_URL_PARTS = {"http", "https", "www", "com", "org", "net", "html", "htm", "php", "amp", "nbsp", "quot", "utm"}
_WORD = re.compile(r"^[^\W\d_]+(?:-[^\W\d_]+)*$")
# Endings of conjugated verbs and gerunds, which a tokenizer-only pipeline cannot tag (past tenses mostly).
_VERB_ENDINGS = {
    "es": ("amos", "imos", "aron", "ieron", "aba", "aban", "ábamos", "ando", "iendo", "aste", "iste"),
    "pt": ("amos", "imos", "aram", "eram", "ando", "endo", "ava", "avam"),
    "it": ("iamo", "ando", "endo", "avamo", "avano"),
    "da": ("ede", "ende"),
    "no": ("ede", "ende"),
    "sv": ("ade", "ande", "ende"),
}
# Zipf frequency (wordfreq) at or above which a lone word is too everyday to describe anyone ("time",
# "people", Danish "bare"); between _SPECIFIC_ZIPF and it, a phrase's relevance fades by up to half.
_EVERYDAY_ZIPF = 5.5
_SPECIFIC_ZIPF = 3.0
_MAX_PHRASE_WORDS = 3
_MAX_EVIDENCE = 3
_MAX_INDICES = 10
_SNIPPET_CHARS = 120


@dataclass
class _Candidate:
    posts: dict[int, str] = field(default_factory=dict)  # analysed post number -> the surface form used there
    shown: Counter[str] = field(default_factory=Counter)


@dataclass(frozen=True)
class KeywordResult:
    keywords: tuple[Keyword, ...]
    vectors: Vectors  # unit embedding of each keyword, in order (themes cluster them)
    candidates: int  # how many candidates were ranked


def extract_keywords(
    texts: Sequence[str],
    docs: Sequence[Any],
    post_indices: Sequence[int],
    weights: npt.NDArray[np.float64],
    analyser: Analyser,
    model: Any,
    *,
    max_keywords: int,
    diversity: float,
    max_candidates: int,
    max_embedded_posts: int,
    support_weight: float,
) -> KeywordResult:
    """The ``max_keywords`` best phrases of the analysed posts (``docs``, parsed from ``texts``).

    ``post_indices`` maps each analysed post to its index in the Profile; ``weights`` is its recency weight.
    """
    # 1. Collect candidates and the posts that use them
    found = _collect(docs, analyser)
    if not found:
        return KeywordResult((), np.zeros((0, 1), dtype=np.float32), 0)
    # 2. Keep the best-supported candidates (recency-weighted number of posts) that are not everyday words
    zipf = _commonness(found, analyser.lang)
    keys, support = _shortlist(found, weights, zipf, max_candidates)
    if not keys:
        return KeywordResult((), np.zeros((0, 1), dtype=np.float32), 0)
    phrases = [found[k].shown.most_common(1)[0][0] for k in keys]
    # 3. Embed candidates once, and the posts that carry the most candidate weight
    cand_vecs = _embed(model, phrases)
    chosen = _informative_posts(found, keys, support, weights, max_embedded_posts)
    post_vecs = _embed(model, [texts[i] for i in chosen])
    profile_vec = _unit((post_vecs * weights[chosen, None]).sum(axis=0))
    # 4. Relevance: closeness to the posts and support, each scaled to 0..1
    closeness = _scaled(cand_vecs @ profile_vec)
    backing = np.log1p(support) / np.log1p(support.max())
    relevance = (1 - support_weight) * closeness + support_weight * backing
    mean_zipf = np.array([zipf[k][0] for k in keys])
    everyday = np.clip((mean_zipf - _SPECIFIC_ZIPF) / (_EVERYDAY_ZIPF - _SPECIFIC_ZIPF), 0, 1)
    relevance = relevance * (1 - 0.5 * everyday)
    # 5. Maximal Marginal Relevance, so the list is not ten spellings of one idea
    picked = _mmr(relevance, cand_vecs, keys, max_keywords, diversity)
    keywords = tuple(
        _keyword(phrases[i], float(relevance[i]), found[keys[i]], texts, post_indices) for i in picked
    )
    return KeywordResult(keywords, cand_vecs[picked], len(keys))


# --- candidates ----------------------------------------------------------------------------------------


def _collect(docs: Sequence[Any], analyser: Analyser) -> dict[str, _Candidate]:
    names = first_names()
    found: dict[str, _Candidate] = defaultdict(_Candidate)
    for n, doc in enumerate(docs):
        masked = _private_names(doc, names)
        spans = _tagged_phrases(doc, masked) if doc.has_annotation("TAG") else _blank_phrases(doc, analyser, masked)
        for key, shown, surface in spans:
            cand = found[key]
            cand.posts.setdefault(n, surface)
            cand.shown[shown] += 1
    return found


def _private_names(doc: Any, names: frozenset[str]) -> set[int]:
    """Token positions that may name a person: PERSON entities, capitalised first names and what follows them."""
    masked: set[int] = set()
    place: set[int] = set()
    for ent in doc.ents:
        if ent.label_ == "PERSON":
            masked.update(range(ent.start, ent.end))
        elif ent.label_ in _PLACE_ENTITIES:
            place.update(range(ent.start, ent.end))
    for tok in doc:
        if tok.i in place or not tok.text.istitle() or tok.text not in names:
            continue
        if doc.has_annotation("TAG") and tok.pos_ not in ("PROPN", "NOUN", "X"):
            continue
        masked.add(tok.i)
        # A capitalised word right after a first name is most likely the surname.
        nxt = tok.i + 1
        if nxt < len(doc) and doc[nxt].text.istitle() and doc[nxt].pos_ != "ADP":
            masked.add(nxt)
    return masked


def _is_word(tok: Any) -> bool:
    """A token that may be part of a keyword: letters only, no stop word, number, URL part or handle."""
    text: str = tok.text
    return (
        len(text) >= 2
        and _WORD.match(text) is not None
        and not tok.is_stop
        and not tok.like_num
        and not tok.like_url
        and not tok.like_email
        and text.lower() not in _URL_PARTS
    )


def _tagged_phrases(doc: Any, masked: set[int]) -> Iterable[tuple[str, str, str]]:
    """(key, shown form, surface text) for noun chunks and kept entities of a tagged and parsed doc."""
    skipped = {i for ent in doc.ents if ent.label_ in _SKIPPED_ENTITIES for i in range(ent.start, ent.end)}
    entity_tokens: set[int] = set()
    for ent in doc.ents:
        if ent.label_ not in _KEPT_ENTITIES:
            continue
        toks = list(ent)
        while toks and toks[0].is_stop:  # "the British Museum" -> "British Museum"
            toks = toks[1:]
        if not toks or len(toks) > _MAX_PHRASE_WORDS or not _is_word(toks[0]) or not _is_word(toks[-1]):
            continue
        if any(t.i in masked or t.like_num for t in toks):
            continue
        shown = " ".join(t.text for t in toks)
        entity_tokens.update(t.i for t in toks)
        yield shown.lower(), shown, doc[toks[0].i : toks[-1].i + 1].text
    if not doc.has_annotation("DEP"):
        return
    for chunk in doc.noun_chunks:
        # The trailing run of content words: "my new road bike" -> "new road bike".
        run: list[Any] = []
        for tok in chunk:
            if tok.i in masked or tok.i in skipped or not _is_word(tok) or tok.pos_ not in _CHUNK_POS:
                run = []
            else:
                run.append(tok)
        run = run[-_MAX_PHRASE_WORDS:]
        if not run or run[-1].pos_ == "ADJ" or all(t.i in entity_tokens for t in run):
            continue
        shown = " ".join(_form(t) for t in run)
        yield shown.lower(), shown, doc[run[0].i : run[-1].i + 1].text
        head = run[-1]
        if len(run) > 1 and head.pos_ == "NOUN" and len(head.text) >= 3:
            yield _form(head).lower(), _form(head), head.text


def _form(tok: Any) -> str:
    """Nouns by their lemma ("trails" -> "trail"), names of things as written, other words in lower case.

    A capitalised first word that is no entity is no name of a thing either ("Fed the starter").
    """
    if tok.pos_ == "PROPN" and not (tok.is_sent_start and not tok.ent_type_):
        return str(tok.text)
    if tok.pos_ == "NOUN" and tok.lemma_ and _WORD.match(tok.lemma_):
        return str(tok.lemma_).lower()
    return str(tok.text).lower()


def _blank_phrases(doc: Any, analyser: Analyser, masked: set[int]) -> Iterable[tuple[str, str, str]]:
    """Content words and pairs of them from a tokenizer-only pipeline.

    German capitalises every noun, so there only capitalised words count (a cheap noun tagger). In other
    languages any content word of four or more letters that does not end like a conjugated verb; a
    capitalised word inside a sentence keeps its case (a place or a name of a thing).
    """
    lang = analyser.nlp.lang
    german = lang == "de"
    verb_endings = _VERB_ENDINGS.get(lang, ())
    prev: tuple[Any, str] | None = None
    for tok in doc:
        text: str = tok.text
        ok = tok.i not in masked and _is_word(tok) and len(text) >= (3 if german else 4)
        if german:
            ok = ok and text[0].isupper() and not text.isupper()
        else:
            ok = ok and not text.lower().endswith(verb_endings)
        if not ok:
            prev = None
            continue
        shown = text if german or (text.istitle() and not _sentence_start(tok)) else text.lower()
        yield shown.lower(), shown, text
        if prev is not None:
            pair = f"{prev[1]} {shown}"
            yield pair.lower(), pair, doc[prev[0].i : tok.i + 1].text
        prev = (tok, shown)


def _sentence_start(tok: Any) -> bool:
    """Whether ``tok`` opens a sentence (after . ! ? or a line break), where a capital says nothing."""
    if tok.i == 0:
        return True
    before = tok.doc[tok.i - 1]
    return before.text in {".", "!", "?", "…", ":"} or "\n" in before.whitespace_ or before.is_space


def _commonness(found: dict[str, _Candidate], lang: str) -> dict[str, tuple[float, float]]:
    """Mean and highest Zipf frequency of each candidate's words."""
    zipf = commonness(lang)
    scores = {key: [zipf(w) for w in key.split()] for key in found}
    return {key: (float(np.mean(z)), max(z)) for key, z in scores.items()}


def _shortlist(
    found: dict[str, _Candidate], weights: npt.NDArray[np.float64], zipf: dict[str, tuple[float, float]], limit: int
) -> tuple[list[str], npt.NDArray[np.float64]]:
    """The ``limit`` candidates with the most recency-weighted support and no everyday word.

    Candidates used in one post only are ranked only when too few are used in two or more.
    """
    scored = [
        (float(weights[list(c.posts)].sum()), len(c.posts), key)
        for key, c in found.items()
        if zipf[key][1] < _EVERYDAY_ZIPF
    ]
    scored.sort(key=lambda s: (-s[0], s[2]))
    repeated = [s for s in scored if s[1] >= 2]
    pool = repeated if len(repeated) >= limit // 4 else scored
    pool = pool[:limit]
    return [s[2] for s in pool], np.array([s[0] for s in pool])


def _informative_posts(
    found: dict[str, _Candidate],
    keys: list[str],
    support: npt.NDArray[np.float64],
    weights: npt.NDArray[np.float64],
    limit: int,
) -> list[int]:
    """The analysed posts that carry the most shortlisted candidate weight, recent ones first among equals."""
    carried: dict[int, float] = defaultdict(float)
    for key, s in zip(keys, support, strict=True):
        for n in found[key].posts:
            carried[n] += float(np.log1p(s))
    ranked = sorted(carried, key=lambda n: -(carried[n] * weights[n]))
    return sorted(ranked[:limit])


# --- ranking -------------------------------------------------------------------------------------------


def _embed(model: Any, texts: list[str]) -> Vectors:
    vecs = model.encode(texts, batch_size=64, convert_to_numpy=True, normalize_embeddings=True,
                        show_progress_bar=False)
    return np.asarray(vecs, dtype=np.float32)


def _unit(vec: Vectors) -> Vectors:
    norm = float(np.linalg.norm(vec))
    return vec / norm if norm else vec


def _scaled(values: Vectors) -> npt.NDArray[np.float64]:
    v = values.astype(np.float64)
    span = float(v.max() - v.min())
    return (v - v.min()) / span if span > 0 else np.ones_like(v)


def _mmr(relevance: npt.NDArray[np.float64], vecs: Vectors, keys: list[str], top_n: int, diversity: float) -> list[int]:
    """Maximal Marginal Relevance (as in KeyBERT); a phrase whose words contain another picked one's is skipped."""
    sims = vecs @ vecs.T
    picked: list[int] = []
    words = [set(k.split()) for k in keys]
    remaining = list(range(len(keys)))
    while remaining and len(picked) < top_n:
        if picked:
            redundancy = sims[np.ix_(remaining, picked)].max(axis=1)
            gain = (1 - diversity) * relevance[remaining] - diversity * redundancy
        else:
            gain = relevance[remaining]
        best = remaining[int(np.argmax(gain))]
        remaining.remove(best)
        if any(words[best] <= words[p] or words[p] <= words[best] for p in picked):
            continue
        picked.append(best)
    return picked


def _keyword(phrase: str, score: float, cand: _Candidate, texts: Sequence[str], post_indices: Sequence[int]) -> Keyword:
    """The keyword with its newest posts as evidence."""
    newest = sorted(cand.posts, key=lambda n: post_indices[n], reverse=True)[:_MAX_INDICES]
    evidence = tuple(_snippet(texts[n], cand.posts[n]) for n in newest[:_MAX_EVIDENCE])
    return Keyword(
        phrase=phrase,
        score=round(score, 4),
        post_indices=tuple(post_indices[n] for n in newest),
        evidence=evidence,
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
