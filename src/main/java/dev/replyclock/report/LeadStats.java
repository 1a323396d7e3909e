package dev.replyclock.report;

import dev.replyclock.domain.Lead;
import dev.replyclock.domain.SlaState;

import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * Aggregates of SPEC section 10 over a set of leads: percentiles by nearest rank over the leads that have a
 * first response, compliance = met / (met + breached). An empty set gives no value, never 0.
 */
public record LeadStats(int leads, int answered, OptionalLong medianBusinessSeconds, OptionalLong p90BusinessSeconds,
                        OptionalDouble compliance, Map<SlaState, Integer> byState,
                        Map<SlaState, Integer> openByState) {

    public static LeadStats of(List<Lead> leads, Instant now) {
        long[] seconds = leads.stream().filter(l -> l.firstResponse() != null)
                .mapToLong(l -> l.firstResponse().businessSeconds()).sorted().toArray();
        Map<SlaState, Integer> byState = new EnumMap<>(SlaState.class);
        Map<SlaState, Integer> openByState = new EnumMap<>(SlaState.class);
        for (Lead lead : leads) {
            SlaState state = lead.firstResponseState(now);
            byState.merge(state, 1, Integer::sum);
            if (lead.open(now)) {
                openByState.merge(state, 1, Integer::sum);
            }
        }
        int met = byState.getOrDefault(SlaState.MET, 0);
        int breached = byState.getOrDefault(SlaState.BREACHED, 0);
        OptionalDouble compliance = met + breached == 0 ? OptionalDouble.empty()
                : OptionalDouble.of((double) met / (met + breached));
        return new LeadStats(leads.size(), seconds.length, nearestRank(seconds, 0.5), nearestRank(seconds, 0.9),
                compliance, byState, openByState);
    }

    /** Nearest-rank percentile of sorted values: the value at rank ceil(p * n). */
    public static OptionalLong nearestRank(long[] sorted, double p) {
        if (sorted.length == 0) {
            return OptionalLong.empty();
        }
        int rank = (int) Math.ceil(p * sorted.length);
        return OptionalLong.of(sorted[Math.max(rank, 1) - 1]);
    }

    /** Open leads (no first response, within the open horizon of SPEC section 14) in the given state. */
    public int open(SlaState state) {
        return openByState.getOrDefault(state, 0);
    }
}
