"""Imagen on Vertex AI against a loopback Vertex ``:predict`` and OAuth token endpoint: shapes, tokens, refusals."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from loopback import LoopbackServer, Reply, google_token_api, routes, vertex_api

from installation.compose.prompt import Prompt
from installation.config import ImagenConfig, RenderConfig, parse_config
from installation.errors import BackendError, ConfigError
from installation.render.backends.imagen import ImagenRenderer, nearest_imagen_aspect
from installation.render.base import backends
from installation.render.pngmeta import parse_parameters, read_parameters
from installation.render.run import render

PROMPT = Prompt(
    positive="a watercolor of a lighthouse keeper",
    negative="blurry",
    style="watercolor",
    seed=5_000_000_000,
    width=512,
    height=768,
    steps=1,
    guidance=0.0,
)
TOKEN = "ya29.test-access-token"
SECRETS = {"client_id": "cid.apps.example", "client_secret": "s3cret-client", "refresh_token": "1//refresh-me"}


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    api = routes({
        "/token": google_token_api(SECRETS["client_id"], SECRETS["client_secret"], SECRETS["refresh_token"], TOKEN),
        "/v1/": vertex_api(TOKEN, "my-project", "europe-west4"),
    })  # fmt: skip
    with LoopbackServer(api) as running:
        yield running


@pytest.fixture(autouse=True)
def no_ambient_credentials(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("VERTEX_ACCESS_TOKEN", raising=False)
    monkeypatch.delenv("GOOGLE_APPLICATION_CREDENTIALS", raising=False)
    monkeypatch.setenv("CLOUDSDK_CONFIG", str(tmp_path / "gcloud"))  # no real ADC file is ever read


def imagen(server: LoopbackServer, sleeps: list[float] | None = None, **settings: object) -> ImagenRenderer:
    config = ImagenConfig(
        base_url=server.url + "/v1", token_url=server.url + "/token", project="my-project", location="europe-west4",
        backoff_s=1.0, **settings,
    )  # fmt: skip
    return ImagenRenderer(config, sleep=(sleeps if sleeps is not None else []).append)


def adc_file(folder: Path, **overrides: str) -> Path:
    path = folder / "adc.json"
    path.write_text(json.dumps({"type": "authorized_user", **SECRETS, "quota_project_id": "billing-proj", **overrides}))
    return path


def test_predict_with_a_token_from_the_environment(server: LoopbackServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VERTEX_ACCESS_TOKEN", TOKEN)
    image = imagen(server).generate(PROMPT)
    assert image.size == (24, 32)
    (x,) = server.exchanges
    model = "imagen-3.0-generate-002"
    assert x.path == f"/v1/projects/my-project/locations/europe-west4/publishers/google/models/{model}:predict"
    assert x.headers["authorization"] == f"Bearer {TOKEN}" and "x-goog-user-project" not in x.headers
    body = x.json()
    assert body["instances"] == [{"prompt": PROMPT.positive}]
    parameters = body["parameters"]
    assert parameters["sampleCount"] == 1 and parameters["aspectRatio"] == "3:4"
    assert parameters["addWatermark"] is True and "seed" not in parameters  # no seed while watermarked
    assert "negativePrompt" not in parameters  # imagen-3.0-generate-002 takes none


def test_seed_and_negative_prompt_when_the_model_takes_them(
    server: LoopbackServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VERTEX_ACCESS_TOKEN", TOKEN)
    renderer = imagen(server, model="imagen-3.0-generate-001", add_watermark=False, person_generation="allow_adult")
    renderer.generate(PROMPT)
    parameters = server.exchanges[0].json()["parameters"]
    assert parameters["seed"] == PROMPT.seed % (2**31 - 1) + 1
    assert parameters["negativePrompt"] == "blurry" and parameters["addWatermark"] is False
    assert parameters["personGeneration"] == "allow_adult"


def test_token_refreshed_from_the_adc_file_once(server: LoopbackServer, tmp_path: Path) -> None:
    renderer = imagen(server, credentials_file=adc_file(tmp_path))
    renderer.warm_up()
    renderer.generate(PROMPT)
    renderer.generate(PROMPT)
    token_calls = [x for x in server.exchanges if x.path == "/token"]
    predicts = [x for x in server.exchanges if x.path.endswith(":predict")]
    assert len(token_calls) == 1 and len(predicts) == 2  # the token is kept until shortly before it expires
    assert token_calls[0].form()["grant_type"] == ["refresh_token"]
    assert all(x.headers["x-goog-user-project"] == "billing-proj" for x in predicts)


def test_an_expired_token_is_refreshed_again(server: LoopbackServer, tmp_path: Path) -> None:
    now = [0.0]
    config = ImagenConfig(base_url=server.url + "/v1", token_url=server.url + "/token", project="my-project",
                          location="europe-west4", credentials_file=adc_file(tmp_path))  # fmt: skip
    renderer = ImagenRenderer(config, clock=lambda: now[0])
    renderer.generate(PROMPT)
    now[0] = 3599.0 - 59.0  # within a minute of expiry
    renderer.generate(PROMPT)
    assert [x.path for x in server.exchanges].count("/token") == 2


def test_the_default_adc_file_is_found(server: LoopbackServer, tmp_path: Path) -> None:
    adc_file(tmp_path).rename(tmp_path / "gcloud.json")
    (tmp_path / "gcloud").mkdir()
    (tmp_path / "gcloud.json").rename(tmp_path / "gcloud" / "application_default_credentials.json")
    assert imagen(server).generate(PROMPT).size == (24, 32)


def test_a_revoked_refresh_token_is_one_line_without_secrets(server: LoopbackServer, tmp_path: Path) -> None:
    renderer = imagen(server, credentials_file=adc_file(tmp_path, refresh_token="1//revoked"))
    with pytest.raises(BackendError) as caught:
        renderer.generate(PROMPT)
    message = str(caught.value)
    assert message.startswith("Imagen on Vertex AI: HTTP 400: invalid_grant: Token has been expired or revoked.")
    assert "application-default login" in message and "\n" not in message
    assert not any(secret in message for secret in (*SECRETS.values(), "1//revoked"))


def test_no_token_anywhere_names_both_ways(server: LoopbackServer) -> None:
    with pytest.raises(BackendError, match=r"set the environment variable VERTEX_ACCESS_TOKEN .* application-default"):
        imagen(server).warm_up()
    assert server.exchanges == []


def test_service_account_files_are_refused_by_name(server: LoopbackServer, tmp_path: Path) -> None:
    path = tmp_path / "sa.json"
    path.write_text(json.dumps({"type": "service_account", "private_key": "-----BEGIN PRIVATE KEY-----"}))
    with pytest.raises(BackendError, match="of type 'service_account'") as caught:
        imagen(server, credentials_file=path).generate(PROMPT)
    assert "PRIVATE KEY" not in str(caught.value)


def test_401_names_the_source_never_the_token(server: LoopbackServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VERTEX_ACCESS_TOKEN", "ya29.stale")
    with pytest.raises(BackendError) as caught:
        imagen(server).generate(PROMPT)
    assert str(caught.value) == "Imagen on Vertex AI: HTTP 401: the access token in $VERTEX_ACCESS_TOKEN was refused"
    assert len(server.exchanges) == 1  # not retried


def test_safety_refusal_is_named(server: LoopbackServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VERTEX_ACCESS_TOKEN", TOKEN)
    with pytest.raises(BackendError, match=r"refused by Google's safety filters \(Your current safety filter"):
        imagen(server).generate(Prompt("a blocked thing", "", "s", 1, 512, 512, 1, 0.0))


def test_400_gives_google_words(server: LoopbackServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VERTEX_ACCESS_TOKEN", TOKEN)
    server.faults.append(Reply.json(400, {"error": {"code": 400, "message": "Image generation failed with the "
                                                    "following error: The prompt could not be submitted.",
                                                    "status": "INVALID_ARGUMENT"}}))  # fmt: skip
    with pytest.raises(BackendError, match=r"^Imagen on Vertex AI: HTTP 400: Image generation failed") as caught:
        imagen(server).generate(PROMPT)
    assert TOKEN not in str(caught.value) and len(server.exchanges) == 1


def test_a_wrong_base_url_is_a_404_not_a_retry(server: LoopbackServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VERTEX_ACCESS_TOKEN", TOKEN)
    config = ImagenConfig(base_url=server.url + "/v2", project="my-project", location="europe-west4")
    with pytest.raises(BackendError, match=r"^Imagen on Vertex AI: HTTP 404: Not Found$"):
        ImagenRenderer(config, sleep=lambda s: None).generate(PROMPT)
    assert len(server.exchanges) == 1


def test_429_and_503_are_retried_with_retry_after(server: LoopbackServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VERTEX_ACCESS_TOKEN", TOKEN)
    server.faults += [
        Reply.json(429, {"error": {"code": 429, "message": "Quota exceeded", "status": "RESOURCE_EXHAUSTED"}},
                   **{"Retry-After": "4"}),
        Reply.json(503, {"error": {"code": 503, "message": "unavailable", "status": "UNAVAILABLE"}}),
    ]  # fmt: skip
    sleeps: list[float] = []
    assert imagen(server, sleeps).generate(PROMPT).size == (24, 32)
    assert sleeps == [4.0, 2.0] and len(server.exchanges) == 3


def test_5xx_exhausted_is_bounded(server: LoopbackServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VERTEX_ACCESS_TOKEN", TOKEN)
    server.faults += [Reply.json(500, {"error": {"code": 500, "message": "Internal error"}})] * 3
    with pytest.raises(BackendError, match=r"HTTP 500: Internal error \(after 2 attempt\(s\)\)"):
        imagen(server, retries=1).generate(PROMPT)
    assert len(server.exchanges) == 2


def test_config_needs_a_project_for_imagen(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"render\.imagen\.project must name the Google Cloud project"):
        parse_config({"render": {"backend": "imagen"}}, tmp_path / "c.toml")
    config = RenderConfig(backend="imagen", imagen=ImagenConfig(project="p", location="asia-northeast1"))
    assert config.imagen.endpoint() == "https://asia-northeast1-aiplatform.googleapis.com/v1"
    with pytest.raises(ConfigError, match="unknown slot"):
        parse_config({"render": {"imagen": {"base_url": "https://{region}.example/v1"}}}, tmp_path / "c.toml")
    assert "imagen" in backends() and "imagen" in RenderConfig.remote_backends()


@pytest.mark.parametrize(("width", "height", "aspect"), [(512, 512, "1:1"), (896, 512, "16:9"), (512, 640, "3:4")])
def test_nearest_imagen_aspect(width: int, height: int, aspect: str) -> None:
    assert nearest_imagen_aspect(width, height) == aspect


def test_render_writes_an_imagen_artwork(
    server: LoopbackServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("VERTEX_ACCESS_TOKEN", TOKEN)
    config = RenderConfig(backend="imagen", imagen=ImagenConfig(project="my-project"))
    artwork = render(PROMPT, config, tmp_path / "i.png", renderer=imagen(server))
    assert (artwork.backend, artwork.model) == ("imagen", "imagen-3.0-generate-002")
    _, _, settings = parse_parameters(read_parameters(artwork.image_path) or "")
    assert settings["Sampler"] == "Imagen imagen-3.0-generate-002"
