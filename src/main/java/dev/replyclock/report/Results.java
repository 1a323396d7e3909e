package dev.replyclock.report;

import dev.replyclock.config.Config;
import dev.replyclock.domain.Lead;
import dev.replyclock.domain.Wait;

import java.util.List;
import java.util.Set;

/** What every output (JSON, table, CSV, API, metrics) reads: one computation, several views. */
public interface Results {

    Config config();

    Counts counts();

    /** Sorted by start, then lead message id (SPEC section 12). */
    List<Lead> leads();

    /** Sorted by opening, then message id (SPEC section 12). */
    List<Wait> waits();

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
