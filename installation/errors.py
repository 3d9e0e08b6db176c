"""The one exception tree of social-portrait (its lower branches live in ``extractors.errors``).

Every error a user can cause or meet derives from ``PortraitError``; the CLI turns any of them into a
one-line message on stderr and exit code 2, the kiosk into a 4xx page, the worker into a failed job.

    PortraitError
    ├── ConfigError                 config.toml is unreadable, has an unknown key or a wrong value
    ├── IntakeError                 an upload or handle was refused before any parsing
    │   ├── UnsafeArchiveError      an archive breaks a safety rule (traversal, bomb, link, device)
    │   ├── ExportTooLargeError     a size, count or depth cap was exceeded
    │   └── RemoteFetchError        a public profile could not be fetched
    ├── ProfileParseError           a data file is malformed; names the file and the problem
    │   ├── UnknownFormatError      no reader recognises the export; lists the understood formats
    │   └── EmptyProfileError       the export holds no posts of the person's own
    ├── DescribeError               the verbal portrait could not be drawn
    ├── ComposeError                no prompt could be composed (unknown style, bad template)
    ├── RenderError                 the image could not be made
    │   ├── ModelNotAvailableError  weights are neither local nor downloadable; names the pull command
    │   ├── OutOfMemoryError        the device ran out of memory, even after the retry
    │   └── BackendError            a remote image service refused or failed
    ├── StoreError                  the job store failed
    │   └── JobNotFoundError        no job has that id or forget code
    ├── DisplayError                the wall cannot open its display
    └── PartyError                  a party request was refused (unknown session or step, a bad value)
"""

from __future__ import annotations

from extractors.errors import (
    ConfigError,
    DescribeError,
    EmptyProfileError,
    ExportTooLargeError,
    IntakeError,
    PortraitError,
    ProfileParseError,
    RemoteFetchError,
    UnknownFormatError,
    UnsafeArchiveError,
)

__all__ = [
    "BackendError",
    "ComposeError",
    "ConfigError",
    "DescribeError",
    "DisplayError",
    "EmptyProfileError",
    "ExportTooLargeError",
    "IntakeError",
    "JobNotFoundError",
    "ModelNotAvailableError",
    "OutOfMemoryError",
    "PartyError",
    "PortraitError",
    "ProfileParseError",
    "RemoteFetchError",
    "RenderError",
    "StoreError",
    "UnknownFormatError",
    "UnsafeArchiveError",
]


class ComposeError(PortraitError):
    """No prompt could be composed (unknown style, bad template)."""


class RenderError(PortraitError):
    """The image could not be made."""


class ModelNotAvailableError(RenderError):
    """Weights are neither local nor downloadable; the message names the pull command."""


class OutOfMemoryError(RenderError):
    """The device ran out of memory, even after the retry."""


class BackendError(RenderError):
    """A remote image service refused or failed."""


class StoreError(PortraitError):
    """The job store failed."""


class JobNotFoundError(StoreError):
    """No job has that id or forget code."""


class DisplayError(PortraitError):
    """The wall cannot open its display."""


class PartyError(PortraitError):
    """A party request was refused (unknown session or step, a bad value)."""
