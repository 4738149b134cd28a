-- Intakes, session details, notes, journal, consents; corrections of
-- administrations. Free text and documents are sealed (encrypted) blobs.

-- A correction names the administration it replaces; the original stays.
ALTER TABLE administrations ADD COLUMN supersedes BLOB REFERENCES administrations (id);

-- Intake versions: a change is a new version, never an edit.
CREATE TABLE intakes (
    client      BLOB NOT NULL REFERENCES clients (id),
    version     INTEGER NOT NULL CHECK (version >= 1),
    body_enc    BLOB NOT NULL,
    recorded_by BLOB REFERENCES users (id),
    recorded_at TEXT NOT NULL,
    PRIMARY KEY (client, version)
);

-- Session details (setting, people present, medicine, vitals, adverse events), versioned.
CREATE TABLE session_details (
    session     BLOB NOT NULL REFERENCES sessions (id),
    version     INTEGER NOT NULL CHECK (version >= 1),
    body_enc    BLOB NOT NULL,
    recorded_by BLOB REFERENCES users (id),
    recorded_at TEXT NOT NULL,
    PRIMARY KEY (session, version)
);

-- Therapist notes. Process notes live here too but are only ever read by
-- their author, or through an audited emergency access.
CREATE TABLE notes (
    id         BLOB PRIMARY KEY,
    client     BLOB NOT NULL REFERENCES clients (id),
    session    BLOB REFERENCES sessions (id),
    kind       TEXT NOT NULL CHECK (kind IN ('session', 'process')),
    author     BLOB NOT NULL REFERENCES users (id),
    body_enc   BLOB NOT NULL,
    supersedes BLOB REFERENCES notes (id),
    written_at TEXT NOT NULL
);
CREATE INDEX notes_client ON notes (client, written_at);

-- Why someone read process notes that were not theirs.
CREATE TABLE emergency_access (
    id         BLOB PRIMARY KEY,
    at         TEXT NOT NULL,
    by_user    BLOB NOT NULL REFERENCES users (id),
    client     BLOB NOT NULL REFERENCES clients (id),
    reason_enc BLOB NOT NULL
);

-- The client's integration journal.
CREATE TABLE journal_entries (
    id         BLOB PRIMARY KEY,
    client     BLOB NOT NULL REFERENCES clients (id),
    body_enc   BLOB NOT NULL,
    written_at TEXT NOT NULL
);
CREATE INDEX journal_client ON journal_entries (client, written_at);

-- Consent decisions; a withdrawal is a new row.
CREATE TABLE consents (
    id          BLOB PRIMARY KEY,
    client      BLOB NOT NULL REFERENCES clients (id),
    kind        TEXT NOT NULL CHECK (kind IN ('treatment', 'video_recording', 'case_history', 'research')),
    granted     INTEGER NOT NULL CHECK (granted IN (0, 1)),
    recorded_by BLOB REFERENCES users (id),
    recorded_at TEXT NOT NULL
);

-- None of these is ever changed or deleted.
CREATE TRIGGER intakes_append_only BEFORE UPDATE ON intakes BEGIN SELECT RAISE(ABORT, 'intakes are append-only'); END;
CREATE TRIGGER intakes_no_delete BEFORE DELETE ON intakes BEGIN SELECT RAISE(ABORT, 'intakes are append-only'); END;
CREATE TRIGGER details_append_only BEFORE UPDATE ON session_details BEGIN SELECT RAISE(ABORT, 'session details are append-only'); END;
CREATE TRIGGER details_no_delete BEFORE DELETE ON session_details BEGIN SELECT RAISE(ABORT, 'session details are append-only'); END;
CREATE TRIGGER notes_append_only BEFORE UPDATE ON notes BEGIN SELECT RAISE(ABORT, 'notes are append-only'); END;
CREATE TRIGGER notes_no_delete BEFORE DELETE ON notes BEGIN SELECT RAISE(ABORT, 'notes are append-only'); END;
CREATE TRIGGER consents_append_only BEFORE UPDATE ON consents BEGIN SELECT RAISE(ABORT, 'consents are append-only'); END;
CREATE TRIGGER consents_no_delete BEFORE DELETE ON consents BEGIN SELECT RAISE(ABORT, 'consents are append-only'); END;
CREATE TRIGGER emergency_append_only BEFORE UPDATE ON emergency_access BEGIN SELECT RAISE(ABORT, 'emergency access records are append-only'); END;
CREATE TRIGGER emergency_no_delete BEFORE DELETE ON emergency_access BEGIN SELECT RAISE(ABORT, 'emergency access records are append-only'); END;
