"""Imagen on Vertex AI: ``POST {base}/projects/P/locations/L/publishers/google/models/M:predict`` (JSON in and out).

The request carries ``instances[0].prompt`` and ``parameters`` (``sampleCount``, ``aspectRatio``,
``seed``, ``negativePrompt``, ``addWatermark``, ...); the answer carries
``predictions[].bytesBase64Encoded``. A prompt Google's filters refuse comes back without an image
(with ``raiFilteredReason``, which we ask for).

The bearer token is ``$api_key_env`` when it is set; otherwise it is refreshed from the gcloud
application-default credentials file (``gcloud auth application-default login`` writes an
``authorized_user`` file holding a refresh token) against ``token_url``, and kept until shortly before
it expires. Neither the token nor the file's secrets ever appear in a message.
"""

from __future__ import annotations

import base64
import json
import math
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx

from installation.compose.prompt import Prompt
from installation.config import ImagenConfig
from installation.errors import BackendError
from installation.render.backends._http import HttpService, decode_image
from installation.render.base import Backend

if TYPE_CHECKING:
    from PIL import Image

LABEL = "Imagen on Vertex AI"
# Imagen's documented aspect ratios.
IMAGEN_ASPECTS = ("1:1", "3:4", "4:3", "9:16", "16:9")
# The models documented to take a negative prompt (later ones refuse the parameter).
_NEGATIVE_MODELS = ("imagegeneration@", "imagen-3.0-generate-001", "imagen-3.0-fast-generate-001")
_SEEDS = 2**31 - 1  # the API takes seeds in [1, 2147483647]
_EARLY_S = 60.0  # refresh a token this long before Google says it expires


def default_credentials_file() -> Path:
    """Where gcloud writes the application-default credentials."""
    if os.name == "nt" and os.environ.get("APPDATA"):
        return Path(os.environ["APPDATA"]) / "gcloud" / "application_default_credentials.json"
    config = os.environ.get("CLOUDSDK_CONFIG") or str(Path.home() / ".config" / "gcloud")
    return Path(config) / "application_default_credentials.json"


class VertexCredentials:
    """``$api_key_env`` if set, else an access token refreshed from the application-default credentials."""

    def __init__(self, settings: ImagenConfig, clock: Callable[[], float] = time.monotonic) -> None:
        self.settings = settings
        self._clock = clock
        self._lock = threading.Lock()
        self._token: str | None = None
        self._expires = 0.0
        self._used_file = False

    def file(self) -> Path:
        if self.settings.credentials_file is not None:
            return self.settings.credentials_file.expanduser()
        named = os.environ.get("GOOGLE_APPLICATION_CREDENTIALS", "").strip()
        return Path(named).expanduser() if named else default_credentials_file()

    def token(self, service: HttpService) -> str:
        key = os.environ.get(self.settings.api_key_env, "").strip()
        if key:
            self._used_file = False
            return key
        with self._lock:
            self._used_file = True
            if self._token is None or self._clock() >= self._expires:
                self._token, lifetime = self._refresh(service)
                self._expires = self._clock() + max(0.0, lifetime - _EARLY_S)
            return self._token

    def quota_project(self) -> str | None:
        """The ``quota_project_id`` of the credentials file, when the token came from it."""
        if not self._used_file:
            return None
        value = self._read_file().get("quota_project_id")
        return str(value) if value else None

    def source(self) -> str:
        if self._used_file:
            return f"the access token from the application-default credentials in {self.file()}"
        return f"the access token in ${self.settings.api_key_env}"

    def _read_file(self) -> dict[str, Any]:
        path = self.file()
        variable = self.settings.api_key_env
        if not path.is_file():
            raise BackendError(
                f"{LABEL}: no access token: set the environment variable {variable} "
                f"(gcloud auth print-access-token) or run gcloud auth application-default login (no {path})"
            )
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            raise BackendError(f"{LABEL}: the credentials file {path} is not readable JSON") from exc
        if not isinstance(data, dict):
            raise BackendError(f"{LABEL}: the credentials file {path} is not a JSON object")
        return data

    def _refresh(self, service: HttpService) -> tuple[str, float]:
        """The OAuth refresh-token grant of an ``authorized_user`` file: (access token, lifetime in s)."""
        # 1. Read the file and check it is the kind we can use.
        path = self.file()
        data = self._read_file()
        kind = data.get("type")
        if kind != "authorized_user":
            raise BackendError(
                f"{LABEL}: the credentials in {path} are of type {kind!r}; only 'authorized_user' "
                f"(gcloud auth application-default login) is read here, or set ${self.settings.api_key_env}"
            )
        missing = [k for k in ("client_id", "client_secret", "refresh_token") if not data.get(k)]
        if missing:
            raise BackendError(f"{LABEL}: the credentials in {path} lack {', '.join(missing)}")
        # 2. Exchange the refresh token (no bearer header: the form is the credential).
        form = {
            "grant_type": "refresh_token",
            "client_id": str(data["client_id"]),
            "client_secret": str(data["client_secret"]),
            "refresh_token": str(data["refresh_token"]),
        }
        try:
            response = service.post(self.settings.token_url, headers={"Accept": "application/json"}, bearer=False,
                                    data=form)  # fmt: skip
        except BackendError as exc:
            raise BackendError(
                f"{exc} (refreshing the application-default credentials in {path}; "
                "run gcloud auth application-default login again)"
            ) from exc
        # 3. The token and how long it lives.
        try:
            answer = response.json()
            token = str(answer["access_token"])
            lifetime = float(answer.get("expires_in", 3600))
        except (ValueError, KeyError, TypeError) as exc:
            raise BackendError(f"{LABEL}: the token endpoint's answer has no access_token") from exc
        return token, lifetime


class ImagenRenderer:
    """Imagen on Vertex AI ``:predict`` (JSON in, base64 PNG out), one sample per prompt."""

    name = "imagen"
    is_test_noise = False

    def __init__(
        self,
        settings: ImagenConfig,
        *,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.settings = settings
        self.model = settings.model
        self.credentials = VertexCredentials(settings, clock)
        self._http = HttpService(
            LABEL, settings, transport=transport, sleep=sleep, credentials=self.credentials,
            base_url=settings.endpoint(),
        )  # fmt: skip

    def warm_up(self) -> None:
        if not self.settings.project:
            raise BackendError(f"{LABEL}: set render.imagen.project to the Google Cloud project id")
        self._http.api_key()  # a missing token or an unusable credentials file stops the start, not a visitor

    def sampler(self, prompt: Prompt) -> str:
        return f"Imagen {self.model}"

    def path(self) -> str:
        s = self.settings
        return f"/projects/{s.project}/locations/{s.location}/publishers/google/models/{s.model}:predict"

    def request_body(self, prompt: Prompt) -> dict[str, Any]:
        """The documented ``:predict`` body for one image."""
        parameters: dict[str, Any] = {
            "sampleCount": 1,
            "aspectRatio": nearest_imagen_aspect(prompt.width, prompt.height),
            "addWatermark": self.settings.add_watermark,
            "includeRaiReason": True,
            "outputOptions": {"mimeType": "image/png"},
        }
        if not self.settings.add_watermark:  # the API refuses a seed while the watermark is on
            parameters["seed"] = prompt.seed % _SEEDS + 1
        takes_negative = self.settings.negative_prompt
        if takes_negative is None:
            takes_negative = self.model.startswith(_NEGATIVE_MODELS)
        if prompt.negative and takes_negative:
            parameters["negativePrompt"] = prompt.negative
        if self.settings.person_generation:
            parameters["personGeneration"] = self.settings.person_generation
        return {"instances": [{"prompt": prompt.positive}], "parameters": parameters}

    def generate(self, prompt: Prompt) -> Image.Image:
        if not self.settings.project:
            raise BackendError(f"{LABEL}: set render.imagen.project to the Google Cloud project id")
        body = self.request_body(prompt)
        token = self._http.api_key()  # first, so the quota project is known
        headers = {"Accept": "application/json", "Authorization": f"Bearer {token}"}
        quota = self.credentials.quota_project()
        if quota:
            headers["x-goog-user-project"] = quota
        response = self._http.post(self.path(), headers=headers, bearer=False, json=body)
        return decode_image(_first_image(response), LABEL)

    def close(self) -> None:
        self._http.close()


def _first_image(response: httpx.Response) -> bytes:
    """The first prediction's bytes; a refusal by Google's filters is named as one."""
    try:
        answer = response.json()
    except ValueError as exc:
        raise BackendError(f"{LABEL}: the answer is not JSON") from exc
    predictions = answer.get("predictions") if isinstance(answer, dict) else None
    if not predictions:
        raise BackendError(f"{LABEL}: no image: the prompt or the image was refused by Google's safety filters")
    first = predictions[0] if isinstance(predictions, list) else None
    if not isinstance(first, dict):
        raise BackendError(f"{LABEL}: the answer's predictions are not objects")
    if not first.get("bytesBase64Encoded"):
        reason = first.get("raiFilteredReason")
        if reason:
            raise BackendError(f"{LABEL}: no image: refused by Google's safety filters ({reason})")
        raise BackendError(f"{LABEL}: the answer has no predictions[0].bytesBase64Encoded image")
    try:
        return base64.b64decode(str(first["bytesBase64Encoded"]), validate=True)
    except ValueError as exc:
        raise BackendError(f"{LABEL}: predictions[0].bytesBase64Encoded is not base64") from exc


def nearest_imagen_aspect(width: int, height: int) -> str:
    """The Imagen aspect ratio closest to width:height."""

    def distance(aspect: str) -> float:
        w, h = (int(x) for x in aspect.split(":"))
        return abs(math.log((w / h) / (width / height)))

    return min(IMAGEN_ASPECTS, key=distance)


BACKEND = Backend(
    "imagen",
    lambda config, model: ImagenRenderer(config.imagen),
    lambda config, model: config.imagen,
)
