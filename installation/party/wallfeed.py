"""The party on the gallery wall, without the wall knowing parties: a feed of ``WallArtwork`` records, the
shape the wall's ``ArtworkFeed`` asks for (``installation.wall.loop``), built from ``party_stream``.

``PartyWallFeed`` is the one entry; ``portrait party wall`` hands it to ``run_wall``. Each painted step
becomes one artwork: its id ``party-<step>``, its caption the prompt that painted it, its style the
party's theme (the caption's last line), its themes ``("party", theme)`` so a ``[[wall.streams]]``
channel with ``themes = ["party"]`` gathers them. Its ``seq`` lies above every portrait's, so a new
step is the newest artwork and arrives on the wall at once. With ``portraits`` (the job store) the
visitors' portraits stay in the rotation too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime

from installation.jobs.store import WallArtwork
from installation.party.store import PartyStore
from installation.party.stream import StreamSlide, party_stream
from installation.party.words import WallWords
from installation.party.worker import step_prompt
from installation.render.artwork import Artwork
from installation.render.pngmeta import sidecar_path

PARTY_SEQ = 10**12  # party steps count as newer than any portrait


class PartyWallFeed:
    """The painted steps of a party (default: the newest), and optionally the job store's portraits."""

    def __init__(
        self, store: PartyStore, words: WallWords, session_id: str | None = None, *,
        portraits: Callable[[], list[WallArtwork]] | None = None,
    ) -> None:
        self.store, self.words, self.session_id, self.portraits = store, words, session_id, portraits

    def wall_artworks(self) -> list[WallArtwork]:
        """Portraits (if any) then the party's steps, oldest first; cheap enough to call every second."""
        steps = [
            WallArtwork(
                job_id=f"party-{slide.step_id}", seq=PARTY_SEQ + slide.step_id, artwork=_artwork(slide),
                caption=slide.caption, keywords=(), themes=("party", slide.theme),
                finished_at=datetime.fromtimestamp(slide.finished_at, UTC),
            )
            for slide in party_stream(self.store, self.words, self.session_id)
        ]
        return [*(self.portraits() if self.portraits else []), *steps]


def _artwork(slide: StreamSlide) -> Artwork:
    """The step as an artwork; its style is the party's theme, which the wall's caption names."""
    step, metadata = slide.step, slide.step.metadata or {}
    prompt = replace(step_prompt(step), positive=slide.caption, style=slide.theme)
    return Artwork(
        image_path=slide.image_path, metadata_path=sidecar_path(slide.image_path), prompt=prompt,
        backend=step.backend or "", model=step.model or "", sampler=str(metadata.get("sampler", "")),
        timings={}, flagged=bool(metadata.get("flagged", False)), is_test_noise=bool(metadata.get("is_test_noise")),
    )
