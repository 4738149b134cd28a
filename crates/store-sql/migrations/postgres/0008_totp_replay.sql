-- The last time step whose one-time code signed this account in: a code
-- is accepted once (RFC 6238 §5.2). Cleared with each new secret.
ALTER TABLE users ADD COLUMN totp_last_step BIGINT;
