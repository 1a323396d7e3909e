package dev.replyclock.store;

import java.time.Instant;

/**
 * One row of the alert outbox: the alert of {@code event} about {@code subjectId} (a lead message id, or
 * {@code mailbox:<id>}) for one channel. {@code (subjectId, event, channel)} is unique: an alert is enqueued at
 * most once, also across restarts.
 *
 * @param status        pending, sent, failed or cancelled
 * @param lastError     a reason (never a secret), or null
 */
public record OutboxAlert(String subjectId, String event, String channel, long seq, Instant occurredAt,
                          Instant enqueuedAt, String status, int attempts, Instant nextAttemptAt, Instant doneAt,
                          String lastError) {

    public static final String PENDING = "pending";
    public static final String SENT = "sent";
    public static final String FAILED = "failed";
    public static final String CANCELLED = "cancelled";

    /** The subject id of a mailbox-level alert (sync_failing). */
    public static String mailboxSubject(String mailboxId) {
        return "mailbox:" + mailboxId;
    }
}
