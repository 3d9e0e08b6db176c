"""Hot reload in the running worker and kiosk: an edited config.toml counts from the next job or request."""

from __future__ import annotations

import dataclasses
import logging
import os
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from PIL import Image
from test_worker import queue_upload
from worker_fakes import FAKE_PIPELINE

from installation.compose.prompt import Prompt
from installation.config import Config, RenderConfig, load_config
from installation.jobs.worker import Worker, open_configured_store, real_pipeline, watch_config
from installation.kiosk.app import create_app
from installation.render import run as render_module
from installation.render.backends.local import LocalRenderer

ROOT = Path(__file__).resolve().parent.parent
SHIPPED_TEXT = (ROOT / "config.toml").read_text()
TOKEN = "curator-token-123"
UNKNOWN_KEY = 'colour = "red"\n'  # not a key of any section


def edit(text: str, *changes: tuple[str, str]) -> str:
    """``text`` with each (old, new) replaced; each old occurs exactly once, so a drift in config.toml shows."""
    for old, new in changes:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


def write(path: Path, text: str) -> None:
    """Write and move the modification time on, as a later save by a curator would (no sleeping)."""
    before = path.stat().st_mtime_ns if path.exists() else 0
    path.write_text(text)
    os.utime(path, ns=(before + 1_000_000_000, before + 1_000_000_000))


@pytest.fixture
def config_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The shipped config in a folder of its own; its relative var/ paths land there too."""
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "config.toml"
    path.write_text(SHIPPED_TEXT)
    return path


# --- the worker ----------------------------------------------------------------------------------


def fixed_style(style: str, *more: tuple[str, str]) -> str:
    """The shipped config with ``style`` as the fixed style; the tiny model keeps compose off transformers."""
    return edit(
        SHIPPED_TEXT,
        ('\nselection = "mood"', '\nselection = "fixed"'),
        ('\ndefault_style = "oil-portrait"', f'\ndefault_style = "{style}"'),
        ('\nmodel = "stabilityai/sd-turbo"', '\nmodel = "tiny"'),
        *more,
    )


def worker_on(config_path: Path) -> Worker:
    """A worker as ``run_worker`` builds it, with fast stages but the real composer reading its config."""
    config = load_config(config_path, required=True)
    stages = dataclasses.replace(FAKE_PIPELINE, compose=real_pipeline(lambda: worker.config).compose)
    worker = Worker(open_configured_store(config), stages, config, watcher=watch_config(config))
    return worker


def next_style(worker: Worker) -> str | None:
    job = queue_upload(worker.config, open_configured_store(worker.config))
    assert worker.run(once=True) == 1
    done = worker.store.get(job.id)
    assert done is not None and done.state == "done", done
    return done.style


def test_the_next_job_uses_an_edited_style_and_a_bad_edit_leaves_it_in_force(
    config_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    write(config_path, fixed_style("watercolor"))
    worker = worker_on(config_path)
    assert next_style(worker) == "watercolor"
    write(config_path, fixed_style("crayon"))
    assert next_style(worker) == "crayon"
    # An unknown key refuses the whole edit, the style change in it too.
    with caplog.at_level(logging.WARNING, logger="installation.jobs.reload"):
        write(config_path, fixed_style("pencil-sketch", ("[compose]\n", "[compose]\n" + UNKNOWN_KEY)))
        assert next_style(worker) == "crayon"
        assert next_style(worker) == "crayon"
    assert worker.watcher is not None and worker.watcher.error is not None
    assert "compose.colour: unknown key" in worker.watcher.error
    assert [r.getMessage() for r in caplog.records].count(f"config not reloaded, the last good one stays in force: "
                                                         f"{worker.watcher.error}") == 1  # once, not per job
    write(config_path, fixed_style("pencil-sketch"))
    assert next_style(worker) == "pencil-sketch" and worker.watcher.error is None


def test_a_worker_without_a_config_file_does_not_watch(tmp_path: Path) -> None:
    config = Config.model_validate({"store": {"path": str(tmp_path / "jobs.sqlite3")}})
    assert config.source is None and watch_config(config) is None


def test_weights_load_once_and_again_only_when_a_loading_setting_changes(
    config_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    loads: list[RenderConfig] = []

    @dataclasses.dataclass
    class FlatRenderer:
        name: str = "local"
        model: str = "tiny"
        is_test_noise: bool = True

        def warm_up(self) -> None: ...

        def sampler(self, prompt: Prompt) -> str:
            return "Euler"

        def generate(self, prompt: Prompt) -> Image.Image:
            return Image.new("RGB", (prompt.width, prompt.height), "teal")

    def load(config: RenderConfig, model: str | None = None) -> FlatRenderer:
        loads.append(config)
        return FlatRenderer()

    monkeypatch.setattr(LocalRenderer, "load", load)
    monkeypatch.setattr(render_module, "_CURRENT", None)  # no renderer left over from another test
    write(config_path, fixed_style("watercolor"))
    worker = worker_on(config_path)
    real = real_pipeline(lambda: worker.config)
    worker.pipeline = dataclasses.replace(worker.pipeline, render=real.render)
    next_style(worker)
    next_style(worker)
    assert len(loads) == 1
    # A render parameter: the weights in memory serve on.
    write(config_path, fixed_style("watercolor", ("\nguidance = 0.0", "\nguidance = 1.5")))
    next_style(worker)
    assert len(loads) == 1
    # A loading setting: the weights are loaded again, with the new settings.
    edit = ("\nguidance = 0.0", '\nguidance = 1.5\nscheduler = "EulerDiscreteScheduler"')
    write(config_path, fixed_style("watercolor", edit))
    next_style(worker)
    assert len(loads) == 2 and loads[-1].scheduler == "EulerDiscreteScheduler"


# --- the kiosk -----------------------------------------------------------------------------------


def consent(text: str, *more: tuple[str, str]) -> str:
    """The shipped config with a curator token and ``text`` as the consent text."""
    shipped = re.search(r'consent_text = """.*?"""', SHIPPED_TEXT, re.DOTALL)
    assert shipped is not None
    return edit(
        SHIPPED_TEXT,
        (shipped.group(0), f'consent_text = "{text}"'),
        ('# curator_token = "a long random string"', f'curator_token = "{TOKEN}"'),
        *more,
    )


def test_the_kiosk_shows_an_edited_consent_text_and_names_the_key_of_a_refused_edit(config_path: Path) -> None:
    write(config_path, consent("First words."))
    config = load_config(config_path, required=True)
    app = create_app(config, open_configured_store(config))
    client = TestClient(app)
    kiosk = app.state.kiosk
    now = [kiosk.clock()]
    kiosk.clock = lambda: now[0]
    assert "First words." in client.get("/").text
    write(config_path, consent("Second words."))
    assert "First words." in client.get("/").text  # the file is looked at once a second, not per request
    now[0] += 1.5
    assert "Second words." in client.get("/").text
    # An unknown key: the edit is refused, the consent text in it too, and the curator is told why.
    write(config_path, consent("Third words.", ("[kiosk]\n", "[kiosk]\n" + UNKNOWN_KEY)))
    now[0] += 1.5
    assert "Second words." in client.get("/").text
    login = client.get("/curator/login").text
    csrf = re.search(r'name="csrf" value="([^"]+)"', login)
    assert csrf is not None
    client.post("/curator/login", data={"csrf": csrf.group(1), "token": TOKEN})
    page = client.get("/curator/config")
    assert page.status_code == 200
    assert "kiosk.colour: unknown key" in page.text and "last good config is still in force" in page.text
    write(config_path, consent("Fourth words."))
    now[0] += 1.5
    assert "Fourth words." in client.get("/").text
    page = client.get("/curator/config")
    assert "unknown key" not in page.text and "is valid and in force" in page.text
