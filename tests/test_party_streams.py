"""Neural generation streams: a theme's prompts painted only when nothing else waits, round after round
with new seeds, into a session of their own that the wall reads like any party's."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from test_party import FakePainter, party_config

from installation.party.idle import feed_idle_stream, stream_session_id
from installation.party.records import StepSettings
from installation.party.store import open_party_store
from installation.party.stream import party_stream
from installation.party.words import wall_words
from installation.party.worker import PartyWorker, stream_guard


@pytest.fixture(autouse=True)
def _local_signing_keys(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))


def test_a_stream_is_painted_only_when_nothing_else_waits(tmp_path: Path) -> None:
    config = party_config(tmp_path, idle_prompts=("a quiet harbour", "a naked tree", "a field of poppies"),
                          idle_stream="Quiet places", idle_max_images=4)  # fmt: skip
    store = open_party_store(config.party.store_path)
    words = wall_words(config)
    # A visitor's portrait waiting holds the stream back.
    assert feed_idle_stream(store, config, words, busy=lambda: True) is None
    # So does a party step.
    party = store.create_session("love").id
    store.add_step(party, None, StepSettings(text="love"), positive="love", negative="", size=(64, 64), steps=1,
                   guidance=0.0, scheduler=None)  # fmt: skip
    assert feed_idle_stream(store, config, words) is None
    worker = PartyWorker(store, config, renderer=FakePainter())
    worker.drain()
    # Idle: the prompts in turn (a blocked one is skipped), a new seed each time, up to the cap.
    fed = []
    while (step := feed_idle_stream(store, config, words)) is not None:
        fed.append((step.positive, step.seed))
        worker.drain()
    assert fed == [("a quiet harbour", 0), ("a field of poppies", 1), ("a quiet harbour", 2),
                   ("a field of poppies", 3)]  # fmt: skip
    session = stream_session_id("Quiet places")
    assert session == "stream-quiet-places" and store.session(session).theme == "Quiet places"
    slides = party_stream(store, words, session)
    assert [s.caption for s in slides] == [p for p, _ in fed] and all(s.image_path.is_file() for s in slides)
    store.close()


def test_a_stream_can_replay_a_partys_prompts(tmp_path: Path) -> None:
    config = party_config(tmp_path)
    store = open_party_store(config.party.store_path)
    party = store.create_session("loneliness").id
    for text in ("loneliness", "loneliness, an empty bench"):
        store.add_step(party, None, StepSettings(text=text), positive=text, negative="", size=(64, 64), steps=1,
                       guidance=0.0, scheduler=None)  # fmt: skip
    replay = config.model_copy(update={"party": config.party.model_copy(
        update={"idle_from": party, "idle_after_seconds": 0.01, "poll_seconds": 0.01, "idle_max_images": 3})})
    assert stream_guard(config)() is False  # no stream configured: the job store is not even opened
    worker = PartyWorker(store, replay, renderer=FakePainter())
    thread = threading.Thread(target=worker.run)
    thread.start()
    deadline = time.monotonic() + 20
    stream = stream_session_id(replay.party.idle_stream)
    while len([s for s in store.steps(party) + store.steps(stream) if s.state == "done"]) < 5:
        assert time.monotonic() < deadline, "the idle worker did not feed the stream"
        time.sleep(0.02)
    worker.stop.set()
    thread.join(timeout=10)
    assert [s.positive for s in store.steps(stream)] == ["loneliness", "loneliness, an empty bench", "loneliness"]
    assert [s.seed for s in store.steps(stream)] == [0, 1, 2]
    store.close()


def test_visitors_waiting_in_the_job_store_hold_the_stream(tmp_path: Path) -> None:
    from installation.jobs.store import open_store

    config = party_config(tmp_path, idle_prompts=("a quiet harbour",))
    config = config.model_copy(update={"store": config.store.model_copy(update={"path": tmp_path / "jobs.sqlite3"})})
    busy = stream_guard(config)
    assert busy() is False
    jobs = open_store(config.store.path)
    jobs.submit("a" * 32, work_dir=tmp_path / "job", source="handle", handle="@someone@example.social")
    assert busy() is True


def test_a_stream_waits_for_visitors_in_a_postgresql_queue_too(tmp_path: Path) -> None:
    """``[store] url`` names the queue of several machines: the party must read that one, not a SQLite file
    beside it that no kiosk writes to."""
    from pg_server import postgres_server

    from installation.jobs.store import PostgresJobStore

    with postgres_server() as url:
        config = party_config(tmp_path, idle_prompts=("a quiet harbour",))
        store = config.store.model_copy(update={"url": url, "path": tmp_path / "unused.sqlite3"})
        config = config.model_copy(update={"store": store})
        busy = stream_guard(config)
        assert busy() is False
        jobs = PostgresJobStore(url)
        jobs.submit("b" * 32, work_dir=tmp_path / "job", source="handle", handle="@someone@example.social")
        assert busy() is True
        assert not (tmp_path / "unused.sqlite3").exists()  # no SQLite store was opened on the side
