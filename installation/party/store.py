"""The party store: every session, step, suggestion and vote, in its own SQLite file.

A step is written, in one committed transaction, before anyone is told it exists (WAL with
``synchronous=FULL``: a committed step survives a killed process and a power cut). A party worker
*claims* a queued step with a lease that expires, so a step whose worker died is claimed again and
painted with the same seed; each write of a result checks the lease token, so a worker that lost its
lease never records a step twice. ``open_party_store`` is the one entry.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, cast

from installation.errors import PartyError, StoreError
from installation.party.records import (
    Credit,
    Session,
    Step,
    StepSettings,
    StepState,
    Suggestion,
    SuggestionKind,
    SuggestionState,
)

SCHEMA_VERSION = 1
_SCHEMA = """
CREATE TABLE IF NOT EXISTS party_sessions (
    id TEXT PRIMARY KEY,
    theme TEXT NOT NULL,
    created_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS party_steps (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id TEXT NOT NULL REFERENCES party_sessions(id),
    number INTEGER NOT NULL,
    parent_id INTEGER REFERENCES party_steps(id),
    settings TEXT NOT NULL,
    positive TEXT NOT NULL,
    negative TEXT NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    steps INTEGER NOT NULL,
    guidance REAL NOT NULL,
    scheduler TEXT,
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    lease_token TEXT,
    lease_until REAL,
    model TEXT,
    backend TEXT,
    image_path TEXT,
    metadata TEXT,
    error TEXT,
    best INTEGER NOT NULL DEFAULT 0,
    created_at REAL NOT NULL,
    finished_at REAL,
    UNIQUE (session_id, number)
);
CREATE INDEX IF NOT EXISTS party_steps_state ON party_steps(state, id);
CREATE TABLE IF NOT EXISTS party_phones (
    token_hash TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    created_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS party_suggestions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id TEXT NOT NULL REFERENCES party_sessions(id),
    phone TEXT NOT NULL REFERENCES party_phones(token_hash),
    kind TEXT NOT NULL,
    text TEXT NOT NULL,
    state TEXT NOT NULL,
    step_id INTEGER REFERENCES party_steps(id),
    created_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS party_votes (
    step_id INTEGER NOT NULL REFERENCES party_steps(id),
    phone TEXT NOT NULL REFERENCES party_phones(token_hash),
    created_at REAL NOT NULL,
    PRIMARY KEY (step_id, phone)
);
"""
_MAX_ATTEMPTS = 3


class PartyStore:
    """Sessions, steps, suggestions and votes; safe to share between threads and processes."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=30)
            self._db.row_factory = sqlite3.Row
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.execute("PRAGMA foreign_keys=ON")
            with self._write() as db:
                version = int(db.execute("PRAGMA user_version").fetchone()[0])
                if version > SCHEMA_VERSION:
                    raise StoreError(f"{path}: party store schema {version} is newer than this program's")
                for statement in _SCHEMA.split(";"):
                    if statement.strip():
                        db.execute(statement)
                db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        except sqlite3.Error as exc:
            raise StoreError(f"{path}: the party store cannot be opened ({exc})") from exc

    def close(self) -> None:
        with self._lock:
            self._db.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One committed transaction, taken with the write lock at once (no upgrade deadlocks)."""
        with self._lock:
            try:
                self._db.execute("BEGIN IMMEDIATE")
                try:
                    yield self._db
                except BaseException:
                    self._db.execute("ROLLBACK")
                    raise
                self._db.execute("COMMIT")
            except sqlite3.Error as exc:
                raise StoreError(f"{self.path}: party store write failed ({exc})") from exc

    def _read(self, sql: str, args: tuple[Any, ...] = ()) -> list[sqlite3.Row]:
        with self._lock:
            try:
                return list(self._db.execute(sql, args))
            except sqlite3.Error as exc:
                raise StoreError(f"{self.path}: party store read failed ({exc})") from exc

    # --- sessions --------------------------------------------------------------------------------

    def create_session(self, theme: str, session_id: str | None = None) -> Session:
        """A new session; ``session_id`` names it (a stream's), and an existing one of that id is returned."""
        session = Session(session_id or secrets.token_hex(4), theme, time.time())
        with self._write() as db:
            db.execute("INSERT OR IGNORE INTO party_sessions VALUES (?, ?, ?)",
                       (session.id, session.theme, session.created_at))  # fmt: skip
        return self.session(session.id)

    def session(self, session_id: str) -> Session:
        rows = self._read("SELECT * FROM party_sessions WHERE id = ?", (session_id,))
        if not rows:
            raise PartyError(f"no party session {session_id!r}")
        return Session(rows[0]["id"], rows[0]["theme"], rows[0]["created_at"])

    def sessions(self) -> list[Session]:
        rows = self._read("SELECT * FROM party_sessions ORDER BY created_at DESC")
        return [Session(r["id"], r["theme"], r["created_at"]) for r in rows]

    # --- steps -----------------------------------------------------------------------------------

    def add_step(
        self, session_id: str, parent_id: int | None, settings: StepSettings, *,
        positive: str, negative: str, size: tuple[int, int], steps: int, guidance: float, scheduler: str | None,
    ) -> Step:
        """Record a step, queued for the party worker; the suggestions it used are marked taken by it."""
        with self._write() as db:
            if not db.execute("SELECT 1 FROM party_sessions WHERE id = ?", (session_id,)).fetchone():
                raise PartyError(f"no party session {session_id!r}")
            for step_id in (parent_id, settings.source_step):
                if step_id is not None and not db.execute(
                    "SELECT 1 FROM party_steps WHERE id = ? AND session_id = ?", (step_id, session_id)
                ).fetchone():
                    raise PartyError(f"session {session_id} has no step {step_id}")
            number = db.execute(
                "SELECT COALESCE(MAX(number), 0) + 1 FROM party_steps WHERE session_id = ?", (session_id,)
            ).fetchone()[0]
            cursor = db.execute(
                "INSERT INTO party_steps (session_id, number, parent_id, settings, positive, negative, width, "
                "height, steps, guidance, scheduler, state, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued', ?)",
                (session_id, number, parent_id, json.dumps(settings.to_dict()), positive, negative, size[0],
                 size[1], steps, guidance, scheduler, time.time()),
            )
            step_id = int(cast(int, cursor.lastrowid))
            for suggestion in settings.suggestions:
                db.execute(
                    "UPDATE party_suggestions SET state = 'taken', step_id = ? WHERE id = ? AND session_id = ?",
                    (step_id, suggestion, session_id),
                )
        return self.step(step_id)

    def step(self, step_id: int) -> Step:
        steps = self._steps("WHERE s.id = ?", (step_id,))
        if not steps:
            raise PartyError(f"no party step {step_id}")
        return steps[0]

    def steps(self, session_id: str) -> list[Step]:
        """Every step of a session, in the order they were asked for."""
        return self._steps("WHERE s.session_id = ? ORDER BY s.number", (session_id,))

    def _steps(self, where: str, args: tuple[Any, ...]) -> list[Step]:
        rows = self._read(
            "SELECT s.*, (SELECT COUNT(*) FROM party_votes v WHERE v.step_id = s.id) AS vote_count "
            f"FROM party_steps s {where}", args,
        )
        ids = [r["id"] for r in rows]
        credits: dict[int, list[Credit]] = {}
        if ids:
            marks = ",".join("?" * len(ids))
            for c in self._read(
                "SELECT g.step_id, p.name, g.kind, g.text FROM party_suggestions g JOIN party_phones p "
                f"ON p.token_hash = g.phone WHERE g.step_id IN ({marks}) ORDER BY g.id", tuple(ids),
            ):
                credits.setdefault(c["step_id"], []).append(Credit(c["name"], c["kind"], c["text"]))
        return [_step(r, tuple(credits.get(r["id"], ()))) for r in rows]

    def waiting(self) -> int:
        """Steps of any session queued or being painted."""
        return int(self._read("SELECT COUNT(*) FROM party_steps WHERE state IN ('queued', 'rendering')")[0][0])

    def claim_step(self, lease_seconds: float) -> tuple[Step, str] | None:
        """The oldest step waiting for paint (or one whose worker's lease ran out), and its lease token.

        A step whose workers died ``_MAX_ATTEMPTS`` times while painting it fails with that reason."""
        token = secrets.token_hex(8)
        now = time.time()
        with self._write() as db:
            while True:
                row = db.execute(
                    "SELECT id, attempts FROM party_steps WHERE state = 'queued' "
                    "OR (state = 'rendering' AND lease_until < ?) ORDER BY id LIMIT 1", (now,),
                ).fetchone()
                if row is None:
                    return None
                if row["attempts"] < _MAX_ATTEMPTS:
                    break
                db.execute(
                    "UPDATE party_steps SET state = 'failed', error = ?, finished_at = ?, lease_token = NULL "
                    "WHERE id = ?", (f"its worker stopped {row['attempts']} times while painting it", now, row["id"]),
                )
            db.execute(
                "UPDATE party_steps SET state = 'rendering', lease_token = ?, lease_until = ?, "
                "attempts = attempts + 1 WHERE id = ?", (token, now + lease_seconds, row["id"]),
            )
        return self.step(row["id"]), token

    def renew_step(self, step_id: int, token: str, lease_seconds: float) -> bool:
        """Keep a claimed step's lease alive while it is painted; False when it was lost."""
        with self._write() as db:
            cursor = db.execute(
                "UPDATE party_steps SET lease_until = ? WHERE id = ? AND lease_token = ? AND state = 'rendering'",
                (time.time() + lease_seconds, step_id, token),
            )
            return cursor.rowcount == 1

    def finish_step(
        self, step_id: int, token: str, *, image_path: Path, metadata: dict[str, Any], model: str, backend: str,
    ) -> bool:
        """Record the painted image; False when the lease was lost (another worker has the step)."""
        with self._write() as db:
            cursor = db.execute(
                "UPDATE party_steps SET state = 'done', image_path = ?, metadata = ?, model = ?, backend = ?, "
                "error = NULL, finished_at = ?, lease_token = NULL WHERE id = ? AND lease_token = ? "
                "AND state = 'rendering'",
                (str(image_path), json.dumps(metadata), model, backend, time.time(), step_id, token),
            )
            return cursor.rowcount == 1

    def fail_step(self, step_id: int, token: str, error: str) -> bool:
        with self._write() as db:
            cursor = db.execute(
                "UPDATE party_steps SET state = 'failed', error = ?, finished_at = ?, lease_token = NULL "
                "WHERE id = ? AND lease_token = ? AND state = 'rendering'", (error, time.time(), step_id, token),
            )
            return cursor.rowcount == 1

    def mark_best(self, step_id: int, best: bool) -> Step:
        with self._write() as db:
            if db.execute("UPDATE party_steps SET best = ? WHERE id = ?", (int(best), step_id)).rowcount != 1:
                raise PartyError(f"no party step {step_id}")
        return self.step(step_id)

    # --- phones, suggestions, votes --------------------------------------------------------------

    def phone_name(self, token_hash: str) -> str | None:
        rows = self._read("SELECT name FROM party_phones WHERE token_hash = ?", (token_hash,))
        return str(rows[0]["name"]) if rows else None

    def add_phone(self, token_hash: str, name: str) -> None:
        with self._write() as db:
            db.execute("INSERT OR IGNORE INTO party_phones VALUES (?, ?, ?)", (token_hash, name, time.time()))

    def add_suggestion(self, session_id: str, phone: str, kind: SuggestionKind, text: str) -> Suggestion:
        with self._write() as db:
            if not db.execute("SELECT 1 FROM party_sessions WHERE id = ?", (session_id,)).fetchone():
                raise PartyError(f"no party session {session_id!r}")
            cursor = db.execute(
                "INSERT INTO party_suggestions (session_id, phone, kind, text, state, created_at) "
                "VALUES (?, ?, ?, ?, 'queued', ?)", (session_id, phone, kind, text, time.time()),
            )
            suggestion_id = int(cast(int, cursor.lastrowid))
        return self.suggestion(suggestion_id)

    def suggestions_since(self, phone: str, since: float) -> int:
        """How many suggestions a phone made after ``since`` (its rate limit)."""
        rows = self._read("SELECT COUNT(*) FROM party_suggestions WHERE phone = ? AND created_at > ?", (phone, since))
        return int(rows[0][0])

    def suggestion(self, suggestion_id: int) -> Suggestion:
        found = self._suggestions("WHERE g.id = ?", (suggestion_id,))
        if not found:
            raise PartyError(f"no suggestion {suggestion_id}")
        return found[0]

    def suggestions(self, session_id: str, state: SuggestionState | None = None) -> list[Suggestion]:
        if state is None:
            return self._suggestions("WHERE g.session_id = ? ORDER BY g.id", (session_id,))
        return self._suggestions("WHERE g.session_id = ? AND g.state = ? ORDER BY g.id", (session_id, state))

    def _suggestions(self, where: str, args: tuple[Any, ...]) -> list[Suggestion]:
        rows = self._read(
            f"SELECT g.*, p.name FROM party_suggestions g JOIN party_phones p ON p.token_hash = g.phone {where}", args
        )
        return [
            Suggestion(r["id"], r["session_id"], r["name"], cast(SuggestionKind, r["kind"]), r["text"],
                       cast(SuggestionState, r["state"]), r["step_id"], r["created_at"])
            for r in rows
        ]

    def decide(self, suggestion_id: int, state: SuggestionState) -> Suggestion:
        """The prompt master takes a suggestion into the draft, or drops it."""
        with self._write() as db:
            if db.execute("UPDATE party_suggestions SET state = ? WHERE id = ?", (state, suggestion_id)).rowcount != 1:
                raise PartyError(f"no suggestion {suggestion_id}")
        return self.suggestion(suggestion_id)

    def toggle_vote(self, step_id: int, phone: str) -> bool:
        """A phone's vote for a painted step: given, or taken back. True when the vote now stands."""
        with self._write() as db:
            row = db.execute("SELECT state FROM party_steps WHERE id = ?", (step_id,)).fetchone()
            if row is None or row["state"] != "done":
                raise PartyError(f"step {step_id} has no image to vote for")
            if db.execute("DELETE FROM party_votes WHERE step_id = ? AND phone = ?", (step_id, phone)).rowcount:
                return False
            db.execute("INSERT INTO party_votes VALUES (?, ?, ?)", (step_id, phone, time.time()))
            return True

    def voted(self, session_id: str, phone: str) -> set[int]:
        rows = self._read(
            "SELECT v.step_id FROM party_votes v JOIN party_steps s ON s.id = v.step_id "
            "WHERE s.session_id = ? AND v.phone = ?", (session_id, phone),
        )
        return {int(r[0]) for r in rows}


def _step(row: sqlite3.Row, credits: tuple[Credit, ...]) -> Step:
    return Step(
        id=row["id"], session_id=row["session_id"], number=row["number"], parent_id=row["parent_id"],
        settings=StepSettings.from_dict(json.loads(row["settings"])), positive=row["positive"],
        negative=row["negative"], width=row["width"], height=row["height"], steps=row["steps"],
        guidance=row["guidance"], scheduler=row["scheduler"], state=cast(StepState, row["state"]),
        attempts=row["attempts"], model=row["model"],
        backend=row["backend"], image_path=Path(row["image_path"]) if row["image_path"] else None,
        metadata=json.loads(row["metadata"]) if row["metadata"] else None, error=row["error"],
        best=bool(row["best"]), votes=row["vote_count"], created_at=row["created_at"],
        finished_at=row["finished_at"], credits=credits,
    )


def open_party_store(path: Path) -> PartyStore:
    """The party store at ``path`` (``[party] store_path``), created on first use."""
    return PartyStore(path)
