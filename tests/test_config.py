"""config.toml is validated at start-up; a wrong key stops with the key named."""

from __future__ import annotations

from pathlib import Path

import pytest

from installation.cli import main
from installation.config import Config, load_config
from installation.errors import ConfigError

ROOT = Path(__file__).resolve().parent.parent


def test_shipped_config_is_valid() -> None:
    config = load_config(ROOT / "config.toml")
    assert isinstance(config, Config)
    assert config.extract.limits().max_nesting == config.extract.max_nesting


def test_missing_default_file_means_defaults(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert load_config() == Config()


def test_missing_named_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "nope.toml")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[extract]\nmax_fils = 3\n", "extract.max_fils: unknown key"),
        ("[extrakt]\n", "extrakt: unknown key"),
        ("[extract]\nmax_files = -1\n", "extract.max_files"),
        ("[extract]\nmax_files = 'many'\n", "extract.max_files"),
        ("[extract\n", "not valid TOML"),
    ],
)
def test_bad_config_names_the_key(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=message.replace("[", r"\[")) as info:
        load_config(path)
    assert str(path) in str(info.value)


def test_cli_reports_config_errors_in_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "config.toml"
    path.write_text("[extract]\nmax_fils = 3\n")
    export = tmp_path / "posts.txt"
    export.write_text("hello there, a long enough post")
    assert main(["extract", str(export), "--config", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "extract.max_fils: unknown key" in err
