package dev.replyclock.domain;

import java.time.Instant;
import java.util.Locale;

/**
 * A manager's decision about a lead (SPEC section 14), service state that {@code analyze} never knows.
 *
 * @param at     for {@link Kind#HANDLED_ELSEWHERE}: when it was handled (an attempt at that instant); null for
 *               {@link Kind#NOT_A_LEAD}
 * @param rep    for {@link Kind#HANDLED_ELSEWHERE}: the member id, or {@link Response#UNATTRIBUTED}
 * @param setBy  who set it (user or token name)
 * @param setAt  when it was set
 */
public record Disposition(String leadMessageId, Kind kind, String reason, String note, Instant at, String rep,
                          String setBy, Instant setAt) {

    public enum Kind {
        /** The conversation is no lead: its lead and its waits leave every figure, list and alert. */
        NOT_A_LEAD,
        /** Answered by phone, chat or CRM: an attempt at {@code at} by {@code rep}, unless an email came earlier. */
        HANDLED_ELSEWHERE;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The kind named by its label ({@code not_a_lead}), or null. */
        public static Kind ofLabel(String label) {
            for (Kind k : values()) {
                if (k.label().equals(label)) {
                    return k;
                }
            }
            return null;
        }
    }
}
