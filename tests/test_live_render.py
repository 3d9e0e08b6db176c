"""Previews from the renderer: the tiny model hands over every denoising step, decoded without the VAE."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import torch

from installation.compose.prompt import Prompt
from installation.config import ProvenanceConfig, RenderConfig
from installation.render.preview import PreviewStep, latents_to_image
from installation.render.run import open_renderer, render


@pytest.fixture(scope="module")
def config(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RenderConfig]:
    cache = tmp_path_factory.getbasetemp() / "model-cache"  # shared by name: the tiny model is built once
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield RenderConfig(model="tiny", device="cpu", cache_dir=cache, warm_up=False,
                       provenance=ProvenanceConfig(key_dir=cache / "c2pa"))  # fmt: skip
    torch.set_num_threads(threads)


def test_every_step_reaches_the_preview_and_the_artwork_is_the_same_as_without(
    config: RenderConfig, tmp_path: Path
) -> None:
    prompt = Prompt("a lighthouse", "", "oil", seed=7, width=64, height=96, steps=3, guidance=0)
    steps: list[PreviewStep] = []
    renderer = open_renderer(config)
    live = render(prompt, config, tmp_path / "live.png", renderer=renderer, preview=steps.append)
    plain = render(prompt, config, tmp_path / "plain.png", renderer=renderer)
    assert [(s.step, s.total) for s in steps] == [(1, 3), (2, 3), (3, 3)]
    assert all(s.image.size == (8, 12) and s.image.mode == "RGB" for s in steps)  # the latent's size
    assert steps[0].image.tobytes() != steps[-1].image.tobytes()  # it changes as it paints
    from PIL import Image

    with Image.open(live.image_path) as a, Image.open(plain.image_path) as b:
        assert a.tobytes() == b.tobytes()  # watching does not change the picture


def test_latents_map_to_rgb_by_the_fixed_matrix() -> None:
    latents = torch.zeros(1, 4, 2, 3)
    latents[0, 0] = 1.0  # channel 0 alone: (0.3512, 0.2297, 0.3227) -> pixels of (1 + v) * 127.5
    image = latents_to_image(latents)
    assert image.size == (3, 2) and image.getpixel((0, 0)) == (172, 156, 168)
    assert latents_to_image(torch.zeros(1, 16, 2, 2)).getpixel((1, 1)) == (127, 127, 127)  # another latent space
    with pytest.raises(ValueError, match="latents must be"):
        latents_to_image(torch.zeros(4, 2, 2))
