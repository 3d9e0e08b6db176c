"""The same export uploaded again: the kiosk asks whether it replaces the earlier portrait or both stay;
replacing takes the earlier one off the wall and out of the store, keeping both goes on as usual; the
question belongs to the visit like the visitor's other pages."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from test_kiosk import POSTS, TOKEN, Kiosk

from installation.kiosk.app import create_app


@pytest.fixture
def kiosk(tmp_path: Path) -> Kiosk:
    return Kiosk(tmp_path, kiosk={"curator_token": TOKEN})


def painted(kiosk: Kiosk, content: bytes = POSTS, name: str = "posts.txt") -> str:
    job_id = kiosk.upload(content, name)
    kiosk.worker.run(once=True)
    return job_id


def answer(kiosk: Kiosk, job_id: str, choice: str) -> str:
    page = kiosk.client.get(f"/job/{job_id}/repeat")
    assert page.status_code == 200 and "You have uploaded this export before" in page.text
    assert page.headers["cache-control"] == "no-store"
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert csrf
    response = kiosk.client.post(f"/job/{job_id}/repeat", data={"csrf": csrf.group(1), "choice": choice},
                                 follow_redirects=False)
    assert response.status_code == 303
    return str(response.headers["location"])


def test_the_same_export_under_another_name_asks_before_anything_else(kiosk: Kiosk) -> None:
    first = painted(kiosk)
    response = kiosk.submit({"export": ("renamed.txt", POSTS)})
    location = response.headers["location"]  # type: ignore[attr-defined]
    second = location.split("/")[2]
    assert location == f"/job/{second}/repeat"
    job = kiosk.store.get(second)
    assert job is not None and job.content_hash == hashlib.sha256(POSTS).hexdigest()
    assert kiosk.store.get(first) is not None
    other = kiosk.submit({"export": ("other.txt", POSTS + b"\n\nA new post.")})
    assert not other.headers["location"].endswith("/repeat")  # type: ignore[attr-defined]


def test_replacing_takes_the_earlier_portrait_off_the_wall_and_out_of_the_store(kiosk: Kiosk) -> None:
    first = painted(kiosk)
    earlier = kiosk.store.get(first)
    assert earlier is not None and earlier.image_path is not None and earlier.image_path.is_file()
    assert [a.job_id for a in kiosk.store.wall_artworks()] == [first]
    second = kiosk.upload()
    assert answer(kiosk, second, "replace") == f"/job/{second}"
    assert kiosk.store.get(first) is None and not earlier.image_path.exists()
    kiosk.worker.run(once=True)
    assert [a.job_id for a in kiosk.store.wall_artworks()] == [second]
    # Nothing is left to ask about: the page goes on to the progress page.
    assert kiosk.client.get(f"/job/{second}/repeat", follow_redirects=False).headers["location"] == f"/job/{second}"


def test_keeping_both_goes_on_as_any_upload(kiosk: Kiosk) -> None:
    first = painted(kiosk)
    second = kiosk.upload()
    assert answer(kiosk, second, "keep") == f"/job/{second}"
    kiosk.worker.run(once=True)
    assert sorted(a.job_id for a in kiosk.store.wall_artworks()) == sorted([first, second])


def test_the_question_belongs_to_the_visit(kiosk: Kiosk) -> None:
    first = painted(kiosk)
    second = kiosk.upload()
    stranger = TestClient(create_app(kiosk.config, kiosk.store))
    assert stranger.get(f"/job/{second}/repeat", follow_redirects=False).headers["location"] == "/"
    refused = stranger.post(f"/job/{second}/repeat", data={"csrf": "x.y", "choice": "replace"},
                            follow_redirects=False)
    assert refused.status_code == 403
    token = re.search(r'name="csrf" value="([^"]+)"', stranger.get("/").text)
    assert token
    ignored = stranger.post(f"/job/{second}/repeat", data={"csrf": token.group(1), "choice": "replace"},
                            follow_redirects=False)
    assert (ignored.status_code, ignored.headers["location"]) == (303, "/")
    assert kiosk.store.get(first) is not None
