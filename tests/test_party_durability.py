"""A party step is never lost when a process is killed: real processes, killed with SIGKILL, then resumed.

1. The host screen's process records steps and is killed: every step it had acknowledged is in the store.
2. The party worker is killed while it paints: the next worker paints that step again, and the rest.
"""

from __future__ import annotations

import itertools
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from PIL import Image
from test_party import FakePainter, party_config

from installation.compose.prompt import Prompt
from installation.party.records import StepSettings
from installation.party.store import open_party_store
from installation.party.worker import PartyWorker

TESTS = Path(__file__).resolve().parent

PREAMBLE = f"""
import sys, time
sys.path.insert(0, {str(TESTS)!r})
from pathlib import Path
from fastapi.testclient import TestClient
from test_party import FakePainter, party_config
from installation.party.app import create_party_app
from installation.party.store import open_party_store
from installation.party.worker import PartyWorker
"""


def start(tmp_path: Path, body: str) -> subprocess.Popen[str]:
    script = tmp_path / "child.py"
    script.write_text(PREAMBLE + textwrap.dedent(body))
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "xdg-data")}
    return subprocess.Popen([sys.executable, str(script), str(tmp_path)], stdout=subprocess.PIPE, text=True, env=env)


def read_lines(child: subprocess.Popen[str], count: int, timeout: float = 60) -> list[str]:
    assert child.stdout is not None
    deadline = time.monotonic() + timeout
    lines: list[str] = []
    while len(lines) < count:
        assert time.monotonic() < deadline, f"the child said only {lines}"
        line = child.stdout.readline()
        assert line, f"the child ended early (exit {child.poll()}) after {lines}"
        lines.append(line.strip())
    return lines


def kill(child: subprocess.Popen[str]) -> None:
    os.kill(child.pid, signal.SIGKILL)
    assert child.wait(timeout=30) == -signal.SIGKILL


@pytest.fixture(autouse=True)
def _local_signing_keys(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))


def test_every_acknowledged_step_survives_a_killed_host(tmp_path: Path) -> None:
    child = start(tmp_path, """
        config = party_config(Path(sys.argv[1]))
        client = TestClient(create_party_app(config, open_party_store(config.party.store_path)),
                            client=("127.0.0.1", 1))
        session = client.post("/api/host/sessions", json={"theme": "loneliness"}).json()["id"]
        print(session, flush=True)
        parent = None
        n = 0
        while True:
            n += 1
            step = client.post(f"/api/host/{session}/steps", json={"text": f"loneliness {n}", "parent": parent,
                               "seed": n, "width": 64, "height": 64}).json()
            parent = step["id"]
            print(step["id"], step["prompt"], flush=True)
    """)
    session, *acknowledged = read_lines(child, 1 + 5)
    kill(child)
    store = open_party_store(party_config(tmp_path).party.store_path)
    recorded = {s.id: s for s in store.steps(session)}
    for line in acknowledged:
        step_id, prompt = line.split(" ", 1)
        step = recorded[int(step_id)]
        assert step.positive == prompt and step.state == "queued" and (step.width, step.height) == (64, 64)
    chain = [recorded[int(line.split()[0])] for line in acknowledged]
    assert all(b.parent_id == a.id for a, b in itertools.pairwise(chain))
    # Nothing half-written: every recorded step, acknowledged or not, reads back whole.
    assert all(s.settings.text.startswith("loneliness ") for s in recorded.values())
    store.close()


def test_a_worker_killed_while_painting_is_resumed_without_losing_a_step(tmp_path: Path) -> None:
    config = party_config(tmp_path, lease_seconds=1.0, poll_seconds=0.05)
    store = open_party_store(config.party.store_path)
    session = store.create_session("love").id
    for n in range(3):
        store.add_step(session, None, StepSettings(text=f"love {n}", seed=n), positive=f"love {n}", negative="",
                       size=(64, 64), steps=1, guidance=0.0, scheduler=None)  # fmt: skip
    child = start(tmp_path, """
        class Slow(FakePainter):
            def generate(self, prompt):
                if prompt.positive == "love 1":
                    print("painting", prompt.positive, flush=True)
                    time.sleep(600)
                return super().generate(prompt)

        config = party_config(Path(sys.argv[1]), lease_seconds=1.0, poll_seconds=0.05)
        PartyWorker(open_party_store(config.party.store_path), config, renderer=Slow()).run()
    """)
    assert read_lines(child, 1) == ["painting love 1"]
    kill(child)
    states = {s.positive: (s.state, s.attempts) for s in store.steps(session)}
    assert states == {"love 0": ("done", 1), "love 1": ("rendering", 1), "love 2": ("queued", 0)}
    # Resumed: the interrupted step waits out its lease, then is painted again with its own seed.
    time.sleep(1.1)
    painter = FakePainter()
    painted = PartyWorker(store, config, renderer=painter).drain()
    assert [(p.number, p.error, p.recorded) for p in painted] == [(2, None, True), (3, None, True)]
    steps = store.steps(session)
    assert [(s.state, s.attempts) for s in steps] == [("done", 1), ("done", 2), ("done", 1)]
    assert [p.seed for p in painter.painted] == [1, 2]
    assert all(s.image_path is not None and s.image_path.is_file() for s in steps)
    store.close()


def test_a_worker_that_lost_its_lease_does_not_record_the_step(tmp_path: Path) -> None:
    config = party_config(tmp_path, lease_seconds=0.05)
    store = open_party_store(config.party.store_path)
    session = store.create_session("rain").id

    store.add_step(session, None, StepSettings(text="rain"), positive="rain", negative="", size=(64, 64), steps=1,
                   guidance=0.0, scheduler=None)  # fmt: skip
    claimed = store.claim_step(0.05)
    assert claimed is not None
    time.sleep(0.1)
    second = store.claim_step(60)
    assert second is not None and second[0].id == claimed[0].id
    assert not store.fail_step(claimed[0].id, claimed[1], "too late")
    assert PartyWorker(store, config, renderer=FakePainter()).drain() == []  # the second worker still holds it
    assert store.step(claimed[0].id).state == "rendering"
    store.close()


def test_a_step_whose_workers_keep_dying_fails_and_the_next_is_painted(tmp_path: Path) -> None:
    config = party_config(tmp_path, lease_seconds=0.01)
    store = open_party_store(config.party.store_path)
    session = store.create_session("rain").id
    for text in ("a poison pill", "rain"):
        store.add_step(session, None, StepSettings(text=text), positive=text, negative="", size=(64, 64), steps=1,
                       guidance=0.0, scheduler=None)  # fmt: skip
    for _ in range(3):  # three workers claim the first step and die
        claimed = store.claim_step(0.01)
        assert claimed is not None and claimed[0].positive == "a poison pill"
        time.sleep(0.02)
    painted = PartyWorker(store, config, renderer=FakePainter()).drain()
    assert [(p.number, p.error) for p in painted] == [(2, None)]
    first = store.steps(session)[0]
    assert first.state == "failed" and first.error == "its worker stopped 3 times while painting it"
    store.close()


def test_a_slow_render_keeps_its_lease(tmp_path: Path) -> None:
    config = party_config(tmp_path, lease_seconds=0.3)
    store = open_party_store(config.party.store_path)
    session = store.create_session("rain").id
    store.add_step(session, None, StepSettings(text="rain"), positive="rain", negative="", size=(64, 64), steps=1,
                   guidance=0.0, scheduler=None)  # fmt: skip
    taken_over: list[object] = []

    class Slow(FakePainter):
        def generate(self, prompt: Prompt) -> Image.Image:
            for _ in range(5):  # 1 s, three leases long: another worker looks for work meanwhile
                time.sleep(0.2)
                taken_over.append(store.claim_step(60))
            return super().generate(prompt)

    (painted,) = PartyWorker(store, config, renderer=Slow()).drain()
    assert painted.recorded and painted.error is None
    assert taken_over == [None] * 5
    assert store.steps(session)[0].attempts == 1
    store.close()
