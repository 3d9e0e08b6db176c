"""Publishing a party: a static gallery that opens from disk or any static host, with no server and no
request to anywhere else.

    DIR/index.html          the best images first, each with the path of prompts that led to it; the whole tree
    DIR/images/step-NNN.png every painted step (its PNG metadata kept) and its sidecar JSON
    DIR/lineage.json        every step, parameter, parent, suggestion and vote count
    DIR/contact-sheet.png   every painted step on one sheet, with a signed C2PA manifest like every artwork

``publish_session`` is the one entry (``portrait party publish SESSION -o DIR``).
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from installation.config import ProvenanceConfig
from installation.errors import PartyError
from installation.party.contact import contact_sheet
from installation.party.pages import render_template
from installation.party.records import Session, Step
from installation.party.store import PartyStore
from installation.party.words import WallWords

LINEAGE_FORMAT = "social-portrait/party-lineage@1"


@dataclass(frozen=True)
class PublishedGallery:
    """What ``publish_session`` wrote."""

    folder: Path
    index: Path
    lineage: Path
    contact_sheet: Path
    images: tuple[Path, ...]
    best: tuple[int, ...]  # step numbers shown first


@dataclass(frozen=True)
class _Node:
    """A step as the gallery template shows it."""

    step: Step
    image: str | None  # relative to index.html
    prompt: str
    children: tuple[_Node, ...]


def publish_session(
    store: PartyStore, session_id: str, folder: Path, words: WallWords, *, provenance: ProvenanceConfig,
) -> PublishedGallery:
    """Write the gallery of ``session_id`` into ``folder``; the contact sheet is signed with ``provenance``."""
    # 1. Check inputs: the session, something painted, a folder that is ours to fill.
    session = store.session(session_id)
    steps = store.steps(session.id)
    painted = [s for s in steps if s.state == "done" and s.image_path is not None]
    check_inputs(session, painted, folder)
    # 2. Copy every painted image with its sidecar, named by step.
    images_dir = folder / "images"
    images_dir.mkdir(parents=True, exist_ok=True)
    names = {s.id: copy_image(s, images_dir) for s in painted}
    # 3. Best first (the host's marks, then the room's votes), then the rest by votes.
    ranked = sorted(painted, key=lambda s: (not s.best, -s.votes, s.number))
    # 4. The lineage: every step and suggestion, as JSON.
    lineage = folder / "lineage.json"
    lineage.write_text(json.dumps(lineage_of(store, session, steps, names, words), ensure_ascii=False, indent=2),
                       encoding="utf-8")  # fmt: skip
    # 5. The contact sheet, marked and signed like every artwork (the images keep their own manifests).
    sheet = folder / "contact-sheet.png"
    contact_sheet([(s, images_dir / names[s.id]) for s in ranked], sheet, provenance)
    # 6. The page: plain HTML and inline style, no script, only relative links.
    by_id = {s.id: s for s in steps}
    index = folder / "index.html"
    index.write_text(render_template(
        "gallery.html", session=session, created=_date(session.created_at),
        ranked=[(s, f"images/{names[s.id]}", [_shown(a, words) for a in path_to(s, by_id)]) for s in ranked],
        tree=_tree(steps, names, words), scrub=words.scrub, painted=len(painted),
    ), encoding="utf-8")  # fmt: skip
    return PublishedGallery(
        folder, index, lineage, sheet, tuple(images_dir / n for n in names.values()),
        tuple(s.number for s in ranked if s.best),
    )


def check_inputs(session: Session, painted: list[Step], folder: Path) -> None:
    if not painted:
        raise PartyError(f"session {session.id} ({session.theme!r}) has no painted step to publish yet")
    if folder.exists() and not folder.is_dir():
        raise PartyError(f"{folder}: exists and is not a folder")
    if folder.is_dir() and any(folder.iterdir()) and not (folder / "lineage.json").is_file():
        raise PartyError(f"{folder}: not empty and not an earlier party gallery; name a new folder")


def copy_image(step: Step, images_dir: Path) -> str:
    """Copy the step's PNG (and its sidecar, if any) into the gallery; the new file name."""
    assert step.image_path is not None
    name = f"step-{step.number:03d}.png"
    try:
        shutil.copyfile(step.image_path, images_dir / name)
        sidecar = step.image_path.with_suffix(".json")
        if sidecar.is_file():
            shutil.copyfile(sidecar, (images_dir / name).with_suffix(".json"))
    except OSError as exc:
        raise PartyError(f"cannot copy the image of step {step.number} ({step.image_path}): {exc}") from exc
    return name


def path_to(step: Step, by_id: dict[int, Step]) -> list[Step]:
    """The steps from the first prompt to ``step``, in order."""
    path = [step]
    while path[-1].parent_id is not None and path[-1].parent_id in by_id and len(path) <= len(by_id):
        path.append(by_id[path[-1].parent_id])
    return path[::-1]


def lineage_of(
    store: PartyStore, session: Session, steps: list[Step], names: dict[int, str], words: WallWords,
) -> dict[str, Any]:
    shown = []
    for step in steps:
        data = step.to_dict()
        data["text"], data["prompt"] = words.scrub(step.settings.text), words.scrub(step.positive)
        data["image"] = f"images/{names[step.id]}" if step.id in names else None
        data["metadata"] = step.metadata
        shown.append(data)
    return {
        "format": LINEAGE_FORMAT,
        "session": {"id": session.id, "theme": session.theme, "created_at": _date(session.created_at)},
        "published_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "steps": shown,
        "suggestions": [
            {"id": g.id, "by": g.name, "kind": g.kind, "text": words.scrub(g.text), "state": g.state, "step": g.step_id}
            for g in store.suggestions(session.id)
        ],
    }


def _shown(step: Step, words: WallWords) -> tuple[Step, str]:
    return step, words.scrub(step.positive)


def _tree(steps: list[Step], names: dict[int, str], words: WallWords) -> tuple[_Node, ...]:
    children: dict[int | None, list[Step]] = {}
    for step in steps:
        children.setdefault(step.parent_id, []).append(step)

    def node(step: Step) -> _Node:
        image = f"images/{names[step.id]}" if step.id in names else None
        return _Node(step, image, words.scrub(step.positive), tuple(node(c) for c in children.get(step.id, ())))

    return tuple(node(s) for s in children.get(None, ()))


def _date(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d")
