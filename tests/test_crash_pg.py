"""Crashes on PostgreSQL: three render "machines" (worker processes, each with its own data folder) and
two kiosk processes share one queue on loopback; workers are killed with SIGKILL at random and started
again. Every job is done exactly once, none is lost, none is painted twice (one artwork file per job),
and the wall's store hears of each new portrait within a second.

The uploads and artworks folders are the shared mount the README's "Several machines" asks for. The
default suite runs a short round; ``PORTRAIT_SLOW=1`` runs a longer one with more kills.
"""

from __future__ import annotations

import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import httpx
import pytest
from helpers_processes import free_port, kiosk_answers, venue_config, wait_for, write_toml
from pg_server import postgres_server

from installation.jobs.store import PostgresJobStore

TESTS = Path(__file__).parent
SLOW = os.environ.get("PORTRAIT_SLOW") == "1"
JOBS = 30
WORKERS = 3
KIOSKS = 2
KILLS = 12 if SLOW else 3  # at most; each while that worker is rendering
RENDER_SECONDS = "0.6" if SLOW else "0.25"
DEADLINE_SECONDS = 240 if SLOW else 45


def write_config(folder: Path, url: str, shared: Path, port: int = 8000) -> Path:
    """One machine's config: its own data folder, the shared queue and the shared mount."""
    folder.mkdir(parents=True)
    return write_toml(folder / "config.toml", venue_config(
        store={"url": url, "path": folder / "unused.sqlite3", "lease_seconds": 1.5, "max_attempts": 8},
        uploads=shared / "uploads", artworks=shared / "artworks", port=port,
        worker={"poll_seconds": 5}, kiosk={"submits_per_minute": 600},
    ))  # fmt: skip


@dataclass
class Machine:
    config: Path
    log: Path
    process: subprocess.Popen[bytes] | None = None
    handles: list[IO[bytes]] = field(default_factory=list)

    def start(self, *command: str, env: dict[str, str] | None = None) -> None:
        out = self.log.open("ab")
        self.handles.append(out)
        self.process = subprocess.Popen([sys.executable, *command, str(self.config)], env=env,
                                        stdout=subprocess.DEVNULL, stderr=out, cwd=self.config.parent)

    def holds(self, job_id: str, attempt: int) -> bool:
        """Whether this machine's worker claimed ``attempt`` of the job (its log says so)."""
        claimed = rf"job {job_id}: claimed in state \w+ \(attempt {attempt}\)"
        return re.search(claimed, self.log.read_text(errors="replace")) is not None

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        for handle in self.handles:
            handle.close()


def upload(client: httpx.Client, text: str) -> str:
    page = client.get("/")
    token = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert token, page.text[:500]
    response = client.post("/submit", data={"csrf": token.group(1), "consent": "yes"},
                           files={"export": ("posts.txt", text.encode())}, follow_redirects=False)
    assert response.status_code == 303, response.text[:500]
    return response.headers["location"].rsplit("/", 1)[1]


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    with postgres_server() as server:
        yield server


def test_three_workers_killed_at_random_and_two_kiosks_do_every_job_exactly_once(url: str, tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    store = PostgresJobStore(url, lease_seconds=1.5, max_attempts=8)  # migrates before anyone else starts
    env = {**os.environ, "PORTRAIT_FAKE_RENDER_SECONDS": RENDER_SECONDS}
    workers = [Machine(write_config(tmp_path / f"render-{i}", url, shared), tmp_path / f"render-{i}.log")
               for i in range(WORKERS)]
    ports = [free_port() for _ in range(KIOSKS)]
    kiosks = [Machine(write_config(tmp_path / f"kiosk-{i}", url, shared, port), tmp_path / f"kiosk-{i}.log")
              for i, port in enumerate(ports)]
    wall = PostgresJobStore(url)
    wall.wait_for_change(0)  # the wall listens from here on
    heard: list[float] = []  # when the wall heard of a change, by its clock
    stop_wall = threading.Event()

    def watch() -> None:
        while not stop_wall.is_set():
            if wall.wait_for_change(0.2):
                heard.append(time.time())

    watcher = threading.Thread(target=watch, daemon=True)
    ids: list[str] = []
    rng = random.Random(18)
    kills = 0
    killed: list[str] = []  # jobs whose worker was killed while it rendered them
    try:
        for kiosk in kiosks:
            kiosk.start("-m", "installation.cli", "kiosk", "--config")
        for worker in workers:
            worker.start(str(TESTS / "worker_fakes.py"), env=env)
        watcher.start()
        clients = [httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) for port in ports]
        for port in ports:
            wait_for(lambda p=port: kiosk_answers(p), 30, "the kiosks to answer")  # type: ignore[misc]
        # 1. Two kiosks take 30 uploads while the workers run.
        for n in range(JOBS):
            ids.append(upload(clients[n % KIOSKS], f"Lantern number {n} glows.\n\nAnother lantern evening {n}."))
        # 2. Kill a worker while it renders, at random, and start it again, until every job is done.
        deadline = time.monotonic() + DEADLINE_SECONDS
        while (done := store.counts()["done"]) < JOBS:
            assert time.monotonic() < deadline, f"only {done} of {JOBS} jobs done: {store.counts()}"
            rendering = [j for j in store.jobs(("rendering",)) if j.attempts < 6]
            if kills < KILLS and rendering and rng.random() < 0.3:
                job = rng.choice(rendering)
                victim = next((w for w in workers if w.holds(job.id, job.attempts)), None)
                if victim is not None and victim.process is not None:
                    victim.process.send_signal(signal.SIGKILL)  # in the middle of its render
                    victim.process.wait(timeout=10)
                    killed.append(job.id)
                    kills += 1
                    victim.start(str(TESTS / "worker_fakes.py"), env=env)
            time.sleep(rng.uniform(0.1, 0.4))
        for client in clients:
            client.close()
    finally:
        stop_wall.set()
        for machine in [*workers, *kiosks]:
            machine.stop()
    watcher.join(timeout=5)

    # Every job done, exactly once: one record each, one artwork number each, all on the wall.
    jobs = {j.id: j for j in store.jobs(limit=1000)}
    assert set(jobs) == set(ids) and len(ids) == JOBS
    assert {j.state for j in jobs.values()} == {"done"}
    seqs = [j.seq for j in jobs.values()]
    assert len(set(seqs)) == JOBS
    assert sorted(a.job_id for a in store.wall_artworks()) == sorted(ids)
    assert kills >= 1 and all(jobs[k].attempts >= 2 for k in killed)
    # Nothing painted twice: no job rendered in two attempts, one artwork file per job, no upload left.
    logs = "".join(w.log.read_text(errors="replace") for w in workers)
    rendered = Counter(re.findall(r"job ([0-9a-f]{32}): rendered in", logs))
    assert max(rendered.values()) == 1, rendered.most_common(3)
    pngs = sorted((shared / "artworks").glob("*.png"))
    assert {p for p in pngs} == {j.image_path for j in jobs.values()} and len(pngs) == JOBS
    assert not any((shared / "uploads").iterdir())
    # The wall heard of the portraits as they were finished, each within a second.
    finished = sorted(j.finished_at for j in jobs.values() if j.finished_at is not None)
    assert all(any(0 <= t - f < 1.0 for t in heard) for f in finished)
