-- A measure assigned for after a planned session opens in the portal only
-- from then (NULL: at once).
ALTER TABLE portal_tasks ADD COLUMN available_from TIMESTAMPTZ;
