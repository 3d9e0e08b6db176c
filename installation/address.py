"""This machine's address on the local network, for the QR codes that phones in the room follow."""

from __future__ import annotations

import socket

__all__ = ["lan_address"]


def lan_address() -> str:
    """This machine's address on the local network; connecting a UDP socket sends no packet."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("10.255.255.255", 1))
            return str(s.getsockname()[0])
        except OSError:
            return "127.0.0.1"
