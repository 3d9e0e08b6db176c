"""Intake: an export (archive, folder, data file or public handle) becomes a ``Profile``.

``source`` opens archives safely, ``registry`` picks the reader whose files these are, one module per
platform under ``readers/`` reads them, ``clean`` takes identifiers out. ``read_export`` is the one entry;
``sniff_upload`` is the kiosk's early look at an upload's first bytes (accept or refuse, and the suffix to
store it under).
"""

from __future__ import annotations

from extractors.intake.profile import Post, Profile
from extractors.intake.registry import read_export
from extractors.intake.sniff import SNIFF_BYTES, UploadKind
from extractors.intake.upload import sniff_upload

__all__ = ["SNIFF_BYTES", "Post", "Profile", "UploadKind", "read_export", "sniff_upload"]
