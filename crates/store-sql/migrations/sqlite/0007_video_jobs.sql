-- Background jobs with leases, and session videos with their analysis.
-- Times a query compares (due, lease) are whole microseconds since 1970, so
-- that comparing them is comparing numbers on both backends.

CREATE TABLE jobs (
    id           BLOB PRIMARY KEY,
    kind         TEXT NOT NULL CHECK (kind IN ('video_analysis')),
    subject      BLOB NOT NULL,
    state        TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed')),
    attempts     INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    due_us       INTEGER NOT NULL,
    lease_owner  TEXT,
    lease_until_us INTEGER,
    queued_at    TEXT NOT NULL,
    finished_us  INTEGER,
    error        TEXT
);
CREATE INDEX jobs_ready ON jobs (state, due_us);

-- The file is in the media store under media_key; the file name is sealed.
CREATE TABLE session_videos (
    id              BLOB PRIMARY KEY,
    session         BLOB NOT NULL REFERENCES sessions (id),
    client          BLOB NOT NULL REFERENCES clients (id),
    job             BLOB NOT NULL REFERENCES jobs (id),
    media_key       TEXT NOT NULL UNIQUE,
    file_name_enc   BLOB NOT NULL,
    bytes           INTEGER NOT NULL CHECK (bytes >= 0),
    sha256          TEXT NOT NULL,
    layout          TEXT NOT NULL,
    uploaded_by     BLOB REFERENCES users (id),
    uploaded_at     TEXT NOT NULL,
    analysis_enc    BLOB,
    analysed_at     TEXT,
    file_deleted_at TEXT
);
CREATE INDEX session_videos_client ON session_videos (client);
