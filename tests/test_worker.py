"""The worker's recipe, its failure handling and resumption, and public-handle fetching."""

from __future__ import annotations

import dataclasses
import json
import logging
from pathlib import Path
from typing import Any

import httpx
import pytest
from worker_fakes import FAKE_PIPELINE, config_for, fake_render

from extractors.describe.portrait import VerbalPortrait
from extractors.intake.handles import fetch_handle, parse_handle
from installation.compose.prompt import Prompt
from installation.config import Config, WorkerConfig
from installation.errors import IntakeError, RemoteFetchError
from installation.jobs.pipeline import Stages
from installation.jobs.store import Job, JobStore, SqliteJobStore, SqlJobStore, new_job_id
from installation.jobs.worker import PROFILE_FILE, Worker, open_configured_store
from installation.render.artwork import Artwork

POSTS = "Long walks along the harbour at dawn.\n\nBaking sourdough bread again, the harbour smells of salt.\n\n" \
        "Another harbour sunrise with strong coffee."


def queue_upload(config: Config, store: JobStore, text: str = POSTS, name: str = "export.txt",
                 nickname: str = "") -> Job:
    job_id = new_job_id()
    folder = config.kiosk.upload_dir / job_id
    folder.mkdir(parents=True)
    (folder / name).write_text(text, encoding="utf-8")
    return store.submit(job_id, work_dir=folder, source="upload", export_path=folder / name, nickname=nickname)


def make(tmp_path: Path, pipeline: Stages = FAKE_PIPELINE, **sections: dict[str, object]
         ) -> tuple[Config, SqlJobStore, Worker]:
    config = config_for(tmp_path, **sections)
    store = open_configured_store(config)
    return config, store, Worker(store, pipeline, config)


def test_a_job_runs_from_export_to_artwork_and_keeps_nothing_raw(tmp_path: Path) -> None:
    config, store, worker = make(tmp_path)
    job = queue_upload(config, store, nickname="Sea Bird")
    assert worker.run(once=True) == 1
    done = store.get(job.id)
    assert done is not None and done.state == "done" and done.error is None
    assert done.image_path is not None and done.image_path.is_file()
    assert done.image_path.parent == config.render.output_dir
    assert done.export_path is None and not job.work_dir.exists()
    assert "harbour" in done.keywords and done.style == "fake-style"
    assert done.portrait is not None and done.prompt is not None
    assert [a.caption for a in store.wall_artworks()] == ["Sea Bird"]


def test_the_raw_export_is_gone_before_describe_runs(tmp_path: Path) -> None:
    seen: list[bool] = []

    def describe(profile: object) -> VerbalPortrait:
        seen.append(export.exists())
        return FAKE_PIPELINE.describe(profile)  # type: ignore[arg-type]

    config, store, worker = make(tmp_path, dataclasses.replace(FAKE_PIPELINE, describe=describe))
    job = queue_upload(config, store)
    assert job.export_path is not None
    export = job.export_path
    worker.run(once=True)
    assert seen == [False]


def test_retention_after_render_keeps_the_export_until_the_artwork_is_made(tmp_path: Path) -> None:
    seen: list[bool] = []

    def render(prompt: Prompt, path: Path) -> Artwork:
        seen.append(export.exists())
        return fake_render(prompt, path)

    config, store, worker = make(tmp_path, dataclasses.replace(FAKE_PIPELINE, render=render),
                                 retention={"raw_export": "after_render"})
    job = queue_upload(config, store)
    assert job.export_path is not None
    export = job.export_path
    worker.run(once=True)
    assert seen == [True] and not export.exists()
    assert store.get(job.id).state == "done"  # type: ignore[union-attr]


def test_a_bad_export_fails_its_job_with_the_readers_message_and_the_worker_goes_on(tmp_path: Path) -> None:
    config, store, worker = make(tmp_path)
    bad = queue_upload(config, store, text="{not json", name="export.json")
    good = queue_upload(config, store)
    assert worker.run(once=True) == 2
    failed = store.get(bad.id)
    assert failed is not None and failed.state == "failed"
    assert failed.error is not None and "export.json" in failed.error
    assert failed.error_kind == "unreadable_export"
    assert not bad.work_dir.exists()
    assert store.get(good.id).state == "done"  # type: ignore[union-attr]


def test_an_unexpected_error_fails_the_job_and_its_text_stays_out_of_the_log(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    def describe(profile: object) -> VerbalPortrait:
        raise ValueError("secret post: Baking sourdough bread again")

    config, store, worker = make(tmp_path, dataclasses.replace(FAKE_PIPELINE, describe=describe))
    job = queue_upload(config, store)
    with caplog.at_level(logging.INFO, logger="portrait.worker"):
        worker.run(once=True)
    failed = store.get(job.id)
    assert failed is not None and failed.state == "failed"
    assert failed.error == "internal error in the worker (ValueError); the technician has the log"
    assert failed.error_kind == "internal"
    assert "ValueError" in caplog.text
    assert "sourdough" not in caplog.text and "harbour" not in caplog.text
    assert not (job.work_dir / PROFILE_FILE).exists()


def test_a_job_resumes_at_the_step_it_had_reached(tmp_path: Path) -> None:
    def must_not_run(*args: object) -> Any:
        raise AssertionError("this step was already done")

    config, store, _ = make(tmp_path, store={"lease_seconds": 0.05})
    job = queue_upload(config, store)
    claim = store.claim()
    assert claim is not None
    portrait = FAKE_PIPELINE.describe(FAKE_PIPELINE.read(claim.job.export_path, None))  # type: ignore[arg-type]
    store.advance(claim, "described", portrait=portrait.to_dict())  # ... and then the worker died
    import time

    time.sleep(0.1)
    resumed = Worker(store, dataclasses.replace(FAKE_PIPELINE, read=must_not_run, describe=must_not_run), config)
    resumed.run(once=True)
    done = store.get(job.id)
    assert done is not None and done.state == "done" and done.attempts == 2


def test_a_flagged_artwork_is_held_for_a_curator(tmp_path: Path) -> None:
    config, store, worker = make(tmp_path)
    job = queue_upload(config, store, text="flagme flagme flagme\n\nflagme again")
    worker.run(once=True)
    assert store.get(job.id).state == "held"  # type: ignore[union-attr]
    assert store.wall_artworks() == []


def test_a_job_forgotten_mid_render_leaves_no_files(tmp_path: Path) -> None:
    def render(prompt: Prompt, path: Path) -> Artwork:
        from installation.jobs.store import forget

        result = fake_render(prompt, path)
        forget(store, job.code)
        return result

    config, store, worker = make(tmp_path, dataclasses.replace(FAKE_PIPELINE, render=render))
    job = queue_upload(config, store)
    worker.run(once=True)
    assert store.get(job.id) is None
    assert list(config.render.output_dir.iterdir()) == []


# --- public handles --------------------------------------------------------------------------------

STATUS = {"id": "1", "content": "<p>Harbour walks at dawn with strong coffee</p>", "created_at":
          "2024-05-01T07:00:00.000Z", "language": "en", "account": {"id": "42"}, "reblog": None,
          "in_reply_to_id": None, "spoiler_text": ""}


def mastodon_api(requests: list[httpx.Request], pages: int = 3) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        if request.url.path == "/api/v1/accounts/lookup":
            if request.url.params["acct"] != "sea":
                return httpx.Response(404, json={"error": "Record not found"})
            return httpx.Response(200, json={"id": "42"})
        assert request.url.path == "/api/v1/accounts/42/statuses"
        page = int(request.url.params.get("max_id", "0"))
        statuses = [{**STATUS, "id": str(page * 10 + i)} for i in range(2)]
        link = f'<https://social.example/api/v1/accounts/42/statuses?max_id={page + 1}>; rel="next"'
        return httpx.Response(200, json=statuses, headers={"Link": link} if page + 1 < pages else {})

    return httpx.MockTransport(handler)


def test_handles_are_parsed_strictly() -> None:
    assert str(parse_handle(" @Sea@Social.Example ")) == "@sea@social.example"
    assert parse_handle("sea.bsky.social").platform == "bluesky"
    for bad in ("sea", "sea@127.0.0.1", "sea@localhost", "sea@host.example:8080", "../x@a.b", "a@b@c.de", ""):
        with pytest.raises(IntakeError, match="not a handle"):
            parse_handle(bad)


def test_a_mastodon_handle_is_fetched_page_by_page_up_to_the_cap(tmp_path: Path) -> None:
    requests: list[httpx.Request] = []
    path = fetch_handle(
        "@sea@social.example", tmp_path, WorkerConfig(handle_pages=2).fetch_limits(), mastodon_api(requests)
    )
    statuses = json.loads(path.read_text())
    assert path.name == "statuses.json" and len(statuses) == 4
    assert [r.url.params.get("max_id") for r in requests[1:]] == [None, "1"]
    assert all(r.url.host == "social.example" for r in requests)


def test_an_unknown_account_and_an_unreachable_server_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(RemoteFetchError, match=r"no such account on social\.example"):
        fetch_handle("nobody@social.example", tmp_path, WorkerConfig().fetch_limits(), mastodon_api([]))

    def down(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectTimeout("timed out", request=request)

    with pytest.raises(RemoteFetchError, match="did not answer in time"):
        fetch_handle("sea@social.example", tmp_path, WorkerConfig().fetch_limits(), httpx.MockTransport(down))


def test_a_fetch_larger_than_the_cap_is_refused(tmp_path: Path) -> None:
    with pytest.raises(RemoteFetchError, match="larger than the fetch limit"):
        fetch_handle(
            "sea@social.example", tmp_path, WorkerConfig(handle_max_mb=0.0001).fetch_limits(), mastodon_api([])
        )


def test_a_bluesky_feed_is_fetched_by_cursor(tmp_path: Path) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        assert request.url.params["actor"] == "sea.bsky.social"
        cursor = request.url.params.get("cursor")
        post = {"post": {"uri": "at://x/app.bsky.feed.post/1", "record": {"text": "hi", "createdAt": "2024"}}}
        return httpx.Response(200, json={"feed": [post], **({} if cursor else {"cursor": "c1"})})

    path = fetch_handle("@sea.bsky.social", tmp_path, WorkerConfig().fetch_limits(), httpx.MockTransport(handler))
    assert len(json.loads(path.read_text())["feed"]) == 2


def test_a_handle_job_is_fetched_read_and_painted(tmp_path: Path) -> None:
    def fetch(handle: str, folder: Path) -> Path:
        return fetch_handle(handle, folder, WorkerConfig().fetch_limits(), mastodon_api([]))

    config, store, worker = make(tmp_path, dataclasses.replace(FAKE_PIPELINE, fetch=fetch))
    job_id = new_job_id()
    folder = config.kiosk.upload_dir / job_id
    folder.mkdir(parents=True)
    store.submit(job_id, work_dir=folder, source="handle", handle="@sea@social.example")
    worker.run(once=True)
    done = store.get(job_id)
    assert done is not None
    assert done.state == "done", done.error
    assert done.handle is None and "harbour" in done.keywords


# --- the real stages ---------------------------------------------------------------------------------


def real_config(tmp_path: Path) -> Config:
    from installation.config import load_config

    shipped = load_config(Path(__file__).parent.parent / "config.toml", required=True)
    paths = config_for(tmp_path)
    return shipped.model_copy(update={
        "store": paths.store, "kiosk": paths.kiosk,
        "render": shipped.render.model_copy(update={"output_dir": paths.render.output_dir, "warm_up": False}),
    })


def test_the_whole_real_chain_with_the_tiny_model(tmp_path: Path) -> None:
    from installation.jobs.worker import real_pipeline

    config = real_config(tmp_path)
    store = open_configured_store(config)
    job = queue_upload(config, store, nickname="Harbour")
    Worker(store, real_pipeline(lambda: config, model="tiny"), config).run(once=True)
    done = store.get(job.id)
    assert done is not None
    assert done.state == "done", done.error
    assert done.portrait is not None and len(done.portrait["keywords"]) >= 1
    assert done.style in config.styles and done.prompt is not None
    assert "Harbour" not in done.prompt["positive"]  # the nickname is private: never in the prompt
    assert done.image_path is not None and done.image_path.read_bytes().startswith(b"\x89PNG")
    assert done.sidecar_path is not None and done.sidecar_path.exists()


def test_a_fetched_bluesky_feed_is_read_by_the_bluesky_reader(tmp_path: Path) -> None:
    from extractors import read_export

    sample = json.loads((Path(__file__).parent.parent / "sample_profiles" / "bluesky" / "api-feed.json").read_text())

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"feed": sample["feed"]})  # one page, no cursor

    path = fetch_handle("@someone.bsky.social", tmp_path, WorkerConfig().fetch_limits(), httpx.MockTransport(handler))
    profile = read_export(path)
    assert profile.platform == "bluesky" and profile.post_count > 0


def test_models_warm_up_before_the_first_job_and_a_missing_model_stops_the_worker(tmp_path: Path) -> None:
    from installation.errors import ModelNotAvailableError
    from installation.jobs.worker import run_worker

    config = config_for(tmp_path)
    store = open_configured_store(config)
    job = queue_upload(config, store)
    order: list[str] = []

    def warm_up() -> None:
        order.append("warm-up")

    def read(export: Path, nickname: str | None) -> Any:
        order.append("job")
        return FAKE_PIPELINE.read(export, nickname)

    assert run_worker(config, dataclasses.replace(FAKE_PIPELINE, read=read, warm_up=warm_up), once=True) == 1
    assert order == ["warm-up", "job"]

    def missing() -> None:
        raise ModelNotAvailableError("model 'x/y' is not here: portrait models pull x/y")

    second = queue_upload(config, store)
    with pytest.raises(ModelNotAvailableError, match="models pull"):
        run_worker(config, dataclasses.replace(FAKE_PIPELINE, warm_up=missing), once=True)
    left = store.get(second.id)
    assert left is not None and left.state == "submitted", "no visitor's job is spent on a worker that cannot paint"
    assert (store.get(job.id) or job).state == "done"


def test_a_render_longer_than_the_lease_keeps_its_job(tmp_path: Path) -> None:
    import threading
    import time

    config = config_for(tmp_path, store={"lease_seconds": 0.6})
    store = open_configured_store(config)
    job = queue_upload(config, store)
    stolen: list[object] = []
    rival = SqliteJobStore(config.store.path, lease_seconds=0.6)

    def slow_render(prompt: Prompt, path: Path) -> Artwork:
        time.sleep(1.5)  # two and a half leases: without renewal a second worker would take the job
        stolen.append(rival.claim())
        return fake_render(prompt, path)

    Worker(store, dataclasses.replace(FAKE_PIPELINE, render=slow_render), config).run(once=True)
    assert stolen == [None], "a second worker must not take over a job whose worker is still rendering"
    done = store.get(job.id)
    assert done is not None and done.state == "done" and done.attempts == 1
    assert not [t for t in threading.enumerate() if t.name.startswith("lease-")], "the heartbeat stops with the job"
