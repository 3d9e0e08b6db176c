"""Accessibility in real Chromium: an axe-core audit of every visitor page in two languages, a whole visit
with the keyboard alone, and touch targets of at least 44x44 CSS px on a 390x844 phone.

axe-core comes from the npm registry: ``npm install --prefix build/axe axe-core@4`` (``.ci/run`` does it);
``PORTRAIT_AXE`` may name another ``axe.min.js``. Without it the audit skips, saying so.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from helpers_browser import BROWSER_MARKS, chromium, served
from PIL import Image
from worker_fakes import FAKE_PIPELINE, config_for

from installation.jobs.live import LiveWriter, live_folder
from installation.jobs.records import Claim
from installation.jobs.store import SqlJobStore
from installation.jobs.worker import Worker, open_configured_store
from installation.kiosk.app import create_app

AXE = Path(os.environ.get("PORTRAIT_AXE", Path(__file__).parent.parent / "build" / "axe" / "node_modules"
                          / "axe-core" / "axe.min.js"))
POSTS = "Morning swim in the fjord, cold and bright.\n\nThe fjord was silver tonight.\n\nKnitting by the fjord."
MIN_TARGET = 44  # CSS px, WCAG 2.5.5's size for a finger

pytestmark = BROWSER_MARKS


@dataclass
class Site:
    url: str
    store: SqlJobStore
    worker: Worker
    export: Path


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    config = config_for(tmp_path)
    store = open_configured_store(config)
    export = tmp_path / "posts.txt"
    export.write_text(POSTS, encoding="utf-8")
    # The worker runs only when a test says so, so that each state stays on screen long enough to audit.
    with served(create_app(config, store), "the kiosk") as url:
        yield Site(url, store, Worker(store, FAKE_PIPELINE, config), export)


def audit(page: Any, name: str) -> list[str]:
    """axe-core's serious and critical violations of the page, one line each."""
    page.add_script_tag(path=str(AXE))
    checked, found = page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ["violations"]});
        return [r.passes.length + r.violations.length, r.violations
            .filter(v => v.impact === "serious" || v.impact === "critical")
            .map(v => v.id + ": " + v.nodes.map(n => n.target.join(" ")).join(", "))];
    }""")
    assert checked > 10, f"{name}: axe-core ran only {checked} rules"  # it did audit the page
    return [f"{name}: {line}" for line in found]


def small_targets(page: Any, name: str) -> list[str]:
    """Every visible button, link and input smaller than MIN_TARGET in either direction."""
    found = page.evaluate("""(min) => Array.from(document.querySelectorAll("a, button, input, select, textarea"))
        .filter(e => e.type !== "hidden" && e.getClientRects().length > 0)
        .map(e => [e.id || e.name || e.textContent.trim().slice(0, 30), e.getBoundingClientRect()])
        .filter(([, r]) => r.width < min || r.height < min)
        .map(([what, r]) => what + " " + Math.round(r.width) + "x" + Math.round(r.height))""", MIN_TARGET)
    return [f"{name}: {line}" for line in found]


def paint_live(site: Site, page: Any) -> Claim:
    """The worker's part, by hand: the job is painting and its first step is in the live folder."""
    from playwright.sync_api import expect

    claim = site.store.claim()
    assert claim is not None
    claim = site.store.advance(claim, "rendering")
    writer = LiveWriter(live_folder(site.worker.config), claim.job.id)
    writer(SimpleNamespace(image=Image.new("RGB", (64, 64), (90, 40, 20)), step=2, total=5))  # type: ignore[arg-type]
    expect(page.locator("#live-image")).to_be_visible()
    page.wait_for_function("document.getElementById('live-image').naturalWidth === 64")
    return claim


def visit_every_page(site: Site, page: Any, lang: str, check: Any) -> list[str]:
    """Welcome, forget, message, progress (queued, then painting live), failed and result pages in ``lang``,
    each passed to ``check``."""
    from playwright.sync_api import expect

    problems: list[str] = []
    page.goto(f"{site.url}/?lang={lang}")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    problems += check(page, "welcome")
    page.goto(site.url + "/forget")
    problems += check(page, "forget")
    page.fill("#code-input", "NOPE-NOPE")
    page.click("#forget")
    expect(page.locator("#message")).to_be_visible()
    problems += check(page, "message")
    page.goto(site.url + "/")
    page.check("#consent")
    page.set_input_files("#export", str(site.export))
    page.click("#start")
    page.wait_for_url("**/job/*")
    expect(page.locator("#stages li.current")).to_have_count(1)
    problems += check(page, "progress")
    claim = paint_live(site, page)
    problems += check(page, "painting")
    site.store.fail(claim, "gave up after 3 attempts")
    expect(page.locator("#failure")).to_be_visible()  # the page's script reloads on the change of state
    problems += check(page, "failed")
    page.click("#retry")
    expect(page.locator("#stages")).to_be_visible()
    assert site.worker.work_one()
    page.wait_for_url("**/result")
    expect(page.locator("#card")).to_be_visible()
    problems += check(page, "result")
    expect(page.locator("html")).to_have_attribute("lang", lang)  # remembered by the cookie all along
    return problems


@pytest.mark.skipif(not AXE.is_file(), reason=f"needs axe-core from npm at {AXE} "
                    "(npm install --prefix build/axe axe-core@4, as .ci/run does)")
@pytest.mark.parametrize("lang", ["en", "de", "zh"])
def test_every_visitor_page_passes_an_axe_audit(site: Site, lang: str) -> None:
    with chromium() as browser:
        # The kiosk's CSP allows only its own scripts; the audit's script is the test's, not the page's.
        page = browser.new_context(bypass_csp=True).new_page()
        page.set_default_timeout(20_000)
        assert visit_every_page(site, page, lang, audit) == []


def test_every_target_is_large_enough_for_a_finger_on_a_phone(site: Site) -> None:
    with chromium() as browser:
        page = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True).new_page()
        page.set_default_timeout(20_000)
        assert visit_every_page(site, page, "ru", small_targets) == []


def tab_to(page: Any, selector: str, limit: int = 60) -> None:
    """Press Tab until ``selector`` has the focus, as a keyboard-only visitor would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement !== null && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} cannot be reached with Tab")


def test_a_whole_visit_with_the_keyboard_alone(site: Site) -> None:
    from playwright.sync_api import expect

    with chromium() as browser:
        page = browser.new_page()
        page.set_default_timeout(20_000)
        page.goto(site.url + "/")
        tab_to(page, 'a[lang="fr"]')  # the language switcher, then the visit in French
        page.keyboard.press("Enter")
        expect(page.locator("html")).to_have_attribute("lang", "fr")
        tab_to(page, "#consent")
        page.keyboard.press("Space")
        expect(page.locator("#consent")).to_be_checked()
        tab_to(page, "#export")
        page.set_input_files("#export", str(site.export))  # the file chooser itself is the system's
        tab_to(page, "#start")
        page.keyboard.press("Enter")
        page.wait_for_url("**/job/*")
        assert site.worker.work_one()
        page.wait_for_url("**/result")
        expect(page.locator("#style")).to_contain_text("Style")
        tab_to(page, "#leave")
        page.keyboard.press("Space")
        expect(page.locator("#bye")).to_contain_text("Merci")
