"""The PostgreSQL job store's helpers: its URL in plain words (never a password) and libpq's errors in a
few words. Its rows become ``Job`` records in ``installation.jobs.sql_store``, shared with SQLite."""

from __future__ import annotations


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
