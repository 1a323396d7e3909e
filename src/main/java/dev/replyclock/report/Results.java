package dev.replyclock.report;

import dev.replyclock.config.Config;
import dev.replyclock.domain.Lead;
import dev.replyclock.domain.Wait;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/** What every output (JSON, table, CSV, API, metrics) reads: one computation, several views. */
public interface Results {

    Config config();

    Counts counts();

    /** Sorted by start, then lead message id (SPEC section 12). */
    List<Lead> leads();

    /** Sorted by opening, then message id (SPEC section 12). */
    List<Wait> waits();

    /**
     * The leads that started in {@code [from, to)} (a null bound is open), in lead order: what a figure of a period
     * reads, at a cost that follows the period rather than every lead when the results keep them ordered.
     */
    default List<Lead> leadsStartedIn(Instant from, Instant to) {
        return between(leads(), Lead::start, from, to);
    }

    /** The waits opened in {@code [from, to)} (a null bound is open), in wait order. */
    default List<Wait> waitsOpenedIn(Instant from, Instant to) {
        return between(waits(), Wait::opened, from, to);
    }

    /** Leads that may be open at {@code now}: every unanswered one not expired by then (callers still test {@code open}). */
    default List<Lead> unansweredAt(Instant now) {
        return leads().stream().filter(l -> l.open(now)).toList();
    }

    /** Waits that may be waiting at {@code now}: every unclosed one not expired by then. */
    default List<Wait> unclosedAt(Instant now) {
        return waits().stream().filter(w -> w.waiting(now)).toList();
    }

    /**
     * The leads whose SLA state may still change by time: every lead, unless the results know some to be final (the
     * read model: those started before the horizon). The SLA tick's first evaluation reads these.
     */
    default List<Lead> leadsThatMayChange() {
        return leads();
    }

    /** The part of a list sorted by {@code key} with keys in {@code [from, to)}, found by binary search. */
    private static <T> List<T> between(List<T> sorted, Function<T, Instant> key, Instant from, Instant to) {
        int start = from == null ? 0 : firstAtOrAfter(sorted, key, from);
        int end = to == null ? sorted.size() : firstAtOrAfter(sorted, key, to);
        return start >= end ? List.of() : new ArrayList<>(sorted.subList(start, end));
    }

    private static <T> int firstAtOrAfter(List<T> sorted, Function<T, Instant> key, Instant t) {
        int lo = 0;
        int hi = sorted.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (key.apply(sorted.get(mid)).isBefore(t)) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Told of every change to the leads, so a reader can follow them without re-reading {@link #leads()}. */
    interface LeadWatcher {
        /**
         * The leads of the stale conversations are gone and {@code leads} are the new or recomputed ones (a lead
         * may come back under a stale conversation's id). Called while the results are locked: do not call back.
         */
        void leadsChanged(Set<String> staleConversationIds, List<Lead> leads);
    }

    /**
     * Registers a watcher of all later changes; false when these results cannot tell of changes, so the caller
     * re-reads {@link #leads()} each time.
     */
    default boolean watch(LeadWatcher watcher) {
        return false;
    }
}
