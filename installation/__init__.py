"""The installation: composer, renderer, job store, kiosk, worker, wall and the ``portrait`` command."""

from installation.errors import PortraitError

__all__ = ["PortraitError"]
