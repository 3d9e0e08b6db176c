"""Privacy: after a visit no file and no record holds post text or the raw export; forget removes all."""

from __future__ import annotations

import logging
import re
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from worker_fakes import FAKE_PIPELINE, config_for

from installation.cli import main
from installation.config import Config
from installation.jobs.store import SqlJobStore
from installation.jobs.worker import Worker, open_configured_store
from installation.kiosk.app import create_app

SENTENCES = (
    "The lighthouse keeper whistled a tune nobody remembered.",
    "Grandmother's lighthouse recipe needs three lemons and patience.",
    "Walking past the lighthouse at midnight felt like a secret.",
)
EXPORT = "\n\n".join(SENTENCES).encode()


def leaks(root: Path) -> list[str]:
    """Every file under ``root`` that holds a post sentence, a snippet of one, or the export's bytes."""
    needles = [s.encode() for s in SENTENCES] + [s[:40].encode() for s in SENTENCES] + [EXPORT]
    found = []
    for path in root.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            found += [f"{path.name}: {n[:30]!r}" for n in needles if n in data]
    return found


class Visit:
    def __init__(self, tmp_path: Path, **sections: dict[str, object]) -> None:
        self.root = tmp_path
        self.config: Config = config_for(tmp_path, **sections)
        self.store: SqlJobStore = open_configured_store(self.config)
        self.client = TestClient(create_app(self.config, self.store))
        self.worker = Worker(self.store, FAKE_PIPELINE, self.config)

    def csrf(self, path: str = "/") -> str:
        found = re.search(r'name="csrf" value="([^"]+)"', self.client.get(path).text)
        assert found
        return found.group(1)

    def upload(self, content: bytes = EXPORT, name: str = "posts.txt") -> str:
        response = self.client.post("/submit", data={"csrf": self.csrf(), "consent": "yes", "nickname": "Keeper"},
                                    files={"export": (name, content)}, follow_redirects=False)
        assert response.status_code == 303, response.text
        return str(response.headers["location"]).rsplit("/", 1)[1]


def test_after_a_visit_nothing_holds_post_text_or_the_export(tmp_path: Path,
                                                              caplog: pytest.LogCaptureFixture) -> None:
    visit = Visit(tmp_path)
    with caplog.at_level(logging.DEBUG):
        job_id = visit.upload()
        visit.worker.run(once=True)
        result = visit.client.get(f"/job/{job_id}/result").text
        assert SENTENCES[0][:40] in result  # the snippets are there while the visitor reads the card
        assert leaks(tmp_path / "var")  # ... and so in the store, until the visitor leaves
        visit.client.post(f"/job/{job_id}/leave", data={"csrf": visit.csrf()})
    assert leaks(tmp_path / "var") == []
    assert not any(s[:30] in caplog.text for s in SENTENCES)
    job = visit.store.get(job_id)
    assert job is not None and job.state == "done" and "lighthouse" in job.keywords  # the portrait stays


def test_snippets_are_scrubbed_when_their_time_is_up_even_if_the_visitor_never_leaves(tmp_path: Path) -> None:
    visit = Visit(tmp_path, retention={"evidence_minutes": 0.001})
    visit.upload()
    visit.worker.run(once=True)
    time.sleep(0.1)
    visit.worker.run(once=True)  # the worker's loop scrubs what has expired
    assert leaks(tmp_path / "var") == []


def test_a_failed_job_keeps_nothing_of_the_export(tmp_path: Path) -> None:
    visit = Visit(tmp_path)
    content = b"id,body\n" + b"\n".join(f'{i},"{s}"'.encode() for i, s in enumerate(SENTENCES))
    visit.upload(content, "posts.csv")
    visit.worker.run(once=True)
    assert [j.state for j in visit.store.jobs()] == ["failed"]
    assert leaks(tmp_path / "var") == [] and b"id,body" not in visit.config.store.path.read_bytes()


def test_forget_removes_the_job_the_portrait_the_artwork_and_every_file(tmp_path: Path) -> None:
    visit = Visit(tmp_path)
    job_id = visit.upload()
    visit.worker.run(once=True)
    job = visit.store.get(job_id)
    assert job is not None and job.image_path is not None and job.image_path.exists()
    response = visit.client.post("/forget", data={"csrf": visit.csrf("/forget"), "code": job.display_code})
    assert response.status_code == 200
    assert visit.store.get(job_id) is None and visit.store.wall_artworks() == []
    files = [p for p in (tmp_path / "var").rglob("*") if p.is_file()]
    assert all(p.name.startswith("jobs.sqlite3") for p in files), files
    store_bytes = b"".join(p.read_bytes() for p in files)
    assert job_id.encode() not in store_bytes and b"lighthouse" not in store_bytes and b"Keeper" not in store_bytes


def test_portrait_forget_on_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    visit = Visit(tmp_path)
    job_id = visit.upload()
    visit.worker.run(once=True)
    job = visit.store.get(job_id)
    assert job is not None
    config = tmp_path / "config.toml"
    config.write_text(
        f'[store]\npath = "{visit.config.store.path}"\n[kiosk]\nupload_dir = "{visit.config.kiosk.upload_dir}"\n'
    )
    assert main(["forget", "--config", str(config), job.display_code]) == 0
    assert job_id in capsys.readouterr().out
    assert visit.store.get(job_id) is None and job.image_path is not None and not job.image_path.exists()
    assert main(["forget", "--config", str(config), job.display_code]) == 2
    assert "no portrait has the code" in capsys.readouterr().err
