"""The composer: a verbal portrait and a curator's style become a text-to-image prompt.

``compose(portrait, config, counter=...)`` is the one entry. The recipe: pick the style (fixed,
rotation, seeded random or mood-matched), pass every word through a personal-data check, the blocklist
and the wall policy, turn the keywords into a scene (motifs from the lexicon or the concreteness norms,
a setting from the themes), write the scene in the portrait's language when the style asks for it
(``installation.compose.language``), fill the style's template, drop the least important motifs until the
prompt fits the token budget (never cutting a word), scrub the finished prompt once more, and attach the
render parameters. Policy words never reach the prompt or ``keywords_used`` (the wall's caption); a
portrait dominated by them carries a ``hold_reason`` for the curator.
The seed comes from the portrait itself, so the same export gives the same prompt and image twice.
"""

from __future__ import annotations

import hashlib
import logging
from collections import Counter
from collections.abc import Callable, Iterable, Sequence

from extractors.describe.portrait import VerbalPortrait
from extractors.intake.clean import clean_text
from installation.compose.blocklist import Blocklist, load_blocklist, looks_personal
from installation.compose.language import Wording, check_languages, localize, wording
from installation.compose.motifs import load_lexicon
from installation.compose.policy import WallPolicy, load_policy
from installation.compose.prompt import Prompt
from installation.compose.scene import choose_scene
from installation.compose.tokens import TokenCounter
from installation.config import Config
from installation.errors import ComposeError, ConfigError

log = logging.getLogger(__name__)


OVER_BUDGET = "over token budget"
BLOCKED = "blocked"
PERSONAL = "personal data"
DUPLICATE = "duplicate"
OVER_LIMIT = "over keyword limit"

_MAX_THEMES = 3
_KEEP_MOTIFS = 2  # dropped last, after the extra palette and lighting words


def compose(
    portrait: VerbalPortrait,
    config: Config,
    *,
    counter: TokenCounter,
    style: str | None = None,
    turn: int = 0,
    private: Sequence[str] = (),
) -> Prompt:
    """The prompt for ``portrait`` in ``style`` (default: chosen by ``compose.selection``).

    ``config`` supplies [compose], [styles.*] and the [render] defaults. ``turn`` is the how-many-th
    portrait this is, for rotation (the worker passes the job's sequence number). ``private`` holds
    words known to be personal, such as the nickname a visitor typed: they are blocked like the
    blocklist. ``counter`` counts the CLIP tokens (``installation.render.tokens.token_counter`` builds
    the model's own).
    """
    # 1. Check inputs
    check_config(config)
    settings = config.compose

    # 2. The seed, from the portrait; then the style and the language it writes the prompt in
    seed = portrait_seed(portrait)
    name = pick_style(portrait, config, style, seed=seed, turn=turn)
    spec = config.styles[name]
    lang = portrait.language.main
    voice = wording(spec, name, settings, lang)
    budget = spec.max_tokens or settings.max_tokens

    # 3. Every word through the personal-data check and the blocklist; then the scene: the wall policy,
    #    the motif each keyword becomes, the setting from the themes
    blocklist = load_blocklist(config, private)
    policy = load_policy(config)
    lexicon = load_lexicon(config)
    candidates, dropped = _safe_keywords(portrait, blocklist, settings.max_keywords)
    scene = choose_scene(portrait, candidates, lexicon, policy, spec.motifs, settings.scene.town_population)
    dropped += scene.dropped
    motifs = list(scene.motifs)
    setting = "" if blocklist.find(scene.setting) else scene.setting

    def safe(words: Iterable[str]) -> list[str]:
        return [w for w in _safe_words(words, blocklist) if policy.check(w, lang) is None]

    themes = safe([t.name for t in portrait.themes][:_MAX_THEMES])
    extras = {"palette": safe(portrait.mood.palette), "lighting": safe(portrait.mood.lighting), "themes": themes}
    mood_words = safe([portrait.mood.label])

    # 4. In the portrait's language when the style asks for it: the scene's words through its text
    if voice.text is not None:
        local = localize(
            voice.text,
            lexicon,
            motifs,
            setting,
            mood_words[0] if mood_words else "",
            extras["palette"],
            extras["lighting"],
            [t for t in portrait.themes if t.name in themes],
        )
        motifs = []
        for keyword, text in local.motifs:
            if blocklist.find(text) or policy.check(text, lang) is not None:  # a translation may carry one
                dropped.append((keyword, BLOCKED))
            else:
                motifs.append((keyword, text))
        dropped += local.dropped
        setting = "" if blocklist.find(local.setting) else local.setting
        extras = {"palette": safe(local.palette), "lighting": safe(local.lighting), "themes": safe(local.themes)}
        mood_words = safe([local.mood])

    # A town needs no translation: it is written as the visitor wrote it
    if scene.town and not blocklist.find(scene.town):
        setting = in_town(setting, scene.town, english=voice.text is None)

    # 5. Fill the template, dropping the least important motifs until it fits the budget

    def fill(chosen: Sequence[tuple[str, str]]) -> str:
        return _fill(voice, spec.setting, [m for _, m in chosen], setting, extras, mood_words[0] if mood_words else "")

    # Motifs carry the person, so colour and light words give way before the last motif does.
    scene_motifs = tuple(motifs)
    positive = fill(motifs)
    while (tokens := counter.count(positive)) > budget:
        if len(motifs) > _KEEP_MOTIFS:
            dropped.append((motifs.pop()[0], OVER_BUDGET))
        elif trimmable := [words for words in extras.values() if len(words) > 1]:
            trimmable[0].pop()
        elif len(motifs) > 1:
            dropped.append((motifs.pop()[0], OVER_BUDGET))
        elif left := [words for words in extras.values() if words]:
            # Tight windows (a Russian prompt costs CLIP about a token a letter): colour and light go first,
            left[0].clear()
        elif setting:
            log.info("style %s: the setting left out to fit %d tokens (%s)", name, budget, counter.source)
            setting = ""  # then the setting, before the person's last motif; motifs that fit again return
            motifs = _refill(motifs, scene_motifs, dropped, lambda chosen: counter.count(fill(chosen)) <= budget)
        elif motifs and motifs[-1][1] != motifs[-1][0]:
            motifs[-1] = (motifs[-1][0], motifs[-1][0])  # and last, the motif in the person's own word
        else:
            raise ComposeError(
                f"style {name!r}: {tokens} tokens ({counter.source}) with {len(motifs)} motif(s), over the "
                f"budget of {budget}: shorten its template or modifiers"
            )
        positive = fill(motifs)

    # 6. The finished prompt once more: a curator's template or a mood word may carry a blocked term
    if found := blocklist.find(positive):
        log.warning("style %s: blocked words removed from the prompt: %s", name, ", ".join(found))
        positive = _tidy(blocklist.scrub(positive))
        tokens = counter.count(positive)
    if policy.check(positive, lang) is not None:
        log.warning("style %s: wall-policy words removed from the prompt", name)
        positive = _tidy(", ".join(t for t in positive.split(",") if policy.check(t, lang) is None))
        tokens = counter.count(positive)
    if looks_personal(positive):
        log.warning("style %s: something personal-looking (URL, e-mail, handle) removed from the prompt", name)
        positive = _tidy(", ".join(clean_text(term) for term in positive.split(",")))
        tokens = counter.count(positive)
    negative = _fit_terms(_tidy(f"{settings.negative}, {spec.negative}, {voice.negative}"), counter, budget)

    # 7. The render parameters (the style's own over [render]), and a hold when policy words dominate
    render = config.render
    return Prompt(
        positive=positive,
        negative=negative,
        style=name,
        seed=seed,
        width=spec.width or render.width,
        height=spec.height or render.height,
        steps=spec.steps or render.steps,
        guidance=render.guidance if spec.guidance is None else spec.guidance,
        scheduler=spec.scheduler or render.scheduler,
        keywords_used=tuple(k for k, _ in motifs),
        keywords_dropped=tuple(dropped),
        mood=mood_words[0] if mood_words else "",
        tokens=tokens,
        counted_by=counter.source,
        token_budget=budget,
        language=voice.code,
        withheld=len(scene.withheld),
        hold_reason=hold_reason(
            scene.withheld, len(candidates) + len(portrait.themes), policy, settings.policy.hold_share
        ),
        motifs=tuple(motifs),
        setting=setting,
        setting_from=scene.setting_from if setting else "",
        town=scene.town if scene.town and scene.town in setting else "",
    )


def in_town(setting: str, town: str, *, english: bool) -> str:
    """The setting placed in ``town``: "in a warm bakery kitchen in Leeds", or "in Leeds" alone."""
    if english:
        return f"{setting} in {town}" if setting else f"in {town}"
    return f"{setting}, {town}" if setting else town


def hold_reason(withheld: Sequence[tuple[str, str]], words: int, policy: WallPolicy, share: float) -> str | None:
    """Plain words for the curator page when policy words make up ``share`` of a portrait's words."""
    if not withheld or len(withheld) < share * max(words, 1):
        return None
    counts = Counter(category for _, category in withheld)
    top, _ = counts.most_common(1)[0]
    category = policy.category(top)
    label = category.label if category else top
    quantity = "most" if len(withheld) * 2 > words else "many"
    return f"{quantity} of its words are {label}: held for a curator"


def check_config(config: Config) -> None:
    """The cross-references within the compose settings: named styles exist, the blocklist is readable."""
    where = f"{config.source}: " if config.source else ""
    names = ", ".join(config.styles) or "none"
    if not config.styles:
        raise ConfigError(f"{where}styles: no style defined; add a [styles.NAME] table")
    if config.compose.default_style not in config.styles:
        raise ConfigError(
            f"{where}compose.default_style: no style named {config.compose.default_style!r} (styles: {names})"
        )
    for pooled in config.compose.pool:
        if pooled not in config.styles:
            raise ConfigError(f"{where}compose.pool: no style named {pooled!r} (styles: {names})")
    check_languages(config)
    try:
        load_blocklist(config)
        load_policy(config)
        load_lexicon(config)
    except ConfigError as exc:
        raise ConfigError(f"{where}{exc}") from exc


def portrait_seed(portrait: VerbalPortrait) -> int:
    """A stable seed from the portrait's keywords and mood: the same export, the same seed."""
    digest = hashlib.blake2b(digest_size=8, person=b"portrait-seed")
    for phrase in sorted(k.phrase.casefold() for k in portrait.keywords):
        digest.update(phrase.encode("utf-8") + b"\0")
    digest.update(b"\1" + portrait.mood.label.casefold().encode("utf-8"))
    # 31 bits: every backend (torch, the remote services) accepts it.
    return int.from_bytes(digest.digest()[:4], "big") & 0x7FFFFFFF


def pick_style(portrait: VerbalPortrait, config: Config, style: str | None, *, seed: int, turn: int = 0) -> str:
    """The named style, or the one ``compose.selection`` chooses."""
    if style is not None:
        if style not in config.styles:
            raise ComposeError(f"no style named {style!r}; styles: {', '.join(config.styles)}")
        return style
    settings = config.compose
    # A style written for other models (a Russian prompt for Kandinsky) is chosen only when named.
    pool = [n for n in settings.pool or config.styles if _suits_model(config.styles[n].models, config.render.model)]
    if not pool:
        return settings.default_style
    if settings.selection == "fixed":
        return settings.default_style
    if settings.selection == "rotation":
        return pool[turn % len(pool)]
    if settings.selection == "random":
        return pool[seed % len(pool)]
    label = portrait.mood.label.casefold()
    suited = [n for n in pool if label in (m.casefold() for m in config.styles[n].moods)]
    if not suited:
        log.info("no style declares the mood %r: using %s", portrait.mood.label, settings.default_style)
        return settings.default_style
    return suited[seed % len(suited)]


def _refill(
    motifs: list[tuple[str, str]],
    candidates: Sequence[tuple[str, str]],
    dropped: list[tuple[str, str]],
    fits: Callable[[Sequence[tuple[str, str]]], bool],
) -> list[tuple[str, str]]:
    """``motifs`` with the candidates dropped over budget put back, most important first, while they fit."""
    chosen = list(motifs)
    for motif in candidates:
        if motif not in chosen and (motif[0], OVER_BUDGET) in dropped and fits([*chosen, motif]):
            chosen.append(motif)
            dropped.remove((motif[0], OVER_BUDGET))
    order = {m: i for i, m in enumerate(candidates)}
    return sorted(chosen, key=lambda m: order.get(m, len(order)))


def _suits_model(models: Sequence[str], model: str) -> bool:
    return not models or any(m.casefold() in model.casefold() for m in models)


def _safe_keywords(
    portrait: VerbalPortrait, blocklist: Blocklist, limit: int
) -> tuple[list[str], list[tuple[str, str]]]:
    kept: list[str] = []
    dropped: list[tuple[str, str]] = []
    seen: set[str] = set()
    ranked = sorted(portrait.keywords, key=lambda k: k.score, reverse=True)
    for keyword in ranked:
        # A comma would split the phrase into two prompt terms.
        phrase = " ".join(keyword.phrase.replace(",", " ").split())
        if not phrase:
            continue
        if looks_personal(phrase):
            log.warning("a keyword was dropped: it looked like a URL, e-mail, phone number or handle")
            dropped.append((phrase, PERSONAL))
        elif found := blocklist.find(phrase):
            log.warning("a keyword was dropped: blocked word %r", found[0].casefold())
            dropped.append((phrase, BLOCKED))
        elif phrase.casefold() in seen:
            dropped.append((phrase, DUPLICATE))
        elif len(kept) >= limit:
            dropped.append((phrase, OVER_LIMIT))
        else:
            seen.add(phrase.casefold())
            kept.append(phrase)
    return kept, dropped


def _safe_words(words: Iterable[str], blocklist: Blocklist) -> list[str]:
    kept = []
    for word in words:
        word = " ".join(word.replace(",", " ").split())
        if found := blocklist.find(word):
            log.warning("a mood or theme word was dropped: blocked word %r", found[0].casefold())
        elif word and not looks_personal(word):
            kept.append(word)
    return kept


def _fill(
    words: Wording,
    place: str,
    motifs: Sequence[str],
    setting: str,
    extras: dict[str, list[str]],
    mood: str,
) -> str:
    slots = {
        "scene": words.scene(words.subject, setting, motifs, place),
        "motifs": ", ".join(motifs),
        "keywords": ", ".join(motifs),
        "setting": setting,
        "themes": ", ".join(extras["themes"]),
        "subject": words.subject,
        "mood": mood,
        "palette": ", ".join(extras["palette"]),
        "lighting": ", ".join(extras["lighting"]),
    }
    slots["prompt"] = words.prompt.format_map(slots)
    slots.update(
        technique=words.technique, artist=words.artist, period=words.period, modifiers=", ".join(words.modifiers)
    )
    return _tidy(words.template.format_map(slots))


def _tidy(text: str) -> str:
    """One space between words, no empty or repeated comma-separated terms."""
    terms: dict[str, str] = {}
    for term in text.split(","):
        term = " ".join(term.split())
        if term:
            terms.setdefault(term.casefold(), term)
    return ", ".join(terms.values())


def _fit_terms(text: str, counter: TokenCounter, budget: int) -> str:
    """Whole comma-separated terms from the end dropped until ``text`` fits (for the negative prompt)."""
    terms = text.split(", ") if text else []
    while terms and counter.count(", ".join(terms)) > budget:
        terms.pop()
    return ", ".join(terms)
