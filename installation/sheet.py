"""The contact sheet: every chosen style for every chosen portrait on one labelled image, for curators.

``contact_sheet(portraits, styles, pipeline, make_image)`` composes each prompt through the one pipeline
and asks ``make_image``
(the renderer, or any callable from a Prompt to a PIL image) for its picture; rows are portraits,
columns are styles, and each picture's foot names its scene (the setting and the motifs).
``save_sheet`` writes it as a PNG carrying the same marks as every artwork: the IPTC digital source type
in XMP and a signed C2PA manifest (EU AI Act Art. 50: a sheet of generated pictures is generated media too).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from extractors.describe.portrait import VerbalPortrait
from installation.compose.prompt import Prompt
from installation.config import Config, ProvenanceConfig
from installation.errors import ComposeError, PortraitError
from installation.jobs.pipeline import PortraitPipeline
from installation.render.provenance import marked_png

ImageMaker = Callable[[Prompt], Image.Image]

_BACKGROUND = (24, 24, 24)
_INK = (235, 235, 235)
_GAP = 8


@dataclass(frozen=True)
class ContactSheet:
    image: Image.Image
    profiles: tuple[str, ...]  # row labels, top to bottom
    styles: tuple[str, ...]  # column style names, left to right
    prompts: tuple[tuple[Prompt, ...], ...]  # prompts[row][column]


def contact_sheet(
    portraits: Sequence[tuple[str, VerbalPortrait]],
    styles: Sequence[str],
    pipeline: PortraitPipeline,
    make_image: ImageMaker,
    *,
    cell: int = 256,
) -> ContactSheet:
    """A grid of ``make_image(compose(portrait, style))``; each picture fitted into a ``cell`` square."""
    # 1. Check inputs
    config = pipeline.config
    check_inputs(portraits, styles, config, cell)

    # 2. Compose every prompt, then make its picture
    prompts = tuple(tuple(pipeline.compose(portrait, style=style) for style in styles) for _, portrait in portraits)
    pictures = [[make_image(prompt) for prompt in row] for row in prompts]

    # 3. Lay out the grid: style labels on top, portrait labels on the left
    size = max(10, cell // 14)
    font = ImageFont.load_default(size=size)
    line = int(size * 1.4)
    left = cell
    top = 2 * line + _GAP
    width = left + len(styles) * (cell + _GAP) + _GAP
    height = top + len(portraits) * (cell + _GAP) + _GAP
    sheet = Image.new("RGB", (width, height), _BACKGROUND)
    draw = ImageDraw.Draw(sheet)
    for col, style in enumerate(styles):
        x = left + col * (cell + _GAP) + _GAP
        draw.text((x, _GAP), _fit(config.styles[style].label or style, font, cell), font=font, fill=_INK)
        draw.text((x, _GAP + line), _fit(style, font, cell), font=font, fill=_INK)
    for row, (label, _) in enumerate(portraits):
        y = top + row * (cell + _GAP) + _GAP
        draw.text((_GAP, y), _fit(label, font, left - 2 * _GAP), font=font, fill=_INK)
        draw.text((_GAP, y + line), _fit(prompts[row][0].mood, font, left - 2 * _GAP), font=font, fill=_INK)
        for col, picture in enumerate(pictures[row]):
            x = left + col * (cell + _GAP) + _GAP
            fitted = picture.convert("RGB")
            fitted.thumbnail((cell, cell))
            sheet.paste(fitted, (x + (cell - fitted.width) // 2, y + (cell - fitted.height) // 2))
            # The scene of this style along the cell's foot: where it is set, and what it shows
            scene = _scene_caption(prompts[row][col])
            draw.rectangle((x, y + cell - line, x + cell - 1, y + cell - 1), fill=_BACKGROUND)
            draw.text((x + 2, y + cell - line), _fit(scene, font, cell - 4), font=font, fill=_INK)

    return ContactSheet(sheet, tuple(label for label, _ in portraits), tuple(styles), prompts)


def sheet_png(sheet: ContactSheet, provenance: ProvenanceConfig, *, model: str, backend: str) -> bytes:
    """The sheet as PNG bytes: a parameters chunk naming what it is, XMP, and the C2PA manifest when enabled.

    The manifest's title names the sheet, not its rows: a row label is a visitor's file name or handle.
    """
    styles = ", ".join(sheet.styles)
    parameters = f"contact sheet: {len(sheet.profiles)} portraits x {len(sheet.styles)} styles ({styles})"
    return marked_png(sheet.image, parameters, provenance, model=model, backend=backend,
                      title=f"{provenance.installation} contact sheet")  # fmt: skip


def save_sheet(sheet: ContactSheet, output: Path, provenance: ProvenanceConfig, *, model: str, backend: str) -> Path:
    """Write ``sheet_png`` to ``output`` through a temporary name, so a crash leaves no half-written sheet."""
    png = sheet_png(sheet, provenance, model=model, backend=backend)
    partial = output.with_name(f".{output.name}.partial")
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        partial.write_bytes(png)
        partial.replace(output)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise PortraitError(f"cannot write the contact sheet {output}: {exc.strerror or exc}") from exc
    return output


def _scene_caption(prompt: Prompt) -> str:
    motifs = ", ".join(m for _, m in prompt.motifs) or "no motifs"
    return f"{prompt.setting}: {motifs}" if prompt.setting else motifs


def check_inputs(
    portraits: Sequence[tuple[str, VerbalPortrait]], styles: Sequence[str], config: Config, cell: int
) -> None:
    if not portraits:
        raise ComposeError("a contact sheet needs at least one portrait")
    if not styles:
        raise ComposeError("a contact sheet needs at least one style")
    unknown = [s for s in styles if s not in config.styles]
    if unknown:
        raise ComposeError(f"no style named {unknown[0]!r}; styles: {', '.join(config.styles)}")
    if cell < 64:
        raise ComposeError(f"cell must be at least 64 pixels but is {cell}")


def _fit(text: str, font: ImageFont.FreeTypeFont | ImageFont.ImageFont, width: int) -> str:
    """``text``, shortened with an ellipsis to fit ``width`` pixels."""
    if font.getlength(text) <= width:
        return text
    while text and font.getlength(text + "…") > width:
        text = text[:-1]
    return text.rstrip() + "…"
