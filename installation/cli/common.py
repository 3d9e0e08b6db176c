"""What every command shares: the config it names, JSON output, logging for the long-running ones."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from installation.config import Config, load_config

Handler = Callable[[argparse.Namespace], int]


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def config_of(args: argparse.Namespace) -> Config:
    path: Path | None = args.config
    return load_config(path)


def log_to_stderr(role: str) -> None:
    """Log lines name the process they come from (``portrait-worker[4711]``): under ``portrait serve`` three
    processes share one terminal, and a reload warning must say whose config it was."""
    logging.basicConfig(
        level=logging.INFO,
        format=f"%(asctime)s portrait-{role}[%(process)d] %(name)s %(levelname)s %(message)s",
    )
