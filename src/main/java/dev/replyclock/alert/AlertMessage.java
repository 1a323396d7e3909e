package dev.replyclock.alert;

import java.time.Duration;
import java.time.ZonedDateTime;

/**
 * One alert, ready to render: what a busy person needs in two seconds. Values are raw (unescaped); each adapter
 * escapes for its format.
 *
 * @param event     {@link AlertEvent}
 * @param party     the lead's address (shown to the team; never a metric label); null for sync_failing
 * @param subject   the lead message's subject (may be empty)
 * @param waited    business time waited so far (or until the late answer); null for sync_failing
 * @param deadline  first-response deadline in the calendar's zone; null for sync_failing
 * @param rep       the rep who answered, or null
 * @param link      the lead's audit page, or null without {@code http.public_url}
 * @param detail    extra line (sync_failing: the error), or null
 */
public record AlertMessage(String event, String mailboxId, String mailboxAddress, String teamId, String party,
                           String subject, Duration waited, ZonedDateTime deadline, String rep, String link,
                           String detail) {

    /** The one-line headline, e.g. "At risk: lead to sales@acme.example from x@y.example waiting 3h10m". */
    public String headline() {
        return switch (event) {
            case AlertEvent.AT_RISK -> "At risk: " + party + " has waited " + Text.duration(waited) + " (" + mailboxAddress + ")";
            case AlertEvent.BREACHED -> "Breached: " + party + " waited past the deadline (" + mailboxAddress + ")";
            case AlertEvent.ATTEMPTS_BREACHED -> "Attempts missed: " + party + " (" + mailboxAddress + ")";
            case AlertEvent.SYNC_FAILING -> "Sync failing: mailbox " + mailboxId;
            default -> event + ": " + mailboxId;
        };
    }
}
