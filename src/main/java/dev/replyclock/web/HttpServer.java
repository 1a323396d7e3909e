package dev.replyclock.web;

import dev.replyclock.report.ReportJson;
import dev.replyclock.report.Results;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.compression.Gzip;
import io.javalin.http.Context;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** The HTTP side: every route is declared in {@link #start}, each pointing at a small handler method. */
public final class HttpServer implements AutoCloseable {

    /** Why the service is not ready yet (store closed, a mailbox never synced), or empty when it is. */
    public interface Readiness {
        Optional<String> notReadyReason();
    }

    /** The Prometheus scrape, kept behind this interface so that web does not depend on the metrics library. */
    public interface Scraper {
        /** Renders the metrics in the format the {@code Accept} header asks for. */
        Exposition scrape(String acceptHeader);
    }

    /** A rendered scrape: content type and body (UTF-8 bytes). */
    public record Exposition(String contentType, byte[] body) {
    }

    private final Results results;
    private final Readiness readiness;
    private final Clock clock;
    private final Scraper scraper;
    private final AuditRoutes audit;
    private Javalin app;
    private Javalin management;

    public HttpServer(Results results, Readiness readiness, Clock clock) {
        this(results, readiness, clock, null, null);
    }

    /**
     * @param scraper serves {@code GET /metrics}; null answers 404 there
     * @param audit   the managers' audit API and pages, when not null
     */
    public HttpServer(Results results, Readiness readiness, Clock clock, Scraper scraper, AuditRoutes audit) {
        this.results = results;
        this.readiness = readiness;
        this.clock = clock;
        this.scraper = scraper;
        this.audit = audit;
    }

    /** Starts listening; port 0 picks a free one (see {@link #port()}). */
    public HttpServer start(String host, int port) {
        app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.jetty.host = host;
            config.jetty.port = port;
            // gzip level 1: a 700 KB scrape compresses about as well for a fraction of level 6's CPU time.
            config.http.compressionStrategy = new CompressionStrategy(null, new Gzip(1));
            config.routes.get("/healthz", this::health);
            config.routes.get("/readyz", this::ready);
            config.routes.get("/api/report", this::report);
            config.routes.get("/metrics", this::metrics);
            if (audit != null) {
                audit.register(config.routes);
            }
            config.routes.exception(BadRequest.class, (e, ctx) -> ctx.status(400).contentType("text/plain").result(e.getMessage()));
        }).start();
        return this;
    }

    public int port() {
        return app.port();
    }

    /** Health, readiness and metrics also on their own port ({@code http.management_port}), never behind login. */
    public HttpServer startManagement(String host, int port) {
        management = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.jetty.host = host;
            config.jetty.port = port;
            config.routes.get("/healthz", this::health);
            config.routes.get("/readyz", this::ready);
            config.routes.get("/metrics", this::metrics);
        }).start();
        return this;
    }

    public int managementPort() {
        return management.port();
    }

    private void health(Context ctx) {
        ctx.contentType("text/plain").result("ok\n");
    }

    private void ready(Context ctx) {
        Optional<String> reason = readiness.notReadyReason();
        ctx.status(reason.isPresent() ? 503 : 200).contentType("text/plain").result(reason.map(r -> r + "\n").orElse("ready\n"));
    }

    /** {@code GET /api/report[?now=INSTANT]}: the SPEC section 12 report over all stored mail. */
    private void report(Context ctx) throws IOException {
        Instant now = instantParam(ctx, "now").orElseGet(clock::instant);
        ctx.contentType("application/json").result(ReportJson.toJson(results, now));
    }

    /** {@code GET /metrics}: Prometheus text 0.0.4, or OpenMetrics when {@code Accept} asks for it. */
    private void metrics(Context ctx) {
        if (scraper == null) {
            ctx.status(404).contentType("text/plain").result("metrics are not enabled\n");
            return;
        }
        Exposition exposition = scraper.scrape(ctx.header("Accept"));
        ctx.contentType(exposition.contentType()).result(exposition.body());
    }

    private static Optional<Instant> instantParam(Context ctx, String name) {
        String value = ctx.queryParam(name);
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(value));
        } catch (DateTimeParseException e) {
            throw new BadRequest(name + ": expected an ISO-8601 instant such as 2024-03-01T12:00:00Z, got '" + value + "'");
        }
    }

    @Override
    public void close() {
        if (app != null) {
            app.stop();
        }
        if (management != null) {
            management.stop();
        }
    }

    /** A request the client got wrong: answered 400 with the message. */
    static final class BadRequest extends RuntimeException {
        BadRequest(String message) {
            super(message);
        }
    }
}
