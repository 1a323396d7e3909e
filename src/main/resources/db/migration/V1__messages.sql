-- Ingestion: distinct messages (headers only, never bodies), where their copies were seen,
-- how far each folder was read, and what could not be read.
-- Portable SQL (SQLite and PostgreSQL): instants are BIGINT epoch milliseconds (UTC),
-- lists are TEXT joined by '\n' (NULL for a null list, '' for an empty one).

CREATE TABLE message (
    -- First-insertion order, assigned by the store (auto-increment syntax is not portable). Declared exactly
    -- INTEGER PRIMARY KEY so that SQLite uses it as the rowid: rows are stored in insertion order.
    seq               INTEGER NOT NULL PRIMARY KEY,
    id                TEXT    NOT NULL UNIQUE,
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

-- Every mailbox folder a copy of a message was seen in, in reading order (pos 0, 1, ...).
-- Keyed by the message's seq, not its id: half the size, and loading reads both tables in the same order.
CREATE TABLE message_place (
    message_seq  INTEGER NOT NULL REFERENCES message (seq) ON DELETE CASCADE,
    pos          INTEGER NOT NULL,
    mailbox_id   TEXT    NOT NULL,
    folder       TEXT    NOT NULL,
    inbox_folder BOOLEAN NOT NULL,
    PRIMARY KEY (message_seq, pos)
);

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
