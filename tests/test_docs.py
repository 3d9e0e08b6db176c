"""The README and the command line agree: every command has help text and is documented."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from installation.cli import build_parser

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _subcommands(parser: argparse.ArgumentParser, prefix: str = "") -> dict[str, argparse.ArgumentParser]:
    found: dict[str, argparse.ArgumentParser] = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {a.dest: a.help for a in action._choices_actions}
            for name, sub in action.choices.items():
                full = f"{prefix}{name}"
                found[full] = sub
                sub.description = sub.description or helps.get(name)
                found.update(_subcommands(sub, full + " "))
    return found


COMMANDS = _subcommands(build_parser())


def test_the_architecture_commands_exist() -> None:
    for name in ("extract", "describe", "prompt", "render", "serve", "kiosk", "worker", "wall", "demo"):
        assert name in COMMANDS


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_has_help_and_is_in_the_readme(name: str) -> None:
    assert COMMANDS[name].description, f"portrait {name} has no help text"
    assert re.search(rf"portrait {re.escape(name)}\b", README), f"README does not mention `portrait {name}`"


def test_readme_has_exactly_two_setup_commands_and_ci_runs_the_second() -> None:
    blocks = re.findall(r"```(?:sh|bash|console)\n(.*?)```", README, flags=re.S)
    setup = [b.strip() for b in blocks if "python3 -m venv" in b]
    assert len(setup) == 2, "the README has one command to run the installation and one to run the tests"
    ci = (ROOT / ".ci" / "run").read_text()
    assert setup[1] in ci
