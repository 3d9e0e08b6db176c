"""What the browser tests share (``test_browser``, ``test_browser_repeat``, ``test_kiosk_a11y``,
``test_party_browser``): Debian's Chromium launched headless through Playwright, the marks that skip a
test without it, and an app served by uvicorn on a loopback port in a thread, as a phone reaches it."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import pytest
from helpers_processes import free_port

if TYPE_CHECKING:
    from fastapi import FastAPI
    from playwright.sync_api import Browser

CHROMIUM = Path("/usr/bin/chromium")
# No sandbox (CI runs as root in a container), no GPU, and nothing that phones home while a test runs.
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]  # fmt: skip
BROWSER_MARKS = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium (apt-get install chromium)"
    ),
]


@contextmanager
def chromium() -> Iterator[Browser]:
    """A headless Chromium for the block, closed when it ends (a failed assertion included)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def served(app: FastAPI, what: str = "the server") -> Iterator[str]:
    """``app`` served on a free loopback port in a thread for the block; yields its base URL."""
    import uvicorn

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, name=f"uvicorn-{port}", daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while not server.started:
            assert time.monotonic() < deadline and thread.is_alive(), f"{what} did not start"
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


class _Worker(Protocol):
    stop: threading.Event

    def run(self) -> object: ...


@contextmanager
def working(worker: _Worker) -> Iterator[None]:
    """``worker.run`` in a daemon thread for the block; stopped and joined (10 s at most) after it."""
    thread = threading.Thread(target=worker.run, daemon=True)
    thread.start()
    try:
        yield
    finally:
        worker.stop.set()
        thread.join(timeout=10)
