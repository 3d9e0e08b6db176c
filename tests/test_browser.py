"""The whole visit in a real headless Chromium: consent, upload, progress, portrait, leave, forget.

The worker behind the kiosk is the real one: read, describe, compose and render with the tiny model.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers_browser import BROWSER_MARKS, chromium, served, working
from worker_fakes import config_for

from installation.config import load_config
from installation.jobs.store import SqlJobStore
from installation.jobs.worker import Worker, open_configured_store, real_pipeline
from installation.kiosk.app import create_app

SAMPLES = sorted((Path(__file__).parent.parent / "sample_profiles" / "mastodon").glob("archive-*.tar.gz"))

pytestmark = BROWSER_MARKS


@dataclasses.dataclass
class Site:
    url: str
    store: SqlJobStore
    export: Path


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    paths = config_for(tmp_path, worker={"poll_seconds": 0.1})
    shipped = load_config(Path(__file__).parent.parent / "config.toml", required=True)
    config = shipped.model_copy(update={
        "store": paths.store, "kiosk": paths.kiosk, "worker": paths.worker,
        "render": shipped.render.model_copy(update={"output_dir": paths.render.output_dir, "warm_up": False}),
    })
    store = open_configured_store(config)
    worker = Worker(store, real_pipeline(lambda: config, model="tiny"), config)
    if SAMPLES:
        export = SAMPLES[0]
    else:
        export = tmp_path / "posts.txt"
        export.write_text("Night ferry across the bay.\n\nThe bay at night, lanterns on the water.")
    with served(create_app(config, store), "the kiosk") as url, working(worker):
        yield Site(url, store, export)


def test_a_visitor_goes_from_consent_to_portrait_and_forgets_it(site: Site) -> None:
    from playwright.sync_api import expect

    with chromium() as browser:
        page = browser.new_page()
        page.set_default_timeout(90_000)  # the first job loads spaCy, MiniLM and the tiny model
        # 1. Welcome: consent, then the export and a nickname
        page.goto(site.url + "/")
        expect(page.locator("#consent-text")).to_contain_text("deleted")
        page.check("#consent")
        page.set_input_files("#export", str(site.export))
        page.fill("#nickname", "Night Ferry")
        page.click("#start")
        # 2. Progress, drawn live by the page's script
        page.wait_for_url("**/job/*")
        code = page.locator("#code").inner_text()  # a shared screen shows it on this first page only
        expect(page.locator("#stages li")).to_have_count(6)
        # 3. The portrait and its card
        page.wait_for_url("**/result")
        page.wait_for_function("document.getElementById('portrait').naturalWidth > 0")
        expect(page.locator("h1")).to_contain_text("Night Ferry")
        assert page.locator("#keywords .keyword").count() >= 1
        expect(page.locator("#code-hidden")).to_be_visible()
        [job] = site.store.jobs()
        assert job.state == "done" and code == job.display_code
        assert job.portrait is not None
        expect(page.locator("#mood")).to_contain_text(job.portrait["mood"]["label"])
        # 4. Leaving scrubs the snippets
        page.click("#leave")
        expect(page.locator("#bye")).to_be_visible()
        page.go_back()  # Back on a shared screen: the welcome page, not the previous visitor's card
        page.wait_for_load_state()
        assert page.locator("#portrait").count() == 0 and page.locator("#consent").count() == 1
        assert code not in page.content()
        scrubbed = site.store.get(job.id)
        assert scrubbed is not None and scrubbed.portrait is not None
        assert all(not k["evidence"] for k in scrubbed.portrait["keywords"])
        # 5. Forgetting removes it all
        page.goto(site.url + "/forget")
        page.fill("#code-input", code.lower())
        page.click("#forget")
        expect(page.locator("#message")).to_contain_text("deleted")
        assert site.store.jobs() == []
        assert job.image_path is not None and not job.image_path.exists()
