"""The progress page shows the live painting: the latest step the worker wrote, to this visit's browser only."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from fastapi.testclient import TestClient
from PIL import Image
from test_kiosk import Kiosk

from installation.jobs.live import LiveWriter, live_folder


def test_the_latest_painting_step_reaches_the_visitors_page_and_no_one_elses(tmp_path: Path) -> None:
    kiosk = Kiosk(tmp_path)
    job_id = kiosk.upload()
    assert kiosk.client.get(f"/job/{job_id}/status").json()["live"] is None  # not painting yet
    claim = kiosk.store.claim()
    assert claim is not None
    kiosk.store.advance(claim, "rendering")
    writer = LiveWriter(live_folder(kiosk.config), job_id)
    for step in (1, 2):
        writer(SimpleNamespace(image=Image.new("RGB", (8, 8), (step * 100, 0, 0)), step=step, total=4))  # type: ignore[arg-type]
    status = kiosk.client.get(f"/job/{job_id}/status", headers={"Accept-Language": "de"}).json()
    assert status["live"] == {"step": 2, "total": 4, "url": f"/job/{job_id}/live?step=2", "caption": "Schritt 2 von 4"}
    frame = kiosk.client.get(status["live"]["url"])
    assert frame.status_code == 200 and frame.headers["content-type"] == "image/png"
    assert frame.content == writer.image_path.read_bytes()
    assert 'id="live"' in kiosk.client.get(f"/job/{job_id}").text
    stranger = TestClient(kiosk.client.app)
    assert stranger.get(status["live"]["url"]).status_code == 404
    writer.remove()  # the render ended
    assert kiosk.client.get(status["live"]["url"]).status_code == 404
    assert kiosk.client.get(f"/job/{job_id}/status").json()["live"] is None
