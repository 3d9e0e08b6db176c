"""One module per platform; ``ALL_READERS`` is the order detection breaks ties in."""

from __future__ import annotations

from extractors.readers.plain import PlainReader
from extractors.registry import Reader

ALL_READERS: tuple[Reader, ...] = (
    PlainReader(),
)
