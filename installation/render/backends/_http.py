"""What the hosted image services share: one httpx client with the bearer key and the retry policy.

The API key is read from the environment variable the config names (never from config.toml). A 429, a
5xx or a network failure is retried with exponential backoff, honouring ``Retry-After``; any other 4xx
is a ``BackendError`` at once (a 401 names the variable whose key was refused).
"""

from __future__ import annotations

import io
import os
import time
from collections.abc import Callable, Mapping
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any

import httpx

from installation.config import RemoteBackendConfig
from installation.errors import BackendError

if TYPE_CHECKING:
    from PIL import Image

_RETRY_STATUS = frozenset({429, 500, 502, 503, 504})


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


def decode_image(data: bytes, label: str) -> Image.Image:
    from PIL import Image, UnidentifiedImageError

    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except (UnidentifiedImageError, OSError) as exc:
        raise BackendError(f"{label}: the answer is not an image") from exc
    return image.convert("RGB")
