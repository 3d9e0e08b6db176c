"""A step of the party: the prompt master's settings become the prompt that is painted.

    settings (+ the curator style they name) -> check -> positive prompt, negative, size, steps, guidance

``compose_step`` is the one entry. A style fills in what the prompt master left empty: technique,
artist, period, modifiers, its negative prompt and its render keys; ``[render]`` fills in the rest. A
variation repaints its source step's image with that step's prompt and a new seed; image-to-image
repaints it with a new prompt. Every word of the prompt passes the wall-word policy first.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from installation.compose.prompt import Prompt
from installation.config import Config, StyleConfig
from installation.errors import PartyError
from installation.party.records import STEP_KINDS, Step, StepSettings
from installation.party.words import WallWords

MAX_TEXT = 400
MAX_SEED = 2**32


@dataclass(frozen=True)
class ComposedStep:
    """A step ready to be recorded: the settings as given (defaults filled in) and the prompt to paint."""

    settings: StepSettings
    prompt: Prompt


def compose_step(
    config: Config, settings: StepSettings, words: WallWords, *, source: Step | None = None
) -> ComposedStep:
    """The prompt of one step; a ``PartyError`` names the first bad value."""
    # 1. Check inputs.
    check_inputs(config, settings, source)
    style = config.styles.get(settings.style) if settings.style else None
    # 2. A variation repaints its source with the source's own prompt.
    if settings.kind == "variation" and source is not None:
        prompt = Prompt(
            positive=source.positive, negative=source.negative, style=source.settings.style or "party",
            seed=settings.seed, width=source.width, height=source.height, steps=source.steps,
            guidance=source.guidance,
        )
        return ComposedStep(settings, prompt)
    # 3. The positive prompt: the prompt master's words, then what the style (or the master) adds.
    positive = positive_prompt(settings, style)
    refusal = words.refusal(positive)
    if refusal:
        raise PartyError(f"the prompt cannot be painted: {refusal}")
    # 4. The negative prompt and the render keys: the master's, else the style's, else [render].
    negative = settings.negative
    if negative is None:
        negative = ", ".join(n for n in (config.compose.negative, style.negative if style else "") if n)
    render = config.render
    width = settings.width or (style.width if style and style.width else render.width)
    height = settings.height or (style.height if style and style.height else render.height)
    if source is not None:  # image-to-image keeps the size of the image it repaints
        width, height = source.width, source.height
    steps = settings.steps or (style.steps if style and style.steps else render.steps)
    guidance = settings.guidance if settings.guidance is not None else (
        style.guidance if style and style.guidance is not None else render.guidance
    )
    prompt = Prompt(
        positive=positive, negative=negative, style=settings.style or "party", seed=settings.seed,
        width=width, height=height, steps=steps, guidance=guidance,
        scheduler=(style.scheduler if style else None) or render.scheduler,
    )
    return ComposedStep(replace(settings, negative=negative), prompt)


def check_inputs(config: Config, settings: StepSettings, source: Step | None) -> None:
    text = settings.text.strip()
    if settings.kind not in STEP_KINDS:
        raise PartyError(f"kind must be one of {', '.join(STEP_KINDS)} but is {settings.kind!r}")
    if settings.kind == "prompt" and settings.source_step is not None:
        raise PartyError("a prompt step paints from noise; source_step is for variation and img2img")
    if settings.kind != "prompt":
        if settings.source_step is None or source is None:
            raise PartyError(f"a {settings.kind} step needs the source_step whose image it repaints")
        if source.state != "done" or source.image_path is None:
            raise PartyError(f"step {source.number} has no image yet to repaint")
        if not 0 < settings.strength <= 1:
            raise PartyError(f"strength must be in (0, 1] but is {settings.strength}")
    if settings.kind != "variation" and not text:
        raise PartyError("the prompt is empty: write at least one word")
    if len(settings.text) > MAX_TEXT:
        raise PartyError(f"the prompt is {len(settings.text)} characters long; at most {MAX_TEXT}")
    if settings.style is not None and settings.style not in config.styles:
        names = ", ".join(config.styles) or "none configured"
        raise PartyError(f"no style named {settings.style!r} (styles: {names})")
    if not 0 <= settings.seed < MAX_SEED:
        raise PartyError(f"seed must be in [0, {MAX_SEED}) but is {settings.seed}")
    for key in ("width", "height"):
        value = getattr(settings, key)
        if value is not None and (value % 8 or not 64 <= value <= 2048):
            raise PartyError(f"{key} must be a multiple of 8 from 64 to 2048 but is {value}")
    if settings.steps is not None and not 1 <= settings.steps <= 200:
        raise PartyError(f"steps must be from 1 to 200 but is {settings.steps}")
    if settings.guidance is not None and not 0 <= settings.guidance <= 30:
        raise PartyError(f"guidance must be from 0 to 30 but is {settings.guidance}")


def positive_prompt(settings: StepSettings, style: StyleConfig | None) -> str:
    """The master's words, then technique, artist, period and modifiers (the master's, else the style's)."""
    technique = settings.technique or (style.technique if style else "")
    artist = settings.artist or (style.artist if style else "")
    period = settings.period or (style.period if style else "")
    modifiers = settings.modifiers or (style.modifiers if style else ())
    parts = [
        " ".join(settings.text.split()), technique, f"in the style of {artist}" if artist else "",
        period, *modifiers,
    ]
    return ", ".join(p.strip() for p in parts if p.strip())
