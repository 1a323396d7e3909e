package dev.replyclock.domain;

import java.time.Instant;

/**
 * A lead and everything about it that does not depend on the current time; the states are functions of
 * {@code now} (SPEC section 9).
 *
 * @param deadline          first-response deadline (start + first_response in business time)
 * @param atRiskFrom        earliest instant from which at most warn_before business time is left
 * @param firstResponse     null while unanswered
 * @param attempts          every attempt of the lead, also those after the window
 * @param attemptsWindowEnd start + within, or null when the policy has no attempts part
 * @param attemptsMet       whether the attempts part was met within the window (by count or by the party replying)
 */
public record Lead(String leadMessageId, String conversationId, String mailboxId, String teamId, String party,
                   Instant start, Instant deadline, Instant atRiskFrom, Response firstResponse, int attempts,
                   Instant attemptsWindowEnd, boolean attemptsMet) {

    public SlaState firstResponseState(Instant now) {
        if (firstResponse != null) {
            return firstResponse.at().isAfter(deadline) ? SlaState.BREACHED : SlaState.MET;
        }
        if (!now.isBefore(deadline)) {
            return SlaState.BREACHED;
        }
        return now.isBefore(atRiskFrom) ? SlaState.PENDING : SlaState.AT_RISK;
    }

    /** Null when the policy has no attempts part. */
    public SlaState attemptsState(Instant now) {
        if (attemptsWindowEnd == null) {
            return null;
        }
        if (attemptsMet) {
            return SlaState.MET;
        }
        return now.isBefore(attemptsWindowEnd) ? SlaState.PENDING : SlaState.BREACHED;
    }

    /**
     * The first instant after {@code now} at which a state above changes by time alone; null if none ever does.
     * The states step only at these instants, so the ticker's schedule asks here rather than repeating the rules.
     */
    public Instant nextStep(Instant now) {
        Instant next = null;
        if (firstResponse == null) {
            next = earliestAfter(now, next, atRiskFrom);
            next = earliestAfter(now, next, deadline);
        }
        if (!attemptsMet) {
            next = earliestAfter(now, next, attemptsWindowEnd);
        }
        return next;
    }

    private static Instant earliestAfter(Instant now, Instant sofar, Instant candidate) {
        if (candidate == null || !candidate.isAfter(now)) {
            return sofar;
        }
        return sofar == null || candidate.isBefore(sofar) ? candidate : sofar;
    }
}
