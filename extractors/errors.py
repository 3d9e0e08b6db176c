"""The base of the one exception tree, and the errors of the lower stages (intake and describe).

It sits at the bottom of the imports so that ``extractors`` raises from the same tree without knowing
``installation``; ``installation.errors`` extends it with the compose, render, store and display branches
and draws the whole tree.

    PortraitError
    ├── ConfigError                 config.toml is unreadable, has an unknown key or a wrong value
    ├── IntakeError                 an upload or handle was refused before any parsing
    │   ├── UnsafeArchiveError      an archive breaks a safety rule (traversal, bomb, link, device)
    │   ├── ExportTooLargeError     a size, count or depth cap was exceeded
    │   └── RemoteFetchError        a public profile could not be fetched
    ├── ProfileParseError           a data file is malformed; names the file and the problem
    │   ├── UnknownFormatError      no reader recognises the export; lists the understood formats
    │   └── EmptyProfileError       the export holds no posts of the person's own
    └── DescribeError               the verbal portrait could not be drawn
"""

from __future__ import annotations


class PortraitError(Exception):
    """Base of every error social-portrait raises on purpose."""


class ConfigError(PortraitError):
    """config.toml is unreadable, has an unknown key or a wrong value."""


class IntakeError(PortraitError):
    """An upload or handle was refused before any parsing."""


class UnsafeArchiveError(IntakeError):
    """An archive breaks a safety rule (path traversal, bomb, link, device)."""


class ExportTooLargeError(IntakeError):
    """A size, count or depth cap was exceeded."""


class RemoteFetchError(IntakeError):
    """A public profile could not be fetched."""


class ProfileParseError(PortraitError):
    """A data file is malformed; the message names the file and the problem."""


class UnknownFormatError(ProfileParseError):
    """No reader recognises the export; the message lists the understood formats."""


class EmptyProfileError(ProfileParseError):
    """The export holds no posts of the person's own."""


class DescribeError(PortraitError):
    """The verbal portrait could not be drawn."""
