-- A readiness review as signed before a medicine session: the verdict, and
-- sealed, every reason as it was shown, the blood pressure taken and whether
-- the medications were confirmed. Kept apart from "held", which records the
-- time the session took place.
CREATE TABLE readiness_reviews (
    id        UUID PRIMARY KEY,
    session   UUID NOT NULL REFERENCES sessions (id),
    client    UUID NOT NULL REFERENCES clients (id),
    verdict   TEXT NOT NULL CHECK (verdict IN ('ready', 'caution', 'not_ready')),
    body_enc  BYTEA NOT NULL,
    signed_by UUID NOT NULL REFERENCES users (id),
    signed_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX readiness_reviews_session ON readiness_reviews (session, signed_at);
