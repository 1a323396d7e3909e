-- Issue 13 (SPEC section 14): the open horizon of leads and waits, and managers' dispositions.

-- start + open_for / opened + open_for: unanswered past it, a lead or wait is expired (no longer open).
ALTER TABLE lead ADD COLUMN open_until BIGINT;
-- The kind of the disposition standing on the lead when its results were computed (not_a_lead leads have no row).
ALTER TABLE lead ADD COLUMN disposition TEXT;
ALTER TABLE wait ADD COLUMN open_until BIGINT;

-- The standing disposition of a lead, at most one; withdrawing deletes the row (the audit keeps what it was).
CREATE TABLE disposition (
    lead_message_id TEXT   NOT NULL PRIMARY KEY,
    kind            TEXT   NOT NULL CHECK (kind IN ('not_a_lead', 'handled_elsewhere')),
    reason          TEXT   NOT NULL,
    note            TEXT,
    at              BIGINT,            -- handled_elsewhere: when it was handled
    rep             TEXT,              -- handled_elsewhere: the member id, or 'unattributed'
    set_by          TEXT   NOT NULL,
    set_at          BIGINT NOT NULL
);

-- Every change of a disposition, in order. Rows are only ever inserted: the store has no statement that updates
-- or deletes them, so the trail is never rewritten.
CREATE TABLE disposition_audit (
    seq             BIGINT NOT NULL PRIMARY KEY,
    lead_message_id TEXT   NOT NULL,
    action          TEXT   NOT NULL CHECK (action IN ('set', 'withdrawn')),
    kind            TEXT   NOT NULL,
    reason          TEXT,
    note            TEXT,
    at              BIGINT,
    rep             TEXT,
    changed_by      TEXT   NOT NULL,
    changed_at      BIGINT NOT NULL
);

CREATE INDEX disposition_audit_lead ON disposition_audit (lead_message_id, seq);
