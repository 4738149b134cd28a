-- Attune schema, SQLite dialect. UUIDs are 16-byte BLOBs; times are RFC 3339
-- text in UTC, truncated to microseconds (as PostgreSQL keeps them), so that
-- audit hashes are computed over the same values on both backends.

-- Staff accounts. Passwords are argon2id PHC strings, never plain text.
CREATE TABLE users (
    id            BLOB PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('admin', 'therapist', 'supervisor', 'researcher')),
    password_hash TEXT NOT NULL,
    -- Accounts are disabled, never deleted: the audit log refers to them.
    active        INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);

-- Who supervises whom (supervisors see their supervisees' caseloads).
CREATE TABLE supervision (
    supervisor BLOB NOT NULL REFERENCES users (id),
    supervisee BLOB NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL,
    PRIMARY KEY (supervisor, supervisee),
    CHECK (supervisor <> supervisee)
);

-- Clients. Only the pseudonymous code is plain; name, contact and date of
-- birth are XChaCha20-Poly1305 ciphertexts bound to this row and field.
CREATE TABLE clients (
    id             BLOB PRIMARY KEY,
    code           TEXT NOT NULL UNIQUE,
    name_enc       BLOB NOT NULL,
    contact_enc    BLOB,
    dob_enc        BLOB,
    lead_therapist BLOB NOT NULL REFERENCES users (id),
    co_therapist   BLOB REFERENCES users (id),
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);
CREATE INDEX clients_lead ON clients (lead_therapist);
CREATE INDEX clients_co ON clients (co_therapist);

-- Courses of care: one client, one modality, one protocol template.
CREATE TABLE courses (
    id         BLOB PRIMARY KEY,
    client     BLOB NOT NULL REFERENCES clients (id),
    modality   TEXT NOT NULL,
    protocol   TEXT NOT NULL,
    started_on TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX courses_client ON courses (client);

-- Planned and held sessions, numbered within their course.
CREATE TABLE sessions (
    id                 BLOB PRIMARY KEY,
    course             BLOB NOT NULL REFERENCES courses (id),
    kind               TEXT NOT NULL CHECK (kind IN ('screening', 'preparation', 'medicine', 'integration', 'follow_up')),
    number             INTEGER NOT NULL CHECK (number >= 1),
    scheduled_at       TEXT NOT NULL,
    held_at            TEXT,
    readiness_override TEXT,
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL,
    UNIQUE (course, number)
);

-- Instrument administrations with the score the scorer computed, its version,
-- and the wording shown. The idempotency key makes a retried submit a no-op.
CREATE TABLE administrations (
    id                 BLOB PRIMARY KEY,
    idempotency_key    TEXT NOT NULL UNIQUE,
    client             BLOB NOT NULL REFERENCES clients (id),
    course             BLOB REFERENCES courses (id),
    session            BLOB REFERENCES sessions (id),
    instrument         TEXT NOT NULL,
    instrument_version INTEGER NOT NULL,
    respondent         TEXT NOT NULL,
    responses          TEXT NOT NULL,
    wording_pack       TEXT,
    wording_kind       TEXT CHECK (wording_kind IN ('adapted', 'official')),
    completed_via      TEXT NOT NULL CHECK (completed_via IN ('portal', 'clinician_entry', 'import')),
    administered_at    TEXT NOT NULL,
    total              REAL,
    band               TEXT,
    complete           INTEGER NOT NULL CHECK (complete IN (0, 1)),
    prorated           INTEGER NOT NULL CHECK (prorated IN (0, 1)),
    scorer             TEXT NOT NULL,
    created_at         TEXT NOT NULL
);
CREATE INDEX administrations_client ON administrations (client, administered_at);

-- Nothing clinical is silently changed or deleted: corrections are new rows.
CREATE TRIGGER administrations_no_update BEFORE UPDATE ON administrations
BEGIN SELECT RAISE(ABORT, 'administrations are never changed; record a correction'); END;
CREATE TRIGGER administrations_no_delete BEFORE DELETE ON administrations
BEGIN SELECT RAISE(ABORT, 'administrations are never deleted'); END;

-- Alerts, routed to the client's lead therapist when raised.
CREATE TABLE alerts (
    id             BLOB PRIMARY KEY,
    client         BLOB NOT NULL REFERENCES clients (id),
    administration BLOB REFERENCES administrations (id),
    kind           TEXT NOT NULL,
    severity       TEXT NOT NULL CHECK (severity IN ('notice', 'warning', 'urgent', 'immediate')),
    message        TEXT NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('open', 'acknowledged', 'resolved')),
    routed_to      BLOB REFERENCES users (id),
    raised_at      TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);
CREATE INDEX alerts_routed ON alerts (routed_to, status);

-- Who acted on an alert, when, and why.
CREATE TABLE alert_actions (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    alert     BLOB NOT NULL REFERENCES alerts (id),
    at        TEXT NOT NULL,
    by_user   BLOB NOT NULL REFERENCES users (id),
    to_status TEXT NOT NULL,
    note      TEXT
);

-- The audit log: every read and write of client data, hash-chained.
CREATE TABLE audit_log (
    seq         INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    actor_user  BLOB,
    actor_name  TEXT NOT NULL,
    origin      TEXT NOT NULL,
    action      TEXT NOT NULL,
    record_type TEXT NOT NULL,
    record_id   BLOB,
    client_id   BLOB,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
);
-- Append-only: an edit needs raw access and still breaks the hash chain.
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
