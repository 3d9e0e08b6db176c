"""A real HTTP server on 127.0.0.1 (a free port) for the remote backends' tests, and fakes of each service.

Each fake implements its service's documented request and response shapes and checks them: a request
of the wrong shape gets the 400 the real service would give, so a client that drifts from the
documentation fails its test. The server stops when its ``with`` block ends, and by itself after
``lifetime_s`` at the latest, so a stuck test never leaves it running.
"""

from __future__ import annotations

import base64
import io
import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from PIL import Image


@dataclass(frozen=True)
class Exchange:
    """One request as the server received it."""

    method: str
    path: str
    headers: dict[str, str]  # lower-case names
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    def form(self) -> dict[str, list[str]]:
        return parse_qs(self.body.decode())

    def multipart(self) -> dict[str, str] | None:
        """The multipart/form-data fields (plain parts only), or None when the body is not multipart."""
        kind = self.headers.get("content-type", "")
        if not kind.startswith("multipart/form-data"):
            return None
        head = f"Content-Type: {kind}\r\n\r\n".encode()
        message = BytesParser(_class=EmailMessage, policy=HTTP).parsebytes(head + self.body)
        if not message.is_multipart():
            return None
        fields: dict[str, str] = {}
        for part in message.iter_parts():
            if part.get_filename() is not None:
                return None
            fields[str(part.get_param("name", header="content-disposition"))] = str(part.get_content()).strip()
        return fields


@dataclass(frozen=True)
class Reply:
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def json(cls, status: int, data: object, **headers: str) -> Reply:
        return cls(status, json.dumps(data).encode(), {"Content-Type": "application/json", **headers})


Route = Callable[[Exchange], Reply]


class LoopbackServer:
    """``with LoopbackServer(route) as server:`` serves ``route`` at ``server.url`` on 127.0.0.1."""

    def __init__(self, route: Route, *, lifetime_s: float = 30.0) -> None:
        self.route = route
        self.lifetime_s = lifetime_s
        self.exchanges: list[Exchange] = []
        self.faults: list[Reply] = []  # answered first, in order, before the route is asked
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._watchdog: threading.Timer | None = None

    @property
    def url(self) -> str:
        assert self._server is not None, "the server is not running"
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def __enter__(self) -> LoopbackServer:
        owner = self

        class Handler(BaseHTTPRequestHandler):
            timeout = 5  # a client that stalls mid-request does not hold a thread for long

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                exchange = Exchange(
                    self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, self.rfile.read(length)
                )
                reply = owner._answer(exchange)
                self.send_response(reply.status)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                self.wfile.write(reply.body)

            do_GET = do_POST

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        self._watchdog = threading.Timer(self.lifetime_s, self._server.shutdown)
        self._watchdog.daemon = True
        self._watchdog.start()
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._server is not None and self._thread is not None and self._watchdog is not None
        self._watchdog.cancel()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def _answer(self, exchange: Exchange) -> Reply:
        with self._lock:
            self.exchanges.append(exchange)
            if self.faults:
                return self.faults.pop(0)
        return self.route(exchange)


def png_bytes(size: tuple[int, int] = (32, 48), colour: tuple[int, int, int] = (10, 120, 200)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="PNG")
    return buffer.getvalue()


# --- the services, as documented -----------------------------------------------------------------------

STABILITY_ASPECTS = {"21:9", "16:9", "3:2", "5:4", "1:1", "4:5", "2:3", "9:16", "9:21"}


def stability_api(key: str) -> Route:
    """Stability AI v2beta ``POST /v2beta/stable-image/generate/{core|ultra|sd3}``: multipart in, image out."""

    def route(x: Exchange) -> Reply:
        def bad(status: int, *errors: str) -> Reply:
            return Reply.json(status, {"id": "x", "name": "bad_request", "errors": list(errors)})

        model = x.path.removeprefix("/v2beta/stable-image/generate/")
        if x.method != "POST" or model not in ("core", "ultra", "sd3"):
            return bad(404, f"no route {x.method} {x.path}")
        if x.headers.get("authorization") != f"Bearer {key}":
            return Reply.json(401, {"name": "unauthorized", "errors": ["authorization: invalid key"]})
        fields = x.multipart()
        if fields is None:
            return bad(400, "the body must be multipart/form-data with plain fields")
        if not fields.get("prompt"):
            return bad(400, "prompt: cannot be empty")
        if fields.get("aspect_ratio", "1:1") not in STABILITY_ASPECTS:
            return bad(400, f"aspect_ratio: {fields['aspect_ratio']} is not valid")
        if not 0 <= int(fields.get("seed", "0")) <= 4_294_967_294:
            return bad(400, "seed: out of range")
        if fields.get("output_format", "png") not in ("png", "jpeg", "webp"):
            return bad(400, "output_format: invalid")
        if x.headers.get("accept") not in ("image/*", "application/json"):
            return bad(400, "accept: must be image/* or application/json")
        if "blocked" in fields["prompt"]:
            return Reply(200, png_bytes(), {"Content-Type": "image/png", "finish-reason": "CONTENT_FILTERED"})
        return Reply(200, png_bytes(), {"Content-Type": "image/png", "finish-reason": "SUCCESS",
                                        "seed": fields.get("seed", "0")})  # fmt: skip

    return route


OPENAI_SIZES = {
    "dall-e-2": {"256x256", "512x512", "1024x1024"},
    "dall-e-3": {"1024x1024", "1792x1024", "1024x1792"},
    "gpt-image-1": {"1024x1024", "1536x1024", "1024x1536", "auto"},
}


def openai_api(key: str) -> Route:
    """OpenAI Images ``POST /v1/images/generations``: JSON in, ``data[].b64_json`` out."""

    def route(x: Exchange) -> Reply:
        def bad(status: int, message: str, code: str | None = None) -> Reply:
            return Reply.json(status, {"error": {"message": message, "type": "invalid_request_error", "code": code}})

        if x.method != "POST" or x.path != "/v1/images/generations":
            return bad(404, f"Invalid URL ({x.method} {x.path})")
        if x.headers.get("authorization") != f"Bearer {key}":
            return bad(401, "Incorrect API key provided", "invalid_api_key")
        if not x.headers.get("content-type", "").startswith("application/json"):
            return bad(400, "the body must be JSON")
        body = x.json()
        model = body.get("model", "dall-e-2")
        if model not in OPENAI_SIZES:
            return bad(400, f"Invalid model {model}")
        if not isinstance(body.get("prompt"), str) or not body["prompt"]:
            return bad(400, "prompt: required")
        if body.get("size", "1024x1024") not in OPENAI_SIZES[model]:
            return bad(400, f"Invalid size {body['size']} for {model}")
        if model.startswith("gpt-image") and "response_format" in body:
            return bad(400, "Unknown parameter: 'response_format'.")
        if model.startswith("dall-e") and body.get("response_format") != "b64_json":
            return Reply.json(200, {"created": 1, "data": [{"url": "https://images.invalid/x.png"}]})
        if "blocked" in body["prompt"]:
            return bad(400, "Your request was rejected by the safety system", "content_policy_violation")
        encoded = base64.b64encode(png_bytes((40, 60))).decode()
        return Reply.json(200, {"created": 1700000000, "data": [{"b64_json": encoded}]})

    return route


IMAGEN_ASPECTS = {"1:1", "3:4", "4:3", "9:16", "16:9"}
IMAGEN_PARAMETERS = {
    "sampleCount", "seed", "aspectRatio", "negativePrompt", "addWatermark", "enhancePrompt", "includeRaiReason",
    "outputOptions", "personGeneration", "safetySetting", "language", "storageUri",
}  # fmt: skip


def vertex_api(token: str, project: str, location: str) -> Route:
    """Vertex AI ``POST /v1/projects/P/locations/L/publishers/google/models/M:predict`` for Imagen."""
    prefix = f"/v1/projects/{project}/locations/{location}/publishers/google/models/"

    def route(x: Exchange) -> Reply:
        def bad(status: int, message: str, state: str = "INVALID_ARGUMENT") -> Reply:
            return Reply.json(status, {"error": {"code": status, "message": message, "status": state}})

        if x.method != "POST" or not x.path.startswith(prefix) or not x.path.endswith(":predict"):
            return bad(404, f"The requested URL {x.path} was not found.", "NOT_FOUND")
        if x.headers.get("authorization") != f"Bearer {token}":
            return bad(401, "Request had invalid authentication credentials.", "UNAUTHENTICATED")
        body = x.json()
        instances, parameters = body.get("instances"), body.get("parameters", {})
        if not isinstance(instances, list) or not instances or not instances[0].get("prompt"):
            return bad(400, "instances[0].prompt is required")
        unknown = set(parameters) - IMAGEN_PARAMETERS
        if unknown:
            return bad(400, f"Invalid JSON payload received. Unknown name {sorted(unknown)[0]!r}")
        count = parameters.get("sampleCount", 4)
        if not isinstance(count, int) or not 1 <= count <= 4:
            return bad(400, "sampleCount must be in [1, 4]")
        if parameters.get("aspectRatio", "1:1") not in IMAGEN_ASPECTS:
            return bad(400, f"Unsupported aspect ratio {parameters['aspectRatio']}")
        if "seed" in parameters and parameters.get("addWatermark", True):
            return bad(400, "Seed is not supported when watermark is enabled.")
        if "seed" in parameters and not 1 <= parameters["seed"] <= 2**31 - 1:
            return bad(400, "seed out of range")
        prompt = instances[0]["prompt"]
        if "blocked" in prompt:
            reason = "Your current safety filter threshold filtered out 1 generated image" if \
                parameters.get("includeRaiReason") else None  # fmt: skip
            return Reply.json(200, {"predictions": [{"raiFilteredReason": reason}]} if reason else {})
        encoded = base64.b64encode(png_bytes((24, 32))).decode()
        predictions = [{"bytesBase64Encoded": encoded, "mimeType": "image/png"} for _ in range(count)]
        return Reply.json(200, {"predictions": predictions})

    return route


def google_token_api(client_id: str, client_secret: str, refresh_token: str, access_token: str) -> Route:
    """Google's OAuth 2.0 token endpoint, refresh-token grant (form in, JSON out)."""

    def route(x: Exchange) -> Reply:
        if x.method != "POST" or x.path != "/token":
            return Reply.json(404, {"error": "not_found"})
        if "authorization" in x.headers:
            return Reply.json(400, {"error": "invalid_request", "error_description": "unexpected Authorization"})
        form = {k: v[0] for k, v in x.form().items()}
        if form.get("grant_type") != "refresh_token":
            return Reply.json(400, {"error": "unsupported_grant_type", "error_description": "Invalid grant_type"})
        if (form.get("client_id"), form.get("client_secret")) != (client_id, client_secret):
            return Reply.json(401, {"error": "invalid_client", "error_description": "Unauthorized"})
        if form.get("refresh_token") != refresh_token:
            revoked = {"error": "invalid_grant", "error_description": "Token has been expired or revoked."}
            return Reply.json(400, revoked)
        return Reply.json(200, {"access_token": access_token, "expires_in": 3599, "token_type": "Bearer",
                                "scope": "https://www.googleapis.com/auth/cloud-platform"})  # fmt: skip

    return route


def routes(table: dict[str, Route]) -> Route:
    """Several services on one server, by the first path segment that differs (``/token`` vs the rest)."""

    def route(x: Exchange) -> Reply:
        path = urlsplit(x.path).path
        for prefix, handler in table.items():
            if path.startswith(prefix):
                return handler(x)
        return Reply.json(404, {"error": f"no route {path}"})

    return route


@dataclass
class Served:
    """A started server and what the test needs of it."""

    server: LoopbackServer
    url: str


def serve(route: Route) -> Iterator[Served]:
    """For fixtures: ``yield from serve(route)``."""
    with LoopbackServer(route) as server:
        yield Served(server, server.url)
