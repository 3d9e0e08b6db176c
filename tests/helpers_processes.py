"""What the tests that start the installation's real processes share (``test_crash``, ``test_crash_pg``,
``test_kill_loop``): a config file for one machine, a free loopback port, waiting for a condition, and
asking whether a kiosk answers.

``venue_config(...)`` is the part every such config repeats: where the store is, where uploads and
artworks go and the kiosk's port; a test adds its own keys and sections, and ``write_toml`` writes the
result as TOML (through ``tomli_w``, so a path with a quote or backslash stays one string).
"""

from __future__ import annotations

import socket
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import httpx
import tomli_w

Sections = dict[str, dict[str, Any]]


def venue_config(
    *, store: Mapping[str, Any], uploads: Path, artworks: Path, port: int, **sections: Mapping[str, Any]
) -> Sections:
    """``[store]`` as given, ``[kiosk] upload_dir`` and ``port``, ``[render] output_dir``; then ``sections``
    (``worker={...}``, ``kiosk={...}`` adds to the kiosk's keys, ``styles={"oil": {...}}`` for a table)."""
    data: Sections = {
        "store": dict(store),
        "kiosk": {"upload_dir": uploads, "port": port},
        "render": {"output_dir": artworks},
    }
    for name, values in sections.items():
        data[name] = {**data.get(name, {}), **values}
    return data


def write_toml(path: Path, sections: Mapping[str, Mapping[str, Any]]) -> Path:
    """``sections`` as a TOML file at ``path`` (paths written as strings); returns ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(tomli_w.dumps(_plain(sections)), encoding="utf-8")
    return path


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    return value


def free_port() -> int:
    """A loopback port nobody listens on now (the kernel's pick)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(condition: Callable[[], bool], seconds: float, what: str) -> None:
    """Poll ``condition`` every 50 ms; AssertionError naming ``what`` after ``seconds``."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def kiosk_answers(port: int) -> bool:
    """Whether a kiosk on this machine's ``port`` answers its health check."""
    try:
        return httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200
    except httpx.HTTPError:
        return False
