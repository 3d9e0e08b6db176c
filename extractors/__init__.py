"""Export readers and the verbal portrait: from a platform's archive to words about a person.

Two stages, each a subpackage: ``extractors.intake`` (archive opening, sniffing, one reader per
platform, cleaning -> ``Profile``) and ``extractors.describe`` (nlp, keywords, mood, themes ->
``VerbalPortrait``, entry ``extractors.describe.describe``). Nothing here imports ``installation``.

The names below load on first use: importing ``extractors.errors`` (as every error handler does) must
not pull in the readers or the NLP stack.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from extractors.intake import Post, Profile, read_export
    from extractors.settings import ReadLimits

__all__ = ["Post", "Profile", "ReadLimits", "read_export"]

_HOMES = {
    "Post": "extractors.intake",
    "Profile": "extractors.intake",
    "read_export": "extractors.intake",
    "ReadLimits": "extractors.settings",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'extractors' has no attribute {name!r}")
    value = getattr(import_module(home), name)
    globals()[name] = value
    return value
