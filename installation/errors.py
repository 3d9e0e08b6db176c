"""The one exception tree of social-portrait.

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
    └── DisplayError                the wall cannot open its display
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
