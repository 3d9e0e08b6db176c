"""The kiosk's early look at an upload: accept or refuse it from its first bytes, and name its suffix.

It sits above the registry (it needs every reader's signatures) and is what the kiosk calls on the
first chunk of an upload, before the file is kept.
"""

from __future__ import annotations

from extractors.errors import IntakeError
from extractors.intake.registry import all_signatures
from extractors.intake.sniff import UploadKind, refusal, sniff_head, suffix_of


def sniff_upload(head: bytes, filename: str) -> UploadKind:
    """Accept or refuse an upload from its first bytes (any length; ``SNIFF_BYTES`` tells the most).

    Raises ``IntakeError`` with a one-line message for the visitor when the file can never be an
    export. Otherwise says which suffix to store it under (by content, not by the visitor's name) and,
    where the head shows it, which platform's file it is. The kiosk calls this on the first chunk.
    """
    why = refusal(head)
    if why is not None:
        raise IntakeError(why)
    sniffed = sniff_head(head, all_signatures(), filename)
    return UploadKind(container=sniffed.container, suffix=suffix_of(sniffed.container), platform=sniffed.platform)
