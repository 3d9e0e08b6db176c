"""Shared test set-up: nothing here downloads, and every test runs on the CPU."""

from __future__ import annotations

import os

import pytest


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if os.environ.get("PORTRAIT_SLOW") == "1":
        return
    skip = pytest.mark.skip(reason="needs real weights or a GPU; set PORTRAIT_SLOW=1 to run")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)
