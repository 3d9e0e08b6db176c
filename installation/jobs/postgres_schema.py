"""The PostgreSQL job store's schema, as the list of migrations that build it (the one row of
``portrait_schema`` counts how many have run), and the names of its notification channel and lock.

``PostgresJobStore`` runs the missing migrations in one transaction that first takes
``pg_advisory_xact_lock(MIGRATION_LOCK)``: two processes starting at once do not race, the second waits
and finds the schema current. The tables mirror the SQLite ones (``installation.jobs.schema``, at its
latest version): the same columns, JSON kept as text exactly as the SQLite store writes it.

``wall_state.version`` grows with every change the wall can see (an artwork recorded, reviewed or
deleted, a job entering or leaving a finished state, a caption changed): the wall asks for that one number
and reads the artworks only when it moved. The same triggers ``NOTIFY`` the channel, so a waiting wall
or worker hears of it at once.
"""

from __future__ import annotations

from installation.jobs.records import ACTIVE_STATES, FINISHED_STATES, JOB_STATES

CHANNEL = "portrait_changes"
# pg_advisory_xact_lock key: b"portrait" as a big-endian 64-bit integer, so other programs' keys do not clash.
MIGRATION_LOCK = int.from_bytes(b"portrait", "big") - (1 << 63)


def _quoted(states: tuple[str, ...]) -> str:
    return ", ".join(f"'{s}'" for s in states)


# Each entry upgrades the schema by one version; never edit a shipped entry, append a new one.
MIGRATIONS: tuple[str, ...] = (
    f"""
    CREATE TABLE jobs (
        id TEXT PRIMARY KEY,
        code TEXT NOT NULL UNIQUE,
        state TEXT NOT NULL CHECK (state IN ({_quoted(JOB_STATES)})),
        source TEXT NOT NULL CHECK (source IN ('upload', 'handle')),
        work_dir TEXT NOT NULL,
        export_path TEXT,
        handle TEXT,
        nickname TEXT NOT NULL DEFAULT '',
        attempts INTEGER NOT NULL DEFAULT 0,
        lease_token TEXT,
        lease_expires DOUBLE PRECISION,
        error TEXT,
        portrait TEXT,
        evidence_until DOUBLE PRECISION,
        prompt TEXT,
        created_at DOUBLE PRECISION NOT NULL,
        updated_at DOUBLE PRECISION NOT NULL,
        finished_at DOUBLE PRECISION
    );
    CREATE INDEX jobs_by_state ON jobs (state, created_at);
    CREATE TABLE artworks (
        seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        job_id TEXT NOT NULL UNIQUE REFERENCES jobs (id) ON DELETE CASCADE,
        artwork TEXT NOT NULL,
        keywords TEXT NOT NULL,
        themes TEXT NOT NULL,
        approved BOOLEAN NOT NULL DEFAULT FALSE,
        hold_reason TEXT
    );
    CREATE TABLE wall_state (version BIGINT NOT NULL);
    INSERT INTO wall_state VALUES (0);
    CREATE FUNCTION portrait_wall_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE wall_state SET version = version + 1;
        PERFORM pg_notify('{CHANNEL}', 'wall');
        RETURN NULL;
    END $$;
    CREATE TRIGGER artworks_changed AFTER INSERT OR UPDATE OR DELETE ON artworks
        FOR EACH STATEMENT EXECUTE FUNCTION portrait_wall_changed();
    CREATE TRIGGER finished_jobs_changed AFTER UPDATE ON jobs FOR EACH ROW
        WHEN ((OLD.state IS DISTINCT FROM NEW.state
               AND (OLD.state IN ({_quoted(FINISHED_STATES)}) OR NEW.state IN ({_quoted(FINISHED_STATES)})))
              OR OLD.nickname IS DISTINCT FROM NEW.nickname)
        EXECUTE FUNCTION portrait_wall_changed();
    CREATE FUNCTION portrait_job_waiting() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM pg_notify('{CHANNEL}', 'job');
        RETURN NULL;
    END $$;
    CREATE TRIGGER jobs_submitted AFTER INSERT ON jobs
        FOR EACH STATEMENT EXECUTE FUNCTION portrait_job_waiting();
    CREATE TRIGGER jobs_released AFTER UPDATE OF lease_token ON jobs FOR EACH ROW
        WHEN (OLD.lease_token IS NOT NULL AND NEW.lease_token IS NULL
              AND NEW.state IN ({_quoted(ACTIVE_STATES)}))
        EXECUTE FUNCTION portrait_job_waiting();
    """,
    # 2: as SQLite's 3, the kind of a failure beside its text.
    """
    ALTER TABLE jobs ADD COLUMN error_kind TEXT;
    UPDATE jobs SET error_kind = 'attempts' WHERE state = 'failed' AND error LIKE 'gave up after %';
    """,
    # 3: as SQLite's 4, the uploaded export's content hash.
    """
    ALTER TABLE jobs ADD COLUMN content_hash TEXT;
    CREATE INDEX jobs_by_content ON jobs (content_hash);
    """,
)

VERSION_TABLE = "CREATE TABLE IF NOT EXISTS portrait_schema (version INTEGER NOT NULL)"
