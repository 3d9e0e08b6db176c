"""This machine's address on the local network, for the QR codes that phones in the room follow.

``phone_url(host, port)`` is the one rule for the address a QR code shows when no ``public_url`` is set:
the kiosk's welcome page and the wall's idle screen both use it, so the two codes never disagree.
"""

from __future__ import annotations

import ipaddress
import socket

__all__ = ["lan_address", "phone_url"]

# Names a phone in the room cannot reach this machine by, besides loopback and "every interface" addresses.
_LOCAL_NAMES = ("", "localhost", "localhost.localdomain")


def lan_address() -> str:
    """This machine's address on the local network; connecting a UDP socket sends no packet."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("10.255.255.255", 1))
            return str(s.getsockname()[0])
        except OSError:
            return "127.0.0.1"


def phone_url(host: str, port: int, path: str = "/") -> str:
    """The URL a phone in the room reaches a server on that listens on ``host``:``port``.

    The host it serves on, unless that is every interface (``0.0.0.0``, ``::``) or this machine only
    (``127.x``, ``::1``, ``localhost``), which a phone cannot reach: then this machine's LAN address.
    An IPv6 address is bracketed (``http://[fe80::1]:8000/``), its zone written as ``%25``.
    """
    # 1. Check inputs: a port a URL can carry, a path from the root.
    if not 0 < port < 65536:
        raise ValueError(f"port must be between 1 and 65535 but is {port}")
    if not path.startswith("/"):
        raise ValueError(f"path must start with '/' but is {path!r}")
    # 2. An address a phone cannot reach becomes this machine's address on the local network.
    bare = host.strip().strip("[]")
    if not _reachable_from_the_room(bare):
        bare = lan_address()
    # 3. IPv6 in brackets, so that its colons are not read as the port's.
    shown = "[" + bare.replace("%", "%25") + "]" if ":" in bare else bare
    return f"http://{shown}:{port}{path}"


def this_machine_only(host: str) -> bool:
    """True when a server listening on ``host`` answers this machine alone (127.x, ``::1``, localhost):
    a phone that scans its QR code reaches the LAN address and finds nothing there."""
    bare = host.strip().strip("[]")
    if bare.lower() in _LOCAL_NAMES[1:]:
        return True
    try:
        address = ipaddress.ip_address(bare)
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_loopback


def _reachable_from_the_room(host: str) -> bool:
    """False for names and addresses that mean "this machine only" or "every interface"."""
    if host.lower() in _LOCAL_NAMES:
        return False
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return True  # a host name the venue's network resolves (kiosk.local)
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped  # ::ffff:127.0.0.1 is loopback too (Python 3.11 does not say so itself)
    return not (address.is_loopback or address.is_unspecified)
