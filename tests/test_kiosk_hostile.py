"""Hostile uploads through HTTP: each is refused with a clear message, the server stays up, and nothing
is written outside the kiosk's folder."""

from __future__ import annotations

import io
import os
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from worker_fakes import FAKE_PIPELINE, config_for

from installation.config import Config
from installation.jobs.store import SqlJobStore
from installation.jobs.worker import Worker, open_configured_store
from installation.kiosk.app import create_app

CAP_MB = 0.25


class Kiosk:
    def __init__(self, tmp_path: Path) -> None:
        self.root = tmp_path
        self.config: Config = config_for(tmp_path, kiosk={"max_upload_mb": CAP_MB, "submits_per_minute": 100})
        self.store: SqlJobStore = open_configured_store(self.config)
        self.client = TestClient(create_app(self.config, self.store))
        page = self.client.get("/")
        found = re.search(r'name="csrf" value="([^"]+)"', page.text)
        assert found
        self.token = found.group(1)

    def upload(self, name: str, content: bytes) -> tuple[int, str]:
        response = self.client.post("/submit", data={"csrf": self.token, "consent": "yes"},
                                    files={"export": (name, content)}, follow_redirects=False)
        return response.status_code, response.text

    def run_job(self, name: str, content: bytes) -> str:
        """Upload, let the worker try it, and return the job's error."""
        status, text = self.upload(name, content)
        assert status == 303, text
        Worker(self.store, FAKE_PIPELINE, self.config).run(once=True)
        [job] = self.store.jobs()
        assert job.state == "failed"
        status_json = self.client.get(f"/job/{job.id}/status").json()
        assert status_json["view"] == "failed" and status_json["failure"]["sentence"]
        assert job.error and job.error not in str(status_json)  # technical detail only for the curator
        assert not job.work_dir.exists()
        return job.error or ""

    def files(self) -> set[Path]:
        return {p for p in self.root.rglob("*") if p.is_file()}

    def alive(self) -> bool:
        return self.client.get("/").status_code == 200


@pytest.fixture
def kiosk(tmp_path: Path) -> Iterator[Kiosk]:
    k = Kiosk(tmp_path)
    yield k
    assert k.alive()
    uploads = k.config.kiosk.upload_dir
    var = k.root / "var"
    assert all(p.is_relative_to(var) for p in k.files()), k.files()
    assert all(len(p.relative_to(uploads).parts) == 2 for p in uploads.rglob("*") if p.is_file())


def zip_bytes(entries: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return buf.getvalue()


def test_an_oversize_upload_is_refused_with_413_and_leaves_nothing(kiosk: Kiosk) -> None:
    status, text = kiosk.upload("posts.txt", b"a" * int(CAP_MB * (1 << 20) * 2))
    assert status == 413 and "larger than this kiosk accepts" in text
    assert kiosk.store.jobs() == [] and list(kiosk.config.kiosk.upload_dir.iterdir()) == []


def test_an_oversize_stream_without_a_length_is_cut_off_while_streaming(kiosk: Kiosk) -> None:
    boundary = "hostileboundary"
    head = (f'--{boundary}\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n{kiosk.token}\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="export"; filename="posts.txt"\r\n'
            "Content-Type: text/plain\r\n\r\n").encode()
    sent = []

    def body() -> Iterator[bytes]:
        yield head
        for _ in range(64):  # 4 MB in all, far over the cap
            sent.append(1)
            yield b"b" * (64 << 10)

    response = kiosk.client.post("/submit", content=body(), follow_redirects=False,
                                 headers={"content-type": f"multipart/form-data; boundary={boundary}"})
    assert response.status_code == 413
    assert list(kiosk.config.kiosk.upload_dir.iterdir()) == []


def test_a_declared_length_over_the_cap_is_refused_before_reading(kiosk: Kiosk) -> None:
    response = kiosk.client.post("/submit", content=b"x", headers={
        "content-type": "multipart/form-data; boundary=b", "content-length": str(10 << 20)})
    assert response.status_code == 413


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("setup.exe", b"MZ\x90\x00" + bytes(100), "a Windows program"),
        ("posts.txt", b"\x7fELF\x02\x01\x01\x00\x00\x00" + bytes(600), "a program"),
        ("posts.zip", b"\x89PNG\r\n\x1a\n" + bytes(100), "a PNG picture"),
        ("tweets.js", b"<!DOCTYPE html><html><body>Your archive</body></html>", "web page"),
        ("posts.json", bytes(range(256)) * 4, "neither an archive nor text"),
    ],
)
def test_a_wrong_type_is_refused_with_415_before_anything_is_kept(
    kiosk: Kiosk, name: str, content: bytes, message: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level("INFO", logger="portrait.kiosk"):
        status, text = kiosk.upload(name, content)
    # The visitor reads one sentence in their language; intake's naming of the file goes to the log.
    assert status == 415 and "not a social-media export we can read" in text and message not in text
    assert message in caplog.text
    assert list(kiosk.config.kiosk.upload_dir.iterdir()) == []


@pytest.mark.parametrize(
    ("name", "content", "stored"),
    [
        ("posts.zip", b"this is text after all, renamed by a phone", "export.txt"),
        ("posts.tar.gz", b"PK\x03\x04 a zip under another name", "export.zip"),
        ("repo.car", b'{"orderedItems": []}', "export.json"),
        ("posts", b"no suffix and plain text", "export.txt"),
    ],
)
def test_an_upload_is_kept_under_the_name_its_content_gives_it(
    kiosk: Kiosk, name: str, content: bytes, stored: str
) -> None:
    status, text = kiosk.upload(name, content)
    assert status == 303, text
    [job] = kiosk.store.jobs()
    assert job.export_path is not None and job.export_path.name == stored


def test_a_zip_bomb_fails_its_job_with_a_clear_message(kiosk: Kiosk) -> None:
    bomb = zip_bytes({"data/tweets.js": bytes(30 << 20)})
    assert len(bomb) < CAP_MB * (1 << 20)
    assert "zip bomb" in kiosk.run_job("twitter.zip", bomb)


def test_a_zip_slip_fails_its_job_and_writes_nothing_outside(kiosk: Kiosk) -> None:
    slip = zip_bytes({"../../../../evil.txt": b"owned", "posts.txt": b"hello there"})
    assert "points outside the archive" in kiosk.run_job("posts.zip", slip)
    assert not any(p.name == "evil.txt" for p in kiosk.root.parent.rglob("evil.txt"))


def test_a_path_in_the_file_name_never_becomes_a_path(kiosk: Kiosk) -> None:
    status, _ = kiosk.upload("../../../../outside.txt", b"Sunny days by the sea.\n\nMore sea.")
    assert status == 303
    [job] = kiosk.store.jobs()
    assert job.export_path == job.work_dir / "export.txt"
    assert job.work_dir.parent == kiosk.config.kiosk.upload_dir


def test_a_malformed_or_foreign_body_is_refused(kiosk: Kiosk) -> None:
    broken = kiosk.client.post("/submit", content=b"--b\r\nnonsense", headers={
        "content-type": "multipart/form-data; boundary=b"})
    assert broken.status_code == 400 and "could not be read" in broken.text
    foreign = kiosk.client.post("/submit", json={"export": "x"})
    assert foreign.status_code == 415
    extra = kiosk.client.post("/submit", data={"csrf": kiosk.token, "consent": "yes", "path": "/etc"},
                              files={"export": ("a.txt", b"hi")})
    assert extra.status_code == 400
    assert list(kiosk.config.kiosk.upload_dir.iterdir()) == []


def test_uploaded_files_are_private_to_the_kiosk(kiosk: Kiosk) -> None:
    status, _ = kiosk.upload("posts.txt", b"Quiet evening.\n\nQuiet morning.")
    assert status == 303
    [job] = kiosk.store.jobs()
    assert job.export_path is not None
    assert os.stat(job.export_path).st_mode & 0o077 == 0
    assert os.stat(job.work_dir).st_mode & 0o077 == 0


def test_the_small_forms_refuse_big_or_unmeasured_bodies(kiosk: Kiosk) -> None:
    huge = kiosk.client.post("/forget", content=b"code=" + b"A" * (100 << 10),
                             headers={"content-type": "application/x-www-form-urlencoded"})
    assert huge.status_code == 413 and "larger than any form" in huge.text
    chunked = kiosk.client.post("/forget", content=iter([b"code=AAAA"]),
                                headers={"content-type": "application/x-www-form-urlencoded"})
    assert chunked.status_code == 411


def test_pages_forbid_framing_and_foreign_scripts(kiosk: Kiosk) -> None:
    headers = kiosk.client.get("/").headers
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert "script-src 'self'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"
