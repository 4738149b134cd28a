-- Optional second sign-in step: a TOTP secret per staff account, sealed
-- with the data key (bound to the user and field), never stored in clear.
ALTER TABLE users ADD COLUMN totp_enc BLOB;
