"""``portrait demo``: the sample profiles through the whole installation, then onto the wall.

The demo runs in a store and artwork folder of its own (beside the configured store, under ``demo/``),
made fresh each run, so a technician can check a venue's set-up without touching the exhibition's jobs.
Each sample is copied into its job's folder before it is queued: the worker deletes that copy after
extraction, as it deletes every visitor's export, and the sample itself stays.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from installation.config import Config
from installation.errors import IntakeError
from installation.jobs.store import new_job_id

# Beside the exports in sample_profiles/: the scripts that build them, and notes.
_NOT_EXPORTS = {"build", "README.md", "__pycache__"}
# Marks a folder as the demo's own, so a fresh run may empty it and nothing else.
_MARKER = ".portrait-demo"


@dataclass(frozen=True)
class DemoResult:
    store_path: Path
    artworks: tuple[Path, ...]
    failures: tuple[tuple[str, str], ...]  # (export, reason)
    seconds: float


def find_exports(folder: Path) -> list[Path]:
    """The exports in a samples folder: every entry of each platform's sub-folder."""
    exports: list[Path] = []
    for platform in sorted(p for p in folder.iterdir() if p.is_dir() and p.name not in _NOT_EXPORTS):
        exports.extend(
            sorted(e for e in platform.iterdir() if e.name not in _NOT_EXPORTS and not e.name.startswith("."))
        )
    return exports


def default_samples() -> Path:
    """``./sample_profiles``, else the checkout the package was installed from (``pip install -e``)."""
    here = Path("sample_profiles")
    if here.is_dir():
        return here
    beside = Path(__file__).resolve().parents[1] / "sample_profiles"
    if beside.is_dir():
        return beside
    raise IntakeError(
        "no sample exports here (./sample_profiles) nor beside the installed package; "
        "name a folder of exports with --profiles DIR"
    )


def demo_config(config: Config, model: str | None) -> Config:
    """The config with the demo's own store and artwork folder (and model, when one was named)."""
    home = config.store.path.parent.absolute() / "demo"
    render = config.render.model_copy(
        update={"output_dir": home / "artworks", **({"model": model} if model else {})}
    )
    return config.model_copy(
        update={
            "source": None,  # the overrides must not be reloaded away by a watcher of the file
            "store": config.store.model_copy(update={"path": home / "jobs.sqlite3", "auto_approve": True}),
            "kiosk": config.kiosk.model_copy(update={"upload_dir": home / "uploads"}),
            "render": render,
        }
    )


def run_demo(
    config: Config, profiles: Path | None = None, model: str | None = None, *,
    progress: Callable[[str], None] = print,
) -> DemoResult:
    """Queue every sample export (default: ``default_samples()``), work the queue empty, and return what
    became of each."""
    from installation.jobs.worker import open_configured_store, run_worker

    # 1. Check inputs
    profiles = profiles or default_samples()
    if not profiles.is_dir():
        raise IntakeError(f"{profiles}: no such folder of sample exports")
    exports = find_exports(profiles)
    if not exports:
        raise IntakeError(f"{profiles}: holds no exports (expected one folder per platform)")
    started = time.monotonic()
    # 2. A fresh store and artwork folder of the demo's own
    config = demo_config(config, model)
    home = config.store.path.parent
    if home.exists():
        if not (home / _MARKER).exists():
            raise IntakeError(f"{home}: exists but is not a demo folder made by `portrait demo`; move it away")
        shutil.rmtree(home)
    for folder in (home, config.kiosk.upload_dir, config.render.output_dir):
        folder.mkdir(parents=True, mode=0o700, exist_ok=True)
    (home / _MARKER).touch()
    store = open_configured_store(config)
    # 3. Queue a copy of each export, as the kiosk queues an upload
    names: dict[str, str] = {}
    for export in exports:
        job_id = new_job_id()
        folder = config.kiosk.upload_dir / job_id
        folder.mkdir(mode=0o700)
        copy = folder / export.name
        if export.is_dir():
            shutil.copytree(export, copy)
        else:
            shutil.copy2(export, copy)
        store.submit(job_id, work_dir=folder, source="upload", export_path=copy)
        names[job_id] = f"{export.parent.name}/{export.name}"
    progress(f"demo: {len(exports)} sample exports queued; rendering with {config.render.model}")
    # 4. Work the queue until it is empty
    run_worker(config, once=True)
    # 5. Report what became of each
    artworks: list[Path] = []
    failures: list[tuple[str, str]] = []
    for job_id, name in names.items():
        job = store.get(job_id)
        if job is not None and job.image_path is not None and job.state == "done":
            artworks.append(job.image_path)
            progress(f"demo: {name}: {job.image_path}")
        else:
            reason = job.error if job is not None and job.error else "no artwork"
            failures.append((name, reason))
            progress(f"demo: {name}: FAILED: {reason}")
    return DemoResult(
        store_path=config.store.path, artworks=tuple(artworks), failures=tuple(failures),
        seconds=time.monotonic() - started,
    )
