"""Export readers and the verbal portrait: from a platform's archive to words about a person."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from extractors.models import Post, Profile
from extractors.registry import read_export
from extractors.source import ReadLimits

if TYPE_CHECKING:
    from extractors.describe import describe

__all__ = ["Post", "Profile", "ReadLimits", "describe", "read_export"]


def __getattr__(name: str) -> Any:
    # describe pulls in numpy and the NLP stack: only processes that draw portraits pay for it.
    if name == "describe":
        from extractors.describe import describe

        # Importing the submodule bound its name here; the function must win, as an eager import would.
        globals()["describe"] = describe
        return describe
    raise AttributeError(f"module 'extractors' has no attribute {name!r}")
