"""The contact sheet: styles x portraits on one labelled image, for curators to compare."""

from __future__ import annotations

import sys
import types
from pathlib import Path

import pytest
from PIL import Image
from test_compose import PORTRAITS, SHIPPED

from installation.cli import main
from installation.compose.prompt import Prompt
from installation.compose.tokens import SHIPPED_CLIP_SOURCE
from installation.config import ProvenanceConfig, RenderConfig
from installation.errors import ComposeError
from installation.jobs.pipeline import PortraitPipeline
from installation.render.provenance import TRAINED_ALGORITHMIC_MEDIA, read_provenance
from installation.sheet import contact_sheet, save_sheet, sheet_png

ROOT = Path(__file__).resolve().parent.parent
COLOURS = {"crayon": (200, 40, 40), "klimt": (40, 200, 40), "wide-still-life": (40, 40, 200)}


def painter(made: list[Prompt]) -> object:
    def make(prompt: Prompt) -> Image.Image:
        made.append(prompt)
        return Image.new("RGB", (prompt.width, prompt.height), COLOURS[prompt.style])

    return make


def test_a_grid_of_styles_by_portraits() -> None:
    made: list[Prompt] = []
    portraits = [("rich", PORTRAITS["rich"]), ("german", PORTRAITS["german"])]
    styles = ["crayon", "klimt", "wide-still-life"]
    sheet = contact_sheet(portraits, styles, PortraitPipeline(SHIPPED), painter(made), cell=128)  # type: ignore[arg-type]
    assert sheet.profiles == ("rich", "german") and sheet.styles == tuple(styles)
    assert [p.style for p in made] == styles * 2
    assert [[p.style for p in row] for row in sheet.prompts] == [styles, styles]
    image = sheet.image
    gap, left = 8, 128
    top = image.height - 2 * (128 + gap) - gap
    assert image.width == left + 3 * (128 + gap) + gap and top > 0
    for row in range(2):
        for col, style in enumerate(styles):
            x = left + col * (128 + gap) + gap + 64
            y = top + row * (128 + gap) + gap + 64
            assert image.getpixel((x, y)) == COLOURS[style]
    # The wide picture keeps its shape: letterboxed, background above and below it.
    wide_x = left + 2 * (128 + gap) + gap + 64
    assert image.getpixel((wide_x, top + gap + 2)) != COLOURS["wide-still-life"]
    # Labels are drawn in the margins: light pixels on the dark background.
    header = image.crop((left, 0, image.width, top))
    assert sum(header.convert("L").histogram()[200:]) > 0
    side = image.crop((0, top, left, image.height))
    assert sum(side.convert("L").histogram()[200:]) > 0
    # Each cell's foot names its scene: light text on a dark strip over the picture.
    foot = image.crop((left + gap, top + gap + 128 - 12, left + gap + 128, top + gap + 128))
    assert sum(foot.convert("L").histogram()[200:]) > 0
    assert all(p.motifs for row in sheet.prompts for p in row)


@pytest.mark.parametrize(
    ("portraits", "styles", "cell", "message"),
    [
        ([], ["crayon"], 128, "at least one portrait"),
        ([("rich", PORTRAITS["rich"])], [], 128, "at least one style"),
        ([("rich", PORTRAITS["rich"])], ["crayon", "cubism"], 128, "'cubism'"),
        ([("rich", PORTRAITS["rich"])], ["crayon"], 32, "at least 64 pixels but is 32"),
    ],
)
def test_bad_sheet_inputs_are_named(portraits: list, styles: list[str], cell: int, message: str) -> None:  # type: ignore[type-arg]
    made: list[Prompt] = []
    with pytest.raises(ComposeError, match=message):
        contact_sheet(portraits, styles, PortraitPipeline(SHIPPED), painter(made), cell=cell)  # type: ignore[arg-type]
    assert made == []


class FakeRenderer:
    """Stands in for the renderer behind ``open_renderer``: a flat picture per prompt, instantly."""

    is_test_noise = True
    name = "local"
    model = "tiny"

    def __init__(self) -> None:
        self.prompts: list[Prompt] = []

    def generate(self, prompt: Prompt) -> Image.Image:
        self.prompts.append(prompt)
        return Image.new("RGB", (prompt.width, prompt.height), COLOURS[prompt.style])


def test_cli_sheet(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))  # the local signing CA, not the user's
    module = types.ModuleType("extractors.describe.portray")
    module.describe = lambda profile, *args, **kwargs: PORTRAITS["rich"]  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "extractors.describe.portray", module)
    renderer = FakeRenderer()
    opened: list[tuple[str, str, bool]] = []

    def open_renderer(config: RenderConfig, model: str | None = None, *, warm_up: bool = True) -> FakeRenderer:
        opened.append((config.model, config.backend, warm_up))
        return renderer

    monkeypatch.setattr("installation.render.run.open_renderer", open_renderer)
    exports = [tmp_path / "ada.txt", tmp_path / "bo.txt"]
    for export in exports:
        export.write_text("Night trains to the coast, jazz on the radio and sourdough on the counter.\n")
    out = tmp_path / "sheet.png"
    args = ["sheet", *map(str, exports), "--styles", "crayon, klimt", "--model", "tiny", "--cell", "96",
            "-o", str(out), "--config", str(ROOT / "config.toml")]
    assert main(args) == 0
    assert opened == [("tiny", "local", False)]
    assert [p.style for p in renderer.prompts] == ["crayon", "klimt"] * 2
    # The composer counts tokens for the model that paints: the tiny one has no real CLIP vocabulary.
    assert {p.counted_by for p in renderer.prompts} == {SHIPPED_CLIP_SOURCE}
    with Image.open(out) as image:
        assert image.width == 96 + 2 * (96 + 8) + 8 and image.height > 2 * (96 + 8)
    assert "2 profiles x 2 styles" in capsys.readouterr().out
    # Signed like every artwork: a manifest the library reads back intact, made by the tiny model.
    found = read_provenance(out)
    assert found is not None and found.state == "Valid", found
    assert found.failures == ("signingCredential.untrusted",)  # our own local CA: intact, signer unknown
    assert found.digital_source_type == TRAINED_ALGORITHMIC_MEDIA
    assert not list(tmp_path.glob(".*.partial"))
    assert main([*args[:-4], "--styles", "crayon,cubism", "-o", str(out), "--config", str(ROOT / "config.toml")]) == 2
    assert "'cubism'" in capsys.readouterr().err


def test_a_saved_sheet_carries_a_valid_manifest_without_its_row_labels(tmp_path: Path) -> None:
    portraits = [("@ada.lovelace.bsky.social", PORTRAITS["rich"])]
    sheet = contact_sheet(portraits, ["crayon"], PortraitPipeline(SHIPPED), painter([]), cell=96)  # type: ignore[arg-type]
    provenance = ProvenanceConfig(installation="Museum of Feeds", key_dir=tmp_path / "c2pa")
    out = save_sheet(sheet, tmp_path / "sheets" / "sheet.png", provenance, model="tiny", backend="local")
    found = read_provenance(out, trust_anchors=(tmp_path / "c2pa" / "ca.pem").read_bytes())
    assert found is not None and found.state == "Trusted" and found.failures == ()
    assert found.manifest["title"] == "Museum of Feeds contact sheet"
    # A row label is a visitor's handle: it is drawn on the sheet, never written into its metadata.
    assert b"ada.lovelace" not in out.read_bytes()
    with Image.open(out) as image:
        assert image.size == sheet.image.size and "XML:com.adobe.xmp" in image.info
    # Switched off, the sheet is written unsigned (the technician's choice, as for artworks).
    unsigned = sheet_png(sheet, ProvenanceConfig(enabled=False), model="tiny", backend="local")
    assert read_provenance(unsigned) is None
