"""The address a QR code shows phones: one rule (``installation.address.phone_url``) for the kiosk's welcome
page and the wall's idle screen, so a kiosk bound to loopback never shows a code phones cannot follow."""

from __future__ import annotations

import ipaddress
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from worker_fakes import config_for

import installation.address
from installation.address import lan_address, phone_url
from installation.jobs.worker import open_configured_store
from installation.kiosk.app import create_app
from installation.wall import loop

LAN = "192.168.1.23"


@pytest.fixture(autouse=True)
def _this_machine_is_on_a_lan(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(installation.address, "lan_address", lambda: LAN)


@pytest.mark.parametrize(
    ("host", "url"),
    [
        ("0.0.0.0", f"http://{LAN}:8000/"),  # every interface
        ("::", f"http://{LAN}:8000/"),
        ("", f"http://{LAN}:8000/"),
        ("127.0.0.1", f"http://{LAN}:8000/"),  # this machine only: a phone cannot reach it
        ("127.1.2.3", f"http://{LAN}:8000/"),
        ("localhost", f"http://{LAN}:8000/"),
        ("LOCALHOST", f"http://{LAN}:8000/"),
        ("::1", f"http://{LAN}:8000/"),
        ("[::1]", f"http://{LAN}:8000/"),
        ("::ffff:127.0.0.1", f"http://{LAN}:8000/"),
        ("10.1.2.3", "http://10.1.2.3:8000/"),  # the address it serves on
        ("kiosk.local", "http://kiosk.local:8000/"),
        ("fe80::1", "http://[fe80::1]:8000/"),  # IPv6 in brackets
        ("[2001:db8::5]", "http://[2001:db8::5]:8000/"),
        ("fe80::1%eth0", "http://[fe80::1%25eth0]:8000/"),  # a zone, escaped as URLs ask
    ],
)
def test_phone_url(host: str, url: str) -> None:
    assert phone_url(host, 8000) == url


def test_phone_url_takes_a_path_and_refuses_bad_values_by_name() -> None:
    assert phone_url("10.0.0.5", 8100, "/p/abc") == "http://10.0.0.5:8100/p/abc"
    with pytest.raises(ValueError, match="port must be between 1 and 65535 but is 0"):
        phone_url("10.0.0.5", 0)
    with pytest.raises(ValueError, match="path must start with '/' but is 'p/abc'"):
        phone_url("10.0.0.5", 8100, "p/abc")


@pytest.mark.parametrize("host", ["127.0.0.1", "0.0.0.0", "localhost", "::1", "10.1.2.3", "fe80::1"])
def test_the_kiosk_and_the_wall_show_the_same_code(tmp_path: Path, host: str) -> None:
    config = config_for(tmp_path, kiosk={"host": host, "port": 8123})
    page = TestClient(create_app(config, open_configured_store(config))).get("/")
    wall = loop.wall_config(config).kiosk_url
    assert wall == phone_url(host, 8123)
    assert page.status_code == 200 and f">{wall}<" in page.text.replace("\n", "").replace(" ", ""), wall


def test_a_kiosk_on_loopback_shows_this_machines_lan_address(tmp_path: Path) -> None:
    config = config_for(tmp_path, kiosk={"host": "127.0.0.1", "port": 8123})
    page = TestClient(create_app(config, open_configured_store(config))).get("/").text
    assert f"http://{LAN}:8123/" in page and "127.0.0.1" not in page
    # public_url wins over every rule, for both.
    named = config_for(tmp_path, kiosk={"host": "127.0.0.1", "public_url": "https://portrait.example/"})
    assert loop.wall_config(named).kiosk_url == "https://portrait.example/"


def test_lan_address_is_an_ipv4_address() -> None:
    # ``lan_address`` here is the real one, imported before the fixture replaced the module's.
    assert ipaddress.ip_address(lan_address()).version == 4


@pytest.mark.parametrize(
    ("host", "only"),
    [("127.0.0.1", True), ("127.0.1.1", True), ("::1", True), ("[::1]", True), ("localhost", True),
     ("::ffff:127.0.0.1", True), ("0.0.0.0", False), ("::", False), ("", False), ("192.168.1.20", False),
     ("kiosk.local", False)],
)
def test_this_machine_only(host: str, only: bool) -> None:
    assert installation.address.this_machine_only(host) is only


@pytest.mark.parametrize(("host", "public_url", "warned"),
                         [("127.0.0.1", None, True), ("0.0.0.0", None, False),
                          ("127.0.0.1", "https://portrait.example/", False)])
def test_a_kiosk_on_loopback_warns_that_phones_cannot_reach_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture,
    host: str, public_url: str | None, warned: bool,
) -> None:
    import uvicorn

    from installation.kiosk.app import run_kiosk

    served: list[str] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: served.append(kw["host"]))
    monkeypatch.setattr(installation.address, "lan_address", lambda: "192.168.1.20")
    config = config_for(tmp_path)
    kiosk = config.kiosk.model_copy(update={"host": host, "public_url": public_url})
    with caplog.at_level("WARNING", logger="portrait.kiosk"):
        run_kiosk(config.model_copy(update={"kiosk": kiosk}))
    assert served == [host]
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert bool(warnings) is warned
    if warned:
        assert "http://192.168.1.20:8000/" in warnings[0] and "host" in warnings[0]
