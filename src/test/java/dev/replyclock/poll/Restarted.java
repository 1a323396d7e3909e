package dev.replyclock.poll;

import dev.replyclock.config.Config;
import dev.replyclock.report.LiveAnalysis;
import dev.replyclock.store.Store;

import java.time.Clock;

/**
 * What a restarted service serves from a store: the read model of the stored results, brought up to date by a fresh
 * live analysis restored as the service restores it. The live analysis alone holds only the conversations inside the
 * horizon, so tests that compare "after a restart" with everything compare this.
 */
public final class Restarted {

    private Restarted() {
    }

    public static ReadModel results(Config config, Store store, Clock clock) {
        ReadModel served = new ReadModel(config, store, clock);
        LiveAnalysis live = new LiveAnalysis(config);
        live.onChange(served::apply);
        served.load();
        new PollCycle(store, live, clock).restore();
        return served;
    }
}
