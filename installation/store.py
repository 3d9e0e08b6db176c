"""The job store: every visitor's job from upload to artwork, in one SQLite file."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path


@dataclass(frozen=True)
class WallArtwork:
    """What the wall may know of a finished, approved portrait."""

    job_id: str
    seq: int  # grows with every finished artwork: larger means newer
    image_path: Path
    caption: str  # the visitor's nickname if they typed one, else ""
    keywords: tuple[str, ...]  # a few, for the caption
    style: str
    themes: tuple[str, ...]  # for the wall's streams
    finished_at: datetime
