"""Stability AI and OpenAI Images over real HTTP: each client against a loopback server of its documented API.

(Imagen's loopback tests are in test_backend_imagen.py.) The fakes in ``loopback`` answer a request of
the wrong shape with the service's own 400, so these pass only while the clients speak the documented API.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from loopback import LoopbackServer, Reply, openai_api, stability_api

from installation.compose.prompt import Prompt
from installation.config import OpenAIImagesConfig, RenderConfig, StabilityConfig, parse_config
from installation.errors import BackendError
from installation.render.backends.openai import OpenAIRenderer
from installation.render.backends.stability import StabilityRenderer
from installation.render.base import backend_for
from installation.render.run import render

PROMPT = Prompt("a watercolor of a lighthouse keeper", "blurry", "watercolor", 5_000_000_000, 512, 768, 1, 0.0)
BLOCKED = Prompt("a blocked thing", "", "s", 1, 512, 512, 1, 0.0)


@pytest.fixture(autouse=True)
def keys(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STABILITY_API_KEY", "sk-stability-loop")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-openai-loop")


@pytest.fixture
def stability_server() -> Iterator[LoopbackServer]:
    with LoopbackServer(stability_api("sk-stability-loop")) as server:
        yield server


@pytest.fixture
def openai_server() -> Iterator[LoopbackServer]:
    with LoopbackServer(openai_api("sk-openai-loop")) as server:
        yield server


def stability(server: LoopbackServer, sleeps: list[float] | None = None, **settings: object) -> StabilityRenderer:
    config = StabilityConfig(base_url=server.url, backoff_s=1.0, **settings)
    return StabilityRenderer(config, sleep=(sleeps if sleeps is not None else []).append)


def openai(server: LoopbackServer, sleeps: list[float] | None = None, **settings: object) -> OpenAIRenderer:
    config = OpenAIImagesConfig(base_url=server.url + "/v1", backoff_s=1.0, **settings)
    return OpenAIRenderer(config, sleep=(sleeps if sleeps is not None else []).append)


# --- Stability AI --------------------------------------------------------------------------------------


def test_stability_over_http(stability_server: LoopbackServer) -> None:
    image = stability(stability_server, style_preset="watercolor").generate(PROMPT)
    assert image.size == (32, 48)
    (x,) = stability_server.exchanges
    assert x.path == "/v2beta/stable-image/generate/core"
    assert x.multipart() == {
        "prompt": PROMPT.positive, "negative_prompt": "blurry", "aspect_ratio": "2:3",
        "seed": str(PROMPT.seed % 4_294_967_295), "output_format": "png", "style_preset": "watercolor",
    }  # fmt: skip


@pytest.mark.parametrize("model", ["core", "ultra", "sd3"])
def test_stability_models_have_their_path(stability_server: LoopbackServer, model: str) -> None:
    stability(stability_server, model=model).generate(PROMPT)
    assert stability_server.exchanges[0].path == f"/v2beta/stable-image/generate/{model}"


def test_stability_filter_and_refused_key(stability_server: LoopbackServer, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(BackendError, match="finish-reason CONTENT_FILTERED"):
        stability(stability_server).generate(BLOCKED)
    monkeypatch.setenv("STABILITY_API_KEY", "sk-wrong")
    with pytest.raises(BackendError) as caught:
        stability(stability_server).generate(PROMPT)
    assert str(caught.value) == "Stability AI: HTTP 401: the API key in $STABILITY_API_KEY was refused"
    assert "sk-wrong" not in str(caught.value)


def test_stability_retries_over_http(stability_server: LoopbackServer) -> None:
    stability_server.faults += [
        Reply.json(429, {"name": "rate_limit_exceeded", "errors": ["slow down"]}, **{"Retry-After": "3"}),
        Reply(502, b"Bad Gateway"),
    ]
    sleeps: list[float] = []
    assert stability(stability_server, sleeps).generate(PROMPT).size == (32, 48)
    assert sleeps == [3.0, 2.0] and len(stability_server.exchanges) == 3


def test_a_closed_port_is_a_bounded_network_failure() -> None:
    with LoopbackServer(stability_api("k")) as server:
        url = server.url
    sleeps: list[float] = []
    renderer = StabilityRenderer(StabilityConfig(base_url=url, retries=2, timeout_s=2), sleep=sleeps.append)
    with pytest.raises(BackendError, match=r"^Stability AI: ConnectError after 3 attempt\(s\)$"):
        renderer.generate(PROMPT)
    assert sleeps == [1.0, 2.0]


# --- OpenAI Images -------------------------------------------------------------------------------------


def test_openai_over_http(openai_server: LoopbackServer) -> None:
    assert openai(openai_server, quality="low").generate(PROMPT).size == (40, 60)
    (x,) = openai_server.exchanges
    assert x.path == "/v1/images/generations" and x.headers["authorization"] == "Bearer sk-openai-loop"
    assert x.json() == {"model": "gpt-image-1", "prompt": PROMPT.positive, "n": 1, "size": "1024x1536",
                        "quality": "low"}  # fmt: skip


@pytest.mark.parametrize("model", ["dall-e-2", "dall-e-3", "gpt-image-1"])
def test_openai_models_get_a_size_they_accept(openai_server: LoopbackServer, model: str) -> None:
    assert openai(openai_server, model=model).generate(PROMPT).size == (40, 60)


def test_openai_refusals_over_http(openai_server: LoopbackServer, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(BackendError, match=r"^OpenAI Images: HTTP 400: Your request was rejected by the safety"):
        openai(openai_server).generate(BLOCKED)
    with pytest.raises(BackendError, match="HTTP 400: Invalid size 999x999"):
        openai(openai_server, size="999x999").generate(PROMPT)
    monkeypatch.setenv("OPENAI_API_KEY", "sk-wrong")
    with pytest.raises(BackendError, match=r"\$OPENAI_API_KEY was refused$"):
        openai(openai_server).generate(PROMPT)
    assert len(openai_server.exchanges) == 3  # none retried


def test_openai_500_retries_are_bounded(openai_server: LoopbackServer) -> None:
    openai_server.faults += [Reply(500, b"oops")] * 5
    with pytest.raises(BackendError, match=r"HTTP 500: Internal Server Error \(after 3 attempt\(s\)\)"):
        openai(openai_server, retries=2).generate(PROMPT)
    assert len(openai_server.exchanges) == 3


# --- the base URL comes from config.toml ---------------------------------------------------------------


@pytest.mark.parametrize("name", ["stability", "openai"])
def test_base_url_from_config_reaches_the_server(
    name: str, stability_server: LoopbackServer, openai_server: LoopbackServer, tmp_path: Path
) -> None:
    server = {"stability": stability_server, "openai": openai_server}[name]
    base = server.url + ("/v1" if name == "openai" else "")
    config = parse_config({"render": {"backend": name, name: {"base_url": base, "retries": 0}}}, tmp_path / "c.toml")
    renderer = backend_for(config.render).load(config.render, None)
    artwork = render(PROMPT, config.render, tmp_path / "a.png", renderer=renderer)
    assert artwork.backend == name and artwork.image_path.is_file()
    assert len(server.exchanges) == 1


def test_render_config_defaults_name_the_real_services() -> None:
    config = RenderConfig()
    assert config.stability.base_url == "https://api.stability.ai"
    assert config.openai.base_url == "https://api.openai.com/v1"
    assert config.imagen.endpoint() == "https://us-central1-aiplatform.googleapis.com/v1"
