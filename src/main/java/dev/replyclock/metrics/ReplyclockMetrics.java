package dev.replyclock.metrics;

import dev.replyclock.config.Config;
import dev.replyclock.config.MailboxConfig;
import dev.replyclock.config.SlaPolicy;
import dev.replyclock.domain.Lead;
import dev.replyclock.domain.RejectedMessage;
import dev.replyclock.domain.SlaState;
import dev.replyclock.figures.Figures;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Replyclock's Prometheus metrics (Micrometer's Prometheus registry). Three kinds:
 * <ul>
 *   <li>state and window figures, read by {@link StateFigures} from the query layer ({@link Figures}) on each SLA tick
 *       ({@link #refresh}) and cached — a scrape never recomputes them; a figure with no data is absent;</li>
 *   <li>live events ({@link #transitionStored}), counted only when the store first records a transition, so a
 *       restart or a back-fill never counts a lead twice;</li>
 *   <li>the service itself: polls, ingestion, build, JVM and process.</li>
 * </ul>
 * The {@code rep} label is a configured member id or {@code other}; no address, subject or message id is a label.
 */
public final class ReplyclockMetrics implements AutoCloseable {

    /** Prometheus text exposition 0.0.4, the default. */
    public static final String TEXT_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    /** OpenMetrics 1.0, when the {@code Accept} header asks for it. */
    public static final String OPENMETRICS_CONTENT_TYPE = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    /** A scrape: the content type to answer with and the body (UTF-8). */
    public record Scrape(String contentType, byte[] bytes) {
        public String body() {
            return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Config config;
    private final Set<String> memberIds = new HashSet<>();
    private final double[] firstResponseBuckets;
    /** The state and window figures of the last refresh, swapped whole: a scrape only writes them out. */
    private volatile MetricSnapshots stateFigures = MetricSnapshots.builder().build();
    private final Map<String, AtomicLong> lastSuccess = new ConcurrentHashMap<>();
    private final JvmGcMetrics gcMetrics = new JvmGcMetrics();
    private volatile int lastSize = 64 * 1024;
    /**
     * Whether this instance exports the state and window figures: always with one instance; with several on one
     * database, only the one holding the gauge lock, so that a sum over instances never counts a lead twice.
     */
    private volatile boolean stateExporter = true;

    public ReplyclockMetrics(Config config, String version) {
        this.config = config;
        config.teams().values().forEach(t -> t.members().forEach(m -> memberIds.add(m.id())));
        this.firstResponseBuckets = firstResponseBuckets(config);

        Gauge.builder("replyclock.build.info", () -> 1).tag("version", version == null ? "unknown" : version)
                .description("Replyclock build; the value is always 1").register(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gcMetrics.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);

        // Where the audit pages are, for dashboard links; without http.public_url the local default.
        String publicUrl = config.http() == null ? "http://localhost:9465" : config.http().publicUrl() != null
                ? config.http().publicUrl() : "http://localhost:" + config.http().port();
        Gauge.builder("replyclock.public.url.info", () -> 1)
                .tag("url", publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl)
                .description("The audit pages' base URL (http.public_url); the value is always 1").register(registry);
        registry.getPrometheusRegistry().register((MultiCollector) () -> stateFigures);
        Gauge.builder("replyclock.state.exporter", () -> stateExporter ? 1 : 0)
                .description("1 when this instance exports the state and window figures (the one holding the database's "
                        + "gauge lock, or the only instance), else 0").register(registry);
        Duration poll = config.pollInterval() == null ? Config.DEFAULT_POLL_INTERVAL : config.pollInterval();
        for (MailboxConfig mailbox : config.mailboxes()) {
            // Known label sets start at 0 so that increase() sees the first event.
            // A reply-only mailbox has no team: its sync metrics carry team="" and it has no lead metrics.
            Tags mt = Tags.of("mailbox", mailbox.id(), "team", mailbox.team() == null ? "" : mailbox.team());
            if (!mailbox.repliesOnly()) {
                leadsDetected(mt);
                for (SlaState state : SlaState.values()) {
                    transitions(mt.and("state", state.label()));
                }
            }
            for (String kind : SyncErrors.KINDS) {
                syncErrors(mailbox.id(), kind);
            }
            for (String reason : REJECT_REASONS) {
                rejected(mailbox.id(), reason);
            }
            pollDuration(mailbox.id());
            for (String rep : repLabels(mailbox.team())) {
                Tags rt = mt.and("rep", rep);
                firstResponseOutcome(rt, SlaState.MET);
                firstResponseOutcome(rt, SlaState.BREACHED);
                firstResponseBusiness(rt);
            }
            Gauge.builder("replyclock.mailbox.info", () -> 1).tags(mt)
                    .description("Team of each mailbox (value 1), to join team names onto mailbox metrics").register(registry);
            SlaPolicy policy = config.slaPolicies().get(mailbox.sla());
            if (policy != null && policy.firstResponse() != null) {
                Gauge.builder("replyclock.first.response.target.seconds", () -> policy.firstResponse().toSeconds())
                        .tags(mt).description("Configured first_response target (business seconds)").register(registry);
                Gauge.builder("replyclock.first.response.compliance.target.ratio", () -> policy.complianceTargetPercent() / 100.0)
                        .tags(mt).description("Configured compliance_target_percent as a ratio: the share of decided leads "
                                + "to answer within first_response").register(registry);
                Gauge.builder("replyclock.first.response.warn.before.seconds", () -> policy.warnBefore() == null ? 0 : policy.warnBefore().toSeconds())
                        .tags(mt).description("Configured warn_before (business seconds)").register(registry);
            }
            Gauge.builder("replyclock.mailbox.poll.interval.seconds", () -> poll.toMillis() / 1000.0)
                    .tag("mailbox", mailbox.id()).description("Configured poll interval").register(registry);
            AtomicLong success = lastSuccess.computeIfAbsent(mailbox.id(), k -> new AtomicLong(Long.MIN_VALUE));
            Gauge.builder("replyclock.mailbox.last.sync.success.timestamp.seconds", success,
                            s -> s.get() == Long.MIN_VALUE ? Double.NaN : s.get() / 1000.0)
                    .tag("mailbox", mailbox.id()).description("End of the last successful sync (Unix seconds)")
                    .register(registry);
        }
    }

    /** The {@code rep} labels a team's figures can carry: its member ids and {@code other}. */
    private List<String> repLabels(String team) {
        List<String> reps = new ArrayList<>();
        if (config.teams().get(team) != null) {
            config.teams().get(team).members().forEach(m -> reps.add(m.id()));
        }
        reps.add("other");
        return reps;
    }

    /**
     * The folders a mailbox reads or has read (configured, or checkpoints in the store): their ingestion counters start
     * at 0, so that a restart loses no series (Prometheus instrumentation guidance: initialise known label sets).
     */
    public void knownFolders(String mailboxId, Collection<String> folders) {
        folders.forEach(folder -> ingested(mailboxId, folder));
    }

    /** Every configured first_response target (seconds) plus a spread of fixed edges, sorted. */
    static double[] firstResponseBuckets(Config config) {
        TreeSet<Double> edges = new TreeSet<>(List.of(60.0, 300.0, 900.0, 1800.0, 3600.0, 7200.0, 14400.0, 28800.0,
                86400.0, 172800.0));
        for (SlaPolicy policy : config.slaPolicies().values()) {
            if (policy.firstResponse() != null) {
                edges.add((double) policy.firstResponse().toSeconds());
            }
        }
        return edges.stream().mapToDouble(Double::doubleValue).toArray();
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** {@code rep} label: a configured member id, anything else {@code other}. */
    public String repLabel(String rep) {
        return rep != null && memberIds.contains(rep) ? rep : "other";
    }

    // --------------------------------------------------------------------------------------------- scrape

    /** Renders the registry in the format the {@code Accept} header asks for (OpenMetrics or text 0.0.4). */
    public Scrape scrape(String accept) {
        boolean openMetrics = accept != null && accept.toLowerCase(Locale.ROOT).contains("application/openmetrics-text");
        String contentType = openMetrics ? OPENMETRICS_CONTENT_TYPE : TEXT_CONTENT_TYPE;
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(lastSize + 4096);
        try {
            registry.scrape(out, contentType);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e); // a ByteArrayOutputStream does not throw
        }
        lastSize = out.size();
        return new Scrape(contentType, out.toByteArray());
    }

    // --------------------------------------------------------------------------------- state (SLA tick)

    /** Recomputes the state and window figures as of {@code now} and replaces the cached ones. */
    public void refresh(Figures figures, Instant now) {
        if (!stateExporter) {
            return;
        }
        Map<String, List<StateFigures.Point>> rows = new StateFigures().compute(figures, now);
        List<MetricSnapshot> snapshots = new ArrayList<>();
        for (String name : StateFigures.NAMES) {
            List<StateFigures.Point> points = rows.getOrDefault(name, List.of());
            if (points.isEmpty()) {
                continue; // absent, never 0
            }
            GaugeSnapshot.Builder gauge = GaugeSnapshot.builder()
                    .name(name.replace('.', '_')).help(StateFigures.description(name));
            for (StateFigures.Point point : points) {
                gauge.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder()
                        .labels(Labels.of(point.labels())).value(point.value()).build());
            }
            snapshots.add(gauge.build());
        }
        stateFigures = new MetricSnapshots(snapshots);
    }

    /**
     * Whether this instance exports the state figures from now on; one that stops exporting drops them at once (the
     * instance that took over exports them from its next refresh).
     */
    public void stateExporter(boolean exporting) {
        stateExporter = exporting;
        if (!exporting) {
            stateFigures = MetricSnapshots.builder().build();
        }
    }

    public boolean stateExporter() {
        return stateExporter;
    }

    // --------------------------------------------------------------------------------------- live events

    /**
     * Transitions that happened longer ago than this when they are first stored (the first sync of a mailbox with
     * months of mail, a back-fill) are history, not live events: they are not counted, so that they neither
     * distort rates nor fire breach alerts. The state and window figures include them as always.
     */
    public static final Duration LIVE_HORIZON = Duration.ofHours(24);

    /**
     * A first-response transition the store has just recorded for the first time, which happened at {@code at}
     * and was found by the tick at {@code now}. Attempts transitions are not counted.
     */
    public void transitionStored(Lead lead, String kind, SlaState state, Instant at, Instant now, boolean firstOfKind) {
        if (!"first_response".equals(kind) || at.isBefore(now.minus(LIVE_HORIZON))) {
            return;
        }
        Tags mt = Tags.of("mailbox", lead.mailboxId(), "team", lead.teamId());
        if (firstOfKind) {
            leadsDetected(mt).increment();
        }
        transitions(mt.and("state", state.label())).increment();
        if (state == SlaState.MET || state == SlaState.BREACHED) {
            String rep = repLabel(lead.firstResponse() == null ? null : lead.firstResponse().rep());
            Tags rt = mt.and("rep", rep);
            firstResponseOutcome(rt, state).increment();
            if (lead.firstResponse() != null) {
                firstResponseBusiness(rt).record(lead.firstResponse().businessSeconds());
            }
        }
    }

    private Counter firstResponseOutcome(Tags rt, SlaState outcome) {
        return Counter.builder("replyclock.sla.first.response").tags(rt).tag("outcome", outcome.label())
                .description("Leads whose first-response SLA ended, by outcome (met or breached)").register(registry);
    }

    private DistributionSummary firstResponseBusiness(Tags rt) {
        return DistributionSummary.builder("replyclock.first.response.business").baseUnit("seconds").tags(rt)
                .description("Business seconds to the first response, observed once per lead")
                .serviceLevelObjectives(firstResponseBuckets).register(registry);
    }

    private Counter leadsDetected(Tags mt) {
        return Counter.builder("replyclock.leads.detected").tags(mt)
                .description("Leads detected (first stored SLA state)").register(registry);
    }

    private Counter transitions(Tags tags) {
        return Counter.builder("replyclock.sla.transitions").tags(tags)
                .description("First-response SLA transitions, counted when first stored").register(registry);
    }

    // ------------------------------------------------------------------------------------------ service

    /** A stored batch of one folder: messages ingested and rejected (reason reduced to a fixed set). */
    public void batchStored(String mailboxId, String folder, int messages, List<RejectedMessage> rejected) {
        // a new folder (created on the server since start) gets its series here, at its first batch
        Counter ingested = ingested(mailboxId, folder);
        if (messages > 0) {
            ingested.increment(messages);
        }
        for (RejectedMessage r : rejected) {
            rejected(mailboxId, rejectReason(r.reason())).increment();
        }
    }

    private Counter ingested(String mailboxId, String folder) {
        return Counter.builder("replyclock.messages.ingested").tag("mailbox", mailboxId).tag("folder", folder)
                .description("Message copies read and stored").register(registry);
    }

    private Counter rejected(String mailboxId, String reason) {
        return Counter.builder("replyclock.messages.rejected").tag("mailbox", mailboxId).tag("reason", reason)
                .description("Messages that could not be read").register(registry);
    }

    private Timer pollDuration(String mailboxId) {
        return Timer.builder("replyclock.poll.duration").tag("mailbox", mailboxId)
                .description("Duration of one poll of one mailbox").register(registry);
    }

    /** The end of one poll of one mailbox. */
    public void pollFinished(String mailboxId, long millis, String errorOrNull, Instant endedAt) {
        pollDuration(mailboxId).record(millis, TimeUnit.MILLISECONDS);
        if (errorOrNull == null) {
            syncSucceeded(mailboxId, endedAt);
        } else {
            syncErrors(mailboxId, SyncErrors.kind(errorOrNull)).increment();
        }
    }

    /** Sets the last successful sync, e.g. from the store on start-up. */
    public void syncSucceeded(String mailboxId, Instant at) {
        AtomicLong holder = lastSuccess.get(mailboxId);
        if (holder != null && at != null) {
            holder.accumulateAndGet(at.toEpochMilli(), Math::max);
        }
    }

    private Counter syncErrors(String mailboxId, String kind) {
        return Counter.builder("replyclock.mailbox.sync.errors").tag("mailbox", mailboxId).tag("kind", kind)
                .description("Failed polls by kind").register(registry);
    }

    /** Every value {@link #rejectReason} gives. */
    static final List<String> REJECT_REASONS = List.of("unreadable", "unlistable", "unparsable", "not_mail", "other");

    static String rejectReason(String reason) {
        String r = reason == null ? "" : reason.toLowerCase(Locale.ROOT);
        if (r.startsWith("cannot read")) {
            return "unreadable";
        }
        if (r.startsWith("cannot list")) {
            return "unlistable";
        }
        if (r.startsWith("cannot parse")) {
            return "unparsable";
        }
        if (r.startsWith("no from")) {
            return "not_mail";
        }
        return "other";
    }

    @Override
    public void close() {
        gcMetrics.close();
        registry.close();
    }

    /** Kinds of sync errors, from the error message (the poll keeps only the message). */
    static final class SyncErrors {
        static final List<String> KINDS = List.of("auth", "connect", "timeout", "io", "store", "other");

        static String kind(String error) {
            String e = error.toLowerCase(Locale.ROOT);
            if (e.startsWith("store ")) {
                return "store"; // the store could not write (e.g. full); the path may contain any word below
            }
            if (e.contains("auth") || e.contains("login") || e.contains("credential") || e.contains("password")) {
                return "auth";
            }
            if (e.contains("timed out") || e.contains("timeout")) {
                return "timeout";
            }
            if (e.contains("connect") || e.contains("refused") || e.contains("unknown host") || e.contains("unreachable")) {
                return "connect";
            }
            if (e.contains("i/o") || e.contains("ioexception") || e.contains("no such file") || e.contains("not found")) {
                return "io";
            }
            return "other";
        }

        private SyncErrors() {
        }
    }
}
