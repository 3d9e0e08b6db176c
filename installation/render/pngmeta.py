"""Artwork files: a PNG with an AUTOMATIC1111-style ``parameters`` text chunk, and a sidecar JSON.

The ``parameters`` text is what A1111, ComfyUI and most image viewers show as "generation data"::

    <positive prompt>
    Negative prompt: <negative prompt>
    Steps: 1, Sampler: Euler, CFG scale: 0.0, Seed: 42, Size: 512x512, Model: stabilityai/sd-turbo

The PNG also carries an XMP packet (``XML:com.adobe.xmp``) and, once ``installation.render.provenance``
has signed it, a C2PA manifest; both leave the ``parameters`` chunk as it is.

Both files are written atomically (a temporary file in the same folder, then ``os.replace``), so a
reader such as the wall never sees half an image.
"""

from __future__ import annotations

import io
import json
import os
import re
import tempfile
import zlib
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from PIL import Image

PARAMETERS_KEY = "parameters"
XMP_KEY = "XML:com.adobe.xmp"
_NEGATIVE = "Negative prompt: "
# One "Key: value" pair of the last line; a value may be quoted to hold commas (as A1111 writes them).
_PAIR = re.compile(r'\s*([\w][\w \-/]*):\s*("(?:\\.|[^\\"])*"|[^,]*)(?:,|$)')


def format_parameters(positive: str, negative: str, settings: Mapping[str, object]) -> str:
    """The A1111 ``parameters`` text: prompt, ``Negative prompt:`` line, then ``Key: value`` pairs."""
    lines = [positive]
    if negative:
        lines.append(_NEGATIVE + negative)
    lines.append(", ".join(f"{key}: {_quote(str(value))}" for key, value in settings.items()))
    return "\n".join(lines)


def parse_parameters(text: str) -> tuple[str, str, dict[str, str]]:
    """Split A1111 ``parameters`` text back into (positive, negative, settings)."""
    lines = text.rstrip("\n").split("\n")
    settings: dict[str, str] = {}
    # As A1111 reads it: the last line holds the settings when it is nothing but (3 or more) pairs.
    pairs = list(_PAIR.finditer(lines[-1]))
    if len(pairs) >= 3 and "".join(m.group(0) for m in pairs).strip() == lines[-1].strip():
        settings = {m.group(1): _unquote(m.group(2).strip()) for m in pairs}
        lines = lines[:-1]
    prompt_lines: list[str] = []
    negative_lines: list[str] = []
    for line in lines:
        if line.startswith(_NEGATIVE) and not negative_lines:
            negative_lines.append(line[len(_NEGATIVE) :])
        elif negative_lines:
            negative_lines.append(line)
        else:
            prompt_lines.append(line)
    return "\n".join(prompt_lines), "\n".join(negative_lines), settings


def read_xmp(path: Path) -> str | None:
    """The XMP packet of a PNG, or None if it carries none."""
    from PIL import Image

    with Image.open(path) as image:
        image.load()
        value = image.info.get(XMP_KEY)
    return value if isinstance(value, str) else None


def read_parameters(path: Path) -> str | None:
    """The ``parameters`` text of a PNG, or None if it carries none."""
    from PIL import Image

    with Image.open(path) as image:
        image.load()  # text chunks after the image data are only read with the pixels
        value = image.info.get(PARAMETERS_KEY)
    return value if isinstance(value, str) else None


def encode_png(image: Image.Image, parameters: str, *, compress_level: int = 1, xmp: str | None = None) -> bytes:
    """PNG bytes with the parameters chunk (tEXt, or iTXt when the text is not Latin-1), and ``xmp`` as the
    ``XML:com.adobe.xmp`` iTXt chunk where XMP readers look for it."""
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text(PARAMETERS_KEY, parameters)  # Pillow picks iTXt by itself for non-Latin-1 text
    if xmp is not None:
        info.add_itxt(XMP_KEY, xmp)
    buffer = io.BytesIO()
    # After PNG's row filters, run-length deflate (zlib Z_RLE) packs a painted or photographic picture
    # about as small as a full match search does, in about two thirds of the time.
    image.save(buffer, format="PNG", pnginfo=info, compress_level=compress_level, compress_type=zlib.Z_RLE)
    return buffer.getvalue()


def sidecar_path(image_path: Path) -> Path:
    """The sidecar JSON next to a PNG: ``portrait.png`` -> ``portrait.json``."""
    return image_path.with_suffix(".json")


def write_json_atomic(path: Path, data: Mapping[str, Any]) -> None:
    text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    write_bytes_atomic(path, text.encode("utf-8"))


def read_sidecar(image_path: Path) -> dict[str, Any] | None:
    """The sidecar JSON of a PNG, or None if there is none."""
    path = sidecar_path(image_path)
    if not path.is_file():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    return data if isinstance(data, dict) else None


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers see either the old file or the whole new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _quote(value: str) -> str:
    if "," not in value and ":" not in value and '"' not in value and "\n" not in value:
        return value
    return json.dumps(value, ensure_ascii=False)


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] == '"':
        try:
            unquoted = json.loads(value)
        except json.JSONDecodeError:
            return value
        return unquoted if isinstance(unquoted, str) else value
    return value
