"""A whole neural generation party driven through HTTP: the host starts a theme and refines the prompt
three times with a branch, two phones suggest and vote, the host takes the suggestions and marks the
best, the party worker paints every step, and the party is published as a static gallery.

The painter is a fast real one behind the ``Renderer`` protocol (Pillow colours from the prompt and
seed); the images still go through ``installation.render.run.render`` and carry its metadata.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from PIL import Image

from installation.compose.prompt import Prompt
from installation.config import Config, PartyConfig, load_config
from installation.party.app import create_party_app
from installation.party.publish import publish_session
from installation.party.store import PartyStore, open_party_store
from installation.party.stream import join_url, party_stream
from installation.party.words import wall_words
from installation.party.worker import PartyWorker
from installation.render.base import VaryingRenderer
from installation.render.provenance import TRAINED_ALGORITHMIC_MEDIA, read_provenance

ROOT = Path(__file__).resolve().parent.parent
HOST = ("127.0.0.1", 40000)


class FakePainter:
    """Paints a flat colour from the prompt and seed; repaints by blending towards it."""

    name = "fake"
    model = "fake-painter"
    is_test_noise = False

    def __init__(self) -> None:
        self.painted: list[Prompt] = []

    def warm_up(self) -> None:
        self.painted.clear()

    def sampler(self, prompt: Prompt) -> str:
        return "Euler"

    def generate(self, prompt: Prompt) -> Image.Image:
        self.painted.append(prompt)
        digest = hashlib.sha256(f"{prompt.positive}|{prompt.seed}".encode()).digest()
        return Image.new("RGB", (prompt.width, prompt.height), (digest[0], digest[1], digest[2]))

    def vary(self, image: Image.Image, prompt: Prompt, strength: float) -> Image.Image:
        return Image.blend(image.resize((prompt.width, prompt.height)), self.generate(prompt), strength)


def party_config(tmp_path: Path, **party: Any) -> Config:
    shipped = load_config(ROOT / "config.toml", required=True)
    return shipped.model_copy(update={
        "party": PartyConfig(store_path=tmp_path / "party.sqlite3", image_dir=tmp_path / "party", **party),
        "render": shipped.render.model_copy(update={"output_dir": tmp_path / "art", "warm_up": False}),
    })


@dataclass
class Party:
    config: Config
    store: PartyStore
    worker: PartyWorker
    painter: FakePainter
    host: TestClient
    phones: tuple[TestClient, TestClient]

    def step(self, session: str, **body: Any) -> dict[str, Any]:
        response = self.host.post(f"/api/host/{session}/steps", json={"width": 64, "height": 64, **body})
        assert response.status_code == 201, response.text
        return dict(response.json())


@pytest.fixture(autouse=True)
def _local_signing_keys(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Any key the renderer generates for its PNG manifests goes into the test's folder, not the home.
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))


@pytest.fixture
def party(tmp_path: Path) -> Iterator[Party]:
    config = party_config(tmp_path, suggestions_per_minute=3)
    store = open_party_store(config.party.store_path)
    painter = FakePainter()
    app = create_party_app(config, store)
    with TestClient(app, client=HOST) as host, TestClient(app, client=("10.0.0.7", 1)) as one, \
            TestClient(app, client=("10.0.0.8", 2)) as two:  # fmt: skip
        yield Party(config, store, PartyWorker(store, config, renderer=painter), painter, host, (one, two))
    store.close()


def test_the_fake_painter_can_repaint() -> None:
    assert isinstance(FakePainter(), VaryingRenderer)


def test_a_whole_party_over_http(party: Party, tmp_path: Path) -> None:
    host, (one, two) = party.host, party.phones
    # The host starts a party with a theme; the host screen and its QR code open.
    session = host.post("/api/host/sessions", json={"theme": "loneliness"}).json()["id"]
    page = host.get(f"/host/{session}")
    assert page.status_code == 200 and "loneliness" in page.text and "/party-static/host.js" in page.text
    assert 'xmlns="http://www.w3.org/2000/svg"' in host.get(f"/host/{session}/qr.svg").text
    # 1. A single word, painted.
    first = party.step(session, text="loneliness", seed=7)
    assert first["number"] == 1 and first["parent"] is None and first["state"] == "queued"
    assert [p.number for p in party.worker.drain()] == [1]
    # Two phones join: each gets a random name, no account.
    for phone in (one, two):
        assert phone.get(f"/p/{session}").status_code == 200
    names = [phone.get(f"/api/p/{session}/state").json()["name"] for phone in (one, two)]
    assert names[0] != names[1] and all(len(n.split()) == 3 for n in names)
    # 2. The prompt master refines it.
    second = party.step(session, parent=first["id"], text="loneliness, an empty bench by the sea", seed=7)
    # The room suggests a word and an artist; they queue on the host screen.
    word = one.post(f"/api/p/{session}/suggest", json={"kind": "word", "text": "moonlight"})
    artist = two.post(f"/api/p/{session}/suggest", json={"kind": "artist", "text": "Edward Hopper"})
    assert word.status_code == artist.status_code == 201
    state = host.get(f"/api/host/{session}/state").json()
    assert "Katsushika Hokusai" in state["choices"]["artist"] and "1960s" in state["choices"]["period"]
    assert "ukiyo-e woodblock print" in state["choices"]["technique"] and "gold leaf" in state["choices"]["modifiers"]
    queued = state["suggestions"]
    assert [(s["kind"], s["text"], s["name"]) for s in queued] == [
        ("word", "moonlight", names[0]), ("artist", "Edward Hopper", names[1])]
    # The master takes both into the third refinement.
    for s in queued:
        assert host.post(f"/api/host/suggestions/{s['id']}/take").json()["state"] == "taken"
    third = party.step(
        session, parent=second["id"], text="two old people looking at each other, moonlight", artist="Edward Hopper",
        seed=8, steps=2, guidance=1.5, suggestions=[s["id"] for s in queued],
    )
    assert "in the style of Edward Hopper" in third["prompt"]
    assert [c["name"] for c in third["suggested_by"]] == names
    # A branch from the first step, in a curator style: the style fills in technique, artist and modifiers.
    branch = party.step(session, parent=first["id"], text="loneliness, a lighthouse", style="hokusai", seed=3)
    style = party.config.styles["hokusai"]
    assert branch["prompt"].startswith("loneliness, a lighthouse, ukiyo-e woodblock print, in the style of Katsushika")
    assert all(m in branch["prompt"] for m in style.modifiers)
    assert branch["negative_prompt"].endswith(party.config.compose.negative)
    assert [p.number for p in party.worker.drain()] == [2, 3, 4]
    # A variation of the third image: its prompt, a new seed, image to image.
    variation = party.step(session, parent=third["id"], kind="variation", source_step=third["id"], seed=9,
                           strength=0.6)  # fmt: skip
    assert variation["prompt"] == third["prompt"] and variation["seed"] == 9
    assert [p.number for p in party.worker.drain()] == [5]
    assert [p.positive for p in party.painter.painted] == [
        "loneliness", second["prompt"], third["prompt"], branch["prompt"], third["prompt"]]
    # The room votes; a second vote of one phone takes it back; the host marks the best.
    assert one.post(f"/api/p/{session}/vote", json={"step": third["id"]}).json() == {
        "step": third["id"], "voted": True, "votes": 1}
    assert two.post(f"/api/p/{session}/vote", json={"step": third["id"]}).json()["votes"] == 2
    assert two.post(f"/api/p/{session}/vote", json={"step": branch["id"]}).json()["votes"] == 1
    assert one.post(f"/api/p/{session}/vote", json={"step": first["id"]}).json()["voted"] is True
    assert one.post(f"/api/p/{session}/vote", json={"step": first["id"]}).json()["voted"] is False
    assert host.post(f"/api/host/steps/{branch['id']}/best", json={"best": True}).json()["best"] is True
    phone_view = one.get(f"/api/p/{session}/state").json()
    assert [(s["number"], s["votes"], s["voted"]) for s in phone_view["steps"]] == [
        (1, 0, False), (2, 0, False), (3, 2, True), (4, 1, False), (5, 0, False)]
    assert one.get(phone_view["steps"][2]["image"]).content.startswith(b"\x89PNG")
    # Every step is recorded with its parameters, model, parent, credits and image metadata.
    steps = {s.number: s for s in party.store.steps(session)}
    assert steps[3].parent_id == steps[2].id and steps[4].parent_id == steps[1].id
    assert (steps[3].steps, steps[3].guidance, steps[3].seed, steps[3].model) == (2, 1.5, 8, "fake-painter")
    assert steps[3].metadata is not None and steps[3].metadata["prompt"] == third["prompt"]
    assert steps[5].settings.kind == "variation" and steps[5].settings.strength == 0.6
    assert all(s.state == "done" and s.image_path is not None and s.image_path.is_file() for s in steps.values())
    # The wall's stream: every painted step, oldest first, captioned with its prompt.
    slides = party_stream(party.store, wall_words(party.config), session)
    assert [(s.number, s.caption) for s in slides][:2] == [(1, "loneliness"), (2, second["prompt"])]
    assert all(s.theme == "loneliness" for s in slides)
    # Publish: best first, then by votes; the path of prompts to each; lineage JSON; contact sheet.
    gallery = publish_session(party.store, session, tmp_path / "gallery", wall_words(party.config),
                              provenance=party.config.render.provenance)  # fmt: skip
    html = gallery.index.read_text()
    order = [html.index(f'id="step-{n}"') for n in (4, 3, 1, 2, 5)]
    assert order == sorted(order)
    best_figure = html[html.index('id="step-4"'):html.index('id="step-3"')]
    assert "#1" in best_figure and "loneliness, a lighthouse" in best_figure and "★ chosen" in best_figure
    third_figure = html[html.index('id="step-3"'):html.index('id="step-1"')]
    path = third_figure[third_figure.index('class="path"'):]
    assert path.index("#1") < path.index("#2") < path.index("#3")
    assert "Edward Hopper" in third_figure and names[1] in third_figure
    lineage = json.loads(gallery.lineage.read_text())
    by_number = {s["number"]: s for s in lineage["steps"]}
    assert by_number[3]["parent"] == by_number[2]["id"] and by_number[4]["parent"] == by_number[1]["id"]
    assert by_number[3]["votes"] == 2 and by_number[4]["best"] is True
    assert by_number[3]["image"] == "images/step-003.png" and (gallery.folder / by_number[3]["image"]).is_file()
    assert {s["by"] for s in lineage["suggestions"]} == set(names)
    assert "http" not in html.replace('href="lineage.json"', "").split("<body>")[1].lower()
    with Image.open(gallery.contact_sheet) as sheet:
        assert sheet.width > 64 * 5
        assert "party contact sheet: 5 painted steps" in sheet.info["parameters"] and "XML:com.adobe.xmp" in sheet.info
    assert gallery.best == (4,)
    # The sheet is signed like every artwork: c2pa reads its manifest back intact (our local CA: signer unknown).
    found = read_provenance(gallery.contact_sheet)
    assert found is not None and found.state == "Valid" and found.failures == ("signingCredential.untrusted",)
    assert found.digital_source_type == TRAINED_ALGORITHMIC_MEDIA
    assert found.manifest["title"] == "social-portrait party contact sheet"
    manifest = json.dumps(found.manifest)
    assert '"model": "fake-painter"' in manifest and '"backend": "fake"' in manifest
    # What the room wrote (theme, prompts, phones' names) never travels in the sheet's metadata.
    assert [w for w in ("loneliness", "lighthouse", "Hopper", *names) if w in manifest] == []
    assert b"lighthouse" not in gallery.contact_sheet.read_bytes()
    # The copied step images keep their own manifests.
    assert all((p := read_provenance(image)) is not None and p.state == "Valid" for image in gallery.images)


def test_what_phones_offer_passes_the_wall_policy_and_is_rate_limited(party: Party) -> None:
    host, (phone, _) = party.host, party.phones
    session = host.post("/api/host/sessions", json={"theme": "love"}).json()["id"]
    phone.get(f"/p/{session}")
    refused = phone.post(f"/api/p/{session}/suggest", json={"kind": "word", "text": "naked"})
    assert refused.status_code == 400 and "'naked'" in refused.json()["error"]
    personal = phone.post(f"/api/p/{session}/suggest", json={"kind": "word", "text": "mail me at a@b.example"})
    assert personal.status_code == 400 and "e-mail" in personal.json()["error"]
    too_long = phone.post(f"/api/p/{session}/suggest", json={"kind": "word", "text": "x" * 61})
    assert too_long.status_code == 400 and "60 characters" in too_long.json()["error"]
    for word in ("rain", "tea", "letters"):
        assert phone.post(f"/api/p/{session}/suggest", json={"kind": "word", "text": word}).status_code == 201
    limited = phone.post(f"/api/p/{session}/suggest", json={"kind": "word", "text": "one more"})
    assert limited.status_code == 429
    assert [s.text for s in party.store.suggestions(session)] == ["rain", "tea", "letters"]
    # A blocked word in a theme or a prompt is refused too.
    assert host.post("/api/host/sessions", json={"theme": "sexy love"}).status_code == 400
    bad = host.post(f"/api/host/{session}/steps", json={"text": "a nude by the sea"})
    assert bad.status_code == 400 and "'nude'" in bad.json()["error"]
    # A phone that never opened the page has no name and may not suggest or vote.
    with TestClient(phone.app, client=("10.0.0.9", 3)) as stranger:
        assert stranger.post(f"/api/p/{session}/suggest", json={"text": "hi"}).status_code == 403


def test_bad_values_are_refused_with_their_name(party: Party) -> None:
    session = party.host.post("/api/host/sessions", json={"theme": "the meaning of life"}).json()["id"]
    cases = {
        "width must be a multiple of 8": {"text": "x", "width": 100},
        "no style named 'cubism'": {"text": "x", "style": "cubism"},
        "the prompt is empty": {"text": "   "},
        "needs the source_step": {"kind": "img2img", "text": "x"},
        "seed must be in": {"text": "x", "seed": -1},
        "steps must be from 1 to 200": {"text": "x", "steps": 0},
    }
    for message, body in cases.items():
        response = party.host.post(f"/api/host/{session}/steps", json=body)
        assert response.status_code == 400 and message in response.json()["error"], (body, response.text)
    assert party.host.post("/api/host/nosuchparty/steps", json={"text": "x"}).status_code == 400
    assert party.host.post(f"/api/host/{session}/steps", json={"text": "x", "parent": 999}).status_code == 400
    queued = party.step(session, text="x")
    repaint = party.host.post(f"/api/host/{session}/steps", json={"text": "y", "kind": "img2img",
                                                                  "source_step": queued["id"]})  # fmt: skip
    assert repaint.status_code == 400 and "no image yet" in repaint.json()["error"]
    assert party.store.steps(session)[-1].number == 1  # nothing refused was recorded


def test_the_host_screen_answers_only_the_host(tmp_path: Path) -> None:
    config = party_config(tmp_path, host_token="a-long-host-token")
    store = open_party_store(config.party.store_path)
    app = create_party_app(config, store)
    with TestClient(app, client=("10.0.0.7", 1)) as phone, TestClient(app, client=("10.0.0.8", 1)) as host:
        assert phone.get("/host").status_code == 403
        assert phone.post("/api/host/sessions", json={"theme": "x"}).status_code == 403
        assert host.get("/host/login", params={"token": "wrong-token-here"}).status_code == 403
        assert host.get("/host/login", params={"token": "a-long-host-token"}).status_code == 200
        session = host.post("/api/host/sessions", json={"theme": "x"}).json()["id"]
        assert phone.get(f"/api/host/{session}/state").status_code == 403
        assert host.get(f"/api/host/{session}/state").json()["session"]["theme"] == "x"
    with TestClient(create_party_app(party_config(tmp_path), store), client=("10.0.0.7", 1)) as remote:
        assert remote.get("/host").status_code == 403  # no token configured: this machine only
    store.close()


def test_a_failed_render_is_recorded_with_its_reason(party: Party) -> None:
    session = party.host.post("/api/host/sessions", json={"theme": "rain"}).json()["id"]
    party.step(session, text="rain")
    party.worker.drain()
    first = party.store.steps(session)[0]
    first.image_path.unlink()  # type: ignore[union-attr]
    party.step(session, text="rain again", kind="img2img", source_step=first.id, parent=first.id)
    (painted,) = party.worker.drain()
    assert painted.error is not None and "not a readable image" in painted.error
    assert party.store.steps(session)[-1].state == "failed"


def test_the_qr_code_sends_phones_to_the_public_url(tmp_path: Path) -> None:
    config = party_config(tmp_path, public_url="http://192.168.1.20:8100/")
    store = open_party_store(config.party.store_path)
    with TestClient(create_party_app(config, store), client=HOST) as host:
        session = host.post("/api/host/sessions", json={"theme": "love"}).json()["id"]
        assert host.get(f"/api/host/{session}/state").json()["phone_url"] == f"http://192.168.1.20:8100/p/{session}"
        assert f"http://192.168.1.20:8100/p/{session}" in host.get(f"/host/{session}").text
    assert join_url(config, session) == f"http://192.168.1.20:8100/p/{session}"  # the wall's QR code
    assert join_url(party_config(tmp_path), "abc") == "http://127.0.0.1:8100/p/abc"
    store.close()


def test_the_party_contact_sheet_is_signed_with_the_configured_certificate(tmp_path: Path) -> None:
    from installation.config import ProvenanceConfig
    from installation.party.contact import contact_sheet
    from installation.party.records import StepSettings

    config = party_config(tmp_path)
    store = open_party_store(config.party.store_path)
    session = store.create_session("love").id
    for seed in (1, 2):
        store.add_step(session, None, StepSettings(text="love, a red door", seed=seed), positive="love, a red door",
                       negative="", size=(64, 64), steps=1, guidance=0.0, scheduler=None)  # fmt: skip
    PartyWorker(store, config, renderer=FakePainter()).drain()
    items = [(s, s.image_path) for s in store.steps(session) if s.image_path is not None]
    store.close()
    # Under a CA the reader is given as its trust anchor, the sheet's manifest is Trusted, with no failure.
    signing = ProvenanceConfig(installation="Museum of Feeds", key_dir=tmp_path / "c2pa")
    sheet = contact_sheet(items, tmp_path / "out" / "sheet.png", signing)
    found = read_provenance(sheet, trust_anchors=(tmp_path / "c2pa" / "ca.pem").read_bytes())
    assert found is not None and (found.state, found.failures) == ("Trusted", ())
    assert found.manifest["title"] == "Museum of Feeds party contact sheet"
    assert not list(sheet.parent.glob(".*.tmp"))  # written through a temporary name, nothing left over
    # Switched off by the technician, the sheet is written unsigned, as artworks are.
    unsigned = contact_sheet(items, tmp_path / "out" / "plain.png", ProvenanceConfig(enabled=False))
    assert read_provenance(unsigned) is None
    with Image.open(unsigned) as image:
        assert "XML:com.adobe.xmp" in image.info and "2 painted steps" in str(image.info["parameters"])


def test_the_party_worker_says_at_start_which_certificate_signs(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from installation.config import ProvenanceConfig
    from installation.errors import RenderError
    from installation.party.worker import run_party_worker

    config = party_config(tmp_path)
    local = ProvenanceConfig(installation="Party Hall", key_dir=tmp_path / "party-c2pa")
    with caplog.at_level("WARNING", logger="installation.render.provenance"):
        painted = run_party_worker(config.model_copy(update={"render": config.render.model_copy(
            update={"provenance": local})}), once=True)  # fmt: skip
    assert painted == []  # nothing was waiting, yet the warning came before the first step
    assert any("locally generated certificate" in r.getMessage() for r in caplog.records)
    # A certificate that cannot sign stops the start with its one-line reason, before any step is claimed.
    bad_key = tmp_path / "key.pem"
    bad_key.write_text("not a key")
    broken = ProvenanceConfig(certificate=tmp_path / "cert.pem", private_key=bad_key)
    (tmp_path / "cert.pem").write_text("not a certificate")
    with pytest.raises(RenderError, match="not an unencrypted PEM private key"):
        run_party_worker(config.model_copy(update={"render": config.render.model_copy(
            update={"provenance": broken})}), once=True)  # fmt: skip
