"""The tiny test model: built from configs, seeded, cached, and loaded by the real model loader."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from installation.config import RenderConfig
from installation.render.backends.local import LocalRenderer
from installation.render.tiny import TINY, build_tiny_pipeline, build_tiny_tokenizer, tiny_model_path
from installation.render.weights import load_tokenizer, resolve_model


@pytest.fixture(scope="session")
def model_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # Shared by name with the other renderer test files: the tiny model is built once per session.
    return tmp_path_factory.getbasetemp() / "model-cache"


def test_built_once_then_reused(model_cache: Path) -> None:
    folder = tiny_model_path(model_cache)
    stamp = (folder / "model_index.json").stat().st_mtime_ns
    assert tiny_model_path(model_cache) == folder
    assert (folder / "model_index.json").stat().st_mtime_ns == stamp
    assert {p.name for p in folder.iterdir()} >= {"unet", "vae", "text_encoder", "tokenizer", "scheduler"}
    assert not [p for p in model_cache.iterdir() if p.name.startswith(".tiny-sd-")], "staging folder left behind"


def test_weights_are_seeded(model_cache: Path) -> None:
    from diffusers import UNet2DConditionModel

    folder = tiny_model_path(model_cache) / "unet"
    saved = UNet2DConditionModel.from_pretrained(folder).state_dict()  # type: ignore[no-untyped-call]
    rebuilt = build_tiny_pipeline().unet.state_dict()
    assert saved.keys() == rebuilt.keys()
    assert all(torch.equal(saved[k], rebuilt[k]) for k in saved)


def test_loads_through_the_real_model_loader(model_cache: Path) -> None:
    config = RenderConfig(model=TINY, cache_dir=model_cache, device="cpu")
    assert resolve_model(TINY, config) == tiny_model_path(model_cache)
    renderer = LocalRenderer.load(config)
    assert type(renderer.pipe).__name__ == "StableDiffusionPipeline"
    assert renderer.is_test_noise and renderer.model == TINY and renderer.device == "cpu"
    assert renderer.pipe.vae_scale_factor == 8  # latents at 1/8 size, as in a real Stable Diffusion


def test_a_model_folder_loads_like_an_id(model_cache: Path) -> None:
    folder = tiny_model_path(model_cache)
    renderer = LocalRenderer.load(RenderConfig(model=str(folder), device="cpu"))
    assert renderer.model == str(folder) and not renderer.is_test_noise


def test_tokenizer_covers_plain_words() -> None:
    tokenizer = build_tiny_tokenizer()
    ids = tokenizer("an oil portrait of the gardener, 1984: rain & roses!").input_ids
    assert ids[0] == tokenizer.bos_token_id and ids[-1] == tokenizer.eos_token_id
    assert tokenizer.unk_token_id not in ids[1:-1]
    # Common pieces are merged: fewer tokens than letters.
    assert len(tokenizer("the painting").input_ids) - 2 < len("thepainting")


def test_load_tokenizer_reads_local_files_only(model_cache: Path, tmp_path: Path) -> None:
    text = "a watercolor of the sea"
    saved = load_tokenizer(str(tiny_model_path(model_cache)))
    assert saved is not None
    assert saved(text).input_ids == build_tiny_tokenizer()(text).input_ids
    assert load_tokenizer(TINY) is not None
    empty = RenderConfig(cache_dir=tmp_path)
    assert load_tokenizer("stabilityai/sd-turbo", empty) is None
    assert load_tokenizer(str(tmp_path / "no-such-folder"), empty) is None
