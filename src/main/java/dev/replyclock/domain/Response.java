package dev.replyclock.domain;

import java.time.Instant;

/**
 * An attempt that answered someone: the first response of a lead or the reply closing a wait.
 *
 * @param rep             member id, an internal non-member address, or {@code unattributed} (SPEC section 6)
 * @param businessSeconds business time since the lead's start or the wait's opening, rounded down
 * @param wallSeconds     wall-clock time since then, rounded down
 */
public record Response(String messageId, Instant at, String rep, long businessSeconds, long wallSeconds) {

    public static final String UNATTRIBUTED = "unattributed";
    /** Prefix of the message id standing for a {@code handled_elsewhere} disposition (no email carries it). */
    public static final String HANDLED_ELSEWHERE_PREFIX = "handled-elsewhere:";

    /** The attempt a {@code handled_elsewhere} disposition of this lead stands for. */
    public static String handledElsewhereId(String leadMessageId) {
        return HANDLED_ELSEWHERE_PREFIX + leadMessageId;
    }

    /** An attempt made by phone, chat or CRM (a disposition), not by email. */
    public boolean handledElsewhere() {
        return messageId.startsWith(HANDLED_ELSEWHERE_PREFIX);
    }
}
