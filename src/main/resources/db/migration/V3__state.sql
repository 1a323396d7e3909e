-- SLA state transitions (audit history: kept when leads are replaced) and per-mailbox sync status.

CREATE TABLE sla_transition (
    lead_message_id TEXT    NOT NULL,
    kind            TEXT    NOT NULL CHECK (kind IN ('first_response', 'attempts')),
    seq             INTEGER NOT NULL,
    state           TEXT    NOT NULL CHECK (state IN ('pending', 'at_risk', 'breached', 'met')),
    occurred_at     BIGINT  NOT NULL,
    PRIMARY KEY (lead_message_id, kind, seq)
);

CREATE TABLE sync_status (
    mailbox_id      TEXT NOT NULL PRIMARY KEY,
    last_attempt_at BIGINT,
    last_success_at BIGINT,
    last_error      TEXT,
    last_error_at   BIGINT
);
