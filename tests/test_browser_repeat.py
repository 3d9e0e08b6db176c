"""The repeated-export question in a real headless Chromium: the same export twice, the question, and
"replace" taking the earlier job away (the kiosk and worker of ``test_browser``)."""

from __future__ import annotations

# ruff: noqa: F811 - the site fixture comes from test_browser and is named again as a parameter
from helpers_browser import chromium
from test_browser import Site, pytestmark, site  # noqa: F401


def test_the_same_export_twice_asks_and_replace_takes_the_earlier_one_away(site: Site) -> None:
    from playwright.sync_api import expect

    with chromium() as browser:
        page = browser.new_page()
        page.set_default_timeout(30_000)
        for _ in range(2):
            page.goto(site.url + "/")
            page.check("#consent")
            page.set_input_files("#export", str(site.export))
            page.click("#start")
            page.wait_for_url("**/job/**")
        # The second upload of the same bytes lands on the question, not the progress page.
        assert page.url.endswith("/repeat")
        expect(page.locator("#repeat-question")).to_contain_text("keep both")
        [newer, earlier] = site.store.jobs()
        assert newer.content_hash == earlier.content_hash is not None
        page.click("#replace")
        page.wait_for_url(f"**/job/{newer.id}")
        assert [j.id for j in site.store.jobs()] == [newer.id]
