package dev.replyclock.web;

import dev.replyclock.report.ReportJson;
import dev.replyclock.report.Results;
import io.javalin.Javalin;
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

    private final Results results;
    private final Readiness readiness;
    private final Clock clock;
    private final AuditRoutes audit;
    private Javalin app;
    private Javalin management;

    public HttpServer(Results results, Readiness readiness, Clock clock) {
        this(results, readiness, clock, null);
    }

    /** With the managers' audit API and pages ({@link AuditRoutes}), when not null. */
    public HttpServer(Results results, Readiness readiness, Clock clock, AuditRoutes audit) {
        this.results = results;
        this.readiness = readiness;
        this.clock = clock;
        this.audit = audit;
    }

    /** Starts listening; port 0 picks a free one (see {@link #port()}). */
    public HttpServer start(String host, int port) {
        app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.jetty.host = host;
            config.jetty.port = port;
            config.routes.get("/healthz", this::health);
            config.routes.get("/readyz", this::ready);
            config.routes.get("/api/report", this::report);
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

    /** Health and readiness also on their own port ({@code http.management_port}), never behind login. */
    public HttpServer startManagement(String host, int port) {
        management = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.jetty.host = host;
            config.jetty.port = port;
            config.routes.get("/healthz", this::health);
            config.routes.get("/readyz", this::ready);
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
