"""render(): a prompt becomes a PNG with its generation data and a sidecar, via the tiny model on the CPU."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch
from PIL import Image

from installation.cli import main
from installation.compose.prompt import Prompt
from installation.config import ProvenanceConfig, RenderConfig
from installation.errors import ModelNotAvailableError, OutOfMemoryError, RenderError
from installation.render.backends.local import LocalRenderer
from installation.render.pngmeta import parse_parameters, read_parameters
from installation.render.provenance import read_provenance
from installation.render.run import Artwork, open_renderer, read_made_with, render, vary
from installation.render.safety import DiffusersSafetyChecker
from installation.render.tiny import TINY_VERSION

PROMPT = Prompt(
    positive="an oil portrait of a gardener, roses, rain",
    negative="blurry, text",
    style="oil-portrait",
    seed=1234,
    width=64,
    height=96,
    steps=2,
    guidance=0.0,
    keywords_used=("roses", "rain"),
    mood="calm",
)
SIDECAR_KEYS = {
    "format", "image", "created_at", "prompt", "negative_prompt", "style", "keywords_used", "mood", "seed",
    "width", "height", "steps", "guidance", "scheduler", "sampler", "backend", "model", "flagged",
    "is_test_noise", "timings_ms",
}  # fmt: skip


@pytest.fixture(scope="session")
def model_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # Shared by name with test_tiny_model.py: the tiny model is built once per session.
    return tmp_path_factory.getbasetemp() / "model-cache"


@pytest.fixture(scope="module", autouse=True)
def one_thread() -> Iterator[None]:
    # Tiny tensors gain nothing from threads, and on a busy 2-core runner OpenMP threads spin each other slow.
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.fixture(scope="module")
def config(model_cache: Path) -> RenderConfig:
    provenance = ProvenanceConfig(key_dir=model_cache / "c2pa")  # the local CA stays in the session's folder
    return RenderConfig(model="tiny", device="cpu", cache_dir=model_cache, warm_up=False, provenance=provenance)


@pytest.fixture(scope="module")
def renderer(config: RenderConfig) -> LocalRenderer:
    loaded = open_renderer(config)
    assert isinstance(loaded, LocalRenderer)
    return loaded


@pytest.fixture
def fresh(config: RenderConfig) -> Iterator[LocalRenderer]:
    """A renderer of its own, for tests that change its state (attention slicing, a broken UNet)."""
    yield LocalRenderer.load(config)


def pixels(artwork: Artwork) -> np.ndarray[Any, Any]:
    with Image.open(artwork.image_path) as image:
        return np.asarray(image.convert("RGB"))


def test_writes_png_and_sidecar(renderer: LocalRenderer, config: RenderConfig, tmp_path: Path) -> None:
    artwork = render(PROMPT, config, tmp_path / "a.png", renderer=renderer)
    assert artwork.image_path == tmp_path / "a.png" and artwork.metadata_path == tmp_path / "a.json"
    assert (artwork.backend, artwork.model, artwork.sampler) == ("local", "tiny", "Euler")
    assert artwork.is_test_noise and not artwork.flagged
    assert set(artwork.timings) == {"generate", "safety", "encode", "write", "total"}
    assert artwork.seconds * 1000 >= artwork.timings["generate"] > 0
    with Image.open(artwork.image_path) as image:
        assert image.size == (64, 96)
    assert sorted(os.listdir(tmp_path)) == ["a.json", "a.png"]
    # Provenance: a C2PA manifest that validates, naming the tiny model.
    found = read_provenance(artwork.image_path)
    assert found is not None and found.state == "Valid"
    assert found.manifest["assertions"][0]["data"]["actions"][0]["parameters"]["model"] == "tiny"


def test_same_seed_same_pixels_other_seed_other_pixels(
    renderer: LocalRenderer, config: RenderConfig, tmp_path: Path
) -> None:
    first = pixels(render(PROMPT, config, tmp_path / "1.png", renderer=renderer))
    again = pixels(render(PROMPT, config, tmp_path / "2.png", renderer=renderer))
    other = pixels(render(replace(PROMPT, seed=PROMPT.seed + 1), config, tmp_path / "3.png", renderer=renderer))
    assert np.array_equal(first, again)
    assert np.abs(first.astype(int) - other.astype(int)).mean() > 5


def test_metadata_chunk_parses_back(renderer: LocalRenderer, config: RenderConfig, tmp_path: Path) -> None:
    artwork = render(PROMPT, config, tmp_path / "a.png", renderer=renderer)
    text = read_parameters(artwork.image_path)
    assert text is not None
    positive, negative, settings = parse_parameters(text)
    assert (positive, negative) == (PROMPT.positive, PROMPT.negative)
    assert settings == {
        "Steps": "2", "Sampler": "Euler", "CFG scale": "0.0", "Seed": "1234", "Size": "64x96", "Model": "tiny",
    }  # fmt: skip


def test_sidecar_holds_the_making_and_nothing_personal(
    renderer: LocalRenderer, config: RenderConfig, tmp_path: Path
) -> None:
    artwork = render(PROMPT, config, tmp_path / "a.png", renderer=renderer)
    sidecar = json.loads(artwork.metadata_path.read_text(encoding="utf-8"))
    assert set(sidecar) == SIDECAR_KEYS
    assert sidecar["style"] == "oil-portrait" and sidecar["keywords_used"] == ["roses", "rain"]
    assert sidecar["mood"] == "calm" and sidecar["backend"] == "local" and sidecar["model"] == "tiny"
    assert sidecar["is_test_noise"] is True and sidecar["flagged"] is False
    assert set(sidecar["timings_ms"]) == {"generate", "safety", "encode"}
    # No paths (they can carry user and folder names): the image is named relative to the sidecar.
    assert sidecar["image"] == "a.png" and str(tmp_path) not in artwork.metadata_path.read_text(encoding="utf-8")


def test_a_folder_output_gets_a_fresh_name(renderer: LocalRenderer, config: RenderConfig, tmp_path: Path) -> None:
    one = render(PROMPT, config, tmp_path, renderer=renderer)
    two = render(PROMPT, config, tmp_path, renderer=renderer)
    assert one.image_path.parent == tmp_path and one.image_path != two.image_path
    assert "oil-portrait" in one.image_path.name and one.image_path.suffix == ".png"


def test_safety_checker_flags_without_blacking_out(
    renderer: LocalRenderer, config: RenderConfig, tmp_path: Path
) -> None:
    seen: list[tuple[int, int]] = []

    def flag_everything(image: Image.Image) -> bool:
        seen.append(image.size)
        return True

    clean = render(PROMPT, config, tmp_path / "clean.png", renderer=renderer)
    flagged = render(PROMPT, config, tmp_path / "flagged.png", renderer=renderer, safety_checker=flag_everything)
    assert seen == [(64, 96)] and flagged.flagged and not clean.flagged
    assert json.loads(flagged.metadata_path.read_text())["flagged"] is True
    assert np.array_equal(pixels(clean), pixels(flagged))


def test_a_broken_safety_checker_is_a_render_error(
    renderer: LocalRenderer, config: RenderConfig, tmp_path: Path
) -> None:
    def broken(image: Image.Image) -> bool:
        raise ValueError("bad weights")

    with pytest.raises(RenderError, match="safety checker failed: ValueError"):
        render(PROMPT, config, tmp_path / "a.png", renderer=renderer, safety_checker=broken)
    assert not list(tmp_path.iterdir())


def test_real_safety_checker_wiring(tmp_path: Path, config: RenderConfig) -> None:
    """The diffusers checker, random and tiny, loaded from a folder: it gives a verdict, never black pixels."""
    from diffusers.pipelines.stable_diffusion.safety_checker import StableDiffusionSafetyChecker
    from transformers import CLIPConfig, CLIPImageProcessor

    torch.manual_seed(0)
    clip = CLIPConfig(
        text_config={"hidden_size": 16, "intermediate_size": 16, "num_hidden_layers": 1, "num_attention_heads": 2},
        vision_config={
            "hidden_size": 16, "intermediate_size": 16, "num_hidden_layers": 1, "num_attention_heads": 2,
            "image_size": 32, "patch_size": 8,
        },
        projection_dim=8,
    )  # fmt: skip
    StableDiffusionSafetyChecker(clip).save_pretrained(tmp_path / "checker")
    CLIPImageProcessor(size={"shortest_edge": 32}, crop_size={"height": 32, "width": 32}).save_pretrained(
        tmp_path / "checker"
    )
    checker = DiffusersSafetyChecker.load(replace_config(config, safety_model=str(tmp_path / "checker")))
    image = Image.new("RGB", (64, 64), (120, 80, 40))
    assert isinstance(checker(image), bool)
    assert image.getpixel((0, 0)) == (120, 80, 40)


def test_out_of_memory_is_retried_with_attention_slicing(
    fresh: LocalRenderer, renderer: LocalRenderer, config: RenderConfig, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from diffusers.models.attention_processor import SlicedAttnProcessor

    forward = fresh.pipe.unet.forward
    calls = []

    def out_of_memory_once(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) == 1:
            raise torch.OutOfMemoryError("CUDA out of memory. Tried to allocate 2.00 GiB")
        return forward(*args, **kwargs)

    monkeypatch.setattr(fresh.pipe.unet, "forward", out_of_memory_once)
    sliced = render(PROMPT, config, tmp_path / "sliced.png", renderer=fresh)
    assert len(calls) == 1 + PROMPT.steps
    assert all(isinstance(p, SlicedAttnProcessor) for p in fresh.pipe.unet.attn_processors.values())
    plain = render(PROMPT, config, tmp_path / "plain.png", renderer=renderer)
    assert np.abs(pixels(sliced).astype(int) - pixels(plain).astype(int)).max() <= 2


def test_out_of_memory_twice_fails_the_job_not_the_renderer(
    fresh: LocalRenderer, config: RenderConfig, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    forward = fresh.pipe.unet.forward

    def out_of_memory(*args: Any, **kwargs: Any) -> Any:
        raise torch.OutOfMemoryError("CUDA out of memory")

    monkeypatch.setattr(fresh.pipe.unet, "forward", out_of_memory)
    with pytest.raises(OutOfMemoryError, match="even with attention slicing"):
        render(PROMPT, config, tmp_path / "a.png", renderer=fresh)
    monkeypatch.setattr(fresh.pipe.unet, "forward", forward)
    assert render(PROMPT, config, tmp_path / "b.png", renderer=fresh).image_path.is_file()


def test_any_pipeline_failure_is_a_render_error(
    fresh: LocalRenderer, config: RenderConfig, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("expected scalar type Half")

    monkeypatch.setattr(fresh.pipe.vae, "decode", broken)
    with pytest.raises(RenderError, match="RuntimeError: expected scalar type Half"):
        render(PROMPT, config, tmp_path / "a.png", renderer=fresh)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"width": 100}, "multiples of 8 .* 100x96"),
        ({"height": 32}, "at least 64"),
        ({"steps": 0}, "steps must be at least 1 but is 0"),
        ({"seed": -1}, "seed must be in"),
        ({"scheduler": "NoSuchScheduler"}, "'NoSuchScheduler' is not a diffusers scheduler"),
    ],
)
def test_bad_prompt_values_are_named(
    renderer: LocalRenderer, config: RenderConfig, tmp_path: Path, change: dict[str, Any], message: str
) -> None:
    with pytest.raises(RenderError, match=message):
        render(replace(PROMPT, **change), config, tmp_path / "a.png", renderer=renderer)


def test_scheduler_by_class_name(renderer: LocalRenderer, config: RenderConfig, tmp_path: Path) -> None:
    prompt = replace(PROMPT, scheduler="EulerAncestralDiscreteScheduler")
    artwork = render(prompt, config, tmp_path / "a.png", renderer=renderer)
    assert artwork.sampler == "Euler a"
    assert "Sampler: Euler a" in (read_parameters(artwork.image_path) or "")
    # The model's own scheduler is back for the next prompt without one.
    assert render(PROMPT, config, tmp_path / "b.png", renderer=renderer).sampler == "Euler"


def test_renderer_is_loaded_once_per_process(config: RenderConfig, renderer: LocalRenderer) -> None:
    assert open_renderer(config) is renderer
    # A curator's edit of render parameters keeps the weights in memory; a loading setting replaces them.
    assert open_renderer(replace_config(config, steps=3, width=256)) is renderer
    other = open_renderer(replace_config(config, scheduler="EulerDiscreteScheduler"))
    assert other is not renderer
    assert open_renderer(replace_config(config, scheduler="EulerDiscreteScheduler", steps=2)) is other


def test_warm_up_renders_once(fresh: LocalRenderer, monkeypatch: pytest.MonkeyPatch) -> None:
    sizes = []
    monkeypatch.setattr(fresh, "generate", lambda prompt: sizes.append((prompt.width, prompt.height)))
    fresh.warm_up()
    assert sizes == [(512, 512)]


def test_variations_use_the_artwork_metadata(renderer: LocalRenderer, config: RenderConfig, tmp_path: Path) -> None:
    original = render(PROMPT, config, tmp_path / "a.png", renderer=renderer)
    variations = vary(original.image_path, config, strength=0.5, count=2, renderer=renderer)
    assert [v.image_path.name for v in variations] == ["a-var1.png", "a-var2.png"]
    assert [v.prompt.seed for v in variations] == [PROMPT.seed + 1, PROMPT.seed + 2]
    text = read_parameters(variations[0].image_path) or ""
    assert "Denoising strength: 0.5" in text and "Seed: 1235" in text
    sidecar = json.loads(variations[0].metadata_path.read_text())
    assert sidecar["variation_of"] == "a.png" and sidecar["strength"] == 0.5
    assert not np.array_equal(pixels(variations[0]), pixels(original))
    again = vary(original.image_path, config, strength=0.5, count=1, renderer=renderer, output_dir=tmp_path / "b")
    assert np.array_equal(pixels(again[0]), pixels(variations[0]))


def test_variations_of_a_png_without_sidecar(renderer: LocalRenderer, config: RenderConfig, tmp_path: Path) -> None:
    original = render(replace(PROMPT, scheduler="EulerAncestralDiscreteScheduler"), config, tmp_path / "a.png",
                      renderer=renderer)  # fmt: skip
    original.metadata_path.unlink()
    made = read_made_with(original.image_path)
    prompt = made.prompt
    assert (made.model, made.backend) == ("tiny", None)
    assert (prompt.positive, prompt.negative, prompt.seed) == (PROMPT.positive, PROMPT.negative, PROMPT.seed)
    assert (prompt.width, prompt.height, prompt.steps) == (64, 96, 2)
    assert prompt.scheduler == "EulerAncestralDiscreteScheduler"
    assert len(vary(original.image_path, config, count=1, renderer=renderer)) == 1


def test_variations_need_generation_data(renderer: LocalRenderer, config: RenderConfig, tmp_path: Path) -> None:
    Image.new("RGB", (64, 64)).save(tmp_path / "plain.png")
    with pytest.raises(RenderError, match="carries no generation data"):
        vary(tmp_path / "plain.png", config, renderer=renderer)
    (tmp_path / "plain.json").write_text('{"format": "social-portrait/artwork@1", "prompt": "x"}')
    with pytest.raises(RenderError, match="lacks or garbles KeyError"):
        vary(tmp_path / "plain.png", config, renderer=renderer)
    with pytest.raises(RenderError, match="strength must be in"):
        vary(tmp_path / "plain.png", config, strength=1.5, renderer=renderer)


# --- models that are not here ------------------------------------------------------------------------


@pytest.fixture
def offline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> RenderConfig:
    """No network, an empty Hugging Face home and model cache: nothing can be found or fetched."""
    import huggingface_hub.constants

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf-home"))
    # The hub library reads the variable once, at import: set what it read, too.
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_OFFLINE", True)
    return RenderConfig(device="cpu", cache_dir=tmp_path / "cache", warm_up=False)


@pytest.mark.parametrize("download", [False, True])
def test_missing_model_names_the_pull_command(offline: RenderConfig, download: bool) -> None:
    config = replace_config(offline, download=download)
    with pytest.raises(ModelNotAvailableError) as info:
        LocalRenderer.load(config, "stabilityai/sd-turbo")
    message = str(info.value)
    assert "'stabilityai/sd-turbo'" in message and "portrait models pull stabilityai/sd-turbo" in message


def test_missing_model_folder_is_named(offline: RenderConfig, tmp_path: Path) -> None:
    with pytest.raises(ModelNotAvailableError, match="model folder not found"):
        LocalRenderer.load(offline, str(tmp_path / "models" / "nothing-here"))
    (tmp_path / "empty").mkdir()
    with pytest.raises(ModelNotAvailableError, match=r"no model_index\.json"):
        LocalRenderer.load(offline, str(tmp_path / "empty"))


def write_config(tmp_path: Path, model_cache: Path) -> Path:
    """One small style (64x64 renders fast) and the test model cache."""
    path = tmp_path / "config.toml"
    path.write_text(
        '[compose]\nselection = "fixed"\ndefault_style = "small"\n'
        '[styles.small]\ntemplate = "{prompt}"\nwidth = 64\nheight = 64\n'
        f'[render]\ncache_dir = "{model_cache}"\ndevice = "cpu"\nwarm_up = false\n',
        encoding="utf-8",
    )
    return path


def test_cli_render_offline_names_model_and_command(
    offline: RenderConfig, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    export = tmp_path / "posts.txt"
    export.write_text("hello there, a long enough post about gardens")
    config = write_config(tmp_path, tmp_path / "cache")
    argv = ["render", str(export), "--model", "stabilityai/sd-turbo", "-o", str(tmp_path / "x.png"), "--config"]
    assert main([*argv, str(config)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "portrait models pull stabilityai/sd-turbo" in err
    assert not (tmp_path / "x.png").exists()


def test_cli_models_pull_offline(offline: RenderConfig, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = write_config(tmp_path, tmp_path / "cache")
    assert main(["models", "pull", "stabilityai/sd-turbo", "--config", str(config)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "cannot download 'stabilityai/sd-turbo'" in err


def test_cli_models_pull_tiny_builds_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = write_config(tmp_path, tmp_path / "cache")
    assert main(["models", "pull", "tiny", "--config", str(config)]) == 0
    folder = f"tiny-sd-v{TINY_VERSION}"
    assert (tmp_path / "cache" / folder / "model_index.json").is_file()
    assert folder in capsys.readouterr().out


def test_cli_vary(renderer: LocalRenderer, config: RenderConfig, model_cache: Path, tmp_path: Path,
                  capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    original = render(PROMPT, config, tmp_path / "a.png", renderer=renderer)
    settings = write_config(tmp_path, model_cache)
    argv = ["vary", str(original.image_path), "--strength", "0.6", "-n", "2", "--config", str(settings)]
    assert main(argv) == 0
    captured = capsys.readouterr()
    assert "untrained noise" in captured.err
    assert (tmp_path / "a-var1.png").is_file() and (tmp_path / "a-var2.png").is_file()
    assert "Denoising strength: 0.6" in (read_parameters(tmp_path / "a-var2.png") or "")


def test_cli_render_with_the_tiny_model(model_cache: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Export -> describe -> compose -> render, offline; nothing of the export reaches the files."""
    pytest.importorskip("extractors.describe.portray")
    export = Path(__file__).resolve().parent.parent / "sample_profiles" / "mastodon" / "api-statuses.json"
    config = write_config(tmp_path, model_cache)
    out = tmp_path / "x.png"
    assert main(["render", str(export), "--model", "tiny", "-o", str(out), "--config", str(config)]) == 0
    captured = capsys.readouterr()
    assert "untrained noise" in captured.err and str(out) in captured.out
    text = read_parameters(out) or ""
    assert "Model: tiny" in text and "Seed: " in text
    sidecar = out.with_suffix(".json").read_text(encoding="utf-8")
    statuses = json.loads(export.read_text(encoding="utf-8"))
    account = statuses[0]["account"]
    for private in (account["acct"], account["display_name"], account["url"], str(export)):
        assert private not in sidecar and private not in text


@pytest.mark.slow
def test_real_model_paints(tmp_path: Path) -> None:
    """With the real default model pulled (`portrait models pull`): a 512x512 picture, not noise."""
    config = RenderConfig(warm_up=False)
    prompt = replace(PROMPT, width=512, height=512, steps=1)
    artwork = render(prompt, config, tmp_path / "real.png")
    assert not artwork.is_test_noise and artwork.model == config.model
    assert pixels(artwork).std() > 10


def replace_config(config: RenderConfig, **changes: Any) -> RenderConfig:
    return config.model_copy(update=changes)
