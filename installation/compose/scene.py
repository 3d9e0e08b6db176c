"""The scene a painter could paint: the person in a setting from the themes, holding two to four motifs.

``choose_scene(portrait, words, lexicon, policy, limit)`` walks the keywords most important first and
returns a ``Scene``: the motif each painted keyword became, the setting, and every keyword kept off the
picture with the reason (policy, no image, same motif, over the style's count). ``scene_text`` writes it
as the {scene} slot reads.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from extractors.describe.portrait import VerbalPortrait
from installation.compose.motifs import Lexicon
from installation.compose.policy import WallPolicy

NO_IMAGE = "no image"
SAME_MOTIF = "same motif"
OVER_MOTIFS = "over the style's motif count"


@dataclass(frozen=True)
class Scene:
    motifs: tuple[tuple[str, str], ...]  # (keyword, motif), most important first
    setting: str  # "" when no theme or keyword gives one
    setting_from: str  # the theme or keyword that gave it
    dropped: tuple[tuple[str, str], ...]  # (keyword, why)
    withheld: tuple[tuple[str, str], ...]  # (word, policy category) of keywords and themes


def choose_scene(
    portrait: VerbalPortrait, keywords: Sequence[str], lexicon: Lexicon, policy: WallPolicy, limit: int
) -> Scene:
    """``keywords`` are the portrait's safe keywords, most important first (personal data already out)."""
    # 1. Check inputs
    if limit < 1:
        raise ValueError(f"a scene needs at least one motif but the limit is {limit}")
    lang = portrait.language.main

    # 2. Each keyword: the policy first, then what the lexicon or the norms paint for it
    motifs: list[tuple[str, str]] = []
    dropped: list[tuple[str, str]] = []
    withheld: list[tuple[str, str]] = []
    painted: dict[str, str] = {}
    for keyword in keywords:
        if (category := policy.check(keyword, lang)) is not None:
            withheld.append((keyword, category.name))
            dropped.append((keyword, f"policy: {category.name}"))
            continue
        motif = lexicon.motif(keyword)
        if not motif.text:
            dropped.append((keyword, f"{NO_IMAGE}: {motif.source.removeprefix('no image ').strip('()')}"))
        elif motif.text.casefold() in painted:
            dropped.append((keyword, f"{SAME_MOTIF} as {painted[motif.text.casefold()]!r}"))
        elif len(motifs) >= limit:
            dropped.append((keyword, OVER_MOTIFS))
        elif (category := policy.check(motif.text, lang)) is not None:  # a curator's motif may carry one
            dropped.append((keyword, f"policy: {category.name}"))
        else:
            painted[motif.text.casefold()] = keyword
            motifs.append((keyword, motif.text))

    # 3. The setting: the strongest theme the lexicon places, else a keyword's
    setting, source = "", ""
    # Topics (hashtags, keyword clusters) place a scene better than posting rhythms ("night owl") do.
    themes = sorted(portrait.themes, key=lambda t: (t.source == "rhythm", -t.weight))
    for theme in themes:
        if (category := policy.check(theme.name, lang)) is not None:
            withheld.append((theme.name, category.name))
    for word in (*(t.name for t in themes if policy.check(t.name, lang) is None), *(k for k, _ in motifs),
                 *keywords):
        if policy.check(word, lang) is None and (found := lexicon.setting(word)):
            setting, source = found, word
            break
    return Scene(tuple(motifs), setting, source, tuple(dropped), tuple(withheld))


def scene_text(subject: str, setting: str, motifs: Sequence[str], place: str) -> str:
    """``subject`` ``setting``, with a, b and c: the setting where the style puts it."""
    holding = ""
    if motifs:
        listed = motifs[0] if len(motifs) == 1 else ", ".join(motifs[:-1]) + " and " + motifs[-1]
        holding = f" with {listed}"
    if not setting or place == "left out":
        return f"{subject}{holding}"
    if place == "at the end":
        return f"{subject}{holding}, {setting}"
    return f"{subject} {setting}{holding}"
