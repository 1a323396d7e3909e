package dev.replyclock.domain;

import java.time.Instant;

/**
 * A customer wait (SPEC section 8); {@code closedBy} is null while it is still waiting.
 *
 * @param openUntil opened + open_for (SPEC section 14): still waiting past it, the wait is expired, no longer open
 */
public record Wait(String messageId, String conversationId, String mailboxId, String teamId, Instant opened,
                   Response closedBy, Instant openUntil) {

    /** A wait without open horizon (never expires). */
    public Wait(String messageId, String conversationId, String mailboxId, String teamId, Instant opened, Response closedBy) {
        this(messageId, conversationId, mailboxId, teamId, opened, closedBy, null);
    }

    /** Not closed by a reply (whether or not it has expired). */
    public boolean open() {
        return closedBy == null;
    }

    /** Not closed and still within its open horizon: counted by open-wait and oldest-wait figures. */
    public boolean waiting(Instant now) {
        return closedBy == null && (openUntil == null || now.isBefore(openUntil));
    }
}
