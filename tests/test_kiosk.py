"""The kiosk's routes through FastAPI's test client: welcome, submit, progress, result, forget, curator."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from worker_fakes import FAKE_PIPELINE, config_for, fake_compose

from extractors.describe.portrait import VerbalPortrait
from installation.compose.prompt import Prompt
from installation.config import Config
from installation.jobs.store import SqlJobStore
from installation.jobs.worker import Worker, open_configured_store
from installation.kiosk.app import create_app
from installation.kiosk.outcomes import FAILURES

POSTS = b"Morning swim in the fjord, cold and bright.\n\nThe fjord was silver tonight.\n\nKnitting by the fjord."
TOKEN = "curator-token-123"


class Kiosk:
    def __init__(self, tmp_path: Path, **sections: dict[str, object]) -> None:
        self.config: Config = config_for(tmp_path, **sections)
        self.store: SqlJobStore = open_configured_store(self.config)
        self.client = TestClient(create_app(self.config, self.store))
        self.worker = Worker(self.store, FAKE_PIPELINE, self.config)

    def csrf(self, path: str = "/") -> str:
        page = self.client.get(path)
        found = re.search(r'name="csrf" value="([^"]+)"', page.text)
        assert found, page.text
        return found.group(1)

    def submit(self, files: dict[str, tuple[str, bytes]] | None = None, **fields: str) -> object:
        data = {"csrf": self.csrf(), "consent": "yes", **fields}
        return self.client.post("/submit", data=data, files=files, follow_redirects=False)

    def upload(self, content: bytes = POSTS, name: str = "posts.txt", **fields: str) -> str:
        response = self.submit({"export": (name, content)}, **fields)
        assert response.status_code == 303, response.text  # type: ignore[attr-defined]
        location: str = response.headers["location"]  # type: ignore[attr-defined]
        assert re.fullmatch(r"/job/[0-9a-f]{32}(/repeat)?", location)  # /repeat: the same export again
        return location.split("/")[2]


@pytest.fixture
def kiosk(tmp_path: Path) -> Kiosk:
    return Kiosk(tmp_path, kiosk={"curator_token": TOKEN, "public_url": "http://kiosk.example/"})


def test_welcome_shows_consent_a_form_and_a_qr_code_of_the_kiosk_url(kiosk: Kiosk) -> None:
    page = kiosk.client.get("/")
    assert page.status_code == 200
    assert kiosk.config.kiosk.consent_text in page.text
    assert 'type="checkbox" name="consent"' in page.text and "<svg" in page.text
    assert "http://kiosk.example/" in page.text
    assert "portrait_csrf" in page.headers["set-cookie"] and "samesite=strict" in page.headers["set-cookie"].lower()


def test_a_visit_from_upload_to_result_to_forgetting(kiosk: Kiosk) -> None:
    job_id = kiosk.upload(nickname="  Fjord   Swimmer ")
    progress = kiosk.client.get(f"/job/{job_id}")
    assert progress.status_code == 200 and "Waiting in line" in progress.text and "You are next" in progress.text
    status = kiosk.client.get(f"/job/{job_id}/status").json()
    assert status["state"] == "submitted" and status["position"] == 1 and status["result"] is None

    kiosk.worker.run(once=True)
    status = kiosk.client.get(f"/job/{job_id}/status").json()
    assert status["state"] == "done" and status["result"] == f"/job/{job_id}/result"
    assert kiosk.client.get(f"/job/{job_id}", follow_redirects=False).status_code == 303

    result = kiosk.client.get(f"/job/{job_id}/result")
    job = kiosk.store.get(job_id)
    assert job is not None and job.nickname == "Fjord Swimmer"
    assert "fjord" in result.text and "The fjord was silver tonight." in result.text  # keyword + snippet
    assert "serene" in result.text and job.display_code in result.text
    image = kiosk.client.get(f"/job/{job_id}/image")
    assert image.status_code == 200 and image.content.startswith(b"\x89PNG")

    left = kiosk.client.post(f"/job/{job_id}/leave", data={"csrf": kiosk.csrf()}, follow_redirects=False)
    assert left.status_code == 303 and left.headers["location"] == "/?bye=1"
    assert "silver tonight" not in kiosk.client.get(f"/job/{job_id}/result").text

    forgotten = kiosk.client.post("/forget", data={"csrf": kiosk.csrf("/forget"), "code": job.display_code})
    assert forgotten.status_code == 200 and "deleted" in forgotten.text
    assert kiosk.store.get(job_id) is None
    assert kiosk.client.get(f"/job/{job_id}/image").status_code == 404
    again = kiosk.client.post("/forget", data={"csrf": kiosk.csrf("/forget"), "code": job.display_code})
    assert again.status_code == 404 and "No portrait has that code" in again.text


def test_a_failed_job_shows_its_reason(kiosk: Kiosk) -> None:
    job_id = kiosk.upload(b"id,body\n1,no text column here\n", name="posts.csv")
    kiosk.worker.run(once=True)
    status = kiosk.client.get(f"/job/{job_id}/status").json()
    assert status["state"] == "failed" and status["failure"]["sentence"] == FAILURES["unreadable"].sentence
    page = kiosk.client.get(f"/job/{job_id}").text
    assert FAILURES["unreadable"].sentence in page and 'id="retry"' in page
    assert "not an export this installation understands" not in page  # that is for the curator page


@pytest.mark.parametrize(
    ("fields", "status", "message"),
    [
        ({"consent": ""}, 400, "tick the box"),
        ({"csrf": "forged.token"}, 403, "expired"),
        ({"nickname": "x" * 41}, 400, "at most 40"),
        ({"handle": "sea@social.example"}, 400, "one of them"),
    ],
)
def test_a_form_without_consent_token_or_with_bad_fields_is_refused(
    kiosk: Kiosk, fields: dict[str, str], status: int, message: str
) -> None:
    response = kiosk.submit({"export": ("posts.txt", POSTS)}, **fields)
    assert response.status_code == status  # type: ignore[attr-defined]
    assert message in response.text  # type: ignore[attr-defined]
    assert kiosk.store.jobs() == []
    assert list(kiosk.config.kiosk.upload_dir.iterdir()) == []


def test_a_public_handle_is_queued_in_its_normal_form_and_nonsense_is_refused(kiosk: Kiosk) -> None:
    response = kiosk.submit(handle="@Sea@Social.Example")
    assert response.status_code == 303  # type: ignore[attr-defined]
    [job] = kiosk.store.jobs()
    assert (job.source, job.handle, job.export_path) == ("handle", "@sea@social.example", None)
    refused = kiosk.submit(handle="sea@127.0.0.1")
    assert refused.status_code == 400 and "does not look like a public Mastodon" in refused.text  # type: ignore[attr-defined]
    nothing = kiosk.submit()
    assert nothing.status_code == 400  # type: ignore[attr-defined]


def test_submissions_are_rate_limited_per_client(tmp_path: Path) -> None:
    kiosk = Kiosk(tmp_path, kiosk={"submits_per_minute": 2})
    assert [kiosk.submit(handle="sea@social.example").status_code for _ in range(3)] == [303, 303, 429]  # type: ignore[attr-defined]


def test_unknown_and_malformed_job_addresses_show_the_welcome_page(kiosk: Kiosk) -> None:
    for path in ("/job/" + "0" * 32, "/job/" + "0" * 32 + "/result"):
        response = kiosk.client.get(path, follow_redirects=False)
        assert (response.status_code, response.headers["location"]) == (303, "/"), path
    assert kiosk.client.get("/job/..%2F..%2Fetc").status_code == 404
    assert kiosk.client.get("/job/x/image").status_code == 404
    assert kiosk.client.get("/job/" + "0" * 32 + "/status").json() == {"state": "gone", "welcome": "/"}


def test_curator_pages_need_the_token(kiosk: Kiosk) -> None:
    assert kiosk.client.get("/curator", follow_redirects=False).headers["location"] == "/curator/login"
    wrong = kiosk.client.post("/curator/login", data={"csrf": kiosk.csrf("/curator/login"), "token": "guess"})
    assert wrong.status_code == 403
    assert kiosk.client.get("/curator", follow_redirects=False).status_code == 303
    ok = kiosk.client.post("/curator/login", data={"csrf": kiosk.csrf("/curator/login"), "token": TOKEN},
                           follow_redirects=False)
    assert ok.status_code == 303
    assert kiosk.client.get("/curator").status_code == 200


def test_curators_approve_hold_and_hide_artworks_and_check_the_config(kiosk: Kiosk) -> None:
    job_id = kiosk.upload()
    kiosk.worker.run(once=True)
    kiosk.client.post("/curator/login", data={"csrf": kiosk.csrf("/curator/login"), "token": TOKEN})
    queue = kiosk.client.get("/curator")
    assert job_id in queue.text and "done: 1" in queue.text
    csrf = kiosk.csrf("/curator")
    for action, state, on_wall in (("hide", "hidden", False), ("hold", "held", False), ("approve", "done", True)):
        response = kiosk.client.post(f"/curator/job/{job_id}/{action}", data={"csrf": csrf}, follow_redirects=False)
        assert response.status_code == 303
        assert kiosk.store.get(job_id).state == state  # type: ignore[union-attr]
        assert bool(kiosk.store.wall_artworks()) is on_wall
    forged = kiosk.client.post(f"/curator/job/{job_id}/hide", data={"csrf": "x.y"})
    assert forged.status_code == 403
    checks = kiosk.client.get("/curator/config")
    assert checks.status_code == 200 and "store folder" in checks.text and "automatic" in checks.text


def test_curator_pages_are_off_without_a_token(tmp_path: Path) -> None:
    kiosk = Kiosk(tmp_path)
    assert kiosk.client.get("/curator").status_code == 404
    assert kiosk.client.get("/curator/login").status_code == 404


def test_a_held_portrait_tells_its_visitor_it_waits_for_a_curator(kiosk: Kiosk) -> None:
    job_id = kiosk.upload(b"flagme by the fjord\n\nflagme again")
    kiosk.worker.run(once=True)
    status = kiosk.client.get(f"/job/{job_id}/status").json()
    assert status["state"] == "held" and status["result"] is None and "curator" in status["note"]
    assert "waits for a curator" in kiosk.client.get(f"/job/{job_id}").text
    assert kiosk.client.get(f"/job/{job_id}/image").status_code == 404


def policy_compose(portrait: VerbalPortrait, turn: int, private: tuple[str, ...]) -> Prompt:
    """The fake composer, with the wall-word policy's verdict: fjord withheld, swim blocked, the job held."""
    prompt = fake_compose(portrait, turn, private)
    return replace(
        prompt, keywords_used=tuple(w for w in prompt.keywords_used if w not in ("fjord", "swimmer")),
        keywords_dropped=(("fjord", "policy: politics"), ("swimmer", "blocked"), ("silver", "over keyword limit")),
        withheld=2, hold_reason="policy: most words are politics",
    )


def scene_compose(portrait: VerbalPortrait, turn: int, private: tuple[str, ...]) -> Prompt:
    """The fake composer, with a scene: fjord painted and setting it, silver no image, swimmer no room."""
    prompt = fake_compose(portrait, turn, private)
    return replace(
        prompt, keywords_used=("fjord",), motifs=(("fjord", "a sourdough loaf"),),
        keywords_dropped=(("silver", "no image: concreteness 2.1 of 5, abstract"),
                          ("swimmer", "over the style's motif count")),
        setting="on a calm harbour at sunrise", setting_from="fjord",
    )


def test_the_card_says_what_each_word_became_and_where_the_scene_is_set(tmp_path: Path) -> None:
    kiosk = Kiosk(tmp_path)
    kiosk.worker = Worker(kiosk.store, replace(FAKE_PIPELINE, compose=scene_compose), kiosk.config)
    job_id = kiosk.upload(b"Morning swimmer in the fjord.\n\nThe fjord was silver.\n\nSilver swimmer, silver fjord.")
    kiosk.worker.run(once=True)
    card = kiosk.client.get(f"/job/{job_id}/result").text
    assert "The scene is set on a calm harbour at sunrise, from \u201cfjord\u201d." in card
    entries = dict(re.findall(r'<strong class="keyword">([^<]*)</strong>\s*<span class="[^"]+">([^<]*)</span>', card))
    assert entries["fjord"] == "painted as a sourdough loaf"
    assert entries["silver"] == "not painted: it has no image a painter could paint"
    assert entries["swimmer"] == "not painted: no room left in this style"
    german = kiosk.client.get(f"/job/{job_id}/result?lang=de").text
    # the composer's own words in the card's language where it has them
    assert "gemalt als ein Sauerteigbrot" in german, german
    assert "Die Szene spielt: bei Sonnenaufgang in einem ruhigen Hafen, nach" in german


def test_the_card_hides_withheld_words_and_the_curator_sees_why_it_was_held(tmp_path: Path) -> None:
    kiosk = Kiosk(tmp_path, kiosk={"curator_token": TOKEN})
    kiosk.worker = Worker(kiosk.store, replace(FAKE_PIPELINE, compose=policy_compose), kiosk.config)
    job_id = kiosk.upload(b"Morning swimmer in the fjord.\n\nThe fjord was silver.\n\nSilver swimmer, silver fjord.")
    kiosk.worker.run(once=True)
    job = kiosk.store.get(job_id)
    assert job is not None and job.state == "held" and job.hold_reason == "policy: most words are politics"
    assert {"fjord", "swimmer", "silver"} <= {k["phrase"] for k in (job.portrait or {})["keywords"]}
    kiosk.store.review(job_id, "approve")  # the visitor's card is shown once the portrait is done
    card = kiosk.client.get(f"/job/{job_id}/result").text
    keywords = re.findall(r'<strong class="keyword">([^<]*)</strong>', card)
    assert "silver" in keywords and "fjord" not in keywords and "swimmer" not in keywords
    assert "2 words were kept off the public wall." in card

    # A second visitor's portrait stays held: its row on the curator page names the reason.
    second = kiosk.upload(b"Quiet fjord at night.\n\nThe fjord again.")
    kiosk.worker.run(once=True)
    kiosk.client.post("/curator/login", data={"csrf": kiosk.csrf("/curator/login"), "token": TOKEN})
    queue = kiosk.client.get("/curator").text
    row = queue[queue.index(f'data-job="{second}"'):]
    row = row[:row.index("</tr>")]
    assert "held" in row and "(held: policy: most words are politics)" in row


def test_the_cards_setting_keeps_the_town_as_written_in_any_language() -> None:
    from installation.kiosk.visitor import card_setting

    prompt = {"setting": "in a warm bakery kitchen in Leeds", "town": "Leeds"}
    assert card_setting(prompt, "en") == "in a warm bakery kitchen in Leeds"
    assert card_setting(prompt, "de").endswith(", Leeds") and "Leeds" not in card_setting(prompt, "de")[:-7]
    assert card_setting({"setting": "in Leeds", "town": "Leeds"}, "fr") == "Leeds"
    assert card_setting({"setting": "", "town": ""}, "de") == ""


def test_the_card_says_a_word_used_as_a_name_was_not_painted() -> None:
    from installation.compose.scene import A_NAME
    from installation.i18n import translator
    from installation.kiosk.visitor import card_keywords

    portrait = {"keywords": [{"phrase": "biscuit"}, {"phrase": "keyboard"}]}
    prompt = {"motifs": [("keyboard", "keyboard")], "keywords_dropped": [("biscuit", A_NAME)]}
    assert [(c["phrase"], c["painted"], c["why"]) for c in card_keywords(portrait, prompt)] == [
        ("biscuit", "", "name"),
        ("keyboard", "keyboard", ""),
    ]
    said = translator("de")("not painted: your posts use it as a name")
    assert said.startswith("nicht gemalt") and "Namen" in said
