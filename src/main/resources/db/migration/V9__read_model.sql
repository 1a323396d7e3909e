-- Issue 17: the stored results as the read model, and the in-memory horizon.
-- Every replacement of results takes the next number of result_sequence (in its transaction, so numbers follow the
-- commit order: the row lock is held until commit) and stamps the conversations it wrote with it; conversations it
-- deleted without writing them again are listed in conversation_removed. A reader that has seen number N reads the
-- rows with a greater one. Conversations written before this migration have changed_seq 0 and no summary: the
-- next start-up analyses every stored message once and rewrites them all.
-- basis: a fingerprint (SHA-256) of the configuration and version the stored results were computed with; while it is
-- unchanged, a start-up trusts them and analyses nothing but messages without results.
-- Its one row (id 1) is written by the first replacement of results (a new store stays empty: migrate-store copies it).
CREATE TABLE result_sequence (
    id       INTEGER NOT NULL PRIMARY KEY,
    last_seq BIGINT  NOT NULL,
    basis    TEXT
);

ALTER TABLE conversation ADD COLUMN changed_seq BIGINT NOT NULL DEFAULT 0;
-- The newest event time of its dated messages (epoch ms; NULL when none is dated): outside the horizon, the
-- conversation is final and stays out of memory.
ALTER TABLE conversation ADD COLUMN last_activity BIGINT;
-- Reading counts of SPEC section 12, summed over conversations instead of held in memory.
ALTER TABLE conversation ADD COLUMN message_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE conversation ADD COLUMN undated INTEGER NOT NULL DEFAULT 0;
ALTER TABLE conversation ADD COLUMN automated INTEGER NOT NULL DEFAULT 0;
CREATE INDEX conversation_changed ON conversation (changed_seq);
CREATE INDEX conversation_activity ON conversation (last_activity);

CREATE TABLE conversation_removed (
    id          TEXT   NOT NULL PRIMARY KEY,
    changed_seq BIGINT NOT NULL
);
CREATE INDEX conversation_removed_seq ON conversation_removed (changed_seq);

-- The keys through which a new message can join a stored conversation (SPEC section 4) other than the ids of its
-- own messages (those are in conversation_message): referenced ids not among them, Thread-Index roots,
-- source conversation ids and normalised subjects. A late message finds its conversation here when that
-- conversation is no longer in memory.
CREATE TABLE conversation_key (
    conversation_id TEXT NOT NULL REFERENCES conversation (id) ON DELETE CASCADE,
    link_key        TEXT NOT NULL,
    PRIMARY KEY (conversation_id, link_key)
);
CREATE INDEX conversation_key_key ON conversation_key (link_key);
