"""Stability AI and OpenAI Images over httpx.MockTransport: the documented shapes, retries and refusals."""

from __future__ import annotations

import base64
import io
import json
from collections.abc import Callable
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import HTTP
from pathlib import Path

import httpx
import pytest
from PIL import Image

from installation.compose.prompt import Prompt
from installation.config import OpenAIImagesConfig, RenderConfig, StabilityConfig
from installation.errors import BackendError, RenderError
from installation.render.backends.openai import OpenAIRenderer, nearest_openai_size
from installation.render.backends.stability import StabilityRenderer, nearest_aspect
from installation.render.pngmeta import parse_parameters, read_parameters
from installation.render.run import render, vary

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
Handler = Callable[[httpx.Request], httpx.Response]


def png_bytes(size: tuple[int, int] = (32, 48), colour: tuple[int, int, int] = (10, 120, 200)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="PNG")
    return buffer.getvalue()


def form_fields(request: httpx.Request) -> dict[str, str]:
    """The multipart/form-data fields of a request, parsed by the standard library."""
    head = f"Content-Type: {request.headers['content-type']}\r\n\r\n".encode()
    message = BytesParser(_class=EmailMessage, policy=HTTP).parsebytes(head + request.read())
    assert message.is_multipart()
    fields = {}
    for part in message.iter_parts():
        assert part.get_filename() is None, "fields go as plain form parts, not files"
        fields[str(part.get_param("name", header="content-disposition"))] = part.get_content().strip()
    return fields


class Recorder:
    """Answers requests from a script of responses, and keeps the requests and the waits."""

    def __init__(self, *responses: httpx.Response | Exception) -> None:
        self.responses = list(responses)
        self.requests: list[httpx.Request] = []
        self.sleeps: list[float] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.responses.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)


@pytest.fixture(autouse=True)
def keys(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STABILITY_API_KEY", "sk-stability-test")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-openai-test")


def stability(recorder: Recorder, **settings: object) -> StabilityRenderer:
    config = StabilityConfig(base_url="https://stability.test", backoff_s=1.0, **settings)
    return StabilityRenderer(config, transport=httpx.MockTransport(recorder), sleep=recorder.sleep)


def openai(recorder: Recorder, **settings: object) -> OpenAIRenderer:
    config = OpenAIImagesConfig(base_url="https://openai.test/v1", **settings)
    return OpenAIRenderer(config, transport=httpx.MockTransport(recorder), sleep=recorder.sleep)


def image_response(**headers: str) -> httpx.Response:
    return httpx.Response(200, content=png_bytes(), headers={"content-type": "image/png", **headers})


# --- Stability AI ------------------------------------------------------------------------------------


def test_stability_sends_the_documented_request() -> None:
    recorder = Recorder(image_response(**{"finish-reason": "SUCCESS", "seed": "705032705"}))
    image = stability(recorder, style_preset="watercolor").generate(PROMPT)
    assert image.size == (32, 48) and image.getpixel((0, 0)) == (10, 120, 200)
    (request,) = recorder.requests
    assert request.method == "POST"
    assert str(request.url) == "https://stability.test/v2beta/stable-image/generate/core"
    assert request.headers["authorization"] == "Bearer sk-stability-test"
    assert request.headers["accept"] == "image/*"
    assert request.headers["content-type"].startswith("multipart/form-data; boundary=")
    assert form_fields(request) == {
        "prompt": PROMPT.positive,
        "negative_prompt": "blurry",
        "aspect_ratio": "2:3",
        "seed": str(PROMPT.seed % 4_294_967_295),
        "output_format": "png",
        "style_preset": "watercolor",
    }


def test_stability_retries_a_429_after_the_asked_wait() -> None:
    busy = httpx.Response(
        429, json={"name": "rate_limit_exceeded", "errors": ["slow down"]}, headers={"Retry-After": "7"}
    )
    recorder = Recorder(busy, image_response())
    assert stability(recorder).generate(PROMPT).size == (32, 48)
    assert len(recorder.requests) == 2 and recorder.sleeps == [7.0]


def test_stability_401_names_the_variable_and_is_not_retried() -> None:
    recorder = Recorder(httpx.Response(401, json={"name": "unauthorized", "errors": ["bad key"]}))
    with pytest.raises(BackendError, match=r"HTTP 401: the API key in \$STABILITY_API_KEY was refused"):
        stability(recorder).generate(PROMPT)
    assert len(recorder.requests) == 1 and recorder.sleeps == []


def test_stability_500_exhausts_the_retries_with_backoff() -> None:
    failing = [httpx.Response(500, json={"name": "internal_error", "errors": ["boom"]}) for _ in range(3)]
    recorder = Recorder(*failing)
    with pytest.raises(BackendError, match=r"HTTP 500: boom \(after 3 attempt\(s\)\)"):
        stability(recorder, retries=2).generate(PROMPT)
    assert len(recorder.requests) == 3 and recorder.sleeps == [1.0, 2.0]


def test_stability_other_4xx_gives_the_service_words() -> None:
    recorder = Recorder(httpx.Response(400, json={"name": "bad_request", "errors": ["prompt: too long"]}))
    with pytest.raises(BackendError, match="HTTP 400: prompt: too long"):
        stability(recorder).generate(PROMPT)


def test_stability_filtered_image_is_refused() -> None:
    recorder = Recorder(image_response(**{"finish-reason": "CONTENT_FILTERED"}))
    with pytest.raises(BackendError, match="finish-reason CONTENT_FILTERED"):
        stability(recorder).generate(PROMPT)


def test_network_failures_are_retried() -> None:
    recorder = Recorder(httpx.ConnectError("refused"), httpx.ReadTimeout("slow"), image_response())
    assert stability(recorder).generate(PROMPT).size == (32, 48)
    assert recorder.sleeps == [1.0, 2.0]


def test_too_long_retry_after_gives_up_at_once() -> None:
    recorder = Recorder(httpx.Response(503, headers={"Retry-After": "3600"}))
    with pytest.raises(BackendError, match="asked to wait 3600 s"):
        stability(recorder, max_backoff_s=30).generate(PROMPT)
    assert recorder.sleeps == []


def test_missing_key_is_named_before_any_request(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("STABILITY_API_KEY")
    recorder = Recorder()
    renderer = stability(recorder)
    with pytest.raises(BackendError, match="set the environment variable STABILITY_API_KEY"):
        renderer.warm_up()
    with pytest.raises(BackendError, match="STABILITY_API_KEY"):
        renderer.generate(PROMPT)
    assert recorder.requests == []


def test_not_an_image_is_a_backend_error() -> None:
    recorder = Recorder(httpx.Response(200, content=b"<html>proxy login</html>"))
    with pytest.raises(BackendError, match="not an image"):
        stability(recorder).generate(PROMPT)


# --- OpenAI Images -----------------------------------------------------------------------------------


def openai_answer(data: bytes) -> httpx.Response:
    return httpx.Response(200, json={"created": 1700000000, "data": [{"b64_json": base64.b64encode(data).decode()}]})


def test_openai_sends_the_documented_request() -> None:
    recorder = Recorder(openai_answer(png_bytes((40, 60))))
    image = openai(recorder, quality="low").generate(PROMPT)
    assert image.size == (40, 60)
    (request,) = recorder.requests
    assert str(request.url) == "https://openai.test/v1/images/generations"
    assert request.headers["authorization"] == "Bearer sk-openai-test"
    assert json.loads(request.content) == {
        "model": "gpt-image-1", "prompt": PROMPT.positive, "n": 1, "size": "1024x1536", "quality": "low",
    }  # fmt: skip


def test_openai_dalle_asks_for_base64() -> None:
    recorder = Recorder(openai_answer(png_bytes()))
    openai(recorder, model="dall-e-3").generate(PROMPT)
    body = json.loads(recorder.requests[0].content)
    assert body["response_format"] == "b64_json" and body["size"] == "1024x1792"


def test_openai_429_then_200() -> None:
    recorder = Recorder(
        httpx.Response(429, json={"error": {"message": "Rate limit reached"}}), openai_answer(png_bytes())
    )
    assert openai(recorder).generate(PROMPT).size == (32, 48)
    assert recorder.sleeps == [1.0]


def test_openai_401_names_the_variable() -> None:
    recorder = Recorder(httpx.Response(401, json={"error": {"message": "Incorrect API key provided", "code": None}}))
    with pytest.raises(BackendError, match=r"\$OPENAI_API_KEY was refused"):
        openai(recorder).generate(PROMPT)
    assert len(recorder.requests) == 1


def test_openai_500_exhausted() -> None:
    recorder = Recorder(*(httpx.Response(502, text="Bad Gateway") for _ in range(2)))
    with pytest.raises(BackendError, match=r"HTTP 502: Bad Gateway \(after 2 attempt\(s\)\)"):
        openai(recorder, retries=1).generate(PROMPT)


def test_openai_policy_refusal_gives_its_message() -> None:
    refusal = {
        "error": {"message": "Your request was rejected by the safety system", "code": "content_policy_violation"}
    }
    recorder = Recorder(httpx.Response(400, json=refusal))
    with pytest.raises(BackendError, match="HTTP 400: Your request was rejected by the safety system"):
        openai(recorder).generate(PROMPT)


def test_openai_answer_without_image() -> None:
    recorder = Recorder(httpx.Response(200, json={"created": 1, "data": [{"url": "https://example.invalid/x.png"}]}))
    with pytest.raises(BackendError, match="no data"):
        openai(recorder).generate(PROMPT)


# --- sizes and the whole render ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("width", "height", "aspect"), [(512, 512, "1:1"), (512, 768, "2:3"), (1024, 576, "16:9"), (640, 512, "5:4")]
)
def test_nearest_aspect(width: int, height: int, aspect: str) -> None:
    assert nearest_aspect(width, height) == aspect


@pytest.mark.parametrize(
    ("model", "width", "height", "size"),
    [
        ("gpt-image-1", 512, 512, "1024x1024"),
        ("gpt-image-1", 768, 512, "1536x1024"),
        ("dall-e-3", 512, 768, "1024x1792"),
        ("dall-e-2", 512, 512, "512x512"),
    ],
)
def test_nearest_openai_size(model: str, width: int, height: int, size: str) -> None:
    assert nearest_openai_size(model, width, height) == size


def test_render_through_a_remote_backend(tmp_path: Path) -> None:
    recorder = Recorder(image_response())
    artwork = render(PROMPT, RenderConfig(backend="stability"), tmp_path / "r.png", renderer=stability(recorder))
    assert (artwork.backend, artwork.model, artwork.is_test_noise) == ("stability", "core", False)
    _, _, settings = parse_parameters(read_parameters(artwork.image_path) or "")
    assert settings["Model"] == "core" and settings["Sampler"] == "Stability AI core" and settings["Size"] == "32x48"
    assert json.loads(artwork.metadata_path.read_text())["backend"] == "stability"
    with pytest.raises(RenderError, match="painted by the stability service; name local weights"):
        vary(artwork.image_path, RenderConfig())
