-- Clinic-wide settings an admin edits in the web application (crisis
-- information shown to clients, how long portal links last, ...). A key
-- missing here keeps the built-in default.
CREATE TABLE clinic_settings (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_by BLOB REFERENCES users (id),
    updated_at TEXT NOT NULL
);
