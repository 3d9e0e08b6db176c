"""The party in a real headless Chromium: the published gallery opened from disk shows the lineage and the
images and asks nothing of any network; the host screen and a phone run a party against a live server."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from helpers_browser import BROWSER_MARKS, chromium, served, working
from test_party import FakePainter, party_config

from installation.config import Config
from installation.party.app import create_party_app
from installation.party.publish import publish_session
from installation.party.records import StepSettings
from installation.party.store import PartyStore, open_party_store
from installation.party.words import wall_words
from installation.party.worker import PartyWorker

pytestmark = BROWSER_MARKS


@pytest.fixture(autouse=True)
def _local_signing_keys(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))


def add(store: PartyStore, session: str, parent: int | None, text: str, seed: int) -> int:
    return store.add_step(session, parent, StepSettings(text=text, seed=seed), positive=text, negative="",
                          size=(64, 64), steps=1, guidance=0.0, scheduler=None).id  # fmt: skip


def test_the_published_gallery_opens_from_disk_with_its_lineage_and_no_network(tmp_path: Path) -> None:
    from playwright.sync_api import Request, expect

    # A party of four steps with a branch, painted, one marked best.
    config = party_config(tmp_path)
    store = open_party_store(config.party.store_path)
    session = store.create_session("loneliness").id
    first = add(store, session, None, "loneliness", 1)
    second = add(store, session, first, "loneliness, an empty bench", 2)
    add(store, session, second, "loneliness, two old people looking at each other", 3)
    branch = add(store, session, first, "loneliness, a lighthouse", 4)
    PartyWorker(store, config, renderer=FakePainter()).drain()
    store.mark_best(branch, True)
    gallery = publish_session(store, session, tmp_path / "gallery", wall_words(config),
                              provenance=config.render.provenance)  # fmt: skip
    store.close()

    requests: list[str] = []
    with chromium() as browser:
        page = browser.new_page()

        def seen(request: Request) -> None:
            requests.append(request.url)

        page.on("request", seen)
        page.goto(gallery.index.as_uri())
        page.wait_for_load_state("load")
        expect(page.locator("h1")).to_have_text("loneliness")
        # Best first, then the rest; each with the path of prompts that led to it.
        assert page.locator("figure.artwork").first.get_attribute("data-step") == "4"
        expect(page.locator("#step-4 ol.path li")).to_have_text(["#1 loneliness", "#4 loneliness, a lighthouse"])
        expect(page.locator("#step-3 ol.path li")).to_have_count(3)
        # The tree: two branches from the first step.
        expect(page.locator("#lineage .node")).to_have_count(4)
        roots = page.locator("#lineage > ul.tree > li.node")
        expect(roots).to_have_count(1)
        expect(roots.first.locator(":scope > ul.tree > li.node")).to_have_count(2)
        # Every image is there and decoded.
        loaded = page.evaluate("[...document.images].map((i) => i.complete && i.naturalWidth > 0)")
        assert loaded and all(loaded), loaded
    assert requests and all(url.startswith("file://") for url in requests), requests
    assert any(url.endswith("images/step-004.png") for url in requests)


@dataclass
class Live:
    url: str
    store: PartyStore
    config: Config


@pytest.fixture
def live(tmp_path: Path) -> Iterator[Live]:
    config = party_config(tmp_path, poll_seconds=0.05)
    store = open_party_store(config.party.store_path)
    worker = PartyWorker(store, config, renderer=FakePainter())
    with served(create_party_app(config, store), "the party server") as url, working(worker):
        yield Live(url, store, config)
    store.close()


def until(page: Any, script: str, timeout: float = 20) -> None:
    """Poll ``script`` in the page (``wait_for_function`` evaluates a string, which the pages' CSP forbids)."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(script):
        assert time.monotonic() < deadline, f"never true: {script}"
        time.sleep(0.05)


def test_the_host_screen_and_a_phone_run_a_party(live: Live) -> None:
    from playwright.sync_api import expect

    with chromium() as browser:
        host = browser.new_page()
        host.set_default_timeout(20_000)
        errors: list[str] = []
        host.on("pageerror", lambda e: errors.append(f"host: {e}"))
        # The theme, typed and entered.
        host.goto(live.url + "/host")
        host.fill("#theme", "loneliness")
        host.press("#theme", "Enter")
        host.wait_for_url("**/host/*")
        expect(host.locator("#artist-choices option[value='Gustav Klimt']")).to_have_count(1)
        session = host.url.rsplit("/", 1)[1]
        expect(host.locator("#theme")).to_have_text("loneliness")
        until(host, "document.getElementById('qr').naturalWidth > 0")
        # A first word, painted with Ctrl+Enter.
        host.fill("#text", "loneliness")
        host.press("#text", "Control+Enter")
        expect(host.locator("#tree .step.done")).to_have_count(1)
        until(host, "document.getElementById('big').naturalWidth > 0")
        # A phone joins, suggests a word and votes for the image.
        phone = browser.new_context().new_page()
        phone.set_default_timeout(20_000)
        phone.on("pageerror", lambda e: errors.append(f"phone: {e}"))
        phone.goto(f"{live.url}/p/{session}")
        name = phone.locator("#name").inner_text()
        phone.fill("#idea", "moonlight")
        phone.click("#suggest button")
        expect(phone.locator("#said")).to_contain_text("moonlight")
        phone.locator("button.vote").first.click()
        expect(phone.locator("button.vote").first).to_have_text("♥ 1")
        # The suggestion queues on the host screen; Alt+T takes it into the prompt, Ctrl+Enter paints it.
        expect(host.locator("#suggestions .suggestion")).to_have_text([f"word: moonlight — {name}"])
        host.locator("#big").click()  # leave the prompt field: the keys work anywhere
        host.keyboard.press("Alt+t")
        expect(host.locator("#text")).to_have_value("loneliness, moonlight")
        host.keyboard.press("Control+Enter")
        expect(host.locator("#tree .step.done")).to_have_count(2)
        # Branch from the first step: choose it, load it, paint something else.
        host.keyboard.press("ArrowUp")
        host.keyboard.press("Alt+l")
        host.fill("#text", "loneliness, a lighthouse")
        host.press("#text", "Control+Enter")
        expect(host.locator("#tree .step.done")).to_have_count(3)
        host.keyboard.press("Alt+b")
        expect(host.locator("#tree .step.best")).to_have_count(1)
        # A variation of the branch's image.
        host.keyboard.press("Alt+v")
        expect(host.locator("#tree .step.done")).to_have_count(4)
        expect(host.locator("#tree .step.selected")).to_contain_text("variation")
        assert errors == []
    steps: list[Any] = live.store.steps(session)
    assert [(s.number, s.parent_id) for s in steps] == [(1, None), (2, steps[0].id), (3, steps[0].id),
                                                        (4, steps[2].id)]  # fmt: skip
    assert steps[3].settings.kind == "variation" and steps[3].settings.source_step == steps[2].id
    assert steps[3].positive == steps[2].positive and steps[3].seed != steps[2].seed
    assert [(c.name, c.text) for c in steps[1].credits] == [(name, "moonlight")]
    assert steps[0].votes == 1 and steps[2].best
