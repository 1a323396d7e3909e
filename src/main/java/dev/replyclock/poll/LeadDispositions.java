package dev.replyclock.poll;

import dev.replyclock.domain.Disposition;
import dev.replyclock.domain.DispositionChange;
import dev.replyclock.report.LiveAnalysis;
import dev.replyclock.store.Store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Managers' dispositions (SPEC section 14) kept in the store and applied to the live analysis: setting or withdrawing
 * one stores it with its audit entry first, then recomputes the lead's conversation and saves its results, then
 * tells {@code afterChange} (the SLA tick, so that states, alerts and metrics follow at once).
 */
public final class LeadDispositions {

    private final Store store;
    private final LiveAnalysis live;
    private final PollCycle cycle;
    private final Runnable afterChange;

    public LeadDispositions(Store store, LiveAnalysis live, PollCycle cycle, Runnable afterChange) {
        this.store = store;
        this.live = live;
        this.cycle = cycle;
        this.afterChange = afterChange;
    }

    /** Loads the standing dispositions into the analysis; call before {@link PollCycle#restore}. */
    public void restore() {
        live.restoreDispositions(store.dispositions());
    }

    /** Stores, applies and saves under the cluster lock ({@link PollCycle#writing}): one writer of results at a time. */
    public synchronized void set(Disposition disposition) {
        cycle.writing(() -> {
            store.setDisposition(disposition);
            cycle.saveChange(live.dispose(disposition.leadMessageId(), disposition));
            return null;
        });
        afterChange.run();
    }

    public synchronized Optional<Disposition> withdraw(String leadMessageId, String who, Instant at) {
        Optional<Disposition> withdrawn = cycle.writing(() -> {
            Optional<Disposition> gone = store.withdrawDisposition(leadMessageId, who, at);
            gone.ifPresent(d -> cycle.saveChange(live.dispose(leadMessageId, null)));
            return gone;
        });
        if (withdrawn.isPresent()) {
            afterChange.run();
        }
        return withdrawn;
    }

    public Optional<Disposition> standing(String leadMessageId) {
        return store.disposition(leadMessageId);
    }

    public List<DispositionChange> history(String leadMessageId) {
        return store.dispositionHistory(leadMessageId);
    }
}
