"""What only the PostgreSQL store does: many workers claiming at once, migrations racing, LISTEN/NOTIFY
waking a worker and a wall at once, the wall's "nothing changed" check, and plain-words errors that never
show a password. (The behaviour both stores share is tested on both in ``test_store.py``.)"""

from __future__ import annotations

import secrets
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from pg_server import postgres_server
from worker_fakes import FAKE_PIPELINE, config_for, fake_artwork

from installation.compose.prompt import Prompt
from installation.config import load_config
from installation.errors import StoreError
from installation.jobs.postgres_schema import MIGRATIONS
from installation.jobs.store import Job, PostgresJobStore, new_job_id, safe_url
from installation.jobs.worker import Worker, open_configured_store


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with postgres_server() as url:
        yield url


@pytest.fixture
def url(server: str) -> Iterator[str]:
    """A fresh, empty database on the module's server."""
    name = "t" + secrets.token_hex(6)
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    yield server.rsplit("/", 1)[0] + "/" + name
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE {name} WITH (FORCE)")


def submit(store: PostgresJobStore, tmp_path: Path, text: str = "Lanterns over the harbour at dusk.") -> Job:
    job_id = new_job_id()
    folder = tmp_path / "uploads" / job_id
    folder.mkdir(parents=True)
    (folder / "export.txt").write_text(text)
    return store.submit(job_id, work_dir=folder, source="upload", export_path=folder / "export.txt")


def test_eight_workers_claiming_at_once_take_each_job_exactly_once(url: str, tmp_path: Path) -> None:
    ids = {submit(PostgresJobStore(url), tmp_path).id for _ in range(40)}
    claimed: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(8)

    def work() -> None:
        store = PostgresJobStore(url)
        start.wait()
        while (claim := store.claim()) is not None:
            with lock:
                claimed.append(claim.job.id)
            store.fail(claim, "done with it")  # ends the job: nobody may claim it again
        store.close()

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(claimed) == sorted(ids)  # every job, none twice
    assert PostgresJobStore(url).counts()["failed"] == 40


def test_processes_opening_a_new_database_at_once_migrate_it_once(url: str) -> None:
    errors: list[BaseException] = []
    start = threading.Barrier(6)

    def open_() -> None:
        start.wait()
        try:
            PostgresJobStore(url).close()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=open_) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT version FROM portrait_schema").fetchall() == [(len(MIGRATIONS),)]


def test_a_waiting_worker_hears_of_a_new_job_at_once(url: str, tmp_path: Path) -> None:
    worker, kiosk = PostgresJobStore(url), PostgresJobStore(url)
    assert worker.wait_for_change(5) is True  # listening has just begun: look once more
    started = time.monotonic()
    assert worker.wait_for_change(0.2) is False  # nothing happened
    assert 0.15 < time.monotonic() - started < 2
    threading.Timer(0.3, lambda: submit(kiosk, tmp_path)).start()
    started = time.monotonic()
    assert worker.wait_for_change(10) is True
    assert time.monotonic() - started < 1.5
    assert worker.claim() is not None


def test_the_wall_hears_of_a_new_portrait_and_answers_from_its_copy_while_nothing_changed(
    url: str, tmp_path: Path
) -> None:
    worker, wall = PostgresJobStore(url), PostgresJobStore(url)
    wall.wait_for_change(0)
    assert wall.wall_artworks() == []
    job = submit(worker, tmp_path)
    claim = worker.claim()
    assert claim is not None
    claim = worker.advance(claim, "rendering")
    wall.wait_for_change(0.1)  # the submission's word
    version = wall._wall_cache
    assert wall.wall_artworks() == [] and wall._wall_cache is version  # working states: the wall's copy holds
    prompt = Prompt("lanterns", "", "ink", seed=1, width=64, height=64, steps=1, guidance=0)
    image = tmp_path / f"{job.id}-1.png"
    threading.Timer(0.3, lambda: worker.finish(
        claim, fake_artwork(prompt, image, image.with_suffix(".json")), keywords=("lanterns",), themes=(),
        approve=True, evidence_until=time.time() + 60)).start()
    started = time.monotonic()
    assert wall.wait_for_change(10) is True
    [shown] = wall.wall_artworks()
    assert shown.job_id == job.id and time.monotonic() - started < 1.5


def test_an_idle_worker_starts_a_new_job_long_before_its_next_poll_and_stops_at_once(
    url: str, tmp_path: Path
) -> None:
    config = config_for(tmp_path, store={"url": url}, worker={"poll_seconds": 30})
    store = open_configured_store(config)
    assert isinstance(store, PostgresJobStore)
    worker = Worker(store, FAKE_PIPELINE, config)
    thread = threading.Thread(target=worker.run)
    thread.start()
    try:
        time.sleep(0.5)  # idle now, waiting on the store's word
        job = submit(PostgresJobStore(url), config.kiosk.upload_dir.parent, "Lanterns at the harbour tonight.")
        deadline = time.monotonic() + 5
        while (current := store.get(job.id)) is not None and current.state != "done":
            assert time.monotonic() < deadline, f"the job is still {current.state}"
            time.sleep(0.05)
    finally:
        stopping = time.monotonic()
        worker.stop.set()
        thread.join(timeout=5)
    assert not thread.is_alive() and time.monotonic() - stopping < 1


def test_an_unreachable_server_is_named_in_plain_words_without_its_password() -> None:
    with socket.socket() as s:  # a loopback port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    where = f"postgresql://portrait:s3cret-pw@127.0.0.1:{port}/queue"
    with pytest.raises(StoreError) as caught:
        PostgresJobStore(where, connect_timeout=2)
    message = str(caught.value)
    assert message == f"cannot reach the job store at postgresql://127.0.0.1:{port}/queue (connection refused)"
    assert "s3cret" not in message and safe_url(where) == f"postgresql://127.0.0.1:{port}/queue"


def test_a_config_url_of_another_kind_is_refused_without_showing_it(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[store]\nurl = "mysql://portrait:s3cret-pw@db/queue"\n')
    config = load_config(path, required=True)
    with pytest.raises(StoreError, match="url must start with postgresql:// but has 'mysql'") as caught:
        open_configured_store(config)
    assert "s3cret" not in str(caught.value)
