"""Artwork files: the A1111 ``parameters`` chunk round-trips, and files appear whole or not at all."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PIL import Image

from installation.render.pngmeta import (
    encode_png,
    format_parameters,
    parse_parameters,
    read_parameters,
    read_xmp,
    write_bytes_atomic,
    write_json_atomic,
)

SETTINGS = {"Steps": 4, "Sampler": "Euler a", "CFG scale": 7.5, "Seed": 1234, "Size": "512x768", "Model": "sd-turbo"}


def test_format_matches_the_a1111_layout() -> None:
    text = format_parameters("a cat, oil painting", "blurry, text", SETTINGS)
    assert text.split("\n") == [
        "a cat, oil painting",
        "Negative prompt: blurry, text",
        "Steps: 4, Sampler: Euler a, CFG scale: 7.5, Seed: 1234, Size: 512x768, Model: sd-turbo",
    ]


@pytest.mark.parametrize(
    ("positive", "negative"),
    [
        ("a cat, oil painting", "blurry, text"),
        ("no negative here", ""),
        ("two\nlines of prompt: with a colon", "neg\nover two lines"),
        ("café in Tōkyō, 東京の夜", "ぼやけ"),
    ],
)
def test_parameters_round_trip(positive: str, negative: str) -> None:
    settings = {**SETTINGS, "Model": "my/model, v2: final"}  # a value with a comma and a colon is quoted
    assert parse_parameters(format_parameters(positive, negative, settings)) == (
        positive,
        negative,
        {k: str(v) for k, v in settings.items()},
    )


def test_a_prompt_without_settings_stays_a_prompt() -> None:
    assert parse_parameters("portrait: oil, soft light") == ("portrait: oil, soft light", "", {})


def test_reads_text_written_by_a1111_itself() -> None:
    text = (
        "masterpiece, portrait\nNegative prompt: lowres\n"
        "Steps: 20, Sampler: DPM++ 2M, CFG scale: 7, Seed: 99, Size: 512x512, "
        'Lora hashes: "a: 1, b: 2", Version: v1.9.4'
    )
    positive, negative, settings = parse_parameters(text)
    assert (positive, negative) == ("masterpiece, portrait", "lowres")
    assert settings["Lora hashes"] == "a: 1, b: 2"
    assert settings["Seed"] == "99" and settings["Version"] == "v1.9.4"


@pytest.mark.parametrize("positive", ["plain latin-1 prompt", "non-latin prompt 東京"])
def test_png_carries_the_chunk(tmp_path: Path, positive: str) -> None:
    image = Image.new("RGB", (16, 8), (200, 30, 30))
    text = format_parameters(positive, "blurry", SETTINGS)
    path = tmp_path / "a.png"
    path.write_bytes(encode_png(image, text))
    assert read_parameters(path) == text
    with Image.open(path) as back:
        assert back.size == (16, 8) and back.getpixel((3, 3)) == (200, 30, 30)


def test_png_without_the_chunk_reads_as_none(tmp_path: Path) -> None:
    path = tmp_path / "plain.png"
    Image.new("RGB", (4, 4)).save(path)
    assert read_parameters(path) is None
    assert read_xmp(path) is None


def test_png_carries_xmp_beside_the_parameters(tmp_path: Path) -> None:
    xmp = '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/></x:xmpmeta>'
    path = tmp_path / "x.png"
    path.write_bytes(encode_png(Image.new("RGB", (4, 4)), "a cat", xmp=xmp))
    assert read_xmp(path) == xmp and read_parameters(path) == "a cat"


def test_atomic_write_leaves_no_temporary_files(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "x.json"
    write_json_atomic(target, {"b": 1, "a": "é"})
    write_json_atomic(target, {"b": 2})
    assert target.read_text(encoding="utf-8") == '{\n  "b": 2\n}\n'
    assert os.listdir(target.parent) == ["x.json"]


def test_failed_write_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "x.png"
    target.write_bytes(b"old")

    def refuse(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OSError, match="disk full"):
        write_bytes_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["x.png"]
