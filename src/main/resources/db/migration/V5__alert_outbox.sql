-- Alert outbox (issue 6): one row per lead (or subject), event and channel, written in the same transaction as
-- the SLA transition that caused it; a sender drains it. The primary key makes each alert exactly-once.
-- status: pending (to send, not before next_attempt_at), sent, failed (gave up; reported), cancelled (no longer
-- true when it was due, e.g. the lead was answered before its at_risk alert went out).

CREATE TABLE alert_outbox (
    subject_id      TEXT    NOT NULL,   -- lead message id, 'mailbox:<id>:<since>' (sync_failing) or 'digest:<team>:<date>'
    event           TEXT    NOT NULL CHECK (event IN ('at_risk', 'breached', 'attempts_breached', 'sync_failing', 'digest')),
    channel         TEXT    NOT NULL,
    seq             BIGINT  NOT NULL,   -- enqueue order: the order alerts are sent in, per channel
    occurred_at     BIGINT  NOT NULL,   -- the instant of the transition
    enqueued_at     BIGINT  NOT NULL,
    status          TEXT    NOT NULL CHECK (status IN ('pending', 'sent', 'failed', 'cancelled')),
    attempts        INTEGER NOT NULL,
    next_attempt_at BIGINT  NOT NULL,
    done_at         BIGINT,
    last_error      TEXT,               -- a reason, never a secret
    PRIMARY KEY (subject_id, event, channel)
);

CREATE INDEX alert_outbox_pending ON alert_outbox (status, seq);

-- When each mailbox first synced successfully: transitions before it are a back-fill and are not sent.
ALTER TABLE sync_status ADD COLUMN first_success_at BIGINT;
UPDATE sync_status SET first_success_at = last_success_at WHERE last_success_at IS NOT NULL;

CREATE INDEX alert_outbox_seq ON alert_outbox (seq);
