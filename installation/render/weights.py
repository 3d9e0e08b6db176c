"""Where a model's files are: a Hugging Face id in the local hub cache, a local diffusers folder, or ``tiny``.

Nothing is downloaded while rendering unless ``render.download`` says so: a venue fetches its model
before opening with ``portrait models pull ID``. The tokenizer is read from the same files, for the
composer to count prompt tokens as the model will.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from installation.config import RenderConfig
from installation.errors import ModelNotAvailableError
from installation.render.tiny import TINY, build_tiny_tokenizer, tiny_model_path

# What `portrait models pull` fetches of a diffusers repository: configs, tokenizers and safetensors
# weights of each component; single-file checkpoints and other frameworks' weights are left behind.
PIPELINE_FILES = ("model_index.json", "*/*.json", "*/*.txt", "*/*.model", "*/*.safetensors")
# The safety checker is a plain transformers model folder.
CHECKER_FILES = ("*.json", "*.txt", "*.safetensors", "*.bin")
def pull_command(model: str) -> str:
    return f"portrait models pull {model}"


def hub_cache(config: RenderConfig) -> Path | None:
    """The Hugging Face hub cache to use: ``cache_dir/hub`` when configured, else the library's own."""
    return config.cache_dir / "hub" if config.cache_dir else None


def resolve_model(model: str, config: RenderConfig) -> Path:
    """The local diffusers folder for ``model`` (an id, a folder or ``tiny``), or ModelNotAvailableError."""
    if model == TINY:
        return tiny_model_path(config.cache_dir)
    path = Path(model).expanduser()
    if path.is_dir():
        if not (path / "model_index.json").is_file():
            raise ModelNotAvailableError(f"{path}: not a diffusers model folder (it has no model_index.json)")
        return path
    if model.startswith(("/", ".", "~")) or model.count("/") > 1:
        raise ModelNotAvailableError(f"{path}: model folder not found")
    return hub_snapshot(model, config, PIPELINE_FILES)


def hub_snapshot(repo_id: str, config: RenderConfig, patterns: tuple[str, ...]) -> Path:
    """The cached snapshot of ``repo_id``; downloads it only when ``render.download`` allows."""
    from huggingface_hub import constants, snapshot_download

    try:
        folder = snapshot_download(
            repo_id,
            cache_dir=hub_cache(config),
            local_files_only=not config.download,
            allow_patterns=list(patterns),
        )
    except _hub_errors() as exc:
        if constants.HF_HUB_OFFLINE:
            where = "not in the local model cache, and the hub is off (HF_HUB_OFFLINE=1)"
        elif config.download:
            where = f"not local and could not be downloaded ({type(exc).__name__}: {first_line(exc)})"
        else:
            where = "not in the local model cache"
        raise ModelNotAvailableError(
            f"model {repo_id!r} is {where}; download it before opening with: {pull_command(repo_id)}"
        ) from exc
    return Path(str(folder))


def pull_model(repo_id: str, config: RenderConfig, *, checker: bool = False) -> Path:
    """Download ``repo_id`` (with the hub library's progress bars) into the cache used for rendering."""
    from huggingface_hub import snapshot_download

    if repo_id == TINY:
        return tiny_model_path(config.cache_dir)
    try:
        folder = snapshot_download(
            repo_id, cache_dir=hub_cache(config), allow_patterns=list(CHECKER_FILES if checker else PIPELINE_FILES)
        )
    except _hub_errors() as exc:
        raise ModelNotAvailableError(f"cannot download {repo_id!r}: {type(exc).__name__}: {first_line(exc)}") from exc
    return Path(str(folder))


def load_tokenizer(model: str, config: RenderConfig | None = None) -> Any | None:
    """The model's own tokenizer from local files only (for counting prompt tokens), or None.

    Whatever the folder's ``tokenizer/`` holds: CLIP for Stable Diffusion, T5 for Kandinsky 3. Kandinsky
    2.2's decoder has none (its prior reads CLIP's vocabulary, which the shipped counter has).
    """
    from transformers import AutoTokenizer

    if model == TINY:
        return build_tiny_tokenizer()  # the same tokenizer the tiny model saves, without building the model
    settings = (config or RenderConfig()).model_copy(update={"download": False})
    try:
        folder = resolve_model(model, settings)
        return AutoTokenizer.from_pretrained(folder / "tokenizer", local_files_only=True)
    except (ModelNotAvailableError, OSError, ValueError):
        return None


def _hub_errors() -> tuple[type[Exception], ...]:
    """What the hub library raises for "not cached", "offline", "no such repository", HTTP and network failures."""
    import httpx
    from huggingface_hub.errors import HfHubHTTPError

    return (HfHubHTTPError, OSError, ValueError, httpx.HTTPError)


def first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
