package dev.replyclock.store;

import dev.replyclock.domain.SlaState;

import java.time.Instant;

/** A lead's SLA state of one kind ({@link Store#FIRST_RESPONSE} or {@link Store#ATTEMPTS}) became {@code state} at {@code at}. */
public record StateTransition(String leadMessageId, String kind, SlaState state, Instant at) {
}
