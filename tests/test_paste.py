"""Prompts for services without an API, in their own syntax: Midjourney's /imagine and NightCafe's form."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from installation.cli import main
from installation.compose.prompt import Prompt
from installation.errors import RenderError
from installation.render.paste import aspect_ratio, for_service, midjourney, nightcafe

PROMPT = Prompt(
    positive="an oil portrait of a gardener, roses, rain",
    negative="blurry, text",
    style="oil-portrait",
    seed=1234,
    width=512,
    height=768,
    steps=1,
    guidance=0.0,
)
ROOT = Path(__file__).resolve().parent.parent


def test_midjourney_imagine_line() -> None:
    assert midjourney(PROMPT) == (
        "/imagine prompt: an oil portrait of a gardener, roses, rain"
        " --ar 2:3 --seed 1234 --no blurry, text --stylize 100"
    )
    assert midjourney(replace(PROMPT, negative=""), stylize=250).endswith("--seed 1234 --stylize 250")


def test_midjourney_keeps_prompt_words_from_becoming_parameters() -> None:
    hostile = replace(PROMPT, positive="a garden\n-- v 4 --chaos 100", seed=2**40 + 7)
    line = midjourney(hostile)
    assert "\n" not in line and line.count("--") == 4  # --ar --seed --no --stylize, none from the prompt
    assert "--seed 7 " in line


@pytest.mark.parametrize(("width", "height", "ratio"), [(512, 512, "1:1"), (896, 512, "7:4"), (1024, 576, "16:9")])
def test_aspect_in_lowest_terms(width: int, height: int, ratio: str) -> None:
    assert aspect_ratio(width, height) == ratio


def test_nightcafe_form_fields() -> None:
    assert nightcafe(PROMPT).splitlines() == [
        "Text prompt: an oil portrait of a gardener, roses, rain",
        "Negative prompt: blurry, text",
        "Aspect ratio: 2:3",
        "Seed: 1234",
    ]


def test_bad_inputs_are_named() -> None:
    with pytest.raises(RenderError, match="stylize must be in"):
        midjourney(PROMPT, stylize=5000)
    with pytest.raises(RenderError, match="the prompt is empty"):
        midjourney(replace(PROMPT, positive=" -- "))
    with pytest.raises(RenderError, match=r"no paste format for 'dalle' \(formats: midjourney, nightcafe\)"):
        for_service(PROMPT, "dalle")


def test_cli_prompt_for_midjourney(capsys: pytest.CaptureFixture[str]) -> None:
    export = next((ROOT / "sample_profiles" / "mastodon").glob("archive-*.tar.gz"))
    assert main(["prompt", str(export), "--for", "midjourney", "--config", str(ROOT / "config.toml")]) == 0
    out = capsys.readouterr().out.strip()
    assert out.startswith("/imagine prompt: ") and " --ar " in out and out.endswith("--stylize 100")
    assert len(out.splitlines()) == 1
    assert main(["prompt", str(export), "--for", "nightcafe", "--config", str(ROOT / "config.toml")]) == 0
    assert capsys.readouterr().out.startswith("Text prompt: ")
