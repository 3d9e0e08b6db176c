"""Style import: A1111 styles.csv and Fooocus style JSON become config.toml tables that compose."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest
from composing import compose
from test_compose import PORTRAITS

from installation.cli import main
from installation.compose.styles import import_styles
from installation.config import load_config
from installation.errors import ConfigError

ROOT = Path(__file__).resolve().parent.parent

# As A1111 writes it: a BOM-less header, quoted fields with commas, an empty "None" row.
A1111_CSV = '''name,prompt,negative_prompt
None,,
Cinematic Photo (SDXL),"cinematic photo {prompt} . 35mm photograph, film, bokeh","drawing, painting, crayon, {prompt}"
Just Additions,"masterpiece, best quality","lowres, bad anatomy"
"Braces {weird}","{prompt}, {curly} ornaments",
Negative only,,"ugly, tiling"
'''

# As Fooocus ships it (sdxl_styles_*.json): some entries have no prompt.
FOOOCUS_JSON = [
    {"name": "Fooocus Enhance", "negative_prompt": "(worst quality, low quality, normal quality, lowres), bad hands"},
    {"name": "sai-origami", "prompt": "origami style {prompt} . paper art, pleated paper, folded",
     "negative_prompt": "noisy, sloppy, messy, grainy, highly detailed, ultra textured, photo"},
    {"name": "Fooocus Sharp", "prompt": "cinematic still {prompt} . emotional, harmonious, vignette, 4k epic"},
    {"name": "", "prompt": "nameless {prompt}"},
]


def round_trip(toml_text: str, tmp_path: Path) -> Path:
    """The shipped config.toml with the imported tables appended, as a curator would paste them."""
    path = tmp_path / "config.toml"
    path.write_text((ROOT / "config.toml").read_text() + "\n" + toml_text)
    return path


def test_a1111_styles_csv(tmp_path: Path) -> None:
    source = tmp_path / "styles.csv"
    source.write_text(A1111_CSV)
    imported = import_styles(source)
    assert imported.source == "A1111 styles.csv"
    assert list(imported.styles) == ["cinematic-photo-sdxl", "just-additions", "braces-weird", "negative-only"]
    cinematic = imported.styles["cinematic-photo-sdxl"]
    assert cinematic.label == "Cinematic Photo (SDXL)"
    assert cinematic.template == "cinematic photo {prompt} . 35mm photograph, film, bokeh"
    assert cinematic.negative == "drawing, painting, crayon"  # the visitor's words never go negative
    # No placeholder: A1111 appends the style to the prompt.
    assert imported.styles["just-additions"].template == "{prompt}, masterpiece, best quality"
    assert imported.styles["braces-weird"].template == "{prompt}, {{curly}} ornaments"
    assert imported.styles["negative-only"].template == "{prompt}"
    assert imported.skipped == (("None", "neither prompt nor negative prompt"),)

    config = load_config(round_trip(imported.to_toml(), tmp_path))
    assert set(imported.styles) <= set(config.styles)
    braces = compose(PORTRAITS["rich"], "braces-weird", config)
    assert braces.positive.endswith("{curly} ornaments")
    cine = compose(PORTRAITS["rich"], "cinematic-photo-sdxl", config)
    assert cine.positive.startswith("cinematic photo a portrait of a single person in a warm kitchen with a loaf")
    assert cine.negative.endswith("drawing, painting, crayon") and cine.tokens <= 77


def test_fooocus_style_json(tmp_path: Path) -> None:
    source = tmp_path / "sdxl_styles_fooocus.json"
    source.write_text(json.dumps(FOOOCUS_JSON, indent=4), encoding="utf-8")
    imported = import_styles(source, taken=frozenset({"sai-origami"}))
    assert imported.source == "Fooocus style JSON"
    assert list(imported.styles) == ["fooocus-enhance", "sai-origami-2", "fooocus-sharp"]
    assert imported.styles["fooocus-enhance"].template == "{prompt}"
    assert imported.styles["fooocus-enhance"].negative.startswith("(worst quality, low quality")
    assert imported.styles["sai-origami-2"].template.startswith("origami style {prompt} .")
    assert imported.skipped == (("(unnamed)", "no name"),)
    data = tomllib.loads(imported.to_toml())
    assert data["styles"]["fooocus-sharp"] == {
        "label": "Fooocus Sharp",
        "template": "cinematic still {prompt} . emotional, harmonious, vignette, 4k epic",
    }
    config = load_config(round_trip(imported.to_toml(), tmp_path))
    assert "origami style" in compose(PORTRAITS["german"], "sai-origami-2", config).positive


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("styles.csv", "title,text\nx,y\n", "neither an A1111 styles.csv"),
        ("styles.json", '{"name": "x"}', "a list of"),
        ("styles.json", "[{]", "not valid JSON"),
        ("styles.csv", b"\xff\xfe\x00bad", "cannot be read"),
    ],
)
def test_unusable_files_are_named(tmp_path: Path, name: str, content: str | bytes, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    with pytest.raises(ConfigError, match=message) as info:
        import_styles(path)
    assert str(path) in str(info.value)


def test_cli_styles_import(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "styles.csv"
    source.write_text(A1111_CSV.replace("Just Additions", "Klimt"))
    assert main(["styles", "import", str(source), "--config", str(ROOT / "config.toml")]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# 4 style(s) from styles.csv (A1111 styles.csv)\n# skipped 'None'")
    data = tomllib.loads(out)
    assert "klimt-2" in data["styles"] and "klimt" not in data["styles"]  # the shipped klimt is kept
    assert main(["styles", "import", str(tmp_path / "missing.csv")]) == 2
    assert "missing.csv" in capsys.readouterr().err
