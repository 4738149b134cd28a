-- A measure's place in the course by name ("baseline", "week 3", "follow-up"),
-- for measures tied to a protocol time point rather than (or as well as) a session.
ALTER TABLE administrations ADD COLUMN time_point TEXT;
