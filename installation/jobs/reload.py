"""Hot reload: a running kiosk or worker picks up a curator's edit of config.toml.

``ConfigWatcher(path).poll()`` re-reads the file when its modification time or size changed, validates
it (the same checks as start-up, plus the composer's cross-references), and swaps it in. An invalid edit
is logged as a warning naming the key, kept in ``error`` for a curator page, and the last good config
stays in force until the file is fixed.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from pathlib import Path

from installation.compose.composer import check_config
from installation.config import Config, load_config
from installation.errors import ConfigError

log = logging.getLogger(__name__)

Stamp = tuple[int, int] | None  # (mtime_ns, size); None when the file is missing


class ConfigWatcher:
    """The last good config of one file, refreshed by ``poll()``. Safe to share between threads."""

    def __init__(self, path: Path, *, check: Callable[[Config], None] = check_config) -> None:
        """Load ``path`` now; an invalid file at start-up is an error (there is no last good config yet)."""
        self.path = path
        self._check = check
        self._lock = threading.Lock()
        self._stamp = _stamp(path)
        self._config = self._load()
        self.error: str | None = None  # the invalid edit now being ignored, if any

    @property
    def config(self) -> Config:
        with self._lock:
            return self._config

    def poll(self) -> bool:
        """Reload if the file changed; True when a new config took effect."""
        with self._lock:
            stamp = _stamp(self.path)
            if stamp == self._stamp:
                return False
            self._stamp = stamp
            try:
                config = self._load()
            except ConfigError as exc:
                self.error = str(exc)
                log.warning("config not reloaded, the last good one stays in force: %s", exc)
                return False
            self.error = None
            if config == self._config:
                return False
            self._config = config
            log.info("config reloaded from %s", self.path)
            return True

    def _load(self) -> Config:
        config = load_config(self.path, required=True)
        self._check(config)
        return config


def _stamp(path: Path) -> Stamp:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return (stat.st_mtime_ns, stat.st_size)
