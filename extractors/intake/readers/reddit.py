"""Reddit's data request export: a zip of CSV files, of which ``posts.csv`` and ``comments.csv`` are read.

``posts.csv``: ``id,permalink,date,ip,subreddit,gildings,title,url,body``; a post's words are its title
and its body. ``comments.csv``: ``id,permalink,date,ip,subreddit,gildings,link,parent,body,media``;
every comment answers something, so it is a reply. Dates look like ``2023-01-15 12:34:56 UTC``.
Rows whose text is ``[deleted]`` or ``[removed]`` are gone from Reddit and never count. The ``ip``
column is dropped from each row as soon as it is read; nothing else in the export (messages, votes,
IP logs) is opened.

Bodies are Reddit markdown with HTML entities escaped. The plain text keeps the words: links keep
their label, quoted lines (``> ...``, usually the comment being answered) and code are left out, and
``u/name`` mentions are removed like @handles; ``r/name`` keeps the name.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from extractors.errors import ProfileParseError
from extractors.intake.jsonio import iter_csv_rows
from extractors.intake.reader import RawPost
from extractors.intake.sniff import Signature
from extractors.intake.source import ExportFiles
from extractors.intake.text import unescape

GONE = ("[deleted]", "[removed]")
_POST_COLUMNS = {"id", "permalink", "date", "subreddit", "title", "body"}
_COMMENT_COLUMNS = {"id", "permalink", "date", "subreddit", "body", "parent"}
_USER_MENTION = re.compile(r"(?<![\w/])/?u/[A-Za-z0-9_-]+")
_SUBREDDIT = re.compile(r"(?<![\w/])/?r/([A-Za-z0-9_]+)")


class RedditReader:
    name = "reddit"
    description = "Reddit data request export (zip with posts.csv and comments.csv)"
    signatures: tuple[Signature, ...] = (
        Signature("posts.csv", "csv", columns=frozenset(_POST_COLUMNS)),
        Signature("comments.csv", "csv", columns=frozenset(_COMMENT_COLUMNS)),
    )

    def detect(self, files: ExportFiles) -> int:
        return 100 if self._tables(files) else 0

    def read(self, files: ExportFiles) -> Iterator[RawPost]:
        for rel, kind in self._tables(files):
            label = files.label(rel)
            for row in iter_csv_rows(files, rel):
                row.pop("ip", None)  # personal: dropped before anything else looks at the row
                post = _post(row, kind, label)
                if post is not None:
                    yield post

    @staticmethod
    def _tables(files: ExportFiles) -> list[tuple[str, str]]:
        tables = [(rel, "post") for rel in files.find("posts.csv") if has_columns(files, rel, _POST_COLUMNS)]
        tables += [(rel, "reply") for rel in files.find("comments.csv") if has_columns(files, rel, _COMMENT_COLUMNS)]
        return tables


def has_columns(files: ExportFiles, rel: str, wanted: set[str], spaces: bool = False) -> bool:
    """Whether the CSV header holds every ``wanted`` column (``spaces``: ``post_id`` read as ``post id``)."""
    with files.path(rel).open("rb") as fh:
        first = fh.readline(4096).decode("utf-8", errors="replace").lstrip("\ufeff")
    names = {c.strip().strip('"').lower() for c in first.split(",")}
    return wanted <= ({n.replace("_", " ") for n in names} if spaces else names)


def _post(row: Mapping[str, str], kind: str, label: str) -> RawPost | None:
    body = row.get("body", "").strip()
    title = row.get("title", "").strip() if kind == "post" else ""
    if body in GONE or title in GONE:
        return None
    stored = "\n\n".join(part for part in (title, body) if part)
    return RawPost(
        stored=stored,
        text="\n\n".join(part for part in (unescape(title), markdown_to_text(body)) if part),
        created_at=_date(row.get("date", ""), label, row.get("id", "?")),
        lang=None,
        kind="post" if kind == "post" else "reply",
    )


def _date(value: str, label: str, row_id: str) -> datetime:
    text = value.strip()
    if text.endswith(" UTC"):
        text = text[:-4]
    try:
        t = datetime.fromisoformat(text)
    except ValueError as exc:
        raise ProfileParseError(f"{label}: row {row_id!r} has date {value!r}, not a time") from exc
    return t if t.tzinfo else t.replace(tzinfo=UTC)


@lru_cache(maxsize=1)
def _markdown() -> Any:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable("strikethrough")


def markdown_to_text(markdown: str) -> str:
    """The words of a Reddit markdown body: no quotes, code, images or link targets."""
    tokens = _markdown().parse(unescape(markdown))
    blocks: list[str] = []
    quoted = 0
    for token in tokens:
        if token.type == "blockquote_open":
            quoted += 1
        elif token.type == "blockquote_close":
            quoted -= 1
        elif token.type == "inline" and not quoted:
            blocks.append(_inline_text(token.children or []))
    text = "\n\n".join(b for b in blocks if b.strip())
    text = _USER_MENTION.sub(" ", text)
    return _SUBREDDIT.sub(r"\1", text)


def _inline_text(children: list[Any]) -> str:
    # A link's label arrives as plain text children; its target and any image are never text here.
    out: list[str] = []
    for child in children:
        if child.type in ("text", "code_inline"):
            out.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            out.append("\n")
    return "".join(out)
