-- Web access: staff sessions, login throttling, portal links and the tasks
-- they carry. Tokens are never stored: only their SHA-256, so a copy of the
-- database opens no session and no portal.

-- Server-side staff sessions; the cookie holds the token, the row its hash.
CREATE TABLE staff_sessions (
    token_hash   TEXT PRIMARY KEY,
    user_id      BLOB NOT NULL REFERENCES users (id),
    csrf_token   TEXT NOT NULL,
    origin       TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    expires_at   TEXT NOT NULL
);
CREATE INDEX staff_sessions_user ON staff_sessions (user_id);

-- Failed logins per username, and the lock they lead to.
CREATE TABLE login_failures (
    username     TEXT PRIMARY KEY,
    failures     INTEGER NOT NULL CHECK (failures >= 0),
    last_at      TEXT NOT NULL,
    locked_until TEXT
);

-- A secure link to one client's assigned tasks.
CREATE TABLE portal_links (
    id         BLOB PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    client     BLOB NOT NULL REFERENCES clients (id),
    created_by BLOB NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    revoked    INTEGER NOT NULL DEFAULT 0 CHECK (revoked IN (0, 1))
);
CREATE INDEX portal_links_client ON portal_links (client);

-- One measure to complete through a link; answers are saved as a draft as
-- the client goes, and the task names its administration once submitted.
CREATE TABLE portal_tasks (
    id                 BLOB PRIMARY KEY,
    link               BLOB NOT NULL REFERENCES portal_links (id),
    position           INTEGER NOT NULL,
    instrument         TEXT NOT NULL,
    instrument_version INTEGER NOT NULL,
    course             BLOB REFERENCES courses (id),
    session            BLOB REFERENCES sessions (id),
    time_point         TEXT,
    draft              TEXT,
    draft_saved_at     TEXT,
    administration     BLOB REFERENCES administrations (id),
    UNIQUE (link, position)
);
