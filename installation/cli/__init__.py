"""The ``portrait`` command.

Every subcommand takes ``--config PATH``; a ``PortraitError`` becomes one line on stderr and exit
code 2. Each subcommand is a pair: ``_add_NAME(sub, common)`` declares it, ``_cmd_NAME(args)`` runs it.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from installation.cli import compose_commands as compose_cmds
from installation.cli import party_commands as party_cmds
from installation.cli import portrait_commands as portrait_cmds
from installation.cli import venue_commands as venue_cmds
from installation.cli.common import Handler
from installation.errors import PortraitError

# --- the command table -----------------------------------------------------------------------------

_COMMANDS: list[Callable[[Any, argparse.ArgumentParser], None]] = [
    portrait_cmds.add_extract,
    venue_cmds.add_demo,
    portrait_cmds.add_describe,
    venue_cmds.add_wall,
    venue_cmds.add_worker, venue_cmds.add_kiosk, venue_cmds.add_serve, venue_cmds.add_forget,
    compose_cmds.add_prompt,
    compose_cmds.add_styles,
    portrait_cmds.add_sheet,
    portrait_cmds.add_render, portrait_cmds.add_vary, portrait_cmds.add_models,
    party_cmds.add_party,
]


def build_parser() -> argparse.ArgumentParser:
    # --config works before and after the command; the sub-command's copy only overrides when given.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--config", type=Path, default=argparse.SUPPRESS, metavar="PATH",
        help="config file (default: ./config.toml)",
    )
    parser = argparse.ArgumentParser(
        prog="portrait",
        description="social-portrait: read a social-media export and paint the person.",
    )
    parser.add_argument(
        "--config", type=Path, default=None, metavar="PATH", help="config file (default: ./config.toml)"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for add in _COMMANDS:
        add(sub, common)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler = args.handler
    try:
        return handler(args)
    except PortraitError as exc:
        print(f"portrait: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("portrait: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader of our output went away (`portrait extract X | head`): not an error of ours.
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0

