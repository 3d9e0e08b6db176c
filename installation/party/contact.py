"""The party's contact sheet: every painted step as a thumbnail on one PNG, labelled with its number,
its votes and whether the host marked it best. ``contact_sheet`` is the one entry.

The sheet is generated media too (EU AI Act Art. 50), so it carries the marks of every artwork
(``installation.render.provenance.marked_png``): a parameters chunk saying what it is, the IPTC source type
in XMP and a signed C2PA manifest naming the models that painted its steps, never a prompt or a name.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from pathlib import Path

from installation.config import ProvenanceConfig
from installation.errors import PartyError
from installation.party.records import Step
from installation.render.pngmeta import write_bytes_atomic
from installation.render.provenance import marked_png

THUMB = 192
LABEL = 22
GAP = 8
COLUMNS = 6


def contact_sheet(items: Sequence[tuple[Step, Path]], output: Path, provenance: ProvenanceConfig) -> Path:
    """Draw ``items`` (a step and its image) in order, ``COLUMNS`` to a row, into ``output``, marked and signed
    with ``provenance`` (``[render.provenance]``)."""
    from PIL import Image, ImageDraw, ImageFont

    # 1. Check inputs.
    if not items:
        raise PartyError("a contact sheet needs at least one painted step")
    # 2. The sheet: as many rows as needed.
    columns = min(COLUMNS, len(items))
    rows = math.ceil(len(items) / columns)
    sheet = Image.new("RGB", (GAP + columns * (THUMB + GAP), GAP + rows * (THUMB + LABEL + GAP)), (17, 17, 17))
    draw = ImageDraw.Draw(sheet)
    font = ImageFont.load_default()
    # 3. One thumbnail and label per step.
    for index, (step, path) in enumerate(items):
        x = GAP + (index % columns) * (THUMB + GAP)
        y = GAP + (index // columns) * (THUMB + LABEL + GAP)
        try:
            with Image.open(path) as opened:
                thumb = opened.convert("RGB")
        except OSError as exc:
            raise PartyError(f"{path}: not a readable image ({exc})") from exc
        thumb.thumbnail((THUMB, THUMB))
        sheet.paste(thumb, (x + (THUMB - thumb.width) // 2, y + (THUMB - thumb.height) // 2))
        label = f"#{step.number}  {step.votes} vote{'s' if step.votes != 1 else ''}{'  BEST' if step.best else ''}"
        draw.text((x, y + THUMB + 4), label, fill=(255, 221, 102) if step.best else (220, 220, 220), font=font)
    # 4. Mark it as generated media: what it is, and which models and backends painted its steps.
    steps = [step for step, _ in items]
    parameters = f"party contact sheet: {len(steps)} painted steps ({', '.join(f'#{s.number}' for s in steps)})"
    png = marked_png(
        sheet, parameters, provenance, model=_names(s.model for s in steps), backend=_names(s.backend for s in steps),
        title=f"{provenance.installation} party contact sheet",
    )  # fmt: skip
    # 5. Write it whole or not at all: a gallery republished after a crash never keeps half a sheet.
    try:
        write_bytes_atomic(output, png)
    except OSError as exc:
        raise PartyError(f"cannot write the contact sheet {output}: {exc.strerror or exc}") from exc
    return output


def _names(values: Iterable[str | None]) -> str:
    """The distinct names, in order, as one text ("unknown" for a step recorded without one)."""
    return ", ".join(dict.fromkeys(value or "unknown" for value in values))
