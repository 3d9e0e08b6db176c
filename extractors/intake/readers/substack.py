"""Substack: the publication export, ``posts.csv`` plus each post's body in ``posts/<post_id>.html``.

``posts.csv``: ``post_id,post_date,is_published,email_sent_at,inbox_sent_at,type,audience,title,
subtitle,podcast_url``. A post is read when ``is_published`` is true and its body file exists: its title,
subtitle and body (HTML to text) are the writer's words. Drafts are left out. The export's subscriber
lists (``email_list*.csv``, e-mail addresses) and the open and delivery tracking
(``posts/<id>.opens.csv``, ``.delivers.csv``) are never opened: only the files named here are.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from pathlib import PurePosixPath

from extractors.errors import ExportTooLargeError, ProfileParseError
from extractors.intake.jsonio import read_text
from extractors.intake.reader import RawPost
from extractors.intake.readers.reddit import has_columns
from extractors.intake.sniff import Signature
from extractors.intake.source import ExportFiles
from extractors.intake.text import html_to_text

_COLUMNS = frozenset({"post id", "post date", "is published", "type", "title"})
_MAX_BODY_BYTES = 8 << 20  # a long essay with its markup is well under a megabyte


class SubstackReader:
    name = "substack"
    description = "Substack export (zip with posts.csv and posts/<id>.html)"
    signatures: tuple[Signature, ...] = (Signature("posts.csv", "csv", columns=_COLUMNS),)

    def detect(self, files: ExportFiles) -> int:
        return 100 if _tables(files) else 0

    def read(self, files: ExportFiles) -> Iterator[RawPost]:
        from extractors.intake.jsonio import iter_csv_rows

        for rel in _tables(files):
            folder = PurePosixPath(rel).parent / "posts"
            bodies = {PurePosixPath(f).name: f for f in files.files if PurePosixPath(f).parent == folder}
            label = files.label(rel)
            for n, row in enumerate(iter_csv_rows(files, rel), start=1):
                post = _post({k.strip().lower().replace("_", " "): v for k, v in row.items()}, files, bodies, label, n)
                if post is not None:
                    yield post


def _tables(files: ExportFiles) -> list[str]:
    return [rel for rel in files.find("posts.csv") if has_columns(files, rel, set(_COLUMNS), spaces=True)]


def _post(row: Mapping[str, str], files: ExportFiles, bodies: Mapping[str, str], label: str, n: int) -> RawPost | None:
    if row.get("is published", "").strip().lower() != "true":
        return None  # a draft: never published, not yet the writer's public words
    post_id = row.get("post id", "").strip()
    body_rel = bodies.get(f"{post_id}.html")
    if not post_id or body_rel is None:
        return None  # a published post without a body (a podcast, a thread): nothing to read
    if files.path(body_rel).stat().st_size > _MAX_BODY_BYTES:
        raise ExportTooLargeError(f"{files.label(body_rel)}: over the cap of {_MAX_BODY_BYTES} bytes for one post")
    html = read_text(files, body_rel)
    head = [row.get("title", "").strip(), row.get("subtitle", "").strip()]
    return RawPost(
        stored=html,
        text="\n\n".join([*(h for h in head if h), html_to_text(html)]),
        created_at=_time(row.get("post date", ""), label, n),
        lang=None,
        kind="post",
    )


def _time(value: str, label: str, n: int) -> datetime:
    try:
        when = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError as exc:
        raise ProfileParseError(f"{label}: row {n} has post_date {value!r}, not an ISO 8601 time") from exc
    return when if when.tzinfo else when.replace(tzinfo=UTC)
