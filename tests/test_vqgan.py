"""VQGAN+CLIP with a tiny VQ model and a tiny CLIP built from configs: the CLIP score rises over the steps."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
import torch

from installation.compose.prompt import Prompt
from installation.config import ProvenanceConfig, RenderConfig, VqganClipConfig, parse_config
from installation.errors import ModelNotAvailableError, RenderError
from installation.render.backends.vqgan_clip import VqganClipRenderer
from installation.render.base import backend_for
from installation.render.provenance import read_provenance
from installation.render.run import render
from installation.render.tiny import quiet_progress
from installation.render.vqgan_clip import VqganClip, build_tiny_clip, build_tiny_vq

PROMPT = Prompt("an oil portrait of a gardener", "blurry", "oil-portrait", 1, 64, 64, 1, 0.0)


@pytest.fixture(scope="module", autouse=True)
def one_thread() -> Iterator[None]:
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def engine(learning_rate: float = 0.2) -> VqganClip:
    clip, tokenizer = build_tiny_clip()
    return VqganClip(build_tiny_vq(), clip, tokenizer, learning_rate=learning_rate, cutouts=8)


def test_clip_score_rises_over_the_steps() -> None:
    reports: list[tuple[int, int, float]] = []
    output = engine()(PROMPT.positive, PROMPT.negative, width=64, height=64, steps=16, seed=1,
                      progress=lambda *report: reports.append(report))  # fmt: skip
    scores = output.scores
    assert len(scores) == 17 and [r[0] for r in reports] == list(range(1, 17)) and reports[-1][1] == 16
    assert [r[2] for r in reports] == list(scores[1:])
    assert scores[-1] > scores[0] + 0.02, f"the CLIP score did not rise: {scores}"
    assert np.mean(scores[-4:]) > np.mean(scores[:4])
    assert output.image.size == (64, 64)


def test_without_steps_of_any_size_the_score_stays() -> None:
    # The control: a learning rate too small to move z off its codes leaves the image, and the score, as drawn.
    scores = engine(learning_rate=1e-9)(PROMPT.positive, width=64, height=64, steps=3, seed=1).scores
    assert max(scores) - min(scores) < 1e-6


def test_the_seed_decides_the_image() -> None:
    paint = engine()
    first = paint(PROMPT.positive, width=64, height=64, steps=2, seed=5).image
    again = paint(PROMPT.positive, width=64, height=64, steps=2, seed=5).image
    other = paint(PROMPT.positive, width=64, height=64, steps=2, seed=6).image
    assert np.array_equal(np.asarray(first), np.asarray(again))
    assert not np.array_equal(np.asarray(first), np.asarray(other))


def test_inputs_are_checked() -> None:
    paint = engine()
    with pytest.raises(RenderError, match="width and height must be multiples of 8 but the size is 60x64"):
        paint("x", width=60, height=64, steps=1, seed=0)
    with pytest.raises(RenderError, match="the prompt is empty"):
        paint("  ", width=64, height=64, steps=1, seed=0)


def test_backend_loads_saved_tiny_models_and_writes_a_signed_artwork(tmp_path: Path) -> None:
    vq, (clip, tokenizer) = build_tiny_vq(), build_tiny_clip()
    with quiet_progress():
        vq.save_pretrained(tmp_path / "vq" / "movq")
        clip.save_pretrained(tmp_path / "clip")
        tokenizer.save_pretrained(tmp_path / "clip")
    settings = VqganClipConfig(vq_model=str(tmp_path / "vq"), clip_model=str(tmp_path / "clip"), steps=3,
                               learning_rate=0.2, cutouts=4)  # fmt: skip
    config = RenderConfig(backend="vqgan_clip", vqgan_clip=settings, device="cpu", warm_up=False,
                          provenance=ProvenanceConfig(key_dir=tmp_path / "c2pa"))  # fmt: skip
    renderer = backend_for(config).load(config, None)
    assert isinstance(renderer, VqganClipRenderer) and not renderer.is_test_noise
    artwork = render(PROMPT, config, tmp_path / "v.png", renderer=renderer)
    assert artwork.backend == "vqgan_clip" and artwork.sampler == "VQGAN+CLIP Adam 3 steps"
    assert len(renderer.last_scores) == 4
    found = read_provenance(artwork.image_path)
    assert found is not None and found.state == "Valid"


def test_tiny_and_missing_models(tmp_path: Path) -> None:
    tiny = RenderConfig(backend="vqgan_clip", device="cpu",
                        vqgan_clip=VqganClipConfig(vq_model="tiny", clip_model="tiny", steps=1))  # fmt: skip
    renderer = VqganClipRenderer.load(tiny)
    assert renderer.is_test_noise
    renderer.warm_up()
    missing = RenderConfig(cache_dir=tmp_path, vqgan_clip=VqganClipConfig(vq_model=str(tmp_path / "nowhere")))
    with pytest.raises(ModelNotAvailableError, match="model folder not found"):
        VqganClipRenderer.load(missing)
    assert "vqgan_clip" in parse_config({"render": {"backend": "vqgan_clip"}}, tmp_path / "c.toml").render.backend
