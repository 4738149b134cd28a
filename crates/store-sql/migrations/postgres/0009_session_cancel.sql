-- A planned session that will not take place stays in the course, marked
-- with when and why (a reason code, not free text).
ALTER TABLE sessions ADD COLUMN cancelled_at TIMESTAMPTZ;
ALTER TABLE sessions ADD COLUMN cancel_reason TEXT CHECK (cancel_reason IN ('client_cancelled', 'clinic_cancelled', 'no_show', 'clinical_reason', 'other'));
