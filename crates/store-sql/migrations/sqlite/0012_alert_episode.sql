-- Alerts name the course and session they are about, and the episode that
-- makes two alerts the same problem (a rupture's session, the start of a
-- run of alliance gaps, the medicine session a readiness review is for).
-- Completing a course closes its open alerts but the safety ones.
ALTER TABLE alerts ADD COLUMN course BLOB REFERENCES courses (id);
ALTER TABLE alerts ADD COLUMN session BLOB REFERENCES sessions (id);
ALTER TABLE alerts ADD COLUMN episode BLOB;

-- Alerts raised before: the course and session of the administration that raised them.
UPDATE alerts
   SET course = (SELECT a.course FROM administrations a WHERE a.id = alerts.administration),
       session = (SELECT a.session FROM administrations a WHERE a.id = alerts.administration);

CREATE INDEX alerts_course ON alerts (course, status);
