"""A prompt in the syntax of a service that has no public API, ready to paste (Midjourney, NightCafe).

Midjourney is driven from Discord or its web app, NightCafe from its web form; neither offers an API a
machine may call, so the installation renders nothing there: it writes the prompt as a person would
type it. Pure functions: a ``Prompt`` in, text out.

    /imagine prompt: an oil portrait of a gardener, roses --ar 2:3 --seed 1234 --no blurry, text --stylize 100
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable

from installation.compose.prompt import Prompt
from installation.errors import RenderError

MIDJOURNEY_SEEDS = 4_294_967_296  # --seed takes 0 to 4294967295
_PARAMETER = re.compile(r"\s*--+\s*")  # " --x" starts a Midjourney parameter: never let a prompt word do it


def aspect_ratio(width: int, height: int) -> str:
    """``W:H`` in lowest terms (512x768 -> ``2:3``)."""
    if width < 1 or height < 1:
        raise RenderError(f"width and height must be positive but the size is {width}x{height}")
    divisor = math.gcd(width, height)
    return f"{width // divisor}:{height // divisor}"


def _one_line(text: str) -> str:
    """The text on one line, with no ``--`` that would start a parameter."""
    return _PARAMETER.sub(" - ", " ".join(text.split())).strip(" -")


def midjourney(prompt: Prompt, *, stylize: int = 100) -> str:
    """``/imagine prompt: TEXT --ar W:H --seed N --no NEGATIVE --stylize S`` (one line, as Discord wants it)."""
    if not 0 <= stylize <= 1000:
        raise RenderError(f"stylize must be in [0, 1000] but is {stylize}")
    text = _one_line(prompt.positive)
    if not text:
        raise RenderError("the prompt is empty: there is nothing to paste")
    parts = [f"/imagine prompt: {text}", f"--ar {aspect_ratio(prompt.width, prompt.height)}",
             f"--seed {prompt.seed % MIDJOURNEY_SEEDS}"]  # fmt: skip
    negative = _one_line(prompt.negative)
    if negative:
        parts.append(f"--no {negative}")
    parts.append(f"--stylize {stylize}")
    return " ".join(parts)


def nightcafe(prompt: Prompt) -> str:
    """The fields of NightCafe's create form, one per line, in the order the form asks for them."""
    text = " ".join(prompt.positive.split())
    if not text:
        raise RenderError("the prompt is empty: there is nothing to paste")
    lines = [f"Text prompt: {text}"]
    negative = " ".join(prompt.negative.split())
    if negative:
        lines.append(f"Negative prompt: {negative}")
    lines += [f"Aspect ratio: {aspect_ratio(prompt.width, prompt.height)}", f"Seed: {prompt.seed % 2**32}"]
    return "\n".join(lines)


SERVICES: dict[str, Callable[[Prompt], str]] = {"midjourney": midjourney, "nightcafe": nightcafe}


def for_service(prompt: Prompt, service: str) -> str:
    """The prompt in ``service``'s syntax; an unknown service names the known ones."""
    if service not in SERVICES:
        raise RenderError(f"no paste format for {service!r} (formats: {', '.join(SERVICES)})")
    return SERVICES[service](prompt)
