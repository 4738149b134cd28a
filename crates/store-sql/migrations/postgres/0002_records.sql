-- Intakes, session details, notes, journal, consents; corrections of
-- administrations (PostgreSQL dialect). Free text and documents are sealed blobs.

-- A correction names the administration it replaces; the original stays.
ALTER TABLE administrations ADD COLUMN supersedes UUID REFERENCES administrations (id);

-- Intake versions: a change is a new version, never an edit.
CREATE TABLE intakes (
    client      UUID NOT NULL REFERENCES clients (id),
    version     BIGINT NOT NULL CHECK (version >= 1),
    body_enc    BYTEA NOT NULL,
    recorded_by UUID REFERENCES users (id),
    recorded_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (client, version)
);

-- Session details (setting, people present, medicine, vitals, adverse events), versioned.
CREATE TABLE session_details (
    session     UUID NOT NULL REFERENCES sessions (id),
    version     BIGINT NOT NULL CHECK (version >= 1),
    body_enc    BYTEA NOT NULL,
    recorded_by UUID REFERENCES users (id),
    recorded_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (session, version)
);

-- Therapist notes. Process notes live here too but are only ever read by
-- their author, or through an audited emergency access.
CREATE TABLE notes (
    id         UUID PRIMARY KEY,
    client     UUID NOT NULL REFERENCES clients (id),
    session    UUID REFERENCES sessions (id),
    kind       TEXT NOT NULL CHECK (kind IN ('session', 'process')),
    author     UUID NOT NULL REFERENCES users (id),
    body_enc   BYTEA NOT NULL,
    supersedes UUID REFERENCES notes (id),
    written_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX notes_client ON notes (client, written_at);

-- Why someone read process notes that were not theirs.
CREATE TABLE emergency_access (
    id         UUID PRIMARY KEY,
    at         TIMESTAMPTZ NOT NULL,
    by_user    UUID NOT NULL REFERENCES users (id),
    client     UUID NOT NULL REFERENCES clients (id),
    reason_enc BYTEA NOT NULL
);

-- The client's integration journal.
CREATE TABLE journal_entries (
    id         UUID PRIMARY KEY,
    client     UUID NOT NULL REFERENCES clients (id),
    body_enc   BYTEA NOT NULL,
    written_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX journal_client ON journal_entries (client, written_at);

-- Consent decisions; a withdrawal is a new row.
CREATE TABLE consents (
    id          UUID PRIMARY KEY,
    client      UUID NOT NULL REFERENCES clients (id),
    kind        TEXT NOT NULL CHECK (kind IN ('treatment', 'video_recording', 'case_history', 'research')),
    granted     BOOLEAN NOT NULL,
    recorded_by UUID REFERENCES users (id),
    recorded_at TIMESTAMPTZ NOT NULL
);

-- None of these is ever changed or deleted.
CREATE TRIGGER intakes_append_only BEFORE UPDATE OR DELETE ON intakes FOR EACH ROW EXECUTE FUNCTION attune_refuse_change();
CREATE TRIGGER details_append_only BEFORE UPDATE OR DELETE ON session_details FOR EACH ROW EXECUTE FUNCTION attune_refuse_change();
CREATE TRIGGER notes_append_only BEFORE UPDATE OR DELETE ON notes FOR EACH ROW EXECUTE FUNCTION attune_refuse_change();
CREATE TRIGGER consents_append_only BEFORE UPDATE OR DELETE ON consents FOR EACH ROW EXECUTE FUNCTION attune_refuse_change();
CREATE TRIGGER emergency_append_only BEFORE UPDATE OR DELETE ON emergency_access FOR EACH ROW EXECUTE FUNCTION attune_refuse_change();
