"""`portrait demo` and `portrait sheet` find the sample exports outside the checkout too."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from installation import demo as demo_module
from installation.cli.common import log_to_stderr
from installation.demo import default_samples, find_exports
from installation.errors import IntakeError

ROOT = Path(__file__).resolve().parent.parent


def test_outside_the_checkout_the_samples_beside_the_package_are_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert default_samples() == ROOT / "sample_profiles"
    assert len(find_exports(default_samples())) >= 10


def test_without_any_samples_the_error_names_the_option(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(demo_module, "__file__", str(tmp_path / "site-packages" / "installation" / "demo.py"))
    with pytest.raises(IntakeError, match="--profiles DIR"):
        default_samples()


def test_log_lines_name_the_process(monkeypatch: pytest.MonkeyPatch) -> None:
    root = logging.getLogger()
    monkeypatch.setattr(root, "handlers", [])
    log_to_stderr("worker")
    formatter = root.handlers[0].formatter
    assert formatter is not None
    line = formatter.format(logging.LogRecord("portrait.worker", logging.WARNING, "x", 1, "config: bad", None, None))
    assert "portrait-worker[" in line and "config: bad" in line
