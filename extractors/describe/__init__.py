"""Describe: a ``Profile`` becomes a ``VerbalPortrait`` (keywords, mood, themes, language).

``portray.describe`` is the one entry; ``nlp`` loads the language models once per process, ``keywords``,
``mood`` and ``themes`` each draw one part of the portrait. ``describe`` loads on first use, so reading a
stored ``VerbalPortrait`` (``extractors.describe.portrait``) never pulls in numpy and the NLP stack.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from extractors.describe.portray import describe

__all__ = ["describe"]


def __getattr__(name: str) -> Any:
    if name == "describe":
        from extractors.describe.portray import describe

        globals()["describe"] = describe  # importing the submodule bound its name here: the function wins
        return describe
    raise AttributeError(f"module 'extractors.describe' has no attribute {name!r}")
