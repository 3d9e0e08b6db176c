"""Hot reload: an edited config.toml takes effect in a running process; a bad edit leaves the last good one."""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path

import pytest
from composing import compose
from test_compose import PORTRAITS

from installation.errors import ConfigError
from installation.jobs.reload import ConfigWatcher

ROOT = Path(__file__).resolve().parent.parent
SHIPPED_TEXT = (ROOT / "config.toml").read_text()


def write(path: Path, text: str) -> None:
    """Write and move the modification time on, as a later save by a curator would."""
    before = path.stat().st_mtime_ns if path.exists() else 0
    path.write_text(text)
    os.utime(path, ns=(before + 1_000_000_000, before + 1_000_000_000))


@pytest.fixture
def config_path(tmp_path: Path) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(SHIPPED_TEXT)
    return path


def test_an_edit_takes_effect_on_the_next_poll(config_path: Path) -> None:
    watcher = ConfigWatcher(config_path)
    assert watcher.poll() is False  # nothing changed
    assert "mine" not in watcher.config.styles
    write(config_path, SHIPPED_TEXT + '\n[styles.mine]\ntemplate = "{prompt}, in felt-tip pen"\n')
    assert watcher.poll() is True
    assert watcher.error is None
    prompt = compose(PORTRAITS["rich"], "mine", watcher.config)
    assert prompt.positive.endswith("in felt-tip pen")
    assert watcher.poll() is False


def test_an_invalid_edit_is_reported_with_the_key_and_the_last_good_config_stays(
    config_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    watcher = ConfigWatcher(config_path)
    good = watcher.config
    bad_edits = {
        SHIPPED_TEXT.replace("max_tokens = 77", "max_tokens = 3"): "compose.max_tokens",
        SHIPPED_TEXT.replace('default_style = "oil-portrait"', 'default_style = "cubism"'): "compose.default_style",
        SHIPPED_TEXT + '\n[styles.mine]\ntemplate = "{prompt}, {artsit}"\n': "styles.mine.template",
        SHIPPED_TEXT.replace("[compose]", "[compose\n"): "not valid TOML",
    }
    for text, key in bad_edits.items():
        with caplog.at_level(logging.WARNING, logger="installation.jobs.reload"):
            caplog.clear()
            write(config_path, text)
            assert watcher.poll() is False
        assert watcher.config is good
        assert watcher.error is not None and key in watcher.error and str(config_path) in watcher.error
        assert key in caplog.text and "last good one stays" in caplog.text
    write(config_path, SHIPPED_TEXT.replace('selection = "mood"', 'selection = "fixed"'))
    assert watcher.poll() is True
    assert watcher.error is None and watcher.config.compose.selection == "fixed"


def test_a_deleted_file_keeps_the_last_good_config(config_path: Path) -> None:
    watcher = ConfigWatcher(config_path)
    good = watcher.config
    config_path.unlink()
    assert watcher.poll() is False
    assert watcher.config is good and watcher.error is not None and "not found" in watcher.error
    config_path.write_text(SHIPPED_TEXT)
    assert watcher.poll() is False  # back as it was: nothing new takes effect
    assert watcher.error is None


def test_a_blocklist_edit_is_seen_without_a_restart(config_path: Path) -> None:
    (config_path.parent / "words.txt").write_text("harbour\n")
    write(config_path, SHIPPED_TEXT.replace("[compose]\n", '[compose]\nblocklist = "words.txt"\n', 1))
    watcher = ConfigWatcher(config_path)
    assert compose(PORTRAITS["minimal"], "crayon", watcher.config).keywords_used == ("allotment",)
    write(config_path.parent / "words.txt", "harbour\nallotment\n")
    assert compose(PORTRAITS["minimal"], "crayon", watcher.config).keywords_used == ()


def test_an_invalid_file_at_start_up_is_an_error(config_path: Path) -> None:
    config_path.write_text("[compose]\nselection = 'sometimes'\n")
    with pytest.raises(ConfigError, match=r"compose\.selection"):
        ConfigWatcher(config_path)


def test_polls_from_several_threads_reload_once(config_path: Path) -> None:
    watcher = ConfigWatcher(config_path)
    write(config_path, SHIPPED_TEXT.replace("max_keywords = 15  ", "max_keywords = 4   "))
    results: list[bool] = []
    threads = [threading.Thread(target=lambda: results.append(watcher.poll())) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results.count(True) == 1 and watcher.config.compose.max_keywords == 4
