"""Kandinsky 2.2 (prior + decoder) and 3: tiny seeded pipelines from configs, saved, loaded back by the real loader."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch

from installation.compose.prompt import Prompt
from installation.config import ProvenanceConfig, RenderConfig
from installation.errors import RenderError
from installation.render.backends.local import LocalRenderer
from installation.render.families import family_of
from installation.render.provenance import read_provenance
from installation.render.run import render
from installation.render.tiny import quiet_progress
from installation.render.tiny_kandinsky import (
    build_tiny_kandinsky3,
    build_tiny_kandinsky22,
    build_tiny_kandinsky22_decoder,
    build_tiny_kandinsky22_prior,
)

PROMPT = Prompt("an oil portrait of a gardener, roses", "blurry", "oil-portrait", 1234, 64, 64, 2, 0.0)


@pytest.fixture(scope="module", autouse=True)
def one_thread() -> Iterator[None]:
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each tiny pipeline saved as a model folder, as real weights would lie on disk."""
    root = tmp_path_factory.mktemp("kandinsky")
    built: dict[str, Any] = {
        "k22": build_tiny_kandinsky22(),
        "k22-prior": build_tiny_kandinsky22_prior(),
        "k22-decoder": build_tiny_kandinsky22_decoder(),
        "k3": build_tiny_kandinsky3(),
    }
    with quiet_progress():
        for name, pipe in built.items():
            pipe.save_pretrained(root / name)
    return {name: root / name for name in built}


def config(folder: Path, **more: Any) -> RenderConfig:
    return RenderConfig(model=str(folder), device="cpu", warm_up=False,
                        provenance=ProvenanceConfig(key_dir=folder.parent / "c2pa"), **more)  # fmt: skip


def pixels(image: Any) -> np.ndarray[Any, Any]:
    return np.asarray(image, dtype=np.int16)


@pytest.mark.parametrize(("name", "pipeline", "family"), [
    ("k22", "KandinskyV22CombinedPipeline", "kandinsky-2.2"),
    ("k3", "Kandinsky3Pipeline", "kandinsky-3"),
])  # fmt: skip
def test_loads_and_paints_through_the_real_loader(
    folders: dict[str, Path], name: str, pipeline: str, family: str
) -> None:
    renderer = LocalRenderer.load(config(folders[name]))
    assert type(renderer.pipe).__name__ == pipeline
    assert (family_of(folders[name]) or pytest.fail("no family")).name == family
    first = renderer.generate(PROMPT)
    assert first.size == (64, 64)
    again = renderer.generate(PROMPT)
    other = renderer.generate(Prompt(PROMPT.positive, "", "s", 99, 64, 64, 2, 0.0))
    assert np.array_equal(pixels(first), pixels(again)), "the same seed must paint the same pixels"
    assert np.abs(pixels(first) - pixels(other)).mean() > 1, "another seed must paint something else"


def test_weights_are_seeded(folders: dict[str, Path]) -> None:
    from diffusers import Kandinsky3UNet, PriorTransformer

    saved = Kandinsky3UNet.from_pretrained(folders["k3"] / "unet").state_dict()  # type: ignore[no-untyped-call]
    rebuilt = build_tiny_kandinsky3().unet.state_dict()
    assert saved.keys() == rebuilt.keys() and all(torch.equal(saved[k], rebuilt[k]) for k in saved)
    prior = PriorTransformer.from_pretrained(folders["k22-prior"] / "prior").state_dict()  # type: ignore[no-untyped-call]
    assert torch.equal(prior["clip_std"], torch.ones_like(prior["clip_std"]))  # not the untrained zeros


def test_a_decoder_alone_is_joined_to_the_configured_prior(folders: dict[str, Path]) -> None:
    split = LocalRenderer.load(config(folders["k22-decoder"], prior=str(folders["k22-prior"])))
    combined = LocalRenderer.load(config(folders["k22"]))
    assert type(split.pipe).__name__ == "KandinskyV22CombinedPipeline"
    # Same seeds, same weights: the prior + decoder pair paints what the combined folder paints.
    assert np.array_equal(pixels(split.generate(PROMPT)), pixels(combined.generate(PROMPT)))


def test_a_prior_that_is_not_one_is_named(folders: dict[str, Path]) -> None:
    with pytest.raises(RenderError, match=r"render\.prior .* is not a Kandinsky 2\.2 prior"):
        LocalRenderer.load(config(folders["k22-decoder"], prior=str(folders["k3"])))


def test_render_writes_a_signed_kandinsky_artwork(folders: dict[str, Path], tmp_path: Path) -> None:
    settings = config(folders["k3"])
    artwork = render(PROMPT, settings, tmp_path / "k.png", renderer=LocalRenderer.load(settings))
    assert artwork.sampler == "DDPMScheduler" and artwork.model == str(folders["k3"])
    found = read_provenance(artwork.image_path)
    assert found is not None and found.state == "Valid"


@pytest.mark.slow
def test_real_kandinsky_3_paints(tmp_path: Path) -> None:
    renderer = LocalRenderer.load(RenderConfig(model="kandinsky-community/kandinsky-3", warm_up=False))
    image = renderer.generate(Prompt("портрет садовника маслом", "", "s", 1, 512, 512, 25, 3.0))
    assert image.size == (512, 512) and np.asarray(image).std() > 10
