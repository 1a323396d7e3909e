package dev.replyclock.figures;

import dev.replyclock.domain.Lead;
import dev.replyclock.domain.Response;
import dev.replyclock.report.LeadStats;

import java.time.Instant;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * One rep over a period: {@link LeadStats} of the leads they answered first, attempts per such lead, the waits
 * they closed, and those responses newest first.
 *
 * @param team the member's team; for anyone else the team of their newest response
 */
public record RepFigures(String rep, String name, String team, boolean member, Period period, LeadStats stats,
                         OptionalLong wallMedian, OptionalDouble attemptsPerLead, int waitsClosed, List<RepResponse> responses) {

    /** A first response ({@code lead} set) or a reply closing a wait ({@code lead} null). */
    public record RepResponse(String kind, String team, String mailbox, String id, String conversationId,
                              Instant opened, Response response, Lead lead) {
        public static final String FIRST_RESPONSE = "first_response";
        public static final String WAIT = "wait";
    }

    public int firstResponses() {
        return stats.answered();
    }
}
