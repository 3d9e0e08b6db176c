"""The job store: states, leases, attempts, migrations, the wall's query, forgetting and scrubbing.

Every test runs against both implementations: the SQLite file and a PostgreSQL server the tests start
themselves (``tests/pg_server.py``; skipped, with the reason, where PostgreSQL's binaries are missing),
a fresh database for each test.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from pg_server import postgres_server

from extractors.describe.portrait import Keyword, LanguageInfo, Mood, PortraitStats, Theme, VerbalPortrait
from installation.compose.prompt import Prompt
from installation.errors import JobNotFoundError, StoreError
from installation.jobs.postgres_schema import MIGRATIONS as PG_MIGRATIONS
from installation.jobs.store import (
    MIGRATIONS,
    Claim,
    PostgresJobStore,
    SqliteJobStore,
    forget,
    new_job_id,
    normalise_code,
)
from installation.render.artwork import Artwork

AnyStore = SqliteJobStore | PostgresJobStore



class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@dataclass
class Backend:
    """One store implementation at one location: open stores on it, and look under it."""

    name: str
    open: Callable[..., AnyStore]  # (lease_seconds=, max_attempts=, clock=) -> a store on this location
    sql: Callable[[str], list[tuple[Any, ...]]]  # a query straight on the storage
    raw_bytes: Callable[[], bytes]  # everything the storage holds on disk, as bytes
    schema_version_sql: str  # sets the stored schema version to {version}


@pytest.fixture(scope="module")
def pg_url() -> Iterator[str]:
    with postgres_server() as url:
        yield url


def sqlite_backend(tmp_path: Path) -> Backend:
    path = tmp_path / "jobs.sqlite3"

    def sql(query: str) -> list[tuple[Any, ...]]:
        with sqlite3.connect(path) as conn:
            return list(conn.execute(query).fetchall())

    def open_(**kwargs: Any) -> AnyStore:
        return SqliteJobStore(path, **kwargs)

    return Backend("sqlite", open_, sql, path.read_bytes, "PRAGMA user_version = {version}")


def postgres_backend(server: str) -> Iterator[Backend]:
    import psycopg

    name = "t" + secrets.token_hex(6)
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    url = server.rsplit("/", 1)[0] + "/" + name
    opened: list[PostgresJobStore] = []

    def sql(query: str) -> list[tuple[Any, ...]]:
        with psycopg.connect(url, autocommit=True) as conn:
            cur = conn.execute(query.encode())
            return list(cur.fetchall()) if cur.description else []

    def raw_bytes() -> bytes:
        """The database's files after a checkpoint (the server's log of changes is not among them)."""
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("CHECKPOINT")
            folder = conn.execute("SHOW data_directory").fetchone()
            oid = conn.execute("SELECT oid FROM pg_database WHERE datname = current_database()").fetchone()
        assert folder is not None and oid is not None
        files = sorted((Path(folder[0]) / "base" / str(oid[0])).iterdir())
        return b"".join(f.read_bytes() for f in files if f.is_file())

    def open_(**kwargs: Any) -> AnyStore:
        store = PostgresJobStore(url, **kwargs)
        opened.append(store)
        return store

    yield Backend("postgres", open_, sql, raw_bytes, "UPDATE portrait_schema SET version = {version}")
    for store in opened:
        store.close()
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE {name} WITH (FORCE)")


@pytest.fixture(params=["sqlite", "postgres"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    if request.param == "sqlite":
        yield sqlite_backend(tmp_path)
    else:
        yield from postgres_backend(request.getfixturevalue("pg_url"))


@pytest.fixture
def store(backend: Backend, clock: Clock) -> AnyStore:
    return backend.open(lease_seconds=60, max_attempts=2, clock=clock)


def submit(store: AnyStore, tmp_path: Path, clock: Clock, nickname: str = "") -> str:
    clock.now += 1
    job_id = new_job_id()
    folder = tmp_path / job_id
    folder.mkdir()
    (folder / "export.txt").write_text("hello")
    store.submit(job_id, work_dir=folder, source="upload", export_path=folder / "export.txt", nickname=nickname)
    return job_id


PORTRAIT = VerbalPortrait(
    platform="plain",
    keywords=(Keyword("tea", 2.0, (0, 1), ("tea time", "more tea")), Keyword("rain", 1.0, (1,), ("rain again",))),
    mood=Mood(0.4, -0.2, (), "calm", ("grey",), ("soft light",)),
    themes=(Theme("food", 1.0, "keywords"),),
    language=LanguageInfo("en", 1.0, "blank:en"),
    stats=PortraitStats(2, datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 1, 2, tzinfo=UTC)),
)


def as_stored(data: dict[str, object]) -> object:
    """``data`` as it reads back from the store's JSON (tuples become lists)."""
    return json.loads(json.dumps(data))


def make_artwork(tmp_path: Path, job_id: str, *, flagged: bool = False) -> Artwork:
    image = tmp_path / f"{job_id}.png"
    image.write_bytes(b"png")
    image.with_suffix(".json").write_text("{}")
    prompt = Prompt("tea", "", "oil", seed=1, width=64, height=64, steps=1, guidance=0, keywords_used=("tea",),
                    keywords_dropped=(("rain", "over keyword limit"),))
    return Artwork(image, image.with_suffix(".json"), prompt, "fake", "fake-model", "none",
                   {"generate": 12.5, "total": 20.0}, flagged, False)


def finish(store: AnyStore, claim: Claim, tmp_path: Path, *, approve: bool = True,
           flagged: bool = False, hold_reason: str | None = None) -> Artwork:
    claim = store.advance(claim, "rendering", portrait=PORTRAIT.to_dict())
    artwork = make_artwork(tmp_path, claim.job.id, flagged=flagged)
    store.finish(claim, artwork, keywords=("tea",), themes=("food",), approve=approve,
                 evidence_until=store._clock() + 600, hold_reason=hold_reason)
    return artwork


def test_a_new_store_is_migrated_to_the_latest_schema(store: AnyStore, backend: Backend) -> None:
    if backend.name == "sqlite":
        assert store.schema_version() == len(MIGRATIONS)
        assert backend.sql("PRAGMA journal_mode") == [("wal",)]
    else:
        assert store.schema_version() == len(PG_MIGRATIONS)
        assert {r[0] for r in backend.sql("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")} == {
            "jobs", "artworks", "wall_state", "portrait_schema"}


def test_reopening_keeps_jobs_and_a_newer_schema_is_refused(store: AnyStore, backend: Backend, tmp_path: Path,
                                                             clock: Clock) -> None:
    job_id = submit(store, tmp_path, clock)
    assert backend.open().get(job_id) is not None
    backend.sql(backend.schema_version_sql.format(version=store.schema_version() + 1))
    with pytest.raises(StoreError, match="newer than this program knows"):
        backend.open()


def test_jobs_are_claimed_oldest_first_and_never_twice(store: AnyStore, tmp_path: Path,
                                                       clock: Clock) -> None:
    first, second = submit(store, tmp_path, clock), submit(store, tmp_path, clock)
    a, b = store.claim(), store.claim()
    assert a is not None and b is not None
    assert (a.job.id, b.job.id) == (first, second)
    assert store.claim() is None
    assert a.job.attempts == 1 and a.token != b.token


def test_an_expired_lease_hands_the_job_to_the_next_worker(store: AnyStore, tmp_path: Path,
                                                           clock: Clock) -> None:
    job_id = submit(store, tmp_path, clock)
    dead = store.claim()
    assert dead is not None
    dead = store.advance(dead, "extracted")
    clock.now += 61
    alive = store.claim()
    assert alive is not None and alive.job.id == job_id
    assert alive.job.state == "extracted" and alive.job.attempts == 2
    with pytest.raises(StoreError, match="lease was lost"):
        store.advance(dead, "described")
    finish(store, alive, tmp_path)
    assert store.get(job_id).state == "done"  # type: ignore[union-attr]


def test_after_max_attempts_the_job_fails_with_its_reason(store: AnyStore, tmp_path: Path,
                                                          clock: Clock) -> None:
    job_id = submit(store, tmp_path, clock)
    for _ in range(2):
        claim = store.claim()
        assert claim is not None and claim.job.id == job_id
        store.advance(claim, "extracted")
        clock.now += 61
    assert store.claim() is None
    job = store.get(job_id)
    assert job is not None and job.state == "failed"
    assert job.error == "gave up after 2 attempts: the worker stopped while the job was extracted"
    assert job.error_kind == "attempts"


def test_a_failure_keeps_its_kind_until_the_job_is_tried_again(store: AnyStore, tmp_path: Path,
                                                                clock: Clock) -> None:
    job_id = submit(store, tmp_path, clock)
    claim = store.claim()
    assert claim is not None
    with pytest.raises(StoreError, match="error kind must be one of"):
        store.fail(claim, "no such thing", "bored")  # type: ignore[arg-type]
    store.fail(claim, "export.zip: larger than 200 MB", "too_large")
    assert store.get(job_id).error_kind == "too_large"  # type: ignore[union-attr]
    assert store.retry(job_id).error_kind is None
    claim = store.claim()
    assert claim is not None
    store.fail(claim, "no kind given")
    assert store.get(job_id).error_kind is None  # type: ignore[union-attr]


def test_a_released_job_is_claimed_again_without_spending_an_attempt(store: AnyStore, tmp_path: Path,
                                                                     clock: Clock) -> None:
    submit(store, tmp_path, clock)
    claim = store.claim()
    assert claim is not None
    store.release(claim)
    again = store.claim()
    assert again is not None and again.job.attempts == 1


def test_fail_records_the_message_and_drops_the_portrait(store: AnyStore, tmp_path: Path,
                                                         clock: Clock) -> None:
    job_id = submit(store, tmp_path, clock)
    claim = store.claim()
    assert claim is not None
    claim = store.advance(claim, "described", portrait={"keywords": []})
    store.fail(claim, "export.zip: not an export")
    job = store.get(job_id)
    assert job is not None
    assert (job.state, job.error, job.portrait) == ("failed", "export.zip: not an export", None)


def test_advance_refuses_unknown_fields_and_final_states(store: AnyStore, tmp_path: Path,
                                                         clock: Clock) -> None:
    submit(store, tmp_path, clock)
    claim = store.claim()
    assert claim is not None
    with pytest.raises(StoreError, match="lease_token"):
        store.advance(claim, "extracted", lease_token="x")
    with pytest.raises(StoreError, match="'done'"):
        store.advance(claim, "done")


def test_wall_artworks_are_done_and_approved_oldest_first(store: AnyStore, tmp_path: Path,
                                                          clock: Clock) -> None:
    ids = [submit(store, tmp_path, clock, nickname=f"n{i}") for i in range(4)]
    for i in range(4):
        claim = store.claim()
        assert claim is not None
        finish(store, claim, tmp_path, flagged=(i == 2))
    store.review(ids[1], "hide")
    wall = store.wall_artworks()
    assert [a.job_id for a in wall] == [ids[0], ids[3]]
    assert [a.caption for a in wall] == ["n0", "n3"]
    assert wall[0].seq < wall[1].seq and wall[0].keywords == ("tea",) and wall[0].themes == ("food",)
    assert store.get(ids[2]).state == "held"  # type: ignore[union-attr]
    store.review(ids[2], "approve")
    store.review(ids[1], "approve")
    assert [a.job_id for a in store.wall_artworks()] == [ids[0], ids[1], ids[2], ids[3]]


def test_without_auto_approval_a_curator_approves_first(store: AnyStore, tmp_path: Path,
                                                        clock: Clock) -> None:
    job_id = submit(store, tmp_path, clock)
    claim = store.claim()
    assert claim is not None
    finish(store, claim, tmp_path, approve=False)
    assert store.wall_artworks() == []
    store.review(job_id, "approve")
    assert [a.job_id for a in store.wall_artworks()] == [job_id]


def test_only_finished_jobs_can_be_reviewed(store: AnyStore, tmp_path: Path, clock: Clock) -> None:
    job_id = submit(store, tmp_path, clock)
    with pytest.raises(StoreError, match="only finished artworks"):
        store.review(job_id, "approve")


def test_position_counts_the_jobs_ahead(store: AnyStore, tmp_path: Path, clock: Clock) -> None:
    ids = [submit(store, tmp_path, clock) for _ in range(3)]
    assert [store.position(i) for i in ids] == [1, 2, 3]
    claim = store.claim()
    assert claim is not None
    finish(store, claim, tmp_path)
    assert [store.position(i) for i in ids] == [0, 1, 2]


def test_evidence_is_scrubbed_on_leaving_and_when_its_time_is_up(store: AnyStore, backend: Backend, tmp_path: Path,
                                                                 clock: Clock) -> None:
    a, b = submit(store, tmp_path, clock), submit(store, tmp_path, clock)
    for _ in range(2):
        claim = store.claim()
        assert claim is not None
        finish(store, claim, tmp_path)
    store.scrub_evidence(a)
    assert store.get(a).portrait == as_stored(PORTRAIT.to_dict(evidence=False))  # type: ignore[union-attr]
    assert store.get(b).portrait == as_stored(PORTRAIT.to_dict())  # type: ignore[union-attr]
    assert store.scrub_expired() == 0
    clock.now += 601
    assert store.scrub_expired() == 1
    assert store.get(b).portrait["keywords"][0]["evidence"] == []  # type: ignore[index,union-attr]
    assert b"tea time" not in backend.raw_bytes()


def test_forget_removes_the_job_its_artwork_and_its_files(store: AnyStore, tmp_path: Path,
                                                          clock: Clock) -> None:
    job_id = submit(store, tmp_path, clock)
    claim = store.claim()
    assert claim is not None
    finish(store, claim, tmp_path)
    job = store.get(job_id)
    assert job is not None and job.image_path is not None
    removed = forget(store, job.display_code.lower())
    assert removed.id == job_id
    assert store.get(job_id) is None and store.wall_artworks() == []
    assert not job.image_path.exists() and not job.work_dir.exists()
    with pytest.raises(JobNotFoundError, match="no portrait has the code"):
        forget(store, job.code)


def test_codes_are_short_unambiguous_and_typed_any_way(store: AnyStore, tmp_path: Path,
                                                       clock: Clock) -> None:
    job = store.get(submit(store, tmp_path, clock))
    assert job is not None
    assert len(job.code) == 8 and not set(job.code) & set("01OIL")
    assert normalise_code(" " + job.display_code.lower() + " ") == job.code
    assert store.find_code(job.display_code) == job


def test_submit_refuses_a_bad_id_or_no_source(store: AnyStore, tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="32 hex digits"):
        store.submit("../etc", work_dir=tmp_path, source="upload", export_path=tmp_path / "x")
    with pytest.raises(StoreError, match="exactly one"):
        store.submit(new_job_id(), work_dir=tmp_path, source="upload")


def test_scrubbing_keeps_the_whole_portrait_but_its_evidence(store: AnyStore, backend: Backend, tmp_path: Path,
                                                              clock: Clock) -> None:
    job_id = submit(store, tmp_path, clock)
    claim = store.claim()
    assert claim is not None
    finish(store, claim, tmp_path)
    store.scrub_evidence(job_id)
    job = store.get(job_id)
    assert job is not None and job.portrait is not None
    scrubbed = VerbalPortrait.from_dict(job.portrait)
    assert [k.evidence for k in scrubbed.keywords] == [(), ()]
    assert scrubbed == VerbalPortrait.from_dict(PORTRAIT.to_dict(evidence=False))  # mood, stats, themes kept
    assert scrubbed.keywords[0].post_indices == (0, 1) and scrubbed.stats.first_post == PORTRAIT.stats.first_post
    assert b"rain again" not in backend.raw_bytes()


def test_a_portrait_that_does_not_read_back_is_dropped_by_the_scrub(store: AnyStore, backend: Backend, tmp_path: Path,
                                                                    clock: Clock) -> None:
    job_id = submit(store, tmp_path, clock)
    claim = store.claim()
    assert claim is not None
    # Not a VerbalPortrait: its snippet cannot be taken out by the serialiser, so nothing of it may stay.
    store.advance(claim, "described", portrait={"keywords": [{"phrase": "tea", "evidence": ["tea time"]}]})
    store.scrub_evidence(job_id)
    job = store.get(job_id)
    assert job is not None and job.portrait is None and job.evidence_until is None
    assert b"tea time" not in backend.raw_bytes()


def test_the_artwork_record_goes_whole_from_finish_to_the_wall(store: AnyStore, backend: Backend, tmp_path: Path,
                                                               clock: Clock) -> None:
    job_id = submit(store, tmp_path, clock, nickname="Ana")
    claim = store.claim()
    assert claim is not None
    artwork = finish(store, claim, tmp_path)
    job = store.get(job_id)
    assert job is not None and job.artwork == artwork
    assert (job.image_path, job.sidecar_path, job.style, job.flagged) == (
        artwork.image_path, artwork.metadata_path, "oil", False)
    [shown] = backend.open().wall_artworks()  # a fresh store: read back from the storage
    assert shown.artwork == artwork and shown.artwork.timings == {"generate": 12.5, "total": 20.0}
    assert (shown.job_id, shown.caption, shown.keywords, shown.themes) == (job_id, "Ana", ("tea",), ("food",))
    assert shown.image_path == artwork.image_path and shown.style == "oil"


def test_a_policy_hold_keeps_its_reason_until_a_curator_approves(store: AnyStore, tmp_path: Path,
                                                                 clock: Clock) -> None:
    job_id = submit(store, tmp_path, clock)
    claim = store.claim()
    assert claim is not None
    finish(store, claim, tmp_path, hold_reason="policy: 4 of 6 words are party names")
    job = store.get(job_id)
    assert job is not None and (job.state, job.approved) == ("held", False)
    assert job.hold_reason == "policy: 4 of 6 words are party names" and not job.flagged
    assert store.wall_artworks() == []
    store.review(job_id, "approve")
    assert [a.job_id for a in store.wall_artworks()] == [job_id]


def test_forget_leaves_no_artwork_record_behind(store: AnyStore, backend: Backend, tmp_path: Path,
                                                clock: Clock) -> None:
    job_id = submit(store, tmp_path, clock)
    claim = store.claim()
    assert claim is not None
    artwork = finish(store, claim, tmp_path, hold_reason="policy: held")
    forget(store, store.get(job_id).code)  # type: ignore[union-attr]
    assert backend.sql("SELECT COUNT(*) FROM artworks") == [(0,)]
    assert not artwork.image_path.exists() and not artwork.metadata_path.exists()
    stored = backend.raw_bytes()
    assert b"fake-model" not in stored and b"policy: held" not in stored


def test_a_version_1_store_is_migrated_with_its_artworks_whole(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    job_id = new_job_id()
    prompt = Prompt("sea", "", "ink", seed=3, width=64, height=64, steps=2, guidance=1.5)
    with sqlite3.connect(path) as conn:
        conn.executescript(MIGRATIONS[0] + "PRAGMA user_version = 1;")
        conn.execute(
            "INSERT INTO jobs (id, code, state, source, work_dir, nickname, prompt, created_at, updated_at, "
            "finished_at) VALUES (?, 'ABCDEFGH', 'done', 'upload', ?, 'Bo', ?, 1, 2, 3)",
            (job_id, str(tmp_path), json.dumps(prompt.to_dict())),
        )
        conn.execute(
            "INSERT INTO artworks (job_id, image_path, sidecar_path, style, keywords, themes, approved, flagged) "
            "VALUES (?, ?, NULL, 'ink', '[\"sea\"]', '[]', 1, 0)",
            (job_id, str(tmp_path / "old.png")),
        )
    store = SqliteJobStore(path)
    assert store.schema_version() == len(MIGRATIONS)
    [shown] = store.wall_artworks()
    assert shown.artwork.prompt == prompt and shown.caption == "Bo" and shown.keywords == ("sea",)
    assert shown.image_path == tmp_path / "old.png" and shown.artwork.metadata_path == tmp_path / "old.json"
    job = store.get(job_id)
    assert job is not None and job.hold_reason is None and not job.flagged


def test_old_failed_jobs_get_a_kind_only_where_the_store_wrote_the_wording(tmp_path: Path) -> None:
    path = tmp_path / "v2.sqlite3"
    gave_up, other = new_job_id(), new_job_id()
    with sqlite3.connect(path) as conn:
        conn.executescript(MIGRATIONS[0] + MIGRATIONS[1] + "PRAGMA user_version = 2;")
        for job_id, code, error in ((gave_up, "ABCDEFGH", "gave up after 3 attempts: the worker stopped while "
                                     "the job was rendering"), (other, "HGFEDCBA", "export.zip: not an export")):
            conn.execute("INSERT INTO jobs (id, code, state, source, work_dir, error, created_at, updated_at) "
                         "VALUES (?, ?, 'failed', 'upload', ?, ?, 1, 2)", (job_id, code, str(tmp_path), error))
    store = SqliteJobStore(path)
    assert store.schema_version() == len(MIGRATIONS)
    assert store.get(gave_up).error_kind == "attempts"  # type: ignore[union-attr]
    assert store.get(other).error_kind is None  # type: ignore[union-attr]


def test_a_fetched_handle_leaves_no_trace_in_the_storage(store: AnyStore, backend: Backend, tmp_path: Path) -> None:
    job_id = new_job_id()
    store.submit(job_id, work_dir=tmp_path, source="handle", handle="@lighthouse-keeper@example.social")
    claim = store.claim()
    assert claim is not None
    (tmp_path / "fetched.json").write_text("[]")
    claim = store.advance(claim, "submitted", export_path=tmp_path / "fetched.json", handle=None)
    assert claim.job.handle is None
    assert b"lighthouse-keeper" not in backend.raw_bytes()
