"""What every platform reader is: the ``Reader`` protocol and the ``RawPost`` it yields.

Readers import only this module (and the intake helpers); the registry that picks a reader imports the
readers. So the arrows run one way: reader -> readers -> registry.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from extractors.intake.profile import PostKind
from extractors.intake.sniff import MAX_SNIFFED_FILES, SNIFF_BYTES, Signature, is_private, sniff_head
from extractors.intake.source import ExportFiles


@dataclass(frozen=True, slots=True)
class RawPost:
    """A reader's view of one post before the shared cleaning.

    ``stored`` is the text as the platform stores it (HTML, entities, mojibake and all): it decides
    whether the post counts. ``text`` is the reader's plain-text decoding of it.
    """

    stored: str
    text: str
    created_at: datetime
    lang: str | None
    kind: PostKind
    platform: str | None = None  # where an export holds two platforms' posts (Instagram's holds Threads)


class Reader(Protocol):
    """One platform's export format."""

    name: str  # "twitter", "mastodon", ...
    description: str  # what a visitor would call it, for the "formats understood" message
    # What its data files look like at their start: a file under any name that matches one is read as
    # the file the signature names (see ``sniff``).
    signatures: tuple[Signature, ...]

    def detect(self, files: ExportFiles) -> int:
        """0 if this is not the format; higher numbers for surer matches (a named data file: 100)."""
        ...

    def read(self, files: ExportFiles) -> Iterable[RawPost]:
        """The person's own posts and replies; reposts, likes and deleted posts never appear."""
        ...


def files_like(files: ExportFiles, signatures: tuple[Signature, ...], suffix: str) -> list[str]:
    """The export's ``suffix`` files whose start matches one of ``signatures``, shallowest first.

    Names vary (Takeout localises them, visitors rename them), so content decides; only the first
    ``MAX_SNIFFED_FILES`` such files are looked at, so a huge export cannot make this slow.
    """
    hits: list[str] = []
    tagged = tuple(("", sig) for sig in signatures)
    candidates = sorted((f for f in files.files if f.lower().endswith(suffix) and not is_private(f)),
                        key=lambda f: (f.count("/"), f))
    for rel in candidates[:MAX_SNIFFED_FILES]:
        with files.path(rel).open("rb") as fh:
            head = fh.read(SNIFF_BYTES)
        if sniff_head(head, tagged, rel).matches:
            hits.append(rel)
    return hits
