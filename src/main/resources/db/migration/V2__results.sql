-- What the engine computed. The poll cycle replaces the rows of the conversations it recomputed.

CREATE TABLE conversation (
    id TEXT NOT NULL PRIMARY KEY
);

-- Which messages belong to a conversation, in the conversation's order. A message is in at most one.
CREATE TABLE conversation_message (
    conversation_id TEXT    NOT NULL REFERENCES conversation (id) ON DELETE CASCADE,
    pos             INTEGER NOT NULL,
    message_id      TEXT    NOT NULL UNIQUE REFERENCES message (id),
    PRIMARY KEY (conversation_id, pos)
);

CREATE TABLE lead (
    lead_message_id     TEXT    NOT NULL PRIMARY KEY,
    conversation_id     TEXT    NOT NULL REFERENCES conversation (id) ON DELETE CASCADE,
    mailbox_id          TEXT    NOT NULL,
    team_id             TEXT,
    party               TEXT,
    start_at            BIGINT  NOT NULL,
    deadline            BIGINT  NOT NULL,
    at_risk_from        BIGINT  NOT NULL,
    -- first response: all five NULL while unanswered
    fr_message_id       TEXT,
    fr_at               BIGINT,
    fr_rep              TEXT,
    fr_business_seconds BIGINT,
    fr_wall_seconds     BIGINT,
    attempts            INTEGER NOT NULL,
    attempts_window_end BIGINT,
    attempts_met        BOOLEAN NOT NULL
);

CREATE INDEX lead_start ON lead (start_at);
CREATE INDEX lead_conversation ON lead (conversation_id);

CREATE TABLE wait (
    message_id          TEXT   NOT NULL PRIMARY KEY,
    conversation_id     TEXT   NOT NULL REFERENCES conversation (id) ON DELETE CASCADE,
    mailbox_id          TEXT   NOT NULL,
    team_id             TEXT,
    opened              BIGINT NOT NULL,
    -- closing response: all five NULL while still waiting
    cb_message_id       TEXT,
    cb_at               BIGINT,
    cb_rep              TEXT,
    cb_business_seconds BIGINT,
    cb_wall_seconds     BIGINT
);

CREATE INDEX wait_opened ON wait (opened);
CREATE INDEX wait_conversation ON wait (conversation_id);
