-- The instrument an alert is about (safety, deterioration, not on track), so
-- that de-duplication compares a typed kind and an instrument, never the
-- message text. NULL for alerts about the course as a whole (alliance,
-- readiness).
ALTER TABLE alerts ADD COLUMN instrument TEXT CHECK (instrument IS NULL OR length(instrument) BETWEEN 1 AND 64);

-- Alerts raised before: the instrument of the administration that raised them.
UPDATE alerts
   SET instrument = (SELECT a.instrument FROM administrations a WHERE a.id = alerts.administration)
 WHERE kind IN ('safety', 'deterioration', 'not_on_track');
