"""Why the picture shows what it shows: which posts gave which words, which word became which motif,
which were kept off the picture and why. For ``portrait prompt --explain`` and the visitor's card.

``explain(portrait, prompt)`` returns an ``Explanation``; ``lines(explanation, public=False)`` writes it
as text. With ``public`` the words the wall policy or the blocklist kept off are counted, never shown.
"""

from __future__ import annotations

from dataclasses import dataclass

from extractors.describe.portrait import VerbalPortrait
from installation.compose.prompt import Prompt

HIDDEN = ("policy", "blocked", "personal data")  # reasons whose words a screen others can see never shows


@dataclass(frozen=True)
class WordStory:
    word: str
    posts: tuple[str, ...]  # evidence snippets of the posts it came from
    painted_as: str  # the motif; "" when it is not painted
    why_not: str  # the reason it is not painted; "" when it is


@dataclass(frozen=True)
class Explanation:
    style: str
    setting: str
    setting_from: str  # the theme or keyword that set the scene ("" when none did)
    town: str  # the town keyword the scene is set in ("" when none)
    words: tuple[WordStory, ...]  # most important first
    withheld: int
    hold_reason: str | None


def explain(portrait: VerbalPortrait, prompt: Prompt) -> Explanation:
    # 1. Check inputs
    if not isinstance(prompt, Prompt):
        raise TypeError(f"explain needs a Prompt but got {type(prompt).__name__}")
    # 2. Each keyword's posts, and what became of it
    painted = dict(prompt.motifs)
    if prompt.town:  # the town is painted as the place the scene is set in
        painted[prompt.town] = prompt.setting
    dropped = dict(prompt.keywords_dropped)
    stories = []
    for keyword in sorted(portrait.keywords, key=lambda k: -k.score):
        phrase = " ".join(keyword.phrase.replace(",", " ").split())
        why = "" if phrase in painted else dropped.get(phrase, "not considered")
        stories.append(WordStory(phrase, keyword.evidence, painted.get(phrase, ""), why))
    return Explanation(
        prompt.style,
        prompt.setting,
        prompt.setting_from,
        prompt.town,
        tuple(stories),
        prompt.withheld,
        prompt.hold_reason,
    )


def lines(explanation: Explanation, *, public: bool = False) -> list[str]:
    """The explanation as text; ``public`` hides policy, blocked and personal words behind a count."""
    why = [f"{explanation.setting_from!r}"] if explanation.setting_from else []
    why += [f"the town {explanation.town!r}"] if explanation.town else []
    set_by = f" (from {' and '.join(why)})" if why else ""
    out = [f"scene ({explanation.style}): set {explanation.setting or 'nowhere in particular'}{set_by}"]
    hidden = 0
    for story in explanation.words:
        if public and story.why_not.startswith(HIDDEN):
            hidden += 1
            continue
        outcome = f"painted as {story.painted_as!r}" if story.painted_as else f"kept off the picture: {story.why_not}"
        out.append(f"  {story.word}: {outcome}")
        for post in story.posts[:2]:
            out.append(f"      from \u201c{post}\u201d")
    if public and hidden:
        out.append(f"  {hidden} word(s) kept off the wall")
    elif explanation.withheld:
        out.append(f"  {explanation.withheld} word(s) kept off the wall by its policy")
    if explanation.hold_reason:
        out.append(f"  held: {explanation.hold_reason}")
    return out
