-- Attune schema, PostgreSQL dialect. Same tables and rules as the SQLite
-- schema (crates/store-sqlite/migrations), in native types.

-- Staff accounts. Passwords are argon2id PHC strings, never plain text.
CREATE TABLE users (
    id            UUID PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('admin', 'therapist', 'supervisor', 'researcher')),
    password_hash TEXT NOT NULL,
    -- Accounts are disabled, never deleted: the audit log refers to them.
    active        BOOLEAN NOT NULL DEFAULT TRUE,
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL
);

-- Who supervises whom.
CREATE TABLE supervision (
    supervisor UUID NOT NULL REFERENCES users (id),
    supervisee UUID NOT NULL REFERENCES users (id),
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (supervisor, supervisee),
    CHECK (supervisor <> supervisee)
);

-- Clients: only the pseudonymous code is plain; identifying fields are
-- XChaCha20-Poly1305 ciphertexts bound to their row and field.
CREATE TABLE clients (
    id             UUID PRIMARY KEY,
    code           TEXT NOT NULL UNIQUE,
    name_enc       BYTEA NOT NULL,
    contact_enc    BYTEA,
    dob_enc        BYTEA,
    lead_therapist UUID NOT NULL REFERENCES users (id),
    co_therapist   UUID REFERENCES users (id),
    created_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX clients_lead ON clients (lead_therapist);
CREATE INDEX clients_co ON clients (co_therapist);

CREATE TABLE courses (
    id         UUID PRIMARY KEY,
    client     UUID NOT NULL REFERENCES clients (id),
    modality   TEXT NOT NULL,
    protocol   TEXT NOT NULL,
    started_on DATE NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX courses_client ON courses (client);

CREATE TABLE sessions (
    id                 UUID PRIMARY KEY,
    course             UUID NOT NULL REFERENCES courses (id),
    kind               TEXT NOT NULL CHECK (kind IN ('screening', 'preparation', 'medicine', 'integration', 'follow_up')),
    number             BIGINT NOT NULL CHECK (number >= 1),
    scheduled_at       TIMESTAMPTZ NOT NULL,
    held_at            TIMESTAMPTZ,
    readiness_override TEXT,
    created_at         TIMESTAMPTZ NOT NULL,
    updated_at         TIMESTAMPTZ NOT NULL,
    UNIQUE (course, number)
);

-- Administrations with their score, scorer version and the wording shown.
CREATE TABLE administrations (
    id                 UUID PRIMARY KEY,
    idempotency_key    TEXT NOT NULL UNIQUE,
    client             UUID NOT NULL REFERENCES clients (id),
    course             UUID REFERENCES courses (id),
    session            UUID REFERENCES sessions (id),
    instrument         TEXT NOT NULL,
    instrument_version BIGINT NOT NULL,
    respondent         TEXT NOT NULL,
    responses          TEXT NOT NULL,
    wording_pack       TEXT,
    wording_kind       TEXT CHECK (wording_kind IN ('adapted', 'official')),
    completed_via      TEXT NOT NULL CHECK (completed_via IN ('portal', 'clinician_entry', 'import')),
    administered_at    TIMESTAMPTZ NOT NULL,
    total              DOUBLE PRECISION,
    band               TEXT,
    complete           BOOLEAN NOT NULL,
    prorated           BOOLEAN NOT NULL,
    scorer             TEXT NOT NULL,
    created_at         TIMESTAMPTZ NOT NULL
);
CREATE INDEX administrations_client ON administrations (client, administered_at);

CREATE TABLE alerts (
    id             UUID PRIMARY KEY,
    client         UUID NOT NULL REFERENCES clients (id),
    administration UUID REFERENCES administrations (id),
    kind           TEXT NOT NULL,
    severity       TEXT NOT NULL CHECK (severity IN ('notice', 'warning', 'urgent', 'immediate')),
    message        TEXT NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('open', 'acknowledged', 'resolved')),
    routed_to      UUID REFERENCES users (id),
    raised_at      TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX alerts_routed ON alerts (routed_to, status);

CREATE TABLE alert_actions (
    id        BIGSERIAL PRIMARY KEY,
    alert     UUID NOT NULL REFERENCES alerts (id),
    at        TIMESTAMPTZ NOT NULL,
    by_user   UUID NOT NULL REFERENCES users (id),
    to_status TEXT NOT NULL,
    note      TEXT
);

-- The hash-chained audit log.
CREATE TABLE audit_log (
    seq         BIGINT PRIMARY KEY,
    at          TIMESTAMPTZ NOT NULL,
    actor_user  UUID,
    actor_name  TEXT NOT NULL,
    origin      TEXT NOT NULL,
    action      TEXT NOT NULL,
    record_type TEXT NOT NULL,
    record_id   UUID,
    client_id   UUID,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
);

-- Refuses any change: clinical records and the audit log are append-only.
CREATE FUNCTION attune_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% rows are never changed or deleted', TG_TABLE_NAME;
END
$$;
CREATE TRIGGER administrations_append_only BEFORE UPDATE OR DELETE ON administrations
    FOR EACH ROW EXECUTE FUNCTION attune_refuse_change();
CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION attune_refuse_change();
