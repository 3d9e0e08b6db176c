"""The Artwork: one record of a finished portrait, from the renderer through the job store to the wall."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from installation.compose.prompt import Prompt


@dataclass(frozen=True)
class Artwork:
    """A finished portrait on disk, and how it was made."""

    image_path: Path
    metadata_path: Path  # the sidecar JSON
    prompt: Prompt
    backend: str
    model: str
    sampler: str
    timings: Mapping[str, float]  # ms: generate, safety, encode, write, total (the sidecar has the first three)
    flagged: bool  # the safety checker held it for a curator
    is_test_noise: bool  # painted by the tiny untrained model

    def to_dict(self) -> dict[str, Any]:
        return {
            "image_path": str(self.image_path),
            "metadata_path": str(self.metadata_path),
            "prompt": self.prompt.to_dict(),
            "backend": self.backend,
            "model": self.model,
            "sampler": self.sampler,
            "timings": dict(self.timings),
            "flagged": self.flagged,
            "is_test_noise": self.is_test_noise,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Artwork:
        return cls(
            image_path=Path(data["image_path"]),
            metadata_path=Path(data["metadata_path"]),
            prompt=Prompt.from_dict(data["prompt"]),
            backend=str(data["backend"]),
            model=str(data["model"]),
            sampler=str(data["sampler"]),
            timings={str(k): float(v) for k, v in data.get("timings", {}).items()},
            flagged=bool(data["flagged"]),
            is_test_noise=bool(data["is_test_noise"]),
        )

    @property
    def seconds(self) -> float:
        return self.timings.get("total", 0.0) / 1000
