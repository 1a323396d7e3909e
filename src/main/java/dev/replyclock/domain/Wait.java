package dev.replyclock.domain;

import java.time.Instant;

/** A customer wait (SPEC section 8); {@code closedBy} is null while it is still waiting. */
public record Wait(String messageId, String conversationId, String mailboxId, String teamId, Instant opened,
                   Response closedBy) {

    public boolean open() {
        return closedBy == null;
    }
}
