-- A readiness review as signed before a medicine session: the verdict, and
-- sealed, every reason as it was shown, the blood pressure taken and whether
-- the medications were confirmed. Kept apart from "held", which records the
-- time the session took place.
CREATE TABLE readiness_reviews (
    id        BLOB PRIMARY KEY,
    session   BLOB NOT NULL REFERENCES sessions (id),
    client    BLOB NOT NULL REFERENCES clients (id),
    verdict   TEXT NOT NULL CHECK (verdict IN ('ready', 'caution', 'not_ready')),
    body_enc  BLOB NOT NULL,
    signed_by BLOB NOT NULL REFERENCES users (id),
    signed_at TEXT NOT NULL
);
CREATE INDEX readiness_reviews_session ON readiness_reviews (session, signed_at);
