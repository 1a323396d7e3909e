package dev.replyclock.app;

import dev.replyclock.alert.AlertListener;
import dev.replyclock.alert.Alerts;
import dev.replyclock.config.Config;
import dev.replyclock.config.MailboxConfig;
import dev.replyclock.config.SourceConfig;
import dev.replyclock.domain.Lead;
import dev.replyclock.domain.SlaState;
import dev.replyclock.figures.Figures;
import dev.replyclock.ingest.IncrementalSource;
import dev.replyclock.ingest.files.FilesOnceSource;
import dev.replyclock.metrics.ReplyclockMetrics;
import dev.replyclock.poll.LeadDispositions;
import dev.replyclock.poll.PollCycle;
import dev.replyclock.poll.ReadModel;
import dev.replyclock.poll.SlaTicker;
import dev.replyclock.report.LiveAnalysis;
import dev.replyclock.store.Store;
import dev.replyclock.store.StoreException;
import dev.replyclock.store.SyncStatus;
import dev.replyclock.web.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The running parts of one configuration: the store, the live analysis, a source per mailbox, the poll
 * cycle and the SLA ticker. {@code run} adds the scheduler and the HTTP server; {@code sync --once} does not.
 */
final class Service implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Service.class);

    private final Config config;
    private final Store store;
    private final LiveAnalysis live;
    /** What the views read: the stored results, kept current by the analysis and by {@link ReadModel#refresh}. */
    private final ReadModel readModel;
    private final Figures figures;
    private final PollCycle cycle;
    private final SlaTicker ticker;
    private final LeadDispositions dispositions;
    private final Map<String, IncrementalSource> sources;
    private final ReplyclockMetrics metrics;
    private final Clock clock;
    /** Null when no alert channel is configured. */
    private final Alerts alerts;

    private Service(Config config, Store store, Clock clock, AlertListener alertListener) {
        this.config = config;
        this.store = store;
        this.clock = clock;
        this.live = new LiveAnalysis(config);
        this.readModel = new ReadModel(config, store, clock);
        live.onChange(readModel::apply);
        this.figures = new Figures(readModel, live::conversationOf,
                mailbox -> store.lastSync(mailbox).map(SyncStatus::lastSuccess));
        this.cycle = new PollCycle(store, live, clock);
        this.metrics = new ReplyclockMetrics(config, version());
        AlertListener alertMetrics = new AlertMetrics(metrics.registry(), config.alerts().channels(), alertListener);
        this.alerts = config.alerts().channels().isEmpty() ? null
                : new Alerts(config, store, figures, AlertWiring.channels(config.alerts()), alertMetrics, clock);
        this.ticker = new SlaTicker(store, readModel, clock, alerts == null ? null : alerts.routing());
        this.dispositions = new LeadDispositions(store, live, cycle, ticker::tick);
        this.sources = Sources.create(config);
        wireMetrics();
    }

    /** Metrics hear of stored batches, newly stored SLA transitions and each tick (which refreshes the cached figures). */
    private void wireMetrics() {
        cycle.addBatchListener((mailboxId, batch) -> metrics.batchStored(mailboxId, batch.checkpoint().folder(),
                batch.messages().size(), batch.rejected()));
        ticker.addListener(new SlaTicker.Listener() {
            @Override
            public void transitionStored(Lead lead, String kind, SlaState state, Instant at, boolean firstOfKind) {
                metrics.transitionStored(lead, kind, state, at, clock.instant(), firstOfKind);
            }

            @Override
            public void ticked(Instant now) {
                metrics.refresh(figures, now);
            }
        });
        for (MailboxConfig mailbox : config.mailboxes()) {
            store.lastSync(mailbox.id()).map(SyncStatus::lastSuccess)
                    .ifPresent(at -> metrics.syncSucceeded(mailbox.id(), at));
            metrics.knownFolders(mailbox.id(), knownFolders(mailbox));
        }
    }

    /** The folders a mailbox names in the config or has a checkpoint for in the store. */
    private Set<String> knownFolders(MailboxConfig mailbox) {
        Set<String> folders = new TreeSet<>();
        if (mailbox.source() instanceof SourceConfig.Files) {
            folders.add(FilesOnceSource.CHECKPOINT_FOLDER);
        } else if (mailbox.source() instanceof SourceConfig.Imap imap) {
            // no folders: INBOX and the Sent folder, whose name the server tells at the first poll (then a checkpoint)
            folders.addAll(imap.folders().isEmpty() ? List.of("INBOX") : imap.folders());
        } else if (mailbox.source() instanceof SourceConfig.Graph graph) {
            folders.addAll(graph.folders());
        }
        store.checkpoints(mailbox.id()).forEach(c -> folders.add(c.folder()));
        return folders;
    }

    static String version() {
        String v = Service.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0" : v;
    }

    /** Opens the store and loads what it holds. */
    static Service open(Config config, Clock clock) {
        return open(config, clock, AlertListener.NONE);
    }

    /** Opens the store and loads what it holds; alert counters go to {@code alertListener} (metrics). */
    static Service open(Config config, Clock clock, AlertListener alertListener) {
        Store store = StoreOpening.open(config.store());
        try {
            Service service = new Service(config, store, clock, alertListener);
            service.dispositions.restore();
            service.readModel.load();
            service.cycle.restoreOnDemand();
            service.metrics.refresh(service.figures, clock.instant());
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

    Figures figures() {
        return figures;
    }

    /** The results the views read; {@link ReadModel#refresh} reads what another process wrote to the store. */
    ReadModel results() {
        return readModel;
    }

    /** The analysis of the conversations inside the horizon. */
    LiveAnalysis live() {
        return live;
    }

    ReplyclockMetrics metrics() {
        return metrics;
    }

    /** {@code GET /metrics} for the HTTP server. */
    HttpServer.Scraper scraper() {
        return accept -> {
            ReplyclockMetrics.Scrape scrape = metrics.scrape(accept);
            return new HttpServer.Exposition(scrape.contentType(), scrape.bytes());
        };
    }

    PollCycle cycle() {
        return cycle;
    }

    LeadDispositions dispositions() {
        return dispositions;
    }

    IncrementalSource source(String mailboxId) {
        return sources.get(mailboxId);
    }

    PollCycle.Outcome poll(String mailboxId) {
        PollCycle.Outcome outcome = cycle.poll(mailboxId, sources.get(mailboxId));
        metrics.pollFinished(mailboxId, outcome.millis(), outcome.error(), clock.instant());
        if (outcome.failed() && alerts != null) {
            try {
                alerts.syncFailed(mailboxId, syncFailingAfter());
            } catch (StoreException e) {
                // e.g. a full store: the alert is enqueued by a later failed poll, once the store can write
                LOG.warn("mailbox {}: sync_failing alert not enqueued: {}", mailboxId, e.getMessage());
            }
        }
        ticker.tick();
        return outcome;
    }

    /** A mailbox is "sync failing" when its figures are stale: the query layer's rule ({@code Directory.staleAfter}). */
    Duration syncFailingAfter() {
        return figures.directory().staleAfter();
    }

    /** Null when no alert channel is configured. */
    Alerts alerts() {
        return alerts;
    }

    /** Drains the alert outbox once; 0 without channels. */
    int sendAlerts() {
        return alerts == null ? 0 : alerts.send();
    }

    /** Enqueues the daily digests that are due; 0 without channels. */
    int enqueueDigests() {
        return alerts == null ? 0 : alerts.enqueueDueDigests();
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
        metrics.close();
        store.close();
    }
}
