"""The party's contact sheet: every painted step as a thumbnail on one PNG, labelled with its number,
its votes and whether the host marked it best. ``contact_sheet`` is the one entry."""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

from installation.errors import PartyError
from installation.party.records import Step

THUMB = 192
LABEL = 22
GAP = 8
COLUMNS = 6


def contact_sheet(items: Sequence[tuple[Step, Path]], output: Path) -> Path:
    """Draw ``items`` (a step and its image) in order, ``COLUMNS`` to a row, into ``output``."""
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
    # 4. Write it.
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        sheet.save(output, format="PNG")
    except OSError as exc:
        raise PartyError(f"cannot write the contact sheet {output}: {exc}") from exc
    return output
