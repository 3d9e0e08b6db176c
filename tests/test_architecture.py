"""ARCHITECTURE.md's layer table is the law of the imports: this test reads it and the code's imports (stdlib
``ast``, in-function imports included, ``if TYPE_CHECKING:`` blocks left out) and fails on an upward
import, an import between two entries of one layer, an import from ``extractors`` into ``installation``, a
circle, or a module the table does not place. It also keeps modules under 500 lines.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("extractors", "installation")
MAX_LINES = 500


def layer_table(text: str) -> dict[str, int]:
    """``entry -> layer`` from the markdown rows ``| N | `a.b`, `c` | ... |``."""
    table: dict[str, int] = {}
    for match in re.finditer(r"^\|\s*(\d+)\s*\|([^|]*)\|", text, re.M):
        for entry in re.findall(r"`([\w.]+)`", match.group(2)):
            table[entry] = int(match.group(1))
    return table


def module_files() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


def _type_checking_only(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imports_of(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The project modules ``name`` imports at run time, anywhere in the file."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()

    def add(target: str) -> None:
        # The longest prefix that is a module of ours: `a.b.C` (a class) counts as `a.b`.
        parts = target.split(".")
        for n in range(len(parts), 0, -1):
            candidate = ".".join(parts[:n])
            if candidate in modules:
                found.add(candidate)
                return

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _type_checking_only(node):
            for branch in node.orelse:
                visit(branch)
            return
        if isinstance(node, ast.Import):
            for alias in node.names:
                add(alias.name)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            for alias in node.names:
                add(f"{module}.{alias.name}")
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    found.discard(name)
    return found


def entry_of(module: str, table: dict[str, int]) -> str | None:
    """The longest entry that is ``module`` or a package above it; a top-level package's own entry
    (``installation``, its ``__init__``) places only itself, so no module is placed by accident."""
    parts = module.split(".")
    for n in range(len(parts), 0, -1):
        candidate = ".".join(parts[:n])
        if candidate in table and (candidate not in PACKAGES or candidate == module):
            return candidate
    return None


def problems(table: dict[str, int], modules: dict[str, Path]) -> list[str]:
    found: list[str] = []
    graph = {name: imports_of(name, path, modules) for name, path in modules.items()}
    for name, targets in sorted(graph.items()):
        entry = entry_of(name, table)
        if entry is None:
            found.append(f"{name}: not placed by the layer table")
            continue
        for target in sorted(targets):
            target_entry = entry_of(target, table)
            if target_entry is None:
                continue  # reported once, as the module itself
            if name.startswith("extractors") and target.startswith("installation"):
                found.append(f"{name} imports {target}: extractors never import installation")
            elif table[target_entry] > table[entry]:
                found.append(f"{name} (layer {table[entry]}) imports {target} (layer {table[target_entry]})")
            elif table[target_entry] == table[entry] and target_entry != entry and table[entry] != 1:
                found.append(f"{name} imports {target}: two entries of layer {table[entry]} never import each other")
    found.extend(f"import circle: {' -> '.join(cycle)}" for cycle in cycles(graph))
    return found


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One path around each circle that a depth-first walk meets."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []
    found: list[list[str]] = []

    def walk(node: str) -> None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                found.append([*path[path.index(nxt):], nxt])
            elif nxt not in state:
                walk(nxt)
        path.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            walk(node)
    return found


def test_the_code_keeps_the_layers_of_architecture_md() -> None:
    table = layer_table((ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8"))
    assert table["extractors.intake"] < table["extractors.describe"] < table["installation.compose"]
    assert problems(table, module_files()) == []


def test_no_module_is_past_500_lines() -> None:
    long = {
        str(path.relative_to(ROOT)): n
        for path in module_files().values()
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


@pytest.fixture
def fake_tree(tmp_path: Path) -> dict[str, Path]:
    files = {
        "extractors.intake.reader": "from installation.errors import PortraitError\n",
        "installation.compose.composer": (
            "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from installation.jobs import worker\n"
            "def f():\n    from installation.render.run import render\n"
        ),
        "installation.render.run": "from installation.compose import composer\n",
        "installation.kiosk.app": "from installation.wall.loop import run_wall\n",
        "installation.wall.loop": "",
        "installation.jobs.worker": "",
        "installation.errors": "",
        "installation.mystery": "",
    }
    modules = {}
    for name, source in files.items():
        path = tmp_path / (name.replace(".", "/") + ".py")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source)
        modules[name] = path
    return modules


def test_the_checker_catches_each_kind_of_breach(fake_tree: dict[str, Path]) -> None:
    table = layer_table((ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8"))
    found = problems(table, fake_tree)
    assert "extractors.intake.reader imports installation.errors: extractors never import installation" in found
    # A lazy import counts; an import for the type checker does not.
    assert "installation.compose.composer (layer 4) imports installation.render.run (layer 5)" in found
    assert not any("installation.jobs.worker" in p for p in found)
    assert any(p.startswith("import circle: installation.compose.composer -> installation.render.run") for p in found)
    between = "installation.kiosk.app imports installation.wall.loop: two entries of layer 7 never import each other"
    assert between in found
    assert "installation.mystery: not placed by the layer table" in found
