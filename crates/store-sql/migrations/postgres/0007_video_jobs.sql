-- Background jobs with leases, and session videos with their analysis.
-- Times a query compares (due, lease) are whole microseconds since 1970, so
-- that comparing them is comparing numbers on both backends.

CREATE TABLE jobs (
    id             UUID PRIMARY KEY,
    kind           TEXT NOT NULL CHECK (kind IN ('video_analysis')),
    subject        UUID NOT NULL,
    state          TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed')),
    attempts       BIGINT NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    due_us         BIGINT NOT NULL,
    lease_owner    TEXT,
    lease_until_us BIGINT,
    queued_at      TIMESTAMPTZ NOT NULL,
    finished_us    BIGINT,
    error          TEXT
);
CREATE INDEX jobs_ready ON jobs (state, due_us);

-- The file is in the media store under media_key; the file name is sealed.
CREATE TABLE session_videos (
    id              UUID PRIMARY KEY,
    session         UUID NOT NULL REFERENCES sessions (id),
    client          UUID NOT NULL REFERENCES clients (id),
    job             UUID NOT NULL REFERENCES jobs (id),
    media_key       TEXT NOT NULL UNIQUE,
    file_name_enc   BYTEA NOT NULL,
    bytes           BIGINT NOT NULL CHECK (bytes >= 0),
    sha256          TEXT NOT NULL,
    layout          TEXT NOT NULL,
    uploaded_by     UUID REFERENCES users (id),
    uploaded_at     TIMESTAMPTZ NOT NULL,
    analysis_enc    BYTEA,
    analysed_at     TIMESTAMPTZ,
    file_deleted_at TIMESTAMPTZ
);
CREATE INDEX session_videos_client ON session_videos (client);
