"""A throw-away PostgreSQL server for the tests: Debian's binaries, ``initdb`` in a temporary folder, a free
loopback port, stopped at the end. Skipped, with the reason, where the binaries are missing.

As root (CI), the server runs as the ``postgres`` user the Debian package creates: PostgreSQL refuses to
run as root.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest


def pg_bindir() -> Path | None:
    """Where initdb and pg_ctl are: ``pg_config --bindir``, else the newest /usr/lib/postgresql/*/bin."""
    found = shutil.which("pg_config")
    if found:
        try:
            out = subprocess.run([found, "--bindir"], capture_output=True, text=True, timeout=10, check=True)
            candidate = Path(out.stdout.strip())
            if (candidate / "initdb").is_file():
                return candidate
        except (OSError, subprocess.SubprocessError):
            pass
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3]))
    return versions[-1].parent if versions else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def postgres_server() -> Iterator[str]:
    """Yields a ``postgresql://`` URL of a fresh, empty database; removes everything afterwards."""
    bindir = pg_bindir()
    if bindir is None:
        pytest.skip("needs PostgreSQL's initdb and pg_ctl (apt-get install postgresql)")
    as_root = os.getuid() == 0
    if as_root:
        try:
            owner = pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("running as root needs the 'postgres' user that Debian's postgresql package creates")
    root = Path(tempfile.mkdtemp(prefix="portrait-pg-"))
    data, sock = root / "data", root / "run"
    sock.mkdir()
    if as_root:
        os.chmod(root, 0o755)
        for path in (root, sock):
            os.chown(path, owner.pw_uid, owner.pw_gid)

    def run(*args: str) -> None:
        command = [str(bindir / args[0]), *args[1:]]
        if as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=120)

    port = _free_port()
    try:
        run("initdb", "-D", str(data), "-U", "portrait", "-A", "trust", "--no-sync", "-E", "UTF8")
        options = f"-c listen_addresses=127.0.0.1 -p {port} -k {sock} -c fsync=off -c max_connections=60"
        run("pg_ctl", "-D", str(data), "-o", options, "-w", "-t", "60", "-l", str(root / "log"), "start")
        try:
            yield f"postgresql://portrait@127.0.0.1:{port}/postgres"
        finally:
            run("pg_ctl", "-D", str(data), "-m", "immediate", "-w", "stop")
    finally:
        shutil.rmtree(root, ignore_errors=True)
