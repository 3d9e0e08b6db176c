"""Fast real stand-ins for the slow stages, for the queue, kiosk, privacy and crash tests.

The reader is the real one; describe counts words, compose joins them, render paints a flat colour
with Pillow. ``PORTRAIT_FAKE_RENDER_SECONDS`` makes render slow (the crash test kills a worker there).
Run as a script, this is ``portrait worker`` with these stages: ``python tests/worker_fakes.py CONFIG``.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import sys
import time
from collections import Counter
from pathlib import Path

from PIL import Image

from extractors.describe.portrait import Keyword, LanguageInfo, Mood, PortraitStats, Theme, VerbalPortrait
from extractors.intake.profile import Profile
from installation.compose.prompt import Prompt
from installation.config import Config, load_config
from installation.errors import RemoteFetchError
from installation.jobs.pipeline import Stages
from installation.jobs.worker import run_worker
from installation.render.artwork import Artwork


def fake_read(export: Path, nickname: str | None) -> Profile:
    from extractors import read_export

    return read_export(export, display_name=nickname)


def fake_describe(profile: Profile) -> VerbalPortrait:
    words = Counter(
        w for p in profile.posts for w in re.findall(r"[a-z]{5,}", p.text.lower())
    )
    keywords = []
    for word, n in words.most_common(5):
        indices = tuple(i for i, p in enumerate(profile.posts) if word in p.text.lower())
        keywords.append(Keyword(word, float(n), indices, tuple(profile.posts[i].text[:80] for i in indices[:2])))
    return VerbalPortrait(
        platform=profile.platform,
        keywords=tuple(keywords),
        mood=Mood(0.5, 0.1, (), "serene", ("teal",), ("soft light",)),
        themes=(Theme("walking", 1.0, "keywords"),),
        language=LanguageInfo("en", 1.0, "fake"),
        stats=PortraitStats(len(profile.posts), profile.posts[0].created_at, profile.posts[-1].created_at),
    )


def fake_compose(portrait: VerbalPortrait, turn: int, private: tuple[str, ...]) -> Prompt:
    words = tuple(k.phrase for k in portrait.keywords if k.phrase not in private)
    return Prompt(
        positive="portrait of " + ", ".join(words), negative="", style="fake-style", seed=turn,
        width=64, height=64, steps=1, guidance=0.0, keywords_used=words, mood=portrait.mood.label,
    )


def fake_render(prompt: Prompt, image_path: Path) -> Artwork:
    delay = float(os.environ.get("PORTRAIT_FAKE_RENDER_SECONDS", "0"))
    time.sleep(delay)
    colour = hashlib.sha256(prompt.positive.encode()).digest()[:3]
    image_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = image_path.with_suffix(".tmp")
    Image.new("RGB", (prompt.width, prompt.height), tuple(colour)).save(tmp, format="PNG")
    tmp.replace(image_path)
    sidecar = image_path.with_suffix(".json")
    sidecar.write_text(json.dumps({"style": prompt.style, "keywords": list(prompt.keywords_used)}))
    return fake_artwork(prompt, image_path, sidecar, flagged="flagme" in prompt.positive)


def fake_artwork(prompt: Prompt, image_path: Path, sidecar: Path, *, flagged: bool = False) -> Artwork:
    return Artwork(image_path, sidecar, prompt, "fake", "fake-model", "none", {}, flagged, False)


def no_fetch(handle: str, folder: Path) -> Path:
    raise RemoteFetchError(f"{handle}: fetching is switched off in this test")


FAKE_PIPELINE = Stages(
    read=fake_read, describe=fake_describe, compose=fake_compose, render=fake_render, fetch=no_fetch
)


def config_for(tmp: Path, **sections: dict[str, object]) -> Config:
    """A config whose every folder lies under ``tmp``."""
    data: dict[str, dict[str, object]] = {
        "store": {"path": str(tmp / "var" / "jobs.sqlite3")},
        "kiosk": {"upload_dir": str(tmp / "var" / "uploads")},
        "render": {"output_dir": str(tmp / "var" / "artworks")},
    }
    for name, values in sections.items():
        data[name] = {**data.get(name, {}), **values}
    return Config.model_validate(data)


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(asctime)s %(message)s")
    run_worker(load_config(Path(sys.argv[1]), required=True), FAKE_PIPELINE)
