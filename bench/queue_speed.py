"""How fast does the job queue move, on SQLite and on PostgreSQL?

    python bench/queue_speed.py                        # both stores, 1/2/4/8 workers, 200 jobs; a throw-away server
    python bench/queue_speed.py --pg postgresql://...  # on a server of your own (a fresh, empty database!)
    python bench/queue_speed.py --workers 1,4 --jobs 100 --latency 20

1. Throughput: N worker processes, each with its own store, carry ``--jobs`` jobs through every write a real
   worker makes (claim, advance to extracted, drop the export, described with a portrait, composed with
   a prompt, rendering, finish) with a no-op renderer: jobs per second through the queue itself.
2. Claim latency: one idle worker, jobs submitted at random moments; the time from ``submit`` returning
   to the worker holding the claim, p50 and p95. Polling (``[worker] poll_seconds``, 1 s) against
   PostgreSQL's LISTEN/NOTIFY (``wait_for_change``).

The throw-away server is ``tests/pg_server.py``'s (fsync off, like a test server: a production server
with fsync on commits slower). The SQLite file lies in the system's temporary folder.
"""

from __future__ import annotations

import argparse
import multiprocessing
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from installation.compose.prompt import Prompt
from installation.jobs.store import JobStore, new_job_id, open_job_store
from installation.render.artwork import Artwork

ROOT = Path(__file__).resolve().parent.parent
PORTRAIT = {"keywords": [{"phrase": "lantern", "score": 1.0, "post_indices": [0], "evidence": ["a lantern"]}]}
PROMPT = Prompt("a portrait, lantern", "", "oil", seed=1, width=64, height=64, steps=1, guidance=0.0)


def submit(store: JobStore, folder: Path) -> str:
    job_id = new_job_id()
    store.submit(job_id, work_dir=folder, source="upload", export_path=folder / f"{job_id}.txt")
    return job_id


def carry(store: JobStore, folder: Path) -> bool:
    """One job through every write a worker makes, with no work in between; False when none was waiting."""
    store.scrub_expired()
    claim = store.claim()
    if claim is None:
        return False
    claim = store.advance(claim, "extracted")
    claim = store.advance(claim, "extracted", export_path=None)
    claim = store.advance(claim, "described", portrait=PORTRAIT)
    store.counts()
    claim = store.advance(claim, "composed", prompt=PROMPT.to_dict())
    claim = store.advance(claim, "rendering")
    image = folder / f"{claim.job.id}-{claim.job.attempts}.png"
    artwork = Artwork(image, image.with_suffix(".json"), PROMPT, "none", "no-op", "none", {}, False, True)
    store.finish(claim, artwork, keywords=("lantern",), themes=(), approve=True, evidence_until=time.time() + 600)
    return True


def _worker(location: str, folder: str, start: Any, counts: Any, index: int) -> None:
    store = open_job_store(location)
    start.wait()
    done = 0
    while carry(store, Path(folder)):
        done += 1
    counts[index] = done


def throughput(location: str, folder: Path, workers: int, jobs: int) -> float:
    """Jobs per second through the queue with ``workers`` processes, all jobs queued before they start."""
    store = open_job_store(location)
    for _ in range(jobs):
        submit(store, folder)
    context = multiprocessing.get_context("spawn")
    start = context.Barrier(workers + 1)
    counts = context.Array("i", workers)
    processes = [context.Process(target=_worker, args=(location, str(folder), start, counts, i))
                 for i in range(workers)]
    for p in processes:
        p.start()
    start.wait()
    began = time.perf_counter()
    for p in processes:
        p.join()
    seconds = time.perf_counter() - began
    carried = sum(int(n) for n in counts[:])
    if carried != jobs:
        raise RuntimeError(f"{carried} jobs carried of {jobs}: the queue lost or repeated some")
    return jobs / seconds


def latency(location: str, folder: Path, samples: int, *, notify: bool, poll_seconds: float) -> list[float]:
    """Seconds from submit to claim for ``samples`` jobs submitted at random moments to one idle worker."""
    import random

    worker, kiosk = open_job_store(location), open_job_store(location)
    submitted: dict[str, float] = {}
    claimed: dict[str, float] = {}
    stop = threading.Event()

    def work() -> None:
        while not stop.is_set():
            claim = worker.claim()
            if claim is not None:
                claimed[claim.job.id] = time.perf_counter()
                worker.fail(claim, "bench")
            elif notify:
                worker.wait_for_change(poll_seconds)
            else:
                stop.wait(poll_seconds)

    thread = threading.Thread(target=work)
    thread.start()
    rng = random.Random(18)
    try:
        time.sleep(0.3)
        for _ in range(samples):
            time.sleep(rng.uniform(0.05, poll_seconds * 1.3))
            job_id = submit(kiosk, folder)
            submitted[job_id] = time.perf_counter()
        deadline = time.monotonic() + poll_seconds * 3 + 5
        while len(claimed) < samples and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        stop.set()
        thread.join()
    return [claimed[j] - t for j, t in submitted.items() if j in claimed]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


@contextmanager
def postgres(url: str | None) -> Iterator[Callable[[], str]]:
    """A factory of fresh databases: on ``url``'s server, or on a throw-away one."""
    import secrets

    import psycopg

    @contextmanager
    def server() -> Iterator[str]:
        if url is not None:
            yield url
            return
        import importlib

        sys.path.insert(0, str(ROOT / "tests"))
        postgres_server = importlib.import_module("pg_server").postgres_server

        with postgres_server() as started:
            yield started

    with server() as base:
        def fresh() -> str:
            name = "bench_" + secrets.token_hex(4)
            with psycopg.connect(base, autocommit=True) as admin:
                admin.execute(f"CREATE DATABASE {name}")
            return base.rsplit("/", 1)[0] + "/" + name

        yield fresh


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pg", default=None, metavar="URL", help="a server of your own (default: a throw-away)")
    parser.add_argument("--workers", default="1,2,4,8", help="worker counts, comma-separated")
    parser.add_argument("--jobs", type=int, default=200)
    parser.add_argument("--latency", type=int, default=20, metavar="N", help="submissions timed for latency")
    parser.add_argument("--poll-seconds", type=float, default=1.0)
    args = parser.parse_args()
    counts = [int(n) for n in args.workers.split(",")]
    rows: list[tuple[str, str, str]] = []
    with tempfile.TemporaryDirectory(prefix="bench-queue-") as tmp, postgres(args.pg) as fresh_pg:
        folder = Path(tmp)

        def fresh_sqlite() -> str:
            return str(folder / f"{new_job_id()}.sqlite3")

        stores: list[tuple[str, Callable[[], str]]] = [("SQLite", fresh_sqlite), ("PostgreSQL", fresh_pg)]
        for name, fresh in stores:
            for n in counts:
                rate = throughput(fresh(), folder, n, args.jobs)
                rows.append((name, f"{n} worker(s)", f"{rate:.0f} jobs/s"))
                print(f"{name:<10} {n} worker(s): {rate:7.1f} jobs/s", flush=True)
        modes = [("SQLite", fresh_sqlite, False, "polling"), ("PostgreSQL", fresh_pg, False, "polling"),
                 ("PostgreSQL", fresh_pg, True, "LISTEN/NOTIFY")]
        for name, fresh, notify, mode in modes:
            waits = latency(fresh(), folder, args.latency, notify=notify, poll_seconds=args.poll_seconds)
            p50, p95 = percentile(waits, 0.5) * 1000, percentile(waits, 0.95) * 1000
            rows.append((name, f"claim latency, {mode}", f"p50 {p50:.0f} ms, p95 {p95:.0f} ms (n={len(waits)})"))
            print(f"{name:<10} claim latency ({mode}): p50 {p50:.1f} ms, p95 {p95:.1f} ms, n={len(waits)}", flush=True)
    print("\n| store | measure | result |\n|---|---|---|")
    for row in rows:
        print(f"| {' | '.join(row)} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
