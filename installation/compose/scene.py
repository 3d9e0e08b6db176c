"""The scene a painter could paint: the person in a setting from the themes, holding two to four motifs.

``choose_scene(portrait, words, lexicon, policy, limit)`` returns a ``Scene``: the motif each painted
keyword became, the setting, and every keyword kept off the picture with the reason (policy, no image,
same motif, over the style's count). The motifs are the most *telling* of the paintable keywords, not
just the highest ranked: a word tells about this person when it is rare in everyday language ("sourdough",
not "coffee" or German "Kopf", by wordfreq in the portrait's languages and as its English noun), recurs
in more than one post and not in one run of consecutive posts (news everyone goes on about for a few
days), and shows something not already on the canvas (a second loaf, or a second word that sets the
same scene, gives way to another side of the person until nothing new is left). A single word the posts
only write as a name ("the flat, Biscuit has noticed") is not painted as the thing it also says.
The setting comes from the strongest topic the lexicon places (in another language, by its English
noun: "Sauerteig" sets a bakery kitchen), and a town the posts name (``places.find_place``) sets it there.
``scene_text`` writes the scene as the {scene} slot reads.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from extractors.describe import languages as lang_tools
from extractors.describe.portrait import Keyword, VerbalPortrait
from installation.compose.motifs import Lexicon, Motif
from installation.compose.places import find_place, written_only_as_name
from installation.compose.policy import WallPolicy

NO_IMAGE = "no image"
SAME_MOTIF = "same motif"
OVER_MOTIFS = "over the style's motif count"
IN_TOWN = "the town the scene is set in"
A_NAME = "a name the posts give someone or something, not the thing it says"
# Languages that capitalise every noun: there a capital inside a sentence does not make a name
_NOUNS_CAPITALISED = frozenset({"de", "lb"})

# Zipf frequencies (wordfreq) between which a word fades from specific to everyday ("telescope" 3.8,
# "tea" 4.7, "coffee" 4.9, German "Kopf" 5.3); below the first the describe stage's order stands.
_SPECIFIC_ZIPF = 4.0
_EVERYDAY_ZIPF = 5.5
_EVERYDAY_FLOOR = 0.1  # an everyday word still fills a slot no telling word wants
_ONE_POST = 0.5  # a word of a single post, in a portrait of several, is a moment rather than the person
_BURST = 0.2  # a word whose posts follow each other (a run) is news of a few days: the world, not the person
_RUN = 2.5  # a run: its posts span less than this many times their number (a bilingual run alternates the
# news's word in each language, so each word alone is spread out) ...
_RUN_SPAN = 0.25  # ... and less than this share of the portrait's posts
_SHARE_OF_LANGUAGE = re.compile(r"\b([a-z]{2,3}) \d+%")
_FILLER = frozenset("a an the of on in with and at by to from for its their small large full".split())


@dataclass(frozen=True)
class Scene:
    motifs: tuple[tuple[str, str], ...]  # (keyword, motif), most telling first
    setting: str  # "" when no theme or keyword gives one
    setting_from: str  # the theme or keyword that gave it
    dropped: tuple[tuple[str, str], ...]  # (keyword, why)
    withheld: tuple[tuple[str, str], ...]  # (word, policy category) of keywords and themes
    town: str = ""  # a town keyword the scene is set in ("" when none is named, or none large enough)


@dataclass(frozen=True)
class _Paintable:
    keyword: str
    motif: str
    weight: float  # the describe stage's score times how telling the word is
    things: frozenset[str]  # the motif's content words, to see what is already on the canvas


def choose_scene(
    portrait: VerbalPortrait,
    keywords: Sequence[str],
    lexicon: Lexicon,
    policy: WallPolicy,
    limit: int,
    town_population: int = 0,
) -> Scene:
    """``keywords`` are the portrait's safe keywords, most important first (personal data already out).

    ``town_population``: a keyword naming a town at least this large sets the scene there (0: never).
    """
    # 1. Check inputs
    if limit < 1:
        raise ValueError(f"a scene needs at least one motif but the limit is {limit}")
    lang = portrait.language.main
    langs = portrait_languages(portrait)
    found = {_phrase(k.phrase): k for k in portrait.keywords}

    # 2. Each keyword: the policy first, then what the lexicon or the norms paint for it
    paintable: list[_Paintable] = []
    dropped: list[tuple[str, str]] = []
    withheld: list[tuple[str, str]] = []
    painted: dict[str, str] = {}
    # The town the posts keep naming, when it is large enough to point at nobody, is the setting's
    town = find_place([found[k] for w in keywords if (k := _phrase(w)) in found], town_population)
    names_readable = not _NOUNS_CAPITALISED & set(langs)
    if town is not None and policy.check(town.keyword, lang) is not None:
        town = None
    for rank, keyword in enumerate(keywords):
        if (category := policy.check(keyword, lang)) is not None:
            withheld.append((keyword, category.name))
            dropped.append((keyword, f"policy: {category.name}"))
            continue
        if town is not None and keyword == town.keyword:
            dropped.append((keyword, IN_TOWN))
            continue
        motif = lexicon.motif(keyword, translate_first=lang != "en", langs=langs)
        if not motif.text:
            dropped.append((keyword, f"{NO_IMAGE}: {motif.source.removeprefix('no image ').strip('()')}"))
        elif (
            names_readable  # one word painted as it is written, that the posts only use as a name
            and motif.source.startswith("concreteness")
            and len(keyword.split()) == 1  # "Orion nebula", "Tihany peninsula" say what they name
            and (known := found.get(_phrase(keyword))) is not None
            and written_only_as_name(keyword, known.evidence)
        ):
            dropped.append((keyword, A_NAME))  # the cat called Biscuit is not a biscuit
        elif motif.text.casefold() in painted:
            dropped.append((keyword, f"{SAME_MOTIF} as {painted[motif.text.casefold()]!r}"))
        elif (category := policy.check(motif.text, lang)) is not None:  # a curator's motif may carry one
            dropped.append((keyword, f"policy: {category.name}"))
        else:
            painted[motif.text.casefold()] = keyword
            score = found[k].score if (k := _phrase(keyword)) in found else 1 / (1 + rank)
            weight = score * telling(found.get(k), motif, langs, portrait.stats.posts_used)
            # Words that set the same scene (dough, loaf: the bakery) show one side of the person.
            place = lexicon.setting(keyword) or (lexicon.setting(motif.english) if motif.english else None)
            things = _things(motif.text) | ({f"@{place}"} if place else set())
            paintable.append(_Paintable(keyword, motif.text, weight, frozenset(things)))

    # 3. The most telling motifs, each showing something new while the style has room
    motifs = _pick(sorted(paintable, key=lambda p: -p.weight), limit)
    chosen = {p.keyword for p in motifs}
    dropped += [(p.keyword, OVER_MOTIFS) for p in paintable if p.keyword not in chosen]

    # 4. The setting: the place most of the topics and the painted motifs agree on (each by its weight),
    #    else the posting rhythm's ("night owl"), else any keyword's; another language by its English noun
    topics = sorted((t for t in portrait.themes if t.source != "rhythm"), key=lambda t: -t.weight)
    rhythms = sorted((t for t in portrait.themes if t.source == "rhythm"), key=lambda t: -t.weight)
    for theme in (*topics, *rhythms):
        if (category := policy.check(theme.name, lang)) is not None:
            withheld.append((theme.name, category.name))
    # Topics and motifs each count relative to their strongest, which counts 1; a tie goes to the topic
    strongest = max((t.weight for t in topics), default=1.0) or 1.0
    heaviest = max((p.weight for p in motifs), default=1.0) or 1.0
    voters = [(t.name, t.weight / strongest) for t in topics] + [(p.keyword, p.weight / heaviest) for p in motifs]
    setting, source = _vote(voters, lexicon, policy, lang, langs)
    if not setting:  # nothing painted places it: the posting rhythm's, else the first keyword that does
        for word in (*(t.name for t in rhythms), *keywords):
            if policy.check(word, lang) is None and (place := _setting_of(word, lexicon, lang, langs)):
                setting, source = place, word
                break
    return Scene(
        tuple((p.keyword, p.motif) for p in motifs),
        setting,
        source,
        tuple(dropped),
        tuple(withheld),
        town.keyword if town else "",
    )


def _vote(
    voters: Sequence[tuple[str, float]], lexicon: Lexicon, policy: WallPolicy, lang: str, langs: Sequence[str]
) -> tuple[str, str]:
    """The setting with the most weight behind it, and the word that gave it the most."""
    votes: dict[str, float] = {}
    best: dict[str, tuple[float, str]] = {}
    for word, weight in voters:
        if policy.check(word, lang) is None and (place := _setting_of(word, lexicon, lang, langs)):
            votes[place] = votes.get(place, 0.0) + weight
            if place not in best or weight > best[place][0]:
                best[place] = (weight, word)
    if not votes:
        return "", ""
    place = max(votes, key=lambda p: votes[p])  # the first of equal votes: topics come first
    return place, best[place][1]


def _setting_of(word: str, lexicon: Lexicon, lang: str, langs: Sequence[str]) -> str | None:
    """The word's own setting, else that of its English noun, else that of what is painted for it."""
    if place := lexicon.setting(word):
        return place
    motif = lexicon.motif(word, translate_first=lang != "en", langs=langs)
    for painted in (motif.english, motif.text):
        if painted and (place := lexicon.setting(painted)):
            return place
    return None


def telling(keyword: Keyword | None, motif: Motif, langs: Sequence[str], posts_used: int) -> float:
    """0..1: how much a word tells about this person rather than about anyone (see the module docstring)."""
    # 1. Rare in everyday language, in each language the person writes and as its English noun
    words = [(motif.word, lang) for lang in (*langs, "en")]
    if motif.english:
        words.append((motif.english, "en"))
    zipf = max(lang_tools.zipf(word, lang) for word, lang in words)
    rarity = (_EVERYDAY_ZIPF - zipf) / (_EVERYDAY_ZIPF - _SPECIFIC_ZIPF)
    weight = min(1.0, max(_EVERYDAY_FLOOR, rarity))
    # 2. Recurring: a word of one post, or of one run of consecutive posts, is a moment, not the person
    if keyword is None or posts_used < 3:
        return weight
    posts = sorted(set(keyword.post_indices))
    if len(posts) == 1:
        weight *= _ONE_POST
    elif len(posts) >= 3 and posts[-1] - posts[0] < _RUN * len(posts) and posts[-1] - posts[0] < posts_used * _RUN_SPAN:
        weight *= _BURST
    return weight


def portrait_languages(portrait: VerbalPortrait) -> tuple[str, ...]:
    """The languages the portrait was read in, from its analyser note ("de 55%, en 45%"), else the main one."""
    shares = tuple(_SHARE_OF_LANGUAGE.findall(portrait.language.analyser))
    return shares or (portrait.language.main,)


def _pick(ranked: Sequence[_Paintable], limit: int) -> list[_Paintable]:
    """The best ``limit``, skipping a motif that repeats a thing already chosen until nothing new is left."""
    chosen: list[_Paintable] = []
    for repeats_allowed in (False, True):
        for candidate in ranked:
            if len(chosen) >= limit:
                break
            shown = frozenset().union(*(p.things for p in chosen))
            if candidate not in chosen and (repeats_allowed or not candidate.things & shown):
                chosen.append(candidate)
    return sorted(chosen, key=ranked.index)


def _things(motif: str) -> frozenset[str]:
    # "a sourdough loaf" and "a crusty loaf" both show a loaf; plurals count as the same thing
    return frozenset(w.removesuffix("s") for w in re.findall(r"\w+", motif.casefold()) if w not in _FILLER)


def _phrase(text: str) -> str:
    return " ".join(text.replace(",", " ").split()).casefold()


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
