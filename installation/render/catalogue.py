"""Every way to paint, and whether it can paint here: ``portrait models list``.

One row per backend (local diffusers, VQGAN+CLIP, the hosted services), per local model family
(Stable Diffusion, Kandinsky 2.2 and 3), and per paste-only service (Midjourney, NightCafe). "Can run
here" means: weights in the local cache or a folder (nothing is downloaded to find out), an API key or
token in the environment, and whether a GPU is there. Nothing is loaded and nothing goes over the network.
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from installation.config import RenderConfig
from installation.errors import ModelNotAvailableError
from installation.render.families import FAMILIES, family_of
from installation.render.tiny import TINY
from installation.render.weights import PIPELINE_FILES, hub_snapshot, pull_command, resolve_model

# As each service's terms state them for the images it returns (no model card to quote).
SERVICE_TERMS = {
    "stability": "Stability AI API terms of service and Acceptable Use Policy",
    "openai": "OpenAI terms of use and usage policies (you own the output)",
    "imagen": "Google Cloud terms with the Generative AI Service Specific Terms",
}
VQGAN_CLIP_LICENCE = "MoVQ of kandinsky-2-2-decoder Apache-2.0; openai/clip-vit-base-patch32 MIT"


@dataclass(frozen=True)
class CatalogueRow:
    kind: str  # "backend", "family" or "paste"
    name: str
    model: str
    can_run: bool
    why: str  # what is there or what is missing (and the command that fixes it)
    licence: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def accelerator() -> str | None:
    """``cuda`` or ``mps`` when torch can use one, else None."""
    import torch

    if torch.cuda.is_available():
        return "cuda"
    if torch.backends.mps.is_available():
        return "mps"
    return None


def catalogue(config: RenderConfig, gpu: str | None = None) -> list[CatalogueRow]:
    """The rows of ``portrait models list`` for ``config`` (``gpu``: what ``accelerator()`` found)."""
    offline = config.model_copy(update={"download": False})
    where = f"GPU: {gpu}" if gpu else "no GPU: CPU only"
    rows = [_local_row(offline, where)]
    # 1. The local families, each with its usual weights.
    for family in FAMILIES:
        on_disk, why = _weights(family.example, offline)
        speed = "" if gpu or not family.needs_gpu else "; slow on the CPU"
        rows.append(CatalogueRow("family", family.name, family.example, on_disk, f"{why}; {where}{speed}",
                                 family.licence))  # fmt: skip
    # 2. VQGAN+CLIP: two models on disk.
    vq = config.vqgan_clip
    sub = vq.vq_subfolder.strip("/")
    vq_ok, vq_why = _weights(vq.vq_model, offline, (f"{sub}/*",) if sub else ("*",), sub)
    # A transformers folder, not a diffusers one: the hub's own client fetches it whole.
    clip_ok, clip_why = _weights(vq.clip_model, offline, ("*.json", "*.txt", "*.safetensors"),
                                 fetch=f"hf download {vq.clip_model} --include '*.json' '*.txt' '*.safetensors'")
    rows.append(CatalogueRow("backend", "vqgan_clip", f"{vq.vq_model} + {vq.clip_model}", vq_ok and clip_ok,
                             f"VQ {vq_why}; CLIP {clip_why}; {where}", VQGAN_CLIP_LICENCE))  # fmt: skip
    # 3. The hosted services: a key (or Imagen's credentials) in reach.
    for name in config.remote_backends():
        settings = getattr(config, name)
        ready, why = _imagen_credentials(config) if name == "imagen" else _env_key(settings.api_key_env)
        url = settings.endpoint() if name == "imagen" else settings.base_url
        rows.append(CatalogueRow("backend", name, settings.model, ready, f"{why}; {url}",
                                 SERVICE_TERMS.get(name, "the service's terms")))  # fmt: skip
    # 4. The services without an API.
    for name, label in (("midjourney", "Midjourney"), ("nightcafe", "NightCafe")):
        rows.append(CatalogueRow("paste", name, "-", False,
                                 f"no public API: paste the output of `portrait prompt EXPORT --for {name}`",
                                 f"{label}'s terms of service"))  # fmt: skip
    return rows


def format_rows(rows: list[CatalogueRow]) -> str:
    """A plain table: kind, name, yes/no, model, then why and licence on their own indented lines."""
    lines = []
    width = max(len(row.name) for row in rows)
    for row in rows:
        lines.append(f"{row.kind:<8} {row.name:<{width}}  {'yes' if row.can_run else 'no ':<3}  {row.model}")
        lines.append(f"{'':<{width + 9}}  here: {row.why}")
        lines.append(f"{'':<{width + 9}}  licence: {row.licence}")
    return "\n".join(lines)


def _local_row(config: RenderConfig, where: str) -> CatalogueRow:
    model = config.model
    if model == TINY:
        return CatalogueRow("backend", "local", model, True, f"the untrained test model (noise); {where}", "MIT")
    try:
        folder = resolve_model(model, config)
    except ModelNotAvailableError:
        return CatalogueRow("backend", "local", model, False, f"weights missing: {pull_command(model)}; {where}",
                            "see the model's family below")  # fmt: skip
    family = family_of(folder)
    licence = family.licence if family else "see the model card"
    kind = family.name if family else "an unknown diffusers pipeline"
    return CatalogueRow("backend", "local", model, True, f"weights on disk ({kind}); {where}", licence)


def _weights(model: str, config: RenderConfig, patterns: tuple[str, ...] = PIPELINE_FILES,
             subfolder: str = "", fetch: str | None = None) -> tuple[bool, str]:  # fmt: skip
    """Whether a model's files are in a folder or the local hub cache (``config.download`` is off)."""
    if model == TINY:
        return True, "tiny (built here)"
    path = Path(model).expanduser()
    if path.is_dir():
        folder = path
    else:
        try:
            folder = hub_snapshot(model, config, patterns)
        except ModelNotAvailableError:
            return False, f"weights missing: {fetch or pull_command(model)}"
    if subfolder and not (folder / subfolder).is_dir():
        return False, f"no {subfolder}/ in {folder}"
    return True, "weights on disk"


def _env_key(variable: str) -> tuple[bool, str]:
    if os.environ.get(variable, "").strip():
        return True, f"key in ${variable}"
    return False, f"no key: set ${variable}"


def _imagen_credentials(config: RenderConfig) -> tuple[bool, str]:
    from installation.render.backends.imagen import VertexCredentials

    settings = config.imagen
    if not settings.project:
        return False, "set [render.imagen] project"
    if os.environ.get(settings.api_key_env, "").strip():
        return True, f"token in ${settings.api_key_env}"
    file = VertexCredentials(settings).file()
    if file.is_file():
        return True, f"application-default credentials in {file}"
    return False, f"no token: set ${settings.api_key_env} or run gcloud auth application-default login"
