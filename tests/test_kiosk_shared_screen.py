"""Shared-screen mode: a visitor's pages belong to the browser that uploaded, and end with the visit."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from test_kiosk import Kiosk

from installation.kiosk.app import create_app
from installation.kiosk.state import Kiosk as KioskState
from installation.kiosk.visit import VISIT_COOKIE

IDLE = 60


def shared(tmp_path: Path, screens: list[str]) -> Kiosk:
    return Kiosk(tmp_path, kiosk={"shared_screens": screens, "visit_idle_seconds": IDLE})


def state(kiosk: Kiosk) -> KioskState:
    found: KioskState = kiosk.client.app.state.kiosk  # type: ignore[attr-defined]
    return found


def finished(kiosk: Kiosk) -> str:
    job_id = kiosk.upload()
    kiosk.client.get(f"/job/{job_id}")  # the first page: the code is shown here
    assert kiosk.worker.work_one()
    return job_id


@pytest.fixture
def screen(tmp_path: Path) -> Kiosk:
    return shared(tmp_path, ["testclient"])


def test_another_browser_with_the_address_sees_the_welcome_page_not_the_portrait(screen: Kiosk) -> None:
    job_id = finished(screen)
    assert screen.client.get(f"/job/{job_id}/result").status_code == 200
    stranger = TestClient(create_app(screen.config, screen.store))
    for path in (f"/job/{job_id}", f"/job/{job_id}/result"):
        response = stranger.get(path, follow_redirects=False)
        assert (response.status_code, response.headers["location"]) == (303, "/")
    assert stranger.get(f"/job/{job_id}/image").status_code == 404
    assert stranger.get(f"/job/{job_id}/status").json()["state"] == "gone"
    # A cookie signed for another job opens nothing either.
    other = finished(screen)
    stranger.cookies.set(VISIT_COOKIE, screen.client.cookies[VISIT_COOKIE])
    assert stranger.get(f"/job/{job_id}/result", follow_redirects=False).status_code == 303
    assert stranger.get(f"/job/{other}/result").status_code == 200


def test_visitor_pages_and_their_redirects_are_never_cached(screen: Kiosk) -> None:
    job_id = screen.upload()
    for path in (f"/job/{job_id}", f"/job/{job_id}/status", "/"):
        assert screen.client.get(path, follow_redirects=False).headers["cache-control"] == "no-store", path
    assert screen.worker.work_one()
    for path in (f"/job/{job_id}", f"/job/{job_id}/result", f"/job/{job_id}/image"):
        assert screen.client.get(path, follow_redirects=False).headers["cache-control"] == "no-store", path


def test_the_forget_me_code_is_shown_once_on_a_shared_screen(screen: Kiosk) -> None:
    job_id = screen.upload()
    job = screen.store.get(job_id)
    assert job is not None
    first = screen.client.get(f"/job/{job_id}").text
    assert job.display_code in first and "only once" in first
    again = screen.client.get(f"/job/{job_id}").text
    assert job.display_code not in again and 'id="code-hidden"' in again
    assert screen.worker.work_one()
    result = screen.client.get(f"/job/{job_id}/result").text
    assert job.display_code not in result and job.code not in result


def test_im_done_ends_the_visit_and_back_shows_the_welcome_page(screen: Kiosk) -> None:
    job_id = finished(screen)
    page = screen.client.get(f"/job/{job_id}/result")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert csrf
    left = screen.client.post(f"/job/{job_id}/leave", data={"csrf": csrf.group(1)}, follow_redirects=False)
    assert left.headers["location"] == "/?bye=1"
    assert VISIT_COOKIE not in screen.client.cookies
    for path in (f"/job/{job_id}", f"/job/{job_id}/result"):  # what Back asks for
        back = screen.client.get(path)
        assert back.url.path == "/" and "Let the machine paint you" in back.text
    assert screen.client.get(f"/job/{job_id}/image").status_code == 404


def test_an_idle_shared_screen_ends_the_visit_and_its_page_leaves_by_itself(screen: Kiosk) -> None:
    job_id = finished(screen)
    page = screen.client.get(f"/job/{job_id}/result")
    assert f'data-idle-seconds="{IDLE}"' in page.text and 'id="leave-form"' in page.text
    visits = state(screen).visits
    now = visits.clock()
    visits.clock = lambda: now + IDLE + 1
    assert screen.client.get(f"/job/{job_id}/result").url.path == "/"
    assert screen.client.get(f"/job/{job_id}/image").status_code == 404


def test_a_visitor_waiting_in_line_is_not_idle(screen: Kiosk) -> None:
    job_id = screen.upload()
    screen.client.get(f"/job/{job_id}")
    visits = state(screen).visits
    now = visits.clock()
    visits.clock = lambda: now + IDLE * 10
    assert screen.client.get(f"/job/{job_id}").url.path == f"/job/{job_id}"


def test_on_a_phone_the_pages_stay_the_visitors_own(tmp_path: Path) -> None:
    phone = shared(tmp_path, ["127.0.0.1"])  # the test client is not the kiosk's screen
    job_id = finished(phone)
    job = phone.store.get(job_id)
    assert job is not None
    page = phone.client.get(f"/job/{job_id}/result")
    assert job.display_code in page.text and "data-idle-seconds" not in page.text
    visits = state(phone).visits
    now = visits.clock()
    visits.clock = lambda: now + IDLE * 10
    assert phone.client.get(f"/job/{job_id}/result").status_code == 200
    visits.clock = lambda: now + 25 * 3600
    assert phone.client.get(f"/job/{job_id}/result").url.path == "/"
    stranger = TestClient(create_app(phone.config, phone.store))
    assert stranger.get(f"/job/{job_id}/result").url.path == "/"


def test_kiosk_processes_sharing_a_visit_key_file_honour_each_others_visits(tmp_path: Path) -> None:
    kiosk = Kiosk(tmp_path, kiosk={"visit_key_file": str(tmp_path / "visit-key")})
    job_id = finished(kiosk)
    other = TestClient(create_app(kiosk.config, kiosk.store))  # a second process, or the same restarted
    other.cookies.set(VISIT_COOKIE, kiosk.client.cookies[VISIT_COOKIE])
    assert other.get(f"/job/{job_id}/result").status_code == 200
    assert (tmp_path / "visit-key").stat().st_mode & 0o077 == 0
