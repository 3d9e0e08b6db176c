"""Remote renderers: the Stability AI REST API (v2beta) and the OpenAI Images API, over httpx.

The API key is read from the environment variable the config names (never from config.toml). A 429, a
5xx or a network failure is retried with exponential backoff, honouring ``Retry-After``; any other 4xx
is a ``BackendError`` at once (a 401 names the variable whose key was refused). No seed reaches the
OpenAI API (it takes none), so only the Stability backend repeats an image for the same seed.
"""

from __future__ import annotations

import base64
import io
import math
import os
import time
from collections.abc import Callable, Mapping
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any

import httpx

from installation.config import OpenAIImagesConfig, RemoteBackendConfig, StabilityConfig
from installation.errors import BackendError

if TYPE_CHECKING:
    from PIL import Image

    from installation.compose import Prompt

# Stability's documented aspect ratios, and the sizes each OpenAI image model accepts.
STABILITY_ASPECTS = ("21:9", "16:9", "3:2", "5:4", "1:1", "4:5", "2:3", "9:16", "9:21")
OPENAI_SIZES = {
    "dall-e-2": ((256, 256), (512, 512), (1024, 1024)),
    "dall-e-3": ((1024, 1024), (1792, 1024), (1024, 1792)),
    "gpt-image": ((1024, 1024), (1536, 1024), (1024, 1536)),
}
_RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
_STABILITY_SEEDS = 4_294_967_295  # the API takes seeds in [0, 4294967294]


class HttpService:
    """One hosted API: a client with base URL, timeout, bearer key and the retry policy."""

    def __init__(
        self,
        label: str,
        settings: RemoteBackendConfig,
        *,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.label = label
        self.settings = settings
        self._sleep = sleep
        self._client = httpx.Client(base_url=settings.base_url, timeout=settings.timeout_s, transport=transport)

    def api_key(self) -> str:
        key = os.environ.get(self.settings.api_key_env, "").strip()
        if not key:
            raise BackendError(f"{self.label}: no API key: set the environment variable {self.settings.api_key_env}")
        return key

    def post(self, path: str, *, headers: Mapping[str, str], **kwargs: Any) -> httpx.Response:
        """POST with retries; returns a 2xx response or raises BackendError."""
        headers = {"Authorization": f"Bearer {self.api_key()}", **headers}
        attempts = self.settings.retries + 1
        for attempt in range(attempts):
            last = attempt == attempts - 1
            try:
                response = self._client.post(path, headers=headers, **kwargs)
            except httpx.TransportError as exc:  # timeouts, refused or dropped connections
                if last:
                    raise BackendError(f"{self.label}: {type(exc).__name__} after {attempts} attempt(s)") from exc
                self._sleep(self._backoff(attempt))
                continue
            if response.is_success:
                return response
            if response.status_code not in _RETRY_STATUS:
                raise BackendError(self._refusal(response))
            if last:
                raise BackendError(f"{self._refusal(response)} (after {attempts} attempt(s))")
            self._sleep(self._wait(response, attempt))
        raise AssertionError("unreachable: the last attempt returns or raises")

    def close(self) -> None:
        self._client.close()

    def _backoff(self, attempt: int) -> float:
        return float(min(self.settings.max_backoff_s, self.settings.backoff_s * 2**attempt))

    def _wait(self, response: httpx.Response, attempt: int) -> float:
        """Retry-After (seconds or an HTTP date) when the server sends one, else exponential backoff."""
        header = response.headers.get("Retry-After")
        if header is None:
            return self._backoff(attempt)
        try:
            wait = float(header)
        except ValueError:
            try:
                wait = parsedate_to_datetime(header).timestamp() - time.time()
            except (TypeError, ValueError):
                return self._backoff(attempt)
        wait = max(0.0, wait)
        if wait > self.settings.max_backoff_s:
            raise BackendError(
                f"{self.label}: HTTP {response.status_code}, asked to wait {wait:.0f} s "
                f"(more than max_backoff_s = {self.settings.max_backoff_s:g})"
            )
        return wait

    def _refusal(self, response: httpx.Response) -> str:
        code = response.status_code
        if code == 401:
            return f"{self.label}: HTTP 401: the API key in ${self.settings.api_key_env} was refused"
        return f"{self.label}: HTTP {code}: {_error_detail(response)}"


class StabilityRenderer:
    """Stability AI ``POST /v2beta/stable-image/generate/{core|ultra|sd3}`` (multipart in, image bytes out)."""

    name = "stability"
    is_test_noise = False

    def __init__(
        self,
        settings: StabilityConfig,
        *,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.settings = settings
        self.model: str = settings.model
        self._http = HttpService("Stability AI", settings, transport=transport, sleep=sleep)

    def warm_up(self) -> None:
        self._http.api_key()  # fail at start-up, not at the first visitor, when the key is missing

    def sampler(self, prompt: Prompt) -> str:
        return f"Stability AI {self.model}"

    def generate(self, prompt: Prompt) -> Image.Image:
        fields = {
            "prompt": prompt.positive,
            "aspect_ratio": nearest_aspect(prompt.width, prompt.height),
            "seed": str(prompt.seed % _STABILITY_SEEDS),
            "output_format": "png",
        }
        if prompt.negative:
            fields["negative_prompt"] = prompt.negative
        if self.settings.style_preset:
            fields["style_preset"] = self.settings.style_preset
        # Every field as a multipart part without a file name: the endpoint accepts only multipart/form-data.
        response = self._http.post(
            f"/v2beta/stable-image/generate/{self.model}",
            headers={"Accept": "image/*"},
            files={key: (None, value) for key, value in fields.items()},
        )
        reason = response.headers.get("finish-reason", "SUCCESS")
        if reason != "SUCCESS":
            raise BackendError(f"Stability AI: no usable image (finish-reason {reason})")
        return _decode_image(response.content, "Stability AI")

    def close(self) -> None:
        self._http.close()


class OpenAIRenderer:
    """OpenAI ``POST /v1/images/generations`` (JSON in, base64 PNG out). It has no negative prompt and no seed."""

    name = "openai"
    is_test_noise = False

    def __init__(
        self,
        settings: OpenAIImagesConfig,
        *,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.settings = settings
        self.model = settings.model
        self._http = HttpService("OpenAI Images", settings, transport=transport, sleep=sleep)

    def warm_up(self) -> None:
        self._http.api_key()

    def sampler(self, prompt: Prompt) -> str:
        return f"OpenAI {self.model}"

    def generate(self, prompt: Prompt) -> Image.Image:
        body: dict[str, Any] = {
            "model": self.model,
            "prompt": prompt.positive,
            "n": 1,
            "size": self.settings.size or nearest_openai_size(self.model, prompt.width, prompt.height),
        }
        if self.model.startswith("dall-e"):
            body["response_format"] = "b64_json"  # GPT image models always answer in base64 and refuse the key
        if self.settings.quality:
            body["quality"] = self.settings.quality
        response = self._http.post("/images/generations", headers={"Accept": "application/json"}, json=body)
        try:
            encoded = response.json()["data"][0]["b64_json"]
            data = base64.b64decode(encoded, validate=True)
        except (ValueError, KeyError, IndexError, TypeError) as exc:
            raise BackendError("OpenAI Images: the answer has no data[0].b64_json image") from exc
        return _decode_image(data, "OpenAI Images")

    def close(self) -> None:
        self._http.close()


def nearest_aspect(width: int, height: int) -> str:
    """The Stability aspect ratio closest to width:height."""

    def distance(aspect: str) -> float:
        w, h = (int(x) for x in aspect.split(":"))
        return abs(math.log((w / h) / (width / height)))

    return min(STABILITY_ASPECTS, key=distance)


def nearest_openai_size(model: str, width: int, height: int) -> str:
    """The size the OpenAI model accepts whose shape is closest to width x height."""
    family = next((key for key in OPENAI_SIZES if model.startswith(key)), "gpt-image")
    best = min(
        OPENAI_SIZES[family],
        key=lambda s: (abs(math.log((s[0] / s[1]) / (width / height))), abs(s[0] * s[1] - width * height)),
    )
    return f"{best[0]}x{best[1]}"


def _error_detail(response: httpx.Response) -> str:
    """The service's own words: OpenAI's ``error.message`` or Stability's ``errors`` list, else the reason."""
    try:
        body = response.json()
    except ValueError:
        return response.reason_phrase or "error"
    if isinstance(body, dict):
        error = body.get("error")
        if isinstance(error, dict) and error.get("message"):
            return str(error["message"])
        errors = body.get("errors")
        if isinstance(errors, list) and errors:
            return "; ".join(str(e) for e in errors)
        if body.get("message"):
            return str(body["message"])
    return response.reason_phrase or "error"


def _decode_image(data: bytes, label: str) -> Image.Image:
    from PIL import Image, UnidentifiedImageError

    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except (UnidentifiedImageError, OSError) as exc:
        raise BackendError(f"{label}: the answer is not an image") from exc
    return image.convert("RGB")
