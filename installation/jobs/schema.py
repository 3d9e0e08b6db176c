"""The SQLite job store's schema, as the list of migrations that build it (``PRAGMA user_version`` counts
how many have run). ``SqliteJobStore`` runs the missing ones, each in the transaction that opens the store.
"""

from __future__ import annotations

from installation.jobs.records import JOB_STATES

# Each entry upgrades the schema by one version; never edit a shipped entry, append a new one.
MIGRATIONS: tuple[str, ...] = (
    f"""
    CREATE TABLE jobs (
        id TEXT PRIMARY KEY,
        code TEXT NOT NULL UNIQUE,
        state TEXT NOT NULL CHECK (state IN ({", ".join(repr(s) for s in JOB_STATES)})),
        source TEXT NOT NULL CHECK (source IN ('upload', 'handle')),
        work_dir TEXT NOT NULL,
        export_path TEXT,
        handle TEXT,
        nickname TEXT NOT NULL DEFAULT '',
        attempts INTEGER NOT NULL DEFAULT 0,
        lease_token TEXT,
        lease_expires REAL,
        error TEXT,
        portrait TEXT,
        evidence_until REAL,
        prompt TEXT,
        created_at REAL NOT NULL,
        updated_at REAL NOT NULL,
        finished_at REAL
    );
    CREATE INDEX jobs_by_state ON jobs (state, created_at);
    CREATE TABLE artworks (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        job_id TEXT NOT NULL UNIQUE REFERENCES jobs (id) ON DELETE CASCADE,
        image_path TEXT NOT NULL,
        sidecar_path TEXT,
        style TEXT NOT NULL,
        keywords TEXT NOT NULL,
        themes TEXT NOT NULL,
        approved INTEGER NOT NULL DEFAULT 0,
        flagged INTEGER NOT NULL DEFAULT 0
    );
    """,
    # 2: the artwork is kept whole (``Artwork.to_dict()``) instead of four of its fields copied into
    # columns, and a policy hold keeps its reason. Rows of version 1 get their record from the columns and
    # the job's prompt (the renderer's backend, model and timings were never stored: they stay empty); a
    # sidecar path never recorded is the one the renderer writes, beside the image.
    """
    ALTER TABLE artworks ADD COLUMN artwork TEXT;
    ALTER TABLE artworks ADD COLUMN hold_reason TEXT;
    UPDATE artworks SET artwork = (
        SELECT json_object(
            'image_path', artworks.image_path,
            'metadata_path', COALESCE(artworks.sidecar_path, CASE WHEN artworks.image_path LIKE '%.png'
                THEN substr(artworks.image_path, 1, length(artworks.image_path) - 4) || '.json'
                ELSE artworks.image_path || '.json' END),
            'prompt', COALESCE(json(j.prompt), json_object(
                'positive', '', 'negative', '', 'style', artworks.style, 'seed', 0, 'width', 0, 'height', 0,
                'steps', 0, 'guidance', 0.0)),
            'backend', '', 'model', '', 'sampler', '', 'timings', json_object(),
            'flagged', json(CASE WHEN artworks.flagged THEN 'true' ELSE 'false' END),
            'is_test_noise', json('false'))
        FROM jobs j WHERE j.id = artworks.job_id
    );
    ALTER TABLE artworks DROP COLUMN image_path;
    ALTER TABLE artworks DROP COLUMN sidecar_path;
    ALTER TABLE artworks DROP COLUMN style;
    ALTER TABLE artworks DROP COLUMN flagged;
    """,
    # 3: a failed job keeps the kind of its failure beside the technical text, so the kiosk chooses the
    # visitor's sentence from the kind. Jobs that failed before keep no kind, except those the store gave
    # up on, whose wording it wrote itself.
    """
    ALTER TABLE jobs ADD COLUMN error_kind TEXT;
    UPDATE jobs SET error_kind = 'attempts' WHERE state = 'failed' AND error LIKE 'gave up after %';
    """,
    # 4: a hash of the uploaded export's bytes (no personal data beyond it), to ask a visitor who uploads
    # the same export again whether it replaces the earlier portrait; it goes with the job.
    """
    ALTER TABLE jobs ADD COLUMN content_hash TEXT;
    CREATE INDEX jobs_by_content ON jobs (content_hash);
    """,
)
