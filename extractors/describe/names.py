"""Other people's names: which words of a post may name someone, so they never become keywords.

A word is taken for a name when it is a capitalised first name (Faker's lists for the visitors'
languages) inside a sentence, the capitalised word right after one, a word shaped like a username, or
an item of a list that thanks or greets people ("thanks to a, b and c", "danke an ...", "merci à ...")
or a comma-separated run of words that are no dictionary word of the profile's languages.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from extractors.describe.languages import WORD, sentence_start

# Words that open a list of people, in the languages we read (lower case, matched as whole words).
_GREETINGS = re.compile(
    r"\b(?:thanks?(?: you)?(?: to| so much)?|shout-?outs?(?: to)?|kudos(?: to)?|cc|credits?(?: to)?|with"
    r"|danke(?: an)?|vielen dank(?: an)?|mit|merci(?: à)?|avec|gracias(?: a)?|con|grazie(?: a)?"
    r"|obrigad[oa](?: a)?|com|bedankt|dank(?: aan)?|met|tak(?: til)?|med|спасибо|благодарю)\s*[:,]?\s*$",
    re.IGNORECASE,
)
_JOINERS = frozenset({"and", "und", "y", "e", "et", "og", "en", "i", "&", "och", "ja", "и", "a", "or", "+"})
_TOKEN = re.compile(r"[\w'’-]+", re.UNICODE)


@dataclass(frozen=True)
class Token:
    text: str
    start: int
    end: int
    word: bool  # letters only: may be part of a keyword
    opens_sentence: bool


def tokens(text: str) -> list[Token]:
    return [
        Token(m.group(), m.start(), m.end(), WORD.fullmatch(m.group()) is not None, sentence_start(text, m.start()))
        for m in _TOKEN.finditer(text)
    ]


def username_like(text: str) -> bool:
    """Digits or underscores in a word, or a capital after a small letter ("tkusano_dev", "DevAurora")."""
    return any(c.isdigit() or c == "_" for c in text) or re.search(r"[a-z][A-Z]", text) is not None


def masked(
    text: str,
    toks: Sequence[Token],
    first_names: frozenset[str],
    known: Callable[[str], bool],
    capital_nouns: bool = False,
) -> set[int]:
    """Positions in ``toks`` that may name a person; ``known`` says whether a word is in a dictionary.

    ``capital_nouns``: the post's language capitalises every noun (German), so in a list a capital letter is
    no sign of a name ("mit Sauerteig und Roggen" is bread, not people)."""
    out: set[int] = set()
    for i, tok in enumerate(toks):
        if username_like(tok.text):
            out.add(i)
        elif tok.text.istitle() and tok.text in first_names and not (tok.opens_sentence and known(tok.text)):
            out.add(i)
            nxt = i + 1
            if nxt < len(toks) and toks[nxt].text.istitle() and _adjacent(text, tok, toks[nxt]):
                out.add(nxt)  # most likely the surname
    out |= _listed(text, toks, known, capital_nouns)
    return out


def _adjacent(text: str, a: Token, b: Token) -> bool:
    return text[a.end : b.start].strip() == ""


def _listed(text: str, toks: Sequence[Token], known: Callable[[str], bool], capital_nouns: bool) -> set[int]:
    """Items of a list of people: after a greeting, or a run of three or more unknown words in a list."""
    out: set[int] = set()
    items = _list_items(text, toks)
    for whole in items:
        # The greeting may sit inside the run: in "gracias a x, y" the "a" reads as a joiner ("a" is "and"
        # elsewhere), so the list of people starts at the first item right after a greeting.
        at = next((j for j, item in enumerate(whole) if _greeting_before(text, toks[item[0]].start)), None)
        greeted = at is not None
        run = whole[at:] if at is not None else whole
        if not greeted and len(run) < 3:  # two things in a row are no list of people; saves the look-ups
            continue
        unknown = sum(1 for item in run if not all(known(toks[i].text) for i in item))
        odd = sum(
            1
            for item in run
            if (toks[item[0]].text[:1].isupper() and not capital_nouns) or not all(known(toks[i].text) for i in item)
        )
        if greeted and odd * 2 > len(run):
            # Mostly names or unknown words after a greeting: every item names someone, even one that is
            # also a dictionary word of some language ("glassen").
            out.update(
                i
                for item in run
                for n, i in enumerate(item)
                if n == 0 or toks[i].text[:1].isupper() or not known(toks[i].text)
            )
        elif greeted and (unknown or odd == len(run)):
            out.update(i for item in run for i in item if toks[i].text[:1].isupper() or not known(toks[i].text))
        elif len(run) >= 3 and unknown >= len(run) - 1:
            out.update(i for item in run for i in item if not known(toks[i].text))
    return out


def _list_items(text: str, toks: Sequence[Token]) -> list[list[list[int]]]:
    """Runs of list items: one or two words each, separated by commas or joiners ("a, b and c")."""
    runs: list[list[list[int]]] = []
    run: list[list[int]] = []
    item: list[int] = []
    i = 0
    while i < len(toks):
        tok = toks[i]
        if tok.text.lower() in _JOINERS and item:
            run.append(item)
            item = []
            i += 1
            continue
        gap = text[toks[i - 1].end : tok.start] if i else ""
        if not item and run and gap.strip() == "":  # the item after a joiner
            item = [i]
        elif item and gap.strip() == "" and len(item) < 2:
            item.append(i)
        elif item and gap.strip() in (",", "&", "+", ", &"):
            run.append(item)
            item = [i]
        else:
            if item:
                run.append(item)
            if len(run) >= 2 or (run and _greeting_before(text, toks[run[0][0]].start)):
                runs.append(run)
            run, item = [], [i]
        i += 1
    if item:
        run.append(item)
    if len(run) >= 2 or (run and _greeting_before(text, toks[run[0][0]].start)):
        runs.append(run)
    return runs


def _greeting_before(text: str, start: int) -> bool:
    return _GREETINGS.search(text[max(0, start - 40) : start]) is not None
