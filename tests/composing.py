"""``compose(portrait, style, config)`` for tests: the one pipeline's compose step, with its token counter."""

from __future__ import annotations

from collections.abc import Sequence

from extractors.describe.portrait import VerbalPortrait
from installation.compose.composer import compose as compose_prompt
from installation.compose.prompt import Prompt
from installation.compose.tokens import TokenCounter
from installation.config import Config
from installation.jobs.pipeline import PortraitPipeline


def compose(
    portrait: VerbalPortrait,
    style: str | None,
    config: Config,
    *,
    turn: int = 0,
    private: Sequence[str] = (),
    counter: TokenCounter | None = None,
) -> Prompt:
    if counter is not None:
        return compose_prompt(portrait, config, counter=counter, style=style, turn=turn, private=private)
    return PortraitPipeline(config).compose(portrait, style=style, turn=turn, private=private)
