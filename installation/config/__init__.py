"""config.toml: loaded once at start-up, validated into typed models, every key with a default.

An unknown key or a wrong value stops with the file and the key named (``config.toml: render.stpes:
unknown key``); nothing is silently ignored. Each section is one model; a stage reads only its own.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError, field_validator, model_validator

from extractors.settings import DescribeConfig, ExtractConfig, FetchLimits, Section
from installation.config.compose import (
    PORTRAIT_SLOTS,
    STYLE_SLOTS,
    TEMPLATE_SLOTS,
    WORD_SLOTS,
    ComposeConfig,
    PolicyCategoryConfig,
    PolicyConfig,
    SceneConfig,
    StyleConfig,
    template_slots,
)
from installation.errors import ConfigError

# The whole schema is read from here; the compose stage's sections live in installation.config.compose.
__all__ = [
    "DEFAULT_CONFIG",
    "PORTRAIT_SLOTS",
    "STYLE_SLOTS",
    "TEMPLATE_SLOTS",
    "WORD_SLOTS",
    "BackendSection",
    "ComposeConfig",
    "Config",
    "ImagenConfig",
    "KioskConfig",
    "OpenAIImagesConfig",
    "PartyConfig",
    "PolicyCategoryConfig",
    "PolicyConfig",
    "ProvenanceConfig",
    "RemoteBackendConfig",
    "RenderConfig",
    "RetentionConfig",
    "SceneConfig",
    "StabilityConfig",
    "StoreConfig",
    "StreamConfig",
    "StyleConfig",
    "VqganClipConfig",
    "WallConfig",
    "WorkerConfig",
    "load_config",
    "parse_config",
    "template_slots",
]

DEFAULT_CONFIG = Path("config.toml")


class BackendSection(Section):
    """A backend's own table under [render]: the field's name in RenderConfig is the backend's name."""


class RemoteBackendConfig(BackendSection):
    """A hosted image service: where it is, which key, how long to wait and how often to retry."""

    base_url: str
    api_key_env: str  # the NAME of the environment variable holding the key, never the key itself
    model: str
    timeout_s: float = Field(120.0, gt=0)
    retries: int = Field(3, ge=0, le=10)  # extra attempts after a 429, a 5xx or a network failure
    backoff_s: float = Field(1.0, ge=0)  # first wait; doubles each retry unless Retry-After says otherwise
    max_backoff_s: float = Field(30.0, ge=0)


class StabilityConfig(RemoteBackendConfig):
    """Stability AI REST v2beta ``/v2beta/stable-image/generate/{model}``."""

    base_url: str = "https://api.stability.ai"
    api_key_env: str = "STABILITY_API_KEY"
    model: Literal["core", "ultra", "sd3"] = "core"
    style_preset: str | None = None


class OpenAIImagesConfig(RemoteBackendConfig):
    """OpenAI Images ``POST /v1/images/generations``."""

    base_url: str = "https://api.openai.com/v1"
    api_key_env: str = "OPENAI_API_KEY"
    model: str = "gpt-image-1"
    size: str | None = None  # e.g. "1024x1024"; None: the supported size nearest the prompt's shape
    quality: str | None = None


class ImagenConfig(RemoteBackendConfig):
    """Imagen on Vertex AI ``POST {base_url}/projects/P/locations/L/publishers/google/models/M:predict``.

    The bearer token is ``$api_key_env`` when set (``gcloud auth print-access-token``), else one
    refreshed from the gcloud application-default credentials file (``authorized_user``).
    """

    base_url: str = "https://{location}-aiplatform.googleapis.com/v1"  # {location} is filled in
    api_key_env: str = "VERTEX_ACCESS_TOKEN"
    model: str = "imagen-3.0-generate-002"
    project: str = ""  # the Google Cloud project id; required when render.backend = "imagen"
    location: str = Field("us-central1", pattern=r"^[a-z0-9-]+$")
    credentials_file: Path | None = None  # None: $GOOGLE_APPLICATION_CREDENTIALS, else gcloud's ADC file
    token_url: str = "https://oauth2.googleapis.com/token"
    add_watermark: bool = True  # Google's SynthID mark; the API takes no seed while it is on
    negative_prompt: bool | None = None  # None: sent only to the models documented to take one
    person_generation: Literal["dont_allow", "allow_adult", "allow_all"] | None = None  # None: Google's default

    @field_validator("base_url")
    @classmethod
    def _only_location_slot(cls, value: str) -> str:
        template_slots(value, ("location",))
        return value

    def endpoint(self) -> str:
        """The base URL with the location filled in."""
        return self.base_url.format(location=self.location)


class VqganClipConfig(BackendSection):
    """VQGAN+CLIP: a VQ autoencoder's latent optimised until CLIP scores the image close to the prompt."""

    vq_model: str = "kandinsky-community/kandinsky-2-2-decoder"  # a diffusers VQModel: id or folder; "tiny"
    vq_subfolder: str = "movq"  # where the VQModel lies in that repository ("" for its top)
    clip_model: str = "openai/clip-vit-base-patch32"  # a transformers CLIPModel: id or folder; "tiny"
    steps: int = Field(200, ge=1, le=5000)  # optimisation steps (the prompt's steps are diffusion steps)
    learning_rate: float = Field(0.1, gt=0)
    cutouts: int = Field(16, ge=1, le=128)  # augmented crops CLIP looks at per step
    cut_power: float = Field(1.0, gt=0)  # above 1: more small crops (detail), below 1: more large ones


class ProvenanceConfig(Section):
    """The C2PA manifest in every PNG (EU AI Act Art. 50 marking). (Owned by the render stage.)

    ``certificate`` (PEM, the signing certificate first, then its chain) and ``private_key`` (PEM) come
    from a CA the technician chooses; unset, a local CA and signing certificate are generated once into
    ``key_dir`` and every start warns that viewers will not know the signer.
    """

    enabled: bool = True
    installation: str = Field("social-portrait", min_length=1)  # the name the manifest gives as the maker
    certificate: Path | None = None
    private_key: Path | None = None
    timestamp_url: str | None = None  # an RFC 3161 time-stamp authority; None: no time-stamp
    key_dir: Path | None = None  # the generated local CA; None: $XDG_DATA_HOME/social-portrait/c2pa

    @model_validator(mode="after")
    def _certificate_with_key(self) -> ProvenanceConfig:
        if (self.certificate is None) != (self.private_key is None):
            raise ValueError("certificate and private_key are set together, or neither (a local CA is generated)")
        return self


class RenderConfig(Section):
    """The image backend and its defaults. (Owned by the render stage.)"""

    backend: str = "local"  # "local", or the name of a backend section below (stability, openai, vqgan_clip, ...)
    model: str = "stabilityai/sd-turbo"  # a Hugging Face id, a local diffusers folder, or "tiny"
    device: Literal["auto", "cuda", "mps", "cpu"] = "auto"
    dtype: Literal["auto", "float16", "bfloat16", "float32"] = "auto"  # auto: float16 on cuda/mps
    width: int = Field(512, ge=64)
    height: int = Field(512, ge=64)
    steps: int = Field(1, ge=1, le=200)
    guidance: float = Field(0.0, ge=0)
    scheduler: str | None = None  # a diffusers scheduler class name; None keeps the model's own
    output_dir: Path = Path("var/artworks")
    cache_dir: Path | None = None  # models (hub/ and tiny); None: the Hugging Face cache and ~/.cache
    download: bool = False  # fetch missing weights at load; False: only `portrait models pull` downloads
    warm_up: bool = True  # one throw-away render when a worker loads the model
    safety_checker: bool = False  # flag (never black out) portraits the checker finds unsafe
    safety_model: str = "CompVis/stable-diffusion-safety-checker"
    # The Kandinsky 2.2 prior (text -> image embedding) joined to a model that is a decoder alone.
    prior: str = "kandinsky-community/kandinsky-2-2-prior"
    stability: StabilityConfig = StabilityConfig()
    openai: OpenAIImagesConfig = OpenAIImagesConfig()
    imagen: ImagenConfig = ImagenConfig()
    vqgan_clip: VqganClipConfig = VqganClipConfig()
    provenance: ProvenanceConfig = ProvenanceConfig()

    @field_validator("width", "height")
    @classmethod
    def _multiple_of_8(cls, value: int) -> int:
        if value % 8:
            raise ValueError(f"must be a multiple of 8 but is {value}")
        return value

    @classmethod
    def remote_backends(cls) -> tuple[str, ...]:
        """The hosted services: every section of this table that configures one, by its key."""
        return tuple(
            name
            for name, field in cls.model_fields.items()
            if isinstance(field.annotation, type) and issubclass(field.annotation, RemoteBackendConfig)
        )

    @classmethod
    def backend_sections(cls) -> tuple[str, ...]:
        """Every backend with its own table (remote services, VQGAN+CLIP), by its key."""
        return tuple(
            name
            for name, field in cls.model_fields.items()
            if isinstance(field.annotation, type) and issubclass(field.annotation, BackendSection)
        )

    @field_validator("backend")
    @classmethod
    def _known_backend(cls, value: str) -> str:
        known = ("local", *cls.backend_sections())
        if value not in known:
            raise ValueError(f"no backend named {value!r}; backends: {', '.join(known)}")
        return value

    @model_validator(mode="after")
    def _imagen_has_project(self) -> RenderConfig:
        if self.backend == "imagen" and not self.imagen.project:
            raise ValueError('render.imagen.project must name the Google Cloud project when backend is "imagen"')
        return self


class StoreConfig(Section):
    """The job store. (Owned by the queue stage.)"""

    path: Path = Path("var/jobs.sqlite3")
    url: str | None = None  # a PostgreSQL server instead of path: "postgresql://user:password@host/db"
    lease_seconds: float = Field(300, gt=0)  # a worker silent this long is presumed dead
    max_attempts: int = Field(3, ge=1)
    auto_approve: bool = True  # False: every artwork waits for a curator before the wall shows it


class WorkerConfig(Section):
    """The worker that advances jobs. (Owned by the queue stage.)"""

    poll_seconds: float = Field(1.0, gt=0)
    handle_pages: int = Field(5, ge=1, le=50)  # pages of a public profile fetched at most
    handle_timeout_seconds: float = Field(10.0, gt=0)
    handle_max_mb: float = Field(8, gt=0)  # all fetched pages together

    def fetch_limits(self) -> FetchLimits:
        return FetchLimits(
            pages=self.handle_pages,
            timeout_seconds=self.handle_timeout_seconds,
            max_bytes=int(self.handle_max_mb * (1 << 20)),
        )


class RetentionConfig(Section):
    """How long personal data lives. (Owned by the queue stage.)"""

    raw_export: Literal["after_extraction", "after_render"] = "after_extraction"
    evidence_minutes: float = Field(10, ge=0)  # post snippets on the result card, then scrubbed


class KioskConfig(Section):
    """The visitors' web intake. (Owned by the kiosk stage.)"""

    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)
    public_url: str | None = None
    max_upload_mb: float = Field(512, gt=0)
    body_stall_seconds: float = Field(30, ge=1)  # an upload with no new bytes this long is answered 408
    upload_dir: Path = Path("var/uploads")
    submits_per_minute: int = Field(6, ge=1)  # per client address
    curator_token: str | None = Field(None, min_length=12)  # None: curator pages are off
    # Client addresses that are the kiosk's own shared screen ("*": every client); a visit there ends
    # after visit_idle_seconds untouched and shows the forget-me code once. Others are visitors' phones.
    shared_screens: tuple[str, ...] = ("127.0.0.1", "::1")
    visit_idle_seconds: float = Field(120, ge=10)
    phone_visit_hours: float = Field(24, gt=0)
    orphan_grace_seconds: float = Field(120, ge=5)  # a job whose visitor never got its page is dropped
    visit_key_file: Path | None = None  # shared by several kiosk processes; None: a key per process
    consent_text: str = (
        "We read the posts in the export you give us (your own posts and replies, nothing else) to find "
        "keywords and a mood, and paint a portrait from them. The export is deleted as soon as it has "
        "been read. The snippets shown on your result card are deleted when you leave it. The portrait "
        "and its keywords stay on the wall for the exhibition. Your forget-me code removes everything, "
        "at any time, on the forget page or at the desk."
    )


class StreamConfig(Section):
    """One channel of the wall: the artworks with any of these themes or styles (neither: all of them)."""

    name: str = Field(min_length=1)
    themes: tuple[str, ...] = ()
    styles: tuple[str, ...] = ()


class WallConfig(Section):
    """The full-screen gallery. (Owned by the wall stage.)"""

    fullscreen: bool = True
    display: int = Field(0, ge=0)
    window_size: tuple[int, int] = (1280, 720)
    fps: int = Field(60, ge=1, le=240)
    poll_seconds: float = Field(1.0, ge=0.1, le=60)
    slide_seconds: float = Field(12.0, gt=0)
    fade_seconds: float = Field(1.5, ge=0)
    arrival_seconds: float = Field(20.0, gt=0)
    ken_burns: bool = True
    ken_burns_zoom: float = Field(1.08, ge=1.0, le=1.5)
    background: Literal["blur", "colour"] = "blur"
    show_qr: bool = True
    kiosk_url: str | None = None
    arrival_text: str = "Just painted"
    idle_text: str = "Hand your social-media export to the kiosk and watch your portrait appear here"
    streams: tuple[StreamConfig, ...] = ()
    stream_slides: int = Field(5, ge=1)
    renderer: Literal["auto", "gpu", "software"] = "auto"
    live: bool = True  # a portrait being painted shows step by step (only when it will go straight to the wall)
    live_dir: Path | None = None  # where the worker writes the steps; None: <render.output_dir>/live
    style_labels: dict[str, str] = Field(default_factory=dict)  # key -> curator label; wall_config fills it
    language: Literal["en", "de", "fr", "es", "ru", "zh"] = "en"  # the wall's words (i18n.LANGUAGES)
    words: dict[str, str] = Field(default_factory=dict)  # show.WORDS in `language`; wall_config fills it

    @model_validator(mode="after")
    def _fades_fit(self) -> WallConfig:
        for key in ("slide_seconds", "arrival_seconds"):
            if getattr(self, key) <= self.fade_seconds:
                raise ValueError(f"{key} ({getattr(self, key)}) must be longer than fade_seconds ({self.fade_seconds})")
        if min(self.window_size) < 64:
            raise ValueError(f"window_size must be at least 64x64 but is {self.window_size}")
        return self


class PartyConfig(Section):
    """The neural generation party: its own store, the host screen and the phones. (Owned by the party stage.)"""

    store_path: Path = Path("var/party.sqlite3")  # every session, step, suggestion and vote (SQLite, WAL)
    image_dir: Path = Path("var/party")  # one folder per session
    host: str = "127.0.0.1"  # "0.0.0.0" to let phones on the venue's network take part
    port: int = Field(8100, ge=1, le=65535)
    public_url: str | None = None  # what the QR code points phones to; None: this machine's address and port
    host_token: str | None = Field(None, min_length=12)  # None: the host screen answers this machine only
    suggestions_per_minute: int = Field(4, ge=1)  # per phone
    votes_per_minute: int = Field(30, ge=1)  # per phone
    max_suggestion_chars: int = Field(60, ge=1, le=200)
    lease_seconds: float = Field(120, gt=0)  # a party worker silent this long is presumed dead
    poll_seconds: float = Field(0.5, gt=0)  # how often an idle party worker looks for queued steps
    # A neural generation stream, painted only when no party step and no visitor's portrait waits: these
    # prompts in turn, or (idle_from) the painted prompts of a party session; each round a new seed.
    idle_prompts: tuple[str, ...] = ()
    idle_from: str | None = None  # a party session id
    idle_stream: str = Field("Neural generation stream", min_length=1, max_length=80)  # its name on the wall
    idle_after_seconds: float = Field(30, gt=0)  # idle this long before the next stream image
    idle_max_images: int = Field(500, ge=1)  # then the stream stops growing (the wall keeps rotating it)


class Config(Section):
    """The whole file."""

    extract: ExtractConfig = ExtractConfig()
    describe: DescribeConfig = DescribeConfig()
    compose: ComposeConfig = ComposeConfig()
    styles: dict[str, StyleConfig] = Field(default_factory=dict)
    render: RenderConfig = RenderConfig()
    store: StoreConfig = StoreConfig()
    worker: WorkerConfig = WorkerConfig()
    retention: RetentionConfig = RetentionConfig()
    kiosk: KioskConfig = KioskConfig()
    wall: WallConfig = WallConfig()
    party: PartyConfig = PartyConfig()
    source: Path | None = Field(None, exclude=True)  # where it was loaded from, for messages

    @model_validator(mode="after")
    def _styles_named_exist(self) -> Config:
        # A file without styles (a kiosk's or a wall's) is valid; the composer refuses it when asked to compose.
        if not self.styles:
            return self
        names = ", ".join(self.styles)
        if self.compose.default_style not in self.styles:
            raise ValueError(f"compose.default_style: no style named {self.compose.default_style!r} (styles: {names})")
        for pooled in self.compose.pool:
            if pooled not in self.styles:
                raise ValueError(f"compose.pool: no style named {pooled!r} (styles: {names})")
        return self


def load_config(path: Path | None = None, *, required: bool = False) -> Config:
    """Read and validate ``path`` (default ./config.toml). A missing default file means all defaults."""
    explicit = path is not None
    path = path or DEFAULT_CONFIG
    if not path.exists():
        if explicit or required:
            raise ConfigError(f"{path}: config file not found")
        return Config()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot be read ({exc})") from exc
    return parse_config(data, path)


def parse_config(data: dict[str, Any], source: Path) -> Config:
    if "source" in data:
        raise ConfigError(f"{source}: source: unknown key")
    try:
        return Config.model_validate({**data, "source": source})
    except ValidationError as exc:
        raise ConfigError(_first_problem(exc, source)) from exc


def _first_problem(exc: ValidationError, source: Path) -> str:
    err = exc.errors()[0]
    key = ".".join(str(p) for p in err["loc"]) or "(top level)"
    if err["type"] == "extra_forbidden":
        return f"{source}: {key}: unknown key"
    value = err.get("input")
    shown = f" (got {value!r})" if not isinstance(value, dict | list) else ""
    more = f"; and {len(exc.errors()) - 1} more problem(s)" if len(exc.errors()) > 1 else ""
    return f"{source}: {key}: {err['msg']}{shown}{more}"
