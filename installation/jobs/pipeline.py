"""The one way through: export -> Profile -> VerbalPortrait -> Prompt -> Artwork.

``PortraitPipeline`` runs the stages with their own config sections, the same way every time:
``read_export(path, config.extract.limits())``, ``describe(profile, config.describe)``,
``compose(portrait, config, counter=...)``, ``render(prompt, config.render, output)``. The command line,
the worker, ``portrait demo``, the contact sheet and the benchmarks all go through it.

``Stages`` is the worker's seam: the same steps as plain functions, so the queue can be tested with
fast stand-ins (``tests/worker_fakes.py``). ``PortraitPipeline.stages()`` gives the real ones.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from installation.config import Config

if TYPE_CHECKING:  # the stages load late: `import installation.cli` must stay light
    from extractors.describe.portrait import VerbalPortrait
    from extractors.intake.profile import Profile
    from installation.compose.prompt import Prompt
    from installation.render.artwork import Artwork
    from installation.render.base import Renderer
    from installation.render.preview import Preview


@dataclass(frozen=True)
class Stages:
    """The steps a job runs through; each is a plain function."""

    read: Callable[[Path, str | None], Profile]  # export, nickname -> profile
    describe: Callable[[Profile], VerbalPortrait]
    compose: Callable[[VerbalPortrait, int, tuple[str, ...]], Prompt]  # portrait, turn, private words
    render: Callable[[Prompt, Path], Artwork]  # prompt, PNG path to write
    fetch: Callable[[str, Path], Path]  # public handle, job folder -> export file written there
    warm_up: Callable[[], None] | None = None  # load the models before the first job
    # render, handing each step's preview to the callable (the wall's live painting); None: no previews
    render_live: Callable[[Prompt, Path, Preview], Artwork] | None = None


@dataclass(frozen=True)
class PortraitRun:
    """Everything one pass made, stage by stage."""

    profile: Profile
    portrait: VerbalPortrait
    prompt: Prompt
    artwork: Artwork


def with_model(config: Config, model: str | None) -> Config:
    """``--model`` means local weights: for composing (their tokenizer) as for rendering."""
    if model is None:
        return config
    render = config.render.model_copy(update={"model": model, "backend": "local"})
    return config.model_copy(update={"render": render})


class PortraitPipeline:
    """The stages, each reading the config in force when it runs (``config`` may be a callable, so a
    worker's hot-reloaded config counts from its next job). ``model`` forces local weights."""

    def __init__(self, config: Config | Callable[[], Config], *, model: str | None = None) -> None:
        self._current = config if callable(config) else (lambda: config)
        self.model = model

    @property
    def config(self) -> Config:
        return with_model(self._current(), self.model)

    # --- the stages --------------------------------------------------------------------------------

    def read(self, export: Path, nickname: str | None = None) -> Profile:
        from extractors.intake import read_export

        return read_export(export, self.config.extract.limits(), display_name=nickname)

    def fetch(self, handle: str, folder: Path) -> Path:
        from extractors.intake.handles import fetch_handle

        return fetch_handle(handle, folder, self.config.worker.fetch_limits())

    def describe(self, profile: Profile) -> VerbalPortrait:
        from extractors.describe import describe

        return describe(profile, self.config.describe)

    def compose(
        self, portrait: VerbalPortrait, *, style: str | None = None, turn: int = 0, private: Sequence[str] = ()
    ) -> Prompt:
        from installation.compose.composer import compose
        from installation.render.tokens import counter_for

        config = self.config
        return compose(portrait, config, counter=counter_for(config), style=style, turn=turn, private=private)

    def renderer(self, *, warm_up: bool | None = None) -> Renderer:
        """The renderer for the config in force, loaded once per process and kept while it fits."""
        from installation.render.run import open_renderer

        return open_renderer(self.config.render, self.model, warm_up=warm_up)

    def render(
        self, prompt: Prompt, output: Path | None = None, *, warm_up: bool | None = None, preview: Preview | None = None
    ) -> Artwork:
        from installation.render.run import render

        renderer = self.renderer(warm_up=warm_up)
        return render(prompt, self.config.render, output, renderer=renderer, preview=preview)

    def warm_up(self) -> None:
        """Load what every job needs (language models, weights) before the first visitor."""
        from extractors.describe.nlp import load_models
        from installation.compose.places import find_place

        load_models(self.config.describe)
        find_place((), self.config.compose.scene.town_population)  # reads the towns once (0.5 s), if on
        self.renderer()  # with [render] warm_up, one throw-away render too

    # --- whole passes ------------------------------------------------------------------------------

    def portrait(self, export: Path) -> VerbalPortrait:
        return self.describe(self.read(export))

    def run(self, export: Path, *, style: str | None = None, output: Path | None = None) -> PortraitRun:
        """One export all the way to an artwork on disk. The model loads first: a missing one is
        reported before the slow reading, and one portrait per process needs no warm-up render."""
        self.renderer(warm_up=False)
        profile = self.read(export)
        portrait = self.describe(profile)
        prompt = self.compose(portrait, style=style)
        artwork = self.render(prompt, output, warm_up=False)
        return PortraitRun(profile, portrait, prompt, artwork)

    def stages(self) -> Stages:
        """The worker's steps, bound to this pipeline."""
        return Stages(
            read=self.read,
            describe=self.describe,
            compose=lambda portrait, turn, private: self.compose(portrait, turn=turn, private=private),
            render=lambda prompt, path: self.render(prompt, path),
            fetch=self.fetch,
            warm_up=self.warm_up,
            render_live=lambda prompt, path, preview: self.render(prompt, path, preview=preview),
        )
