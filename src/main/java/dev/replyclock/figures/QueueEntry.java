package dev.replyclock.figures;

import dev.replyclock.domain.Lead;
import dev.replyclock.domain.SlaState;

import java.time.ZonedDateTime;

/**
 * A lead that needs an answer: pending or at risk (business time left until the deadline), or overdue
 * (breached, negative: business time since the deadline).
 *
 * @param deadline the first-response deadline in the mailbox calendar's zone
 */
public record QueueEntry(Lead lead, SlaState state, long businessSecondsLeft, ZonedDateTime deadline) {

    public boolean overdue() {
        return state == SlaState.BREACHED;
    }
}
