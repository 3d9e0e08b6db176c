"""Meta's JSON as the exports store it, for the Facebook and Instagram tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def meta(value: Any) -> Any:
    """A string as Meta stores it: every UTF-8 byte its own character."""
    if isinstance(value, str):
        return value.encode("utf-8").decode("latin-1")
    if isinstance(value, list):
        return [meta(v) for v in value]
    if isinstance(value, dict):
        return {k: meta(v) for k, v in value.items()}
    return value


def write_json(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(meta(data), indent=2, ensure_ascii=True))
