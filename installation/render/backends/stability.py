"""Stability AI REST v2beta: ``POST /v2beta/stable-image/generate/{core|ultra|sd3}`` (multipart in, image out)."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

import httpx

from installation.compose.prompt import Prompt
from installation.config import StabilityConfig
from installation.errors import BackendError
from installation.render.backends._http import HttpService, decode_image
from installation.render.base import Backend

if TYPE_CHECKING:
    from PIL import Image

# Stability's documented aspect ratios.
STABILITY_ASPECTS = ("21:9", "16:9", "3:2", "5:4", "1:1", "4:5", "2:3", "9:16", "9:21")
_STABILITY_SEEDS = 4_294_967_295  # the API takes seeds in [0, 4294967294]


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
        return decode_image(response.content, "Stability AI")

    def close(self) -> None:
        self._http.close()


def nearest_aspect(width: int, height: int) -> str:
    """The Stability aspect ratio closest to width:height."""

    def distance(aspect: str) -> float:
        w, h = (int(x) for x in aspect.split(":"))
        return abs(math.log((w / h) / (width / height)))

    return min(STABILITY_ASPECTS, key=distance)


BACKEND = Backend(
    "stability",
    lambda config, model: StabilityRenderer(config.stability),
    lambda config, model: config.stability,
)
