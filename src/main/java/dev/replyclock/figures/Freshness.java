package dev.replyclock.figures;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** When each mailbox last synced successfully; stale when longer ago than {@code staleAfter} (or never). */
public record Freshness(Instant now, Duration staleAfter, List<MailboxSync> mailboxes) {

    /** @param lastSuccess null when the mailbox never synced */
    public record MailboxSync(String mailbox, String address, Instant lastSuccess, boolean stale) {
    }

    public boolean anyStale() {
        return mailboxes.stream().anyMatch(MailboxSync::stale);
    }
}
