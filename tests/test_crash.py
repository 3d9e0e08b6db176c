"""Crashes: a worker killed with SIGKILL mid-job loses nothing and finishes nothing twice; ``portrait
serve`` restarts a dead process and stops everything on one Ctrl-C."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

from helpers_processes import free_port, kiosk_answers, venue_config, wait_for, write_toml

from installation.jobs.store import SqliteJobStore, new_job_id

TESTS = Path(__file__).parent
JOBS = 4


def write_config(tmp_path: Path, port: int = 8000) -> Path:
    var = tmp_path / "var"
    return write_toml(tmp_path / "config.toml", venue_config(
        store={"path": var / "jobs.sqlite3", "lease_seconds": 1.5, "max_attempts": 5},
        uploads=var / "uploads", artworks=var / "artworks", port=port, worker={"poll_seconds": 0.1},
    ))  # fmt: skip


def start_worker(config: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PORTRAIT_FAKE_RENDER_SECONDS": "0.5"}
    return subprocess.Popen([sys.executable, str(TESTS / "worker_fakes.py"), str(config)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def test_a_worker_killed_mid_job_loses_no_job_and_finishes_none_twice(tmp_path: Path) -> None:
    config = write_config(tmp_path)
    store = SqliteJobStore(tmp_path / "var" / "jobs.sqlite3", lease_seconds=1.5, max_attempts=5)
    ids = []
    for i in range(JOBS):
        job_id = new_job_id()
        folder = tmp_path / "var" / "uploads" / job_id
        folder.mkdir(parents=True)
        (folder / "export.txt").write_text(f"Lantern number {i} glows.\n\nAnother lantern evening {i}.")
        store.submit(job_id, work_dir=folder, source="upload", export_path=folder / "export.txt")
        ids.append(job_id)

    def rendering() -> bool:
        return any(j.state == "rendering" for j in store.jobs())

    worker = start_worker(config)
    try:
        wait_for(rendering, 30, "a job to start rendering")
        killed = [j.id for j in store.jobs() if j.state == "rendering"]
    finally:
        worker.send_signal(signal.SIGKILL)  # in the middle of a render
        worker.wait()

    worker = start_worker(config)
    try:
        wait_for(lambda: all(j.state == "done" for j in store.jobs()), 60, "every job to finish")
    finally:
        worker.terminate()
        assert worker.wait(timeout=10) == 0

    jobs = {j.id: j for j in store.jobs()}
    assert set(jobs) == set(ids)
    seqs = [j.seq for j in jobs.values() if j.seq is not None]
    assert len(seqs) == len(set(seqs)) == JOBS
    assert len(store.wall_artworks()) == JOBS
    assert len(killed) == 1 and jobs[killed[0]].attempts == 2
    # Exactly one image (and sidecar) per job: a killed attempt left no file behind.
    pngs = {p for p in (tmp_path / "var" / "artworks").glob("*.png")}
    assert pngs == {j.image_path for j in jobs.values()}
    assert not any((tmp_path / "var" / "uploads").iterdir())


def test_serve_restarts_a_dead_process_and_stops_everything_on_ctrl_c(tmp_path: Path) -> None:
    port = free_port()
    config = write_config(tmp_path, port)
    serve = subprocess.Popen([sys.executable, "-m", "installation.cli", "serve", "--no-wall", "--config",
                              str(config)], stderr=subprocess.PIPE, text=True)
    lines: list[str] = []

    def read() -> None:
        assert serve.stderr is not None
        lines.extend(iter(serve.stderr.readline, ""))

    reader = threading.Thread(target=read, daemon=True)
    reader.start()

    def pids(name: str) -> list[int]:
        return [int(line.rsplit("pid ", 1)[1].rstrip(")\n")) for line in list(lines)
                if f"portrait.serve INFO {name}: started (pid" in line]

    try:
        wait_for(lambda: kiosk_answers(port), 30, "the kiosk to answer")
        [worker] = pids("worker")
        os.kill(worker, signal.SIGKILL)
        wait_for(lambda: len(pids("worker")) == 2, 15, "the worker to be restarted")
        assert any("worker: exited with code -9" in line for line in lines)
        serve.send_signal(signal.SIGINT)
        assert serve.wait(timeout=20) == 0
    finally:
        if serve.poll() is None:
            serve.kill()
    assert not kiosk_answers(port)
    for pid in [*pids("kiosk"), *pids("worker")]:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            continue
        raise AssertionError(f"child {pid} still runs after serve stopped")


def test_a_closed_store_holds_no_connection_open_and_reopens_when_used(tmp_path: Path) -> None:
    # A process that stops cleanly (the wall on Esc, a test) closes the store's kept connections.
    path = tmp_path / "var" / "jobs.sqlite3"
    store = SqliteJobStore(path, lease_seconds=1.5)

    def open_files() -> list[str]:
        found = []
        for fd in os.listdir("/proc/self/fd"):
            try:
                link = os.readlink(f"/proc/self/fd/{fd}")
            except OSError:  # the listing's own descriptor, closed by now
                continue
            if link.startswith(str(path)):
                found.append(link)
        return found

    assert store.wall_artworks() == [] and not store.wait_for_change(0.0)  # the wall's and this thread's
    assert open_files(), "the wall and the waiting thread each keep a connection"
    store.close()
    assert open_files() == []
    store.close()  # twice is harmless
    assert store.wall_artworks() == [] and store.schema_version() > 0  # and it opens again when used
    store.close()
