"""`portrait models list`: every backend and model family, whether it can run here, and its licence."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from installation.cli import main
from installation.config import ImagenConfig, RenderConfig, VqganClipConfig
from installation.render.base import backends
from installation.render.catalogue import CatalogueRow, catalogue, format_rows
from installation.render.families import FAMILIES
from installation.render.tiny import quiet_progress
from installation.render.tiny_kandinsky import build_tiny_kandinsky3


@pytest.fixture(autouse=True)
def environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("STABILITY_API_KEY", "OPENAI_API_KEY", "VERTEX_ACCESS_TOKEN", "GOOGLE_APPLICATION_CREDENTIALS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CLOUDSDK_CONFIG", str(tmp_path / "gcloud"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")


def rows_by_name(rows: list[CatalogueRow]) -> dict[str, CatalogueRow]:
    return {row.name: row for row in rows}


def test_every_backend_and_family_is_listed(tmp_path: Path) -> None:
    rows = rows_by_name(catalogue(RenderConfig(cache_dir=tmp_path), None))
    assert set(backends()) <= set(rows), "a registered backend is missing from the list"
    assert {f.name for f in FAMILIES} <= set(rows) and {"midjourney", "nightcafe"} <= set(rows)
    assert all(row.licence for row in rows.values())
    # An empty cache, no keys: nothing can run, and each row says what would fix it.
    assert not any(row.can_run for row in rows.values())
    assert "portrait models pull stabilityai/sd-turbo" in rows["local"].why
    assert "set $STABILITY_API_KEY" in rows["stability"].why
    assert "set [render.imagen] project" in rows["imagen"].why
    assert rows["kandinsky-3"].licence.startswith("Apache-2.0") and "slow on the CPU" in rows["kandinsky-3"].why
    assert rows["midjourney"].kind == "paste" and "--for midjourney" in rows["midjourney"].why


def test_what_is_there_can_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "k3"
    with quiet_progress():
        build_tiny_kandinsky3().save_pretrained(folder)
    monkeypatch.setenv("STABILITY_API_KEY", "sk-x")
    adc = tmp_path / "gcloud" / "application_default_credentials.json"
    adc.parent.mkdir()
    adc.write_text(json.dumps({"type": "authorized_user"}))
    config = RenderConfig(model=str(folder), cache_dir=tmp_path, imagen=ImagenConfig(project="p"),
                          vqgan_clip=VqganClipConfig(vq_model="tiny", clip_model="tiny"))  # fmt: skip
    rows = rows_by_name(catalogue(config, "cuda"))
    assert rows["local"].can_run and "kandinsky-3" in rows["local"].why and "GPU: cuda" in rows["local"].why
    assert rows["local"].licence.startswith("Apache-2.0")
    assert rows["stability"].can_run and "sk-x" not in rows["stability"].why
    assert rows["imagen"].can_run and str(adc) in rows["imagen"].why
    assert rows["vqgan_clip"].can_run
    assert not rows["openai"].can_run
    assert "slow on the CPU" not in rows["kandinsky-3"].why


def test_a_cached_model_counts_as_on_disk(tmp_path: Path) -> None:
    # A hub cache laid out as huggingface_hub writes it, holding a VQ subfolder.
    snapshot = tmp_path / "hub" / "models--org--vq" / "snapshots" / "abc"
    (snapshot / "movq").mkdir(parents=True)
    (snapshot / "movq" / "config.json").write_text("{}")
    (tmp_path / "hub" / "models--org--vq" / "refs").mkdir()
    (tmp_path / "hub" / "models--org--vq" / "refs" / "main").write_text("abc")
    config = RenderConfig(cache_dir=tmp_path, vqgan_clip=VqganClipConfig(vq_model="org/vq", clip_model="tiny"))
    assert rows_by_name(catalogue(config, None))["vqgan_clip"].can_run


def test_cli_lists_as_text_and_json(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(f'[render]\nmodel = "tiny"\ncache_dir = "{tmp_path}"\n')
    assert main(["models", "list", "--config", str(config)]) == 0
    text = capsys.readouterr().out
    assert "local" in text and "licence: MIT" in text and "here: the untrained test model" in text
    assert main(["models", "list", "--json", "--config", str(config)]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert {row["name"] for row in listed} >= set(backends())
    assert next(row for row in listed if row["name"] == "local")["can_run"] is True


def test_format_rows_aligns() -> None:
    text = format_rows([CatalogueRow("backend", "a", "m", True, "w", "l"), CatalogueRow("paste", "bbb", "-", False,
                                                                                      "x", "y")])  # fmt: skip
    assert text.splitlines()[0] == "backend  a    yes  m" and text.splitlines()[3] == "paste    bbb  no   -"
