"""OpenAI Images: ``POST /v1/images/generations`` (JSON in, base64 PNG out). No negative prompt, no seed."""

from __future__ import annotations

import base64
import math
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import httpx

from installation.compose.prompt import Prompt
from installation.config import OpenAIImagesConfig
from installation.errors import BackendError
from installation.render.backends._http import HttpService, decode_image
from installation.render.base import Backend

if TYPE_CHECKING:
    from PIL import Image

# The sizes each OpenAI image model accepts.
OPENAI_SIZES = {
    "dall-e-2": ((256, 256), (512, 512), (1024, 1024)),
    "dall-e-3": ((1024, 1024), (1792, 1024), (1024, 1792)),
    "gpt-image": ((1024, 1024), (1536, 1024), (1024, 1536)),
}


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
        return decode_image(data, "OpenAI Images")

    def close(self) -> None:
        self._http.close()


def nearest_openai_size(model: str, width: int, height: int) -> str:
    """The size the OpenAI model accepts whose shape is closest to width x height."""
    family = next((key for key in OPENAI_SIZES if model.startswith(key)), "gpt-image")
    best = min(
        OPENAI_SIZES[family],
        key=lambda s: (abs(math.log((s[0] / s[1]) / (width / height))), abs(s[0] * s[1] - width * height)),
    )
    return f"{best[0]}x{best[1]}"


BACKEND = Backend(
    "openai",
    lambda config, model: OpenAIRenderer(config.openai),
    lambda config, model: config.openai,
)
