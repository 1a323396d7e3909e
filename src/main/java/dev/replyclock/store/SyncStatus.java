package dev.replyclock.store;

import java.time.Instant;

/**
 * The last sync attempts of one mailbox. The last error is kept after a later success, so compare the times.
 *
 * @param lastAttempt when the last sync ended, successful or not
 * @param lastSuccess when the last successful sync ended, or null if none
 * @param lastError   message of the last failed sync, or null if none failed
 * @param lastErrorAt when the last failed sync ended, or null
 */
public record SyncStatus(String mailboxId, Instant lastAttempt, Instant lastSuccess, String lastError,
                         Instant lastErrorAt) {

    /** Whether the most recent sync failed. */
    public boolean failing() {
        return lastErrorAt != null && (lastSuccess == null || lastErrorAt.isAfter(lastSuccess));
    }
}
