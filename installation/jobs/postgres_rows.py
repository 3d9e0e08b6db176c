"""The PostgreSQL job store's helpers: its URL in plain words (never a password), libpq's errors in a few
words, and its rows to ``Job`` records and back (JSON kept as text, exactly as the SQLite store writes it).
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from extractors.describe.portrait import VerbalPortrait
from installation.jobs.records import Job
from installation.render.artwork import Artwork

if TYPE_CHECKING:
    import psycopg

log = logging.getLogger("portrait.store")


def is_postgres_url(url: str) -> bool:
    return url.startswith(("postgresql://", "postgres://"))


def safe_url(url: str) -> str:
    """The URL as it may be printed: scheme, host, port and database, never a user's password."""
    from psycopg.conninfo import conninfo_to_dict

    try:
        parts = conninfo_to_dict(url)
    except Exception:
        return "postgresql://(unreadable address)"
    host = str(parts.get("host") or "localhost")
    return f"postgresql://{host}:{parts.get('port') or 5432}/{parts.get('dbname') or ''}"


def reason(exc: Exception) -> str:
    """libpq's message in a few plain words (libpq never quotes the password)."""
    text = str(exc).strip()
    lowered = text.lower()
    for words in ("connection refused", "password authentication failed", "timeout expired",
                  "no such file or directory", "could not translate host name"):
        if words in lowered:
            return "connection timed out" if words == "timeout expired" else words
    first = text.splitlines()[0] if text else type(exc).__name__
    return first.removeprefix("connection failed: ")


def scrub_row(conn: psycopg.Connection[Any], job_id: str, portrait: str | None) -> None:
    scrubbed = None
    if portrait:
        try:
            scrubbed = json.dumps(VerbalPortrait.from_dict(json.loads(portrait)).to_dict(evidence=False))
        except (ValueError, KeyError, TypeError) as exc:
            # A portrait that does not read back cannot be made evidence-free, so it goes whole: keeping the
            # snippets past their time would break the promise made to the visitor.
            log.warning("job %s: its verbal portrait could not be read (%s); dropped while scrubbing",
                        job_id, type(exc).__name__)
    conn.execute("UPDATE jobs SET portrait = %s, evidence_until = NULL WHERE id = %s", (scrubbed, job_id))


def path_str(path: Path | None) -> str | None:
    return None if path is None else str(path)


def encode(value: Any) -> Any:
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, dict):
        return json.dumps(value)
    return value


def job_of(row: dict[str, Any] | None) -> Job:
    assert row is not None  # read in the transaction that locked or wrote it
    def path(key: str) -> Path | None:
        return Path(row[key]) if row[key] else None

    return Job(
        id=row["id"], code=row["code"], state=row["state"], source=row["source"],
        work_dir=Path(row["work_dir"]), export_path=path("export_path"), handle=row["handle"],
        nickname=row["nickname"], attempts=int(row["attempts"]), error=row["error"],
        portrait=json.loads(row["portrait"]) if row["portrait"] else None,
        evidence_until=row["evidence_until"],
        prompt=json.loads(row["prompt"]) if row["prompt"] else None,
        created_at=row["created_at"], updated_at=row["updated_at"], finished_at=row["finished_at"],
        seq=row["seq"], artwork=Artwork.from_dict(json.loads(row["artwork"])) if row["artwork"] else None,
        keywords=tuple(json.loads(row["keywords"] or "[]")), themes=tuple(json.loads(row["themes"] or "[]")),
        approved=bool(row["approved"]), hold_reason=row["hold_reason"],
    )
