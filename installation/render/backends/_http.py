"""What the hosted image services share: one httpx client with the bearer key and the retry policy.

The API key is read from the environment variable the config names (never from config.toml), or from
another ``Credentials`` (Imagen's application-default credentials). A 429, a 5xx or a network failure
is retried with exponential backoff, honouring ``Retry-After``; any other 4xx is a ``BackendError`` at
once (a 401 names where the refused key came from, never the key).
"""

from __future__ import annotations

import io
import os
import time
from collections.abc import Callable, Mapping
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any, Protocol

import httpx

from installation.config import RemoteBackendConfig
from installation.errors import BackendError

if TYPE_CHECKING:
    from PIL import Image

_RETRY_STATUS = frozenset({429, 500, 502, 503, 504})


class Credentials(Protocol):
    """Where a service's bearer token comes from."""

    def token(self, service: HttpService) -> str:
        """The bearer token; a BackendError naming what to set when there is none."""
        ...

    def source(self) -> str:
        """Where the token came from, for a 401 message (``the API key in $X``); never the token."""
        ...


class EnvKey:
    """An API key in the environment variable the config names."""

    def __init__(self, label: str, variable: str) -> None:
        self.label = label
        self.variable = variable

    def token(self, service: HttpService) -> str:
        key = os.environ.get(self.variable, "").strip()
        if not key:
            raise BackendError(f"{self.label}: no API key: set the environment variable {self.variable}")
        return key

    def source(self) -> str:
        return f"the API key in ${self.variable}"


class HttpService:
    """One hosted API: a client with base URL, timeout, bearer key and the retry policy."""

    def __init__(
        self,
        label: str,
        settings: RemoteBackendConfig,
        *,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
        credentials: Credentials | None = None,
        base_url: str | None = None,
    ) -> None:
        self.label = label
        self.settings = settings
        self.credentials = credentials or EnvKey(label, settings.api_key_env)
        self._sleep = sleep
        self._client = httpx.Client(
            base_url=base_url or settings.base_url, timeout=settings.timeout_s, transport=transport
        )

    def api_key(self) -> str:
        return self.credentials.token(self)

    def post(
        self, path: str, *, headers: Mapping[str, str], bearer: bool = True, **kwargs: Any
    ) -> httpx.Response:
        """POST with retries; returns a 2xx response or raises BackendError.

        ``path`` is relative to the base URL, or absolute (a token endpoint); ``bearer=False`` sends no key.
        """
        if bearer:
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
            return f"{self.label}: HTTP 401: {self.credentials.source()} was refused"
        return f"{self.label}: HTTP {code}: {_error_detail(response)}"


def _error_detail(response: httpx.Response) -> str:
    """The service's own words: OpenAI's and Google's ``error.message``, Stability's ``errors`` list, an
    OAuth ``error_description``, else the reason."""
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
        if isinstance(error, str) and body.get("error_description"):
            return f"{error}: {body['error_description']}"
        if body.get("message"):
            return str(body["message"])
    return response.reason_phrase or "error"


def decode_image(data: bytes, label: str) -> Image.Image:
    from PIL import Image, UnidentifiedImageError

    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except (UnidentifiedImageError, OSError) as exc:
        raise BackendError(f"{label}: the answer is not an image") from exc
    return image.convert("RGB")
