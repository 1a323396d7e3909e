package dev.replyclock.app;

import dev.replyclock.alert.AlertListener;
import dev.replyclock.alert.Alerts;
import dev.replyclock.config.Config;
import dev.replyclock.config.MailboxConfig;
import dev.replyclock.config.SourceConfig;
import dev.replyclock.config.StoreConfig;
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
    private final Cluster cluster;
    private final AlertMetrics alertMetrics;

    private Service(Config config, Store store, Cluster cluster, Clock clock, AlertListener alertListener) {
        this.config = config;
        this.store = store;
        this.cluster = cluster;
        this.clock = clock;
        this.live = new LiveAnalysis(config);
        this.readModel = new ReadModel(config, store, clock);
        live.onChange(readModel::apply);
        this.figures = new Figures(readModel, live::conversationOf,
                mailbox -> store.lastSync(mailbox).map(SyncStatus::lastSuccess));
        this.cycle = new PollCycle(store, live, clock, cluster.writeLock());
        this.metrics = new ReplyclockMetrics(config, version());
        this.alertMetrics = new AlertMetrics(metrics.registry(), config.alerts().channels(), alertListener);
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
        StoreConfig stored = config.store();
        Cluster cluster = stored.isPostgres()
                ? Cluster.on(new Cluster.Database(stored.url(), stored.username(), stored.password()))
                : Cluster.single();
        try {
            Service service = new Service(config, store, cluster, clock, alertListener);
            service.cycle.startCatchUp();
            service.dispositions.restore();
            service.readModel.load();
            service.cycle.restoreOnDemand();
            service.metrics.stateExporter(cluster.stateExporter());
            service.metrics.refresh(service.figures, clock.instant());
            return service;
        } catch (RuntimeException e) {
            cluster.close();
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

    Cluster cluster() {
        return cluster;
    }

    PollCycle.Outcome poll(String mailboxId) {
        PollCycle.Outcome outcome = cycle.poll(mailboxId, sources.get(mailboxId));
        metrics.pollFinished(mailboxId, outcome.millis(), outcome.error(), clock.instant());
        if (outcome.failed() && alerts != null) {
            try {
                cycle.lock().holding(() -> alerts.syncFailed(mailboxId, syncFailingAfter()));
            } catch (StoreException e) {
                // e.g. a full store: the alert is enqueued by a later failed poll, once the store can write
                LOG.warn("mailbox {}: sync_failing alert not enqueued: {}", mailboxId, e.getMessage());
            }
        }
        tick();
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
        if (alerts == null) {
            return 0;
        }
        try {
            return cycle.lock().holding(alerts::enqueueDueDigests);
        } catch (StoreException e) {
            LOG.warn("digests not enqueued yet (tried again at the next check): {}", e.getMessage());
            return 0;
        }
    }

    List<PollCycle.Outcome> pollAll() {
        List<PollCycle.Outcome> outcomes = new ArrayList<>();
        for (MailboxConfig mailbox : config.mailboxes()) {
            outcomes.add(poll(mailbox.id()));
        }
        return outcomes;
    }

    /**
     * Records the SLA transitions due by now (and enqueues their alerts), caught up with the other instances and holding
     * the cluster lock: one instance records a transition once.
     */
    int tick() {
        try {
            cycle.catchUp();
        } catch (StoreException e) {
            LOG.warn("SLA tick: not caught up with the other instances: {}", e.getMessage());
        }
        try {
            return cycle.lock().holding(ticker::tick);
        } catch (StoreException e) { // the cluster lock cannot be had: the next tick records what is due
            LOG.warn("SLA tick skipped: {}", e.getMessage());
            return 0;
        }
    }

    /**
     * This instance's own refresh when several share the store (the SLA tick runs on one of them per period): catches
     * up with what the others wrote, so that its pages are current, and exports the state gauges if it holds the
     * gauge lock.
     */
    void refreshLocal() {
        try {
            cycle.catchUp();
            readModel.refresh(); // results another instance wrote that catching up did not recompute here
        } catch (StoreException e) {
            LOG.warn("not caught up with the other instances: {}", e.getMessage());
        }
        metrics.stateExporter(cluster.stateExporter());
        metrics.refresh(figures, clock.instant());
        if (alerts != null) { // the shared outbox: whichever instance sent last, every one tells what is pending
            try {
                alertMetrics.pending(store.pendingAlertCount());
            } catch (StoreException e) {
                LOG.warn("pending alerts not counted: {}", e.getMessage());
            }
        }
        // the last successful sync is the store's (another instance may have polled the mailbox): every instance's
        // gauge says when the mailbox last synced, whichever polled it
        for (MailboxConfig mailbox : config.mailboxes()) {
            try {
                store.lastSync(mailbox.id()).map(SyncStatus::lastSuccess).ifPresent(at -> metrics.syncSucceeded(mailbox.id(), at));
            } catch (StoreException e) {
                LOG.warn("mailbox {}: last sync not read: {}", mailbox.id(), e.getMessage());
            }
        }
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
        cluster.close();
        store.close();
    }
}
