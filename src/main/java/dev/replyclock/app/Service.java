package dev.replyclock.app;

import dev.replyclock.config.Config;
import dev.replyclock.config.MailboxConfig;
import dev.replyclock.ingest.IncrementalSource;
import dev.replyclock.poll.PollCycle;
import dev.replyclock.poll.SlaTicker;
import dev.replyclock.report.LiveAnalysis;
import dev.replyclock.store.Store;
import dev.replyclock.store.SyncStatus;
import dev.replyclock.web.HttpServer;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The running parts of one configuration: the store, the live analysis, a source per mailbox, the poll
 * cycle and the SLA ticker. {@code run} adds the scheduler and the HTTP server; {@code sync --once} does not.
 */
final class Service implements AutoCloseable {

    private final Config config;
    private final Store store;
    private final LiveAnalysis live;
    private final PollCycle cycle;
    private final SlaTicker ticker;
    private final Map<String, IncrementalSource> sources;

    private Service(Config config, Store store, Clock clock) {
        this.config = config;
        this.store = store;
        this.live = new LiveAnalysis(config);
        this.cycle = new PollCycle(store, live, clock);
        this.ticker = new SlaTicker(store, live, clock);
        this.sources = Sources.create(config);
    }

    /** Opens the store and loads what it holds. */
    static Service open(Config config, Clock clock) {
        Store store = Store.open(config.store().path());
        try {
            Service service = new Service(config, store, clock);
            service.cycle.restore();
            return service;
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    Config config() {
        return config;
    }

    Store store() {
        return store;
    }

    LiveAnalysis results() {
        return live;
    }

    PollCycle cycle() {
        return cycle;
    }

    IncrementalSource source(String mailboxId) {
        return sources.get(mailboxId);
    }

    PollCycle.Outcome poll(String mailboxId) {
        PollCycle.Outcome outcome = cycle.poll(mailboxId, sources.get(mailboxId));
        ticker.tick();
        return outcome;
    }

    List<PollCycle.Outcome> pollAll() {
        List<PollCycle.Outcome> outcomes = new ArrayList<>();
        for (MailboxConfig mailbox : config.mailboxes()) {
            outcomes.add(poll(mailbox.id()));
        }
        return outcomes;
    }

    int tick() {
        return ticker.tick();
    }

    /** Ready when the store is open and every mailbox has synced once. */
    HttpServer.Readiness readiness() {
        return () -> {
            for (MailboxConfig mailbox : config.mailboxes()) {
                Optional<SyncStatus> status = store.lastSync(mailbox.id());
                if (status.isEmpty() || status.get().lastSuccess() == null) {
                    String error = status.map(SyncStatus::lastError).orElse(null);
                    return Optional.of("mailbox " + mailbox.id() + " has not synced yet"
                            + (error == null ? "" : " (last error: " + error + ")"));
                }
            }
            return Optional.empty();
        };
    }

    @Override
    public void close() {
        sources.values().forEach(IncrementalSource::close);
        store.close();
    }
}
