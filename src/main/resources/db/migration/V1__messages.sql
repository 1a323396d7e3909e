-- Ingestion: distinct messages (headers only, never bodies), where their copies were seen,
-- how far each folder was read, and what could not be read.
-- Portable SQL (SQLite and PostgreSQL): instants are BIGINT epoch milliseconds (UTC),
-- lists are TEXT joined by '\n' (NULL for a null list, '' for an empty one).

CREATE TABLE message (
    id                TEXT    NOT NULL PRIMARY KEY,
    -- first-insertion order, assigned by the store (no auto-increment: that syntax is not portable)
    seq               BIGINT  NOT NULL UNIQUE,
    refs              TEXT,
    subject           TEXT,
    from_addrs        TEXT,
    sender            TEXT,
    reply_to          TEXT,
    to_addrs          TEXT,
    cc_addrs          TEXT,
    event_time        BIGINT,
    thread_index_root TEXT,
    conversation_hint TEXT,
    automation_signs  INTEGER NOT NULL,
    attribution       TEXT
);

CREATE INDEX message_event_time ON message (event_time);

-- Every mailbox folder a copy was seen in, in reading order (pos 0, 1, ...).
CREATE TABLE message_place (
    message_id   TEXT    NOT NULL REFERENCES message (id) ON DELETE CASCADE,
    pos          INTEGER NOT NULL,
    mailbox_id   TEXT    NOT NULL,
    folder       TEXT    NOT NULL,
    inbox_folder BOOLEAN NOT NULL,
    PRIMARY KEY (message_id, pos)
);

CREATE INDEX message_place_folder ON message_place (mailbox_id, folder);

-- How far one folder has been read, plus running counts of the copies committed from it.
CREATE TABLE folder_checkpoint (
    mailbox_id   TEXT   NOT NULL,
    folder       TEXT   NOT NULL,
    uid_validity BIGINT NOT NULL,
    last_uid     BIGINT NOT NULL,
    copies       BIGINT NOT NULL DEFAULT 0,
    duplicates   BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (mailbox_id, folder)
);

-- Items that held no readable message: recorded and skipped. One row per (mailbox, folder, location).
CREATE TABLE rejected (
    mailbox_id TEXT NOT NULL,
    folder     TEXT NOT NULL,
    location   TEXT NOT NULL,
    reason     TEXT NOT NULL,
    PRIMARY KEY (mailbox_id, folder, location)
);
