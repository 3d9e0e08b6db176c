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


def log_to_stderr() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
