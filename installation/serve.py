"""``portrait serve``: the kiosk, the worker and the wall on one machine, as supervised processes.

Each runs as its own ``portrait`` subprocess in its own session, so the supervisor alone decides the
order of shutdown: one Ctrl-C (SIGINT) or SIGTERM stops every child with SIGTERM, then SIGKILL after a
grace period. A child that exits on its own is logged and started again after a back-off that doubles
with each quick death (a child that ran a minute starts again at once).
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

log = logging.getLogger("portrait.serve")

HEALTHY_SECONDS = 60.0  # a child that ran this long had no start-up problem: restart it at once


@dataclass
class Service:
    name: str
    argv: list[str]
    process: subprocess.Popen[bytes] | None = None
    started_at: float = 0.0
    restart_at: float = 0.0
    backoff: float = 0.0


@dataclass
class Supervisor:
    services: list[Service]
    max_backoff: float = 30.0
    grace_seconds: float = 10.0
    poll_seconds: float = 0.2
    stop: threading.Event = field(default_factory=threading.Event)

    def run(self) -> int:
        """Start every service, keep them running until stopped, then stop them all."""
        for service in self.services:
            self._start(service)
        try:
            while not self.stop.wait(self.poll_seconds):
                now = time.monotonic()
                for service in self.services:
                    self._watch(service, now)
        finally:
            self._stop_all()
        return 0

    def _start(self, service: Service) -> None:
        service.process = subprocess.Popen(service.argv, start_new_session=True)
        service.started_at = time.monotonic()
        log.info("%s: started (pid %d)", service.name, service.process.pid)

    def _watch(self, service: Service, now: float) -> None:
        process = service.process
        if process is None:
            if now >= service.restart_at:
                self._start(service)
            return
        code = process.poll()
        if code is None:
            return
        ran = now - service.started_at
        service.backoff = 0.0 if ran >= HEALTHY_SECONDS else min(max(service.backoff * 2, 1.0), self.max_backoff)
        service.restart_at = now + service.backoff
        service.process = None
        log.warning("%s: exited with code %d after %.0f s; restarting in %.0f s",
                    service.name, code, ran, service.backoff)

    def _stop_all(self) -> None:
        running = [s for s in self.services if s.process is not None and s.process.poll() is None]
        for service in running:
            assert service.process is not None
            log.info("%s: stopping (pid %d)", service.name, service.process.pid)
            service.process.terminate()
        deadline = time.monotonic() + self.grace_seconds
        for service in running:
            assert service.process is not None
            try:
                service.process.wait(timeout=max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                log.warning("%s: did not stop in %.0f s; killed", service.name, self.grace_seconds)
                service.process.kill()
                service.process.wait()


def has_display() -> bool:
    """Whether the wall can open a screen here: X, Wayland, or a driver named for SDL (kmsdrm on a bare Pi)."""
    if sys.platform != "linux" or os.environ.get("SDL_VIDEODRIVER"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def services(config_path: Path | None, *, wall: bool) -> list[Service]:
    base = [sys.executable, "-m", "installation.cli"]
    extra = ["--config", str(config_path)] if config_path is not None else []
    names = ["kiosk", "worker"] + (["wall"] if wall else [])
    return [Service(name, [*base, name, *extra]) for name in names]


def run_serve(config_path: Path | None, *, wall: bool | None = None, grace_seconds: float = 10.0) -> int:
    """Supervise kiosk, worker and (with a display, unless ``wall`` is False) the wall."""
    if wall is None:
        wall = has_display()
        if not wall:
            log.info("serve: no display found; the wall is not started")
    supervisor = Supervisor(services(config_path, wall=wall), grace_seconds=grace_seconds)

    def on_signal(signum: int, frame: FrameType | None) -> None:
        log.info("serve: stopping on signal %d", signum)
        supervisor.stop.set()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        return supervisor.run()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
