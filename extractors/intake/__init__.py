"""Intake: an export (archive, folder, data file or public handle) becomes a ``Profile``.

``source`` opens archives safely, ``registry`` picks the reader whose files these are, one module per
platform under ``readers/`` reads them, ``clean`` takes identifiers out. ``read_export`` is the one entry.
"""

from __future__ import annotations

from extractors.intake.profile import Post, Profile
from extractors.intake.registry import read_export

__all__ = ["Post", "Profile", "read_export"]
