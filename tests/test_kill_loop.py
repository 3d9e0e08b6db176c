"""Crash injection, the way SQLite tests its commits: visitors upload over HTTP on loopback while the real
worker and the real kiosk are killed with SIGKILL at random, seeded points and started again:

- the kiosk while a visitor's body is still arriving (a client that trickles it);
- the worker mid-job (while it paints) and between render and record (the PNG and sidecar are on disk,
  the store does not know them yet).

Then: every accepted job ends done or failed exactly once, one artwork per done job and no artwork file
the store does not know, no upload, staging or unseen leftovers, no file but the store's quoting the
visitor's posts, and ``PRAGMA integrity_check`` ok. The suite runs a short round (a few kills);
``PORTRAIT_SLOW=1`` runs 50 kills.

Run as a script (``python tests/test_kill_loop.py CONFIG``) this is the worker the loop kills: the real
``Worker`` with the real pipeline (read, describe, compose, and the tiny model painting), whose render logs
a line when it starts painting and another when the files are written but not yet recorded, and pauses
there so a kill can land in that window.
"""

from __future__ import annotations

import logging
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO

import httpx
from helpers_processes import free_port, kiosk_answers, venue_config, wait_for, write_toml

from installation.compose.prompt import Prompt
from installation.config import Config
from installation.jobs.pipeline import PortraitPipeline, Stages
from installation.jobs.store import SqliteJobStore
from installation.render.artwork import Artwork

TESTS = Path(__file__).parent
SLOW = os.environ.get("PORTRAIT_SLOW") == "1"
KILLS = 50 if SLOW else 5
JOBS = 60 if SLOW else 8  # accepted uploads, beside the ones killed half-way
SEED = 15
PAUSE_SECONDS = 0.3  # how long the render waits, written but not recorded, for a kill to land
START_SECONDS = 120  # a worker (re)start loads torch and builds the tiny model: seconds on a loaded machine
GRACE_SECONDS = 5  # [kiosk] orphan_grace_seconds: a job whose visitor never got its page goes after this
LINE = "Lantern evening by the harbour"  # in every upload: no file but the store's may hold it at the end
PAINTING = "KILLPOINT painting"
RECORDING = "KILLPOINT painted, not yet recorded"


def write_config(tmp_path: Path, port: int) -> Path:
    var = tmp_path / "var"
    return write_toml(tmp_path / "config.toml", venue_config(
        store={"path": var / "jobs.sqlite3", "lease_seconds": 1.0, "max_attempts": 4},
        uploads=var / "uploads", artworks=var / "artworks", port=port, worker={"poll_seconds": 0.1},
        kiosk={"submits_per_minute": 6000, "orphan_grace_seconds": GRACE_SECONDS},
        render={"model": "tiny", "steps": 4},
        compose={"default_style": "oil"}, styles={"oil": {"template": "an oil portrait, {scene}"}},
    ))  # fmt: skip


@dataclass
class Process:
    """One of the two processes the loop kills, with its log (appended to across restarts)."""

    command: list[str]
    log: Path
    env: dict[str, str]
    process: subprocess.Popen[bytes] | None = None
    handles: list[IO[bytes]] = field(default_factory=list)
    starts: int = 0

    def start(self) -> None:
        out = self.log.open("ab")
        self.handles.append(out)
        self.process = subprocess.Popen(self.command, env=self.env, stdout=subprocess.DEVNULL, stderr=out)
        self.starts += 1

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)

    def count(self, marker: str) -> int:
        return self.log.read_text(errors="replace").count(marker) if self.log.exists() else 0

    def close(self) -> None:
        self.kill()
        for handle in self.handles:
            handle.close()


def multipart(csrf: str, text: str, boundary: str = "killloopboundary") -> tuple[bytes, str]:
    """The kiosk's form as one multipart body (built by hand, so a client can send it a piece at a time)."""
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n{csrf}\r\n',
        f'--{boundary}\r\nContent-Disposition: form-data; name="consent"\r\n\r\nyes\r\n',
        f'--{boundary}\r\nContent-Disposition: form-data; name="export"; filename="posts.txt"\r\n'
        f"Content-Type: text/plain\r\n\r\n{text}\r\n",
        f"--{boundary}--\r\n",
    ]
    return "".join(parts).encode(), f"multipart/form-data; boundary={boundary}"


def csrf_of(client: httpx.Client) -> str:
    token = re.search(r'name="csrf" value="([^"]+)"', client.get("/").text)
    assert token, "the kiosk's form has no csrf field"
    return token.group(1)


def upload(port: int, text: str, *, pieces: int = 1, pause: float = 0.0) -> str | None:
    """The job id the kiosk accepted (a 303 to its page), or None when the kiosk died under the upload."""
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
            body, kind = multipart(csrf_of(client), text)
            size = -(-len(body) // pieces)

            def trickle() -> Iterator[bytes]:
                for start in range(0, len(body), size):
                    yield body[start : start + size]
                    time.sleep(pause)

            response = client.post("/submit", content=trickle(), headers={"Content-Type": kind,
                                   "Content-Length": str(len(body))})  # fmt: skip
    except httpx.TransportError:
        return None
    assert response.status_code == 303, response.text[:300]
    return response.headers["location"].rsplit("/", 1)[1]


def slow_upload(port: int, text: str, result: list[str | None]) -> None:
    """An upload whose body takes about a second to arrive: the kiosk is killed under it."""
    result.append(upload(port, text, pieces=20, pause=0.05))


def export_text(n: int) -> str:
    # Long enough that a trickled upload spends a while in the kiosk's hands.
    return "\n\n".join(f"{LINE}, lantern number {n}.{k} glows over quiet water." for k in range(40))


def test_kill_the_worker_and_the_kiosk_at_random_points_and_lose_nothing(tmp_path: Path) -> None:
    port = free_port()
    config = write_config(tmp_path, port)
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "xdg-data"), "PYTHONUNBUFFERED": "1"}
    worker = Process([sys.executable, str(Path(__file__)), str(config)], tmp_path / "worker.log", env)
    kiosk = Process([sys.executable, "-m", "installation.cli", "kiosk", "--config", str(config)],
                    tmp_path / "kiosk.log", env)  # fmt: skip
    rng = random.Random(SEED)
    accepted: list[str] = []
    kills: Counter[str] = Counter()
    var = tmp_path / "var"

    def restart_kiosk() -> None:
        kiosk.kill()
        kiosk.start()
        wait_for(lambda: kiosk_answers(port), 60, "the kiosk to answer again")

    try:
        kiosk.start()
        worker.start()
        wait_for(lambda: kiosk_answers(port), 60, "the kiosk to answer")
        n = 0
        # Every kind of kill at least once (in a seeded order), then seeded random ones.
        points = ["upload", "mid-job", "recording"]
        rng.shuffle(points)
        while sum(kills.values()) < KILLS:
            point = points.pop() if points else rng.choice(("upload", "mid-job", "recording"))
            if point == "upload":
                # 1. The kiosk dies while a visitor's body is still arriving.
                result: list[str | None] = []
                uploading = threading.Thread(target=slow_upload, args=(port, export_text(n), result))
                uploading.start()
                time.sleep(rng.uniform(0.2, 0.7))
                kiosk.kill()
                uploading.join(timeout=30)
                if result and result[0] is not None:  # it was all through before the kill
                    accepted.append(result[0])
                kills["kiosk during upload"] += 1
                n += 1
                restart_kiosk()
                continue
            # 2. The worker dies while it paints, or after painting and before recording.
            marker = PAINTING if point == "mid-job" else RECORDING
            before = worker.count(marker)
            job = upload(port, export_text(n))
            assert job is not None, "the kiosk refused an upload while nobody killed it"
            accepted.append(job)
            n += 1
            try:
                reached = f"the worker to reach {marker!r}"
                wait_for(lambda m=marker, b=before: worker.count(m) > b, START_SECONDS, reached)  # type: ignore[misc]
            except AssertionError:
                points.append(point)  # the job failed before it got there: try this kind again
                continue
            time.sleep(rng.uniform(0, PAUSE_SECONDS * 0.8))
            worker.kill()
            kills[f"worker {point}"] += 1
            worker.start()
        # 3. The rest of the stream, with nobody killed.
        while len(accepted) < JOBS:
            job = upload(port, export_text(n))
            assert job is not None
            accepted.append(job)
            n += 1
        store = sqlite_store(var / "jobs.sqlite3")
        wait_for(lambda: all(j.state in ("done", "failed") for j in store.jobs(limit=1000)), 4 * START_SECONDS,
                 "every job to end done or failed")  # fmt: skip
        # 4. Past the grace time, a fresh kiosk sweeps what killed uploads and unanswered commits left.
        time.sleep(GRACE_SECONDS + 0.5)
        restart_kiosk()
    finally:
        worker.close()
        kiosk.close()

    # Every accepted job ended done or failed, exactly once; jobs nobody got a page for are gone.
    jobs = {j.id: j for j in store.jobs(limit=1000)}
    assert set(accepted) <= set(jobs), "an accepted job was lost"
    assert set(jobs) == set(accepted), f"jobs nobody holds a page of: {sorted(set(jobs) - set(accepted))}"
    assert {j.state for j in jobs.values()} <= {"done", "failed"}
    done = [j for j in jobs.values() if j.state == "done"]
    assert done, "no job was done"
    seqs = [j.seq for j in done]
    assert None not in seqs and len(set(seqs)) == len(done)
    assert sorted(a.job_id for a in store.wall_artworks()) == sorted(j.id for j in done)
    logs = worker.log.read_text(errors="replace")
    finished = Counter(re.findall(r"job ([0-9a-f]{32}): (?:done|held|hidden|pending) as artwork", logs))
    assert not finished or max(finished.values()) == 1, finished.most_common(3)
    # One artwork (PNG and sidecar) per done job, and no file the store does not know.
    files = sorted(p for p in var.rglob("*") if p.is_file() and not p.name.startswith("jobs.sqlite3"))
    known = {p for j in done for p in (j.image_path, j.sidecar_path)}
    assert set(files) == known, f"unknown files: {sorted(set(files) - known)}"
    # Nothing of the visitor outlives the job: no upload folder, no staging, nothing quoting the posts.
    assert not any((var / "uploads").iterdir())
    assert not any(LINE.encode() in p.read_bytes() for p in files)
    with sqlite3.connect(var / "jobs.sqlite3") as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert sum(kills.values()) == KILLS and kills["kiosk during upload"] >= 1, kills
    assert kills["worker mid-job"] >= 1 and kills["worker recording"] >= 1, kills
    print(f"kills: {dict(kills)}; jobs: {len(done)} done, {len(jobs) - len(done)} failed")


def sqlite_store(path: Path) -> SqliteJobStore:

    return SqliteJobStore(path, lease_seconds=1.0, max_attempts=4)


def _killable_stages(config: Config) -> Stages:
    """The real pipeline, with a render that says where it is so the loop can kill it there."""

    log = logging.getLogger("portrait.killloop")
    stages = PortraitPipeline(config).stages()

    def render(prompt: Prompt, image_path: Path) -> Artwork:
        log.info("%s %s", PAINTING, image_path.name)
        artwork = stages.render(prompt, image_path)
        log.info("%s %s", RECORDING, image_path.name)
        time.sleep(PAUSE_SECONDS)
        return artwork

    return replace(stages, render=render, render_live=None)


if __name__ == "__main__":
    from installation.config import load_config
    from installation.jobs.worker import run_worker

    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(asctime)s %(message)s")
    loaded = load_config(Path(sys.argv[1]), required=True)
    sys.exit(run_worker(loaded, _killable_stages(loaded)))
