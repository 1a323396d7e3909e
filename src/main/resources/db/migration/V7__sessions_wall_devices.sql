-- Login sessions and wall devices (issue 14). Only SHA-256 digests (hex) of cookie values and link tokens are
-- stored: a copy of this file does not let anyone log in.

CREATE TABLE web_session (
    id_sha256            TEXT   NOT NULL PRIMARY KEY,  -- digest of the session cookie's value
    user_name            TEXT   NOT NULL,
    password_fingerprint TEXT   NOT NULL,              -- digest of the user's bcrypt hash at login: a new hash ends it
    csrf                 TEXT   NOT NULL,              -- the session's form token (useless without the cookie)
    created_at           BIGINT NOT NULL,
    last_seen_at         BIGINT NOT NULL,
    expires_at           BIGINT NOT NULL
);

CREATE INDEX web_session_user ON web_session (user_name);
CREATE INDEX web_session_expiry ON web_session (expires_at);

-- One-time links that turn a browser (an office TV) into a wall device.
CREATE TABLE wall_link (
    token_sha256 TEXT   NOT NULL PRIMARY KEY,
    device_name  TEXT   NOT NULL,
    created_at   BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL,
    used_at      BIGINT
);

-- Enrolled wall devices: a long-lived cookie whose digest is here grants viewer access to the wall only.
-- Revoking deletes the row.
CREATE TABLE wall_device (
    name         TEXT   NOT NULL PRIMARY KEY,
    token_sha256 TEXT   NOT NULL UNIQUE,
    created_at   BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL
);
