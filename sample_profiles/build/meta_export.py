"""What the Meta and LinkedIn sample builders share: Meta's mojibake and a byte-for-byte repeatable zip."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any


def meta(value: Any) -> Any:
    """Every string as Meta stores it: each UTF-8 byte as its own character (written as \\u00XX)."""
    if isinstance(value, str):
        return value.encode("utf-8").decode("latin-1")
    if isinstance(value, list):
        return [meta(v) for v in value]
    if isinstance(value, dict):
        return {k: meta(v) for k, v in value.items()}
    return value


def write_zip(path: Path, members: list[tuple[str, bytes]], date_time: tuple[int, int, int, int, int, int]) -> Path:
    """The members, deflated, all stamped ``date_time``: the same input gives the same bytes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, data)
    return path
