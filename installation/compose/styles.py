"""Style import: an A1111 ``styles.csv`` or a Fooocus style JSON becomes ``[styles.*]`` tables.

A1111 rows are ``name,prompt,negative_prompt``; Fooocus files are a list of ``{name, prompt,
negative_prompt}``. Both mark the visitor's words with ``{prompt}``; a style without it has the words put
first, as A1111 does. Every imported style is validated like one typed into config.toml.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tomli_w
from pydantic import ValidationError

from installation.config import StyleConfig
from installation.errors import ConfigError

_PLACEHOLDER = "{prompt}"


@dataclass(frozen=True)
class ImportedStyles:
    """The styles read from one file, under config names, and the entries that could not be used."""

    source: str  # "A1111 styles.csv" or "Fooocus style JSON"
    styles: dict[str, StyleConfig]
    skipped: tuple[tuple[str, str], ...]  # (entry name, why)

    def to_toml(self) -> str:
        """TOML tables ready to paste into config.toml."""
        tables = {
            name: style.model_dump(include={"label", "template", "negative"}, exclude_defaults=True)
            for name, style in self.styles.items()
        }
        return tomli_w.dumps({"styles": tables})


def import_styles(path: Path, taken: frozenset[str] = frozenset()) -> ImportedStyles:
    """Read ``path`` (A1111 CSV or Fooocus JSON); names in ``taken`` (existing styles) are not reused."""
    # 1. Read and recognise the file
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot be read ({exc})") from exc
    if path.suffix.casefold() == ".json" or text.lstrip().startswith(("[", "{")):
        source, entries = "Fooocus style JSON", _fooocus_entries(path, text)
    else:
        source, entries = "A1111 styles.csv", _a1111_entries(path, text)

    # 2. Convert each entry into a validated style under a free config name
    styles: dict[str, StyleConfig] = {}
    skipped: list[tuple[str, str]] = []
    used = set(taken)
    for entry in entries:
        name = str(entry.get("name") or "").strip()
        prompt = str(entry.get("prompt") or "").strip()
        negative = str(entry.get("negative_prompt") or "").strip()
        if not name:
            skipped.append(("(unnamed)", "no name"))
            continue
        if not prompt and not negative:
            skipped.append((name, "neither prompt nor negative prompt"))
            continue
        try:
            style = StyleConfig(label=name, template=_template(prompt), negative=_negative(negative))
        except ValidationError as exc:
            skipped.append((name, exc.errors()[0]["msg"]))
            continue
        key = _free_name(_slug(name), used)
        used.add(key)
        styles[key] = style
    return ImportedStyles(source, styles, tuple(skipped))


def _fooocus_entries(path: Path, text: str) -> list[dict[str, Any]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{path}: not valid JSON ({exc.msg} at line {exc.lineno})") from exc
    if not isinstance(data, list) or not all(isinstance(e, dict) for e in data):
        raise ConfigError(f"{path}: a Fooocus style file is a list of {{name, prompt, negative_prompt}}")
    return data


def _a1111_entries(path: Path, text: str) -> list[dict[str, Any]]:
    rows = csv.DictReader(io.StringIO(text))
    if rows.fieldnames is None or not {"name", "prompt"} <= set(rows.fieldnames):
        raise ConfigError(
            f"{path}: neither an A1111 styles.csv (header name,prompt,negative_prompt) nor a Fooocus style JSON"
        )
    return list(rows)


def _template(prompt: str) -> str:
    """Literal braces doubled; the ``{prompt}`` placeholder kept, or put first when missing (A1111)."""
    parts = [p.replace("{", "{{").replace("}", "}}") for p in prompt.split(_PLACEHOLDER)]
    if len(parts) == 1:
        return f"{_PLACEHOLDER}, {parts[0]}" if parts[0] else _PLACEHOLDER
    return _PLACEHOLDER.join(parts)


def _negative(negative: str) -> str:
    # A negative prompt is plain text here: the visitor's words never belong in it.
    return ", ".join(p.strip() for p in negative.replace(_PLACEHOLDER, "").split(",") if p.strip())


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-") or "style"


def _free_name(name: str, used: set[str]) -> str:
    candidate, n = name, 1
    while candidate in used:
        n += 1
        candidate = f"{name}-{n}"
    return candidate
