package dev.replyclock.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.replyclock.alert.FakeSlack;
import dev.replyclock.app.ServiceProcess;
import dev.replyclock.config.Config;
import dev.replyclock.config.ConfigLoader;
import dev.replyclock.ingest.HeaderParser;
import dev.replyclock.ingest.MessageSink;
import dev.replyclock.ingest.files.FilesSource;
import dev.replyclock.faults.HamMail;
import dev.replyclock.faults.HamMail.Mail;
import dev.replyclock.it.pg.PostgresServer;
import dev.replyclock.report.Analysis;
import dev.replyclock.report.ReportJson;
import dev.replyclock.thread.MessageSet;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two {@code replyclock run} processes against one PostgreSQL and a real Dovecot, with SpamAssassin ham in two
 * mailboxes (INBOX and Leads2 of one Dovecot user): (a) both serve the same report, equal to {@code analyze} over the
 * same files; (b) SIGKILL of the instance running a poll, then new mail: the other stores every message once within
 * two poll intervals; (c) SIGKILL of the instance sending an alert (the fake Slack holds its request): every alert is
 * delivered once.
 */
class TwoInstancesTest {

    private static final Duration POLL = Duration.ofSeconds(10);
    private static final int HAM = 4_000;
    private static final int MORE = 120;
    private static final int LEADS = 8;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newHttpClient();
    private final Map<String, List<Mail>> delivered = new TreeMap<>();

    @Test
    void twoInstancesShareTheReportTakeOverPollsAndSendEachAlertOnce() throws Exception {
        PostgresServer.Database db = PostgresServer.shared().newDatabase();
        Path dir = DovecotServer.workDirectory("cluster");
        List<Mail> ham = HamMail.first(HAM + MORE + 20);
        try (DovecotServer dovecot = DovecotServer.in(dir.resolve("dovecot"));
             FakeSlack slack = new FakeSlack()) {
            for (String sub : List.of("cur", "new", "tmp")) {
                Files.createDirectories(dovecot.folder("Leads2").resolve(sub));
            }
            deliver(dovecot, ham.subList(0, HAM));
            dovecot.start();

            int portA = ServiceProcess.freePort();
            int portB = ServiceProcess.freePort();
            ServiceProcess a = start(dir, "a", portA, config(dovecot, db, slack, portA));
            ServiceProcess b = start(dir, "b", portB, config(dovecot, db, slack, portB));
            List<ServiceProcess> running = new ArrayList<>(List.of(a, b));
            try {
                // (a) Both serve the same report, equal to analyze over the same files.
                JsonNode expected = JSON.readTree(analyzeFiles(dir, dovecot, db, slack));
                assertTrue(expected.get("leads").size() > 20, "the ham makes leads: " + expected.get("leads").size());
                for (ServiceProcess instance : running) {
                    awaitTrue(() -> sameLeadsAndWaits(expected, report(instance)), Duration.ofSeconds(60),
                            () -> instance.base + " serves the report of analyze: " + instance.log());
                }
                assertEquals(report(a), report(b), "both instances serve the same report");
                assertEquals(HAM, countOf(db, "SELECT COUNT(*) FROM message"));
                // the state gauges come from one instance, which says so; both export their own poll metrics
                awaitTrue(() -> exporters(running) == 1, POLL.multipliedBy(2), () -> "one exporter: " + metrics(a)
                        + "\n----\n" + metrics(b));
                for (ServiceProcess instance : running) {
                    assertTrue(metrics(instance).contains("replyclock_poll_duration_seconds_count{"), "poll metrics on "
                            + instance.base);
                }

                // (b) SIGKILL of the instance running a poll, then new mail: the other stores every message once
                //     within two poll intervals.
                deliver(dovecot, ham.subList(HAM, HAM + MORE));
                ServiceProcess polling = awaitInstanceRunning(db, "poll", running, Duration.ofSeconds(30));
                polling.kill();
                running.remove(polling);
                ServiceProcess survivor = running.get(0);
                Instant written = Instant.now();
                deliver(dovecot, ham.subList(HAM + MORE, HAM + MORE + 20));
                long total = HAM + MORE + 20;
                awaitTrue(() -> countOf(db, "SELECT COUNT(*) FROM message") == total, POLL.multipliedBy(2),
                        () -> "every message stored within two poll intervals of the kill: "
                                + countOf(db, "SELECT COUNT(*) FROM message") + " of " + total + "\n" + survivor.log());
                System.out.printf("two instances: killed the polling one; all %d messages stored %d ms after the new mail%n",
                        total, Duration.between(written, Instant.now()).toMillis());
                assertEquals(total, countOf(db, "SELECT COALESCE(SUM(copies), 0) FROM folder_checkpoint"),
                        "no message fetched and stored twice");
                assertEquals(0, countOf(db, "SELECT COALESCE(SUM(duplicates), 0) FROM folder_checkpoint"));
                awaitTrue(() -> exporters(running) == 1, POLL.multipliedBy(2), () -> "the survivor exports the state "
                        + "gauges: " + metrics(survivor));

                // (c) A second instance again; SIGKILL of the one sending an alert while the others are pending:
                //     every alert is delivered once.
                int portC = ServiceProcess.freePort();
                ServiceProcess c = start(dir, "c", portC, config(dovecot, db, slack, portC));
                running.add(c);
                slack.answer(-1, null); // the first request hangs (FakeSlack.HANG): its sender is killed meanwhile
                Instant now = Instant.now();
                for (int n = 1; n <= LEADS; n++) {
                    lead(dovecot, n, now.minusSeconds(n));
                }
                // open leads now: only the exporter serves replyclock_leads_open
                awaitTrue(() -> running.stream().anyMatch(i -> isExporter(i) && metrics(i).contains("\nreplyclock_leads_open{")),
                        POLL.multipliedBy(2), () -> "the exporter serves the open leads: " + metrics(running.get(0)));
                for (ServiceProcess instance : running) {
                    assertEquals(isExporter(instance), metrics(instance).contains("\nreplyclock_leads_open{"),
                            instance.base + " serves the state figures exactly when it is the exporter");
                }
                slack.await(1, 60_000);
                ServiceProcess sending = awaitInstanceRunning(db, "alert-send", running, Duration.ofSeconds(5));
                sending.kill();
                running.remove(sending);
                ServiceProcess last = running.get(0);
                awaitTrue(() -> delivered(slack).size() >= 2 * LEADS && countOf(db,
                                "SELECT COUNT(*) FROM alert_outbox WHERE status = 'pending'") == 0,
                        Duration.ofSeconds(330), () -> "every alert delivered: " + delivered(slack) + "\n" + last.log());
                Map<String, Integer> times = new TreeMap<>();
                for (String body : delivered(slack)) {
                    for (int n = 1; n <= LEADS; n++) {
                        for (String event : List.of("At risk", "Breached")) {
                            if (body.contains(event + ": buyer" + n + "@buyer.example")) {
                                times.merge(event + " " + n, 1, Integer::sum);
                            }
                        }
                    }
                }
                assertEquals(2 * LEADS, times.size(), "an at-risk and a breached alert of every lead: " + times);
                assertTrue(times.values().stream().allMatch(t -> t == 1), "each alert delivered once: " + times);
                assertEquals(2 * LEADS, delivered(slack).size(), "nothing else delivered: " + delivered(slack));
            } finally {
                for (ServiceProcess instance : running) {
                    instance.close();
                }
            }
        }
    }

    private static ServiceProcess start(Path dir, String name, int port, String yaml) throws Exception {
        return ServiceProcess.start(Files.createDirectories(dir.resolve(name)), port, yaml);
    }

    /** Two IMAP mailboxes on one Dovecot user (INBOX, Leads2), the shared PostgreSQL, the fake Slack. */
    private static String config(DovecotServer dovecot, PostgresServer.Database db, FakeSlack slack, int port) {
        return configWith(dovecot.sourceYaml("folders: [INBOX], batch_size: 20"),
                dovecot.sourceYaml("folders: [Leads2], batch_size: 20"))
                + "store: {url: \"" + db.url() + "\", username: " + db.user() + ", password: " + db.password() + "}\n"
                + "http: {port: " + port + "}\n"
                + "poll_interval: " + POLL.toSeconds() + "s\n"
                + "alerts:\n  channels:\n    - {name: sales-slack, type: slack, webhook_url: \"" + slack.url()
                + "\", events: [at_risk, breached]}\n";
    }

    private static String configWith(String salesSource, String supportSource) {
        return """
                internal_domains: [spamassassin.taint.org]
                calendars:
                  utc: {zone: UTC, hours: 24x7}
                sla_policies:
                  corpus: {first_response: 240s, warn_before: 210s}
                teams:
                  corpus: {members: []}
                mailboxes:
                  - {id: sales, address: sales@acme.example, team: corpus, sla: corpus, calendar: utc,
                     source: SALES}
                  - {id: support, address: support@acme.example, team: corpus, sla: corpus, calendar: utc,
                     source: SUPPORT}
                """.replace("SALES", salesSource).replace("SUPPORT", supportSource);
    }

    /** {@code analyze} over the same messages as files, both mailboxes: its report as JSON. */
    private String analyzeFiles(Path dir, DovecotServer dovecot, PostgresServer.Database db, FakeSlack slack)
            throws IOException {
        Path inbox = HamMail.writeFiles(dir.resolve("files/inbox"), delivered.get("INBOX"));
        Path leads2 = HamMail.writeFiles(dir.resolve("files/leads2"), delivered.get("Leads2"));
        Path file = Files.writeString(dir.resolve("files.yaml"), configWith(
                "{type: files, paths: [" + inbox + "]}", "{type: files, paths: [" + leads2 + "]}"));
        Config config = ConfigLoader.load(file);
        MessageSet set = new MessageSet();
        HeaderParser parser = new HeaderParser(config.attributionHeader());
        new FilesSource("sales", List.of(inbox), parser).readAll(MessageSink.into(set));
        new FilesSource("support", List.of(leads2), parser).readAll(MessageSink.into(set));
        return ReportJson.toJson(Analysis.of(config, set), HamMail.NOW);
    }

    private static boolean sameLeadsAndWaits(JsonNode expected, String report) {
        try {
            JsonNode served = JSON.readTree(report);
            return expected.get("leads").equals(served.get("leads")) && expected.get("waits").equals(served.get("waits"));
        } catch (IOException e) {
            return false;
        }
    }

    private String report(ServiceProcess instance) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(instance.base + "/api/report?now="
                    + HamMail.NOW)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body() : "status " + r.statusCode();
        } catch (IOException e) {
            return e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e.toString();
        }
    }

    /** Even messages into INBOX, odd ones into Leads2. */
    private void deliver(DovecotServer dovecot, List<Mail> mail) throws IOException {
        for (int i = 0; i < mail.size(); i++) {
            String folder = i % 2 == 0 ? "INBOX" : "Leads2";
            Mail m = mail.get(i);
            dovecot.deliver(folder, m.name(), m.raw(), m.internalDate());
            delivered.computeIfAbsent(folder, k -> new ArrayList<>()).add(m);
        }
    }

    /**
     * A new lead from a buyer into INBOX, dated {@code at}: at risk 30 s later, breached 240 s later (after the killed
     * sender's claim on its row has lapsed, AlertSender.CLAIM_LEASE, so that both alerts go out).
     */
    private static void lead(DovecotServer dovecot, int n, Instant at) throws IOException {
        String raw = """
                Message-ID: <lead-%d@buyer.example>
                Date: %s
                From: Buyer %d <buyer%d@buyer.example>
                To: Sales <sales@acme.example>
                Subject: Quote %d

                (body)
                """.formatted(n, DateTimeFormatter.RFC_1123_DATE_TIME.format(at.atOffset(ZoneOffset.UTC)), n, n, n)
                .replace("\n", "\r\n");
        dovecot.deliver("INBOX", "lead-" + n, raw.getBytes(StandardCharsets.US_ASCII), at);
    }

    private String metrics(ServiceProcess instance) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(instance.base + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            return e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e.toString();
        }
    }

    /** How many of the instances say they export the state gauges. */
    private long exporters(List<ServiceProcess> instances) {
        return instances.stream().filter(this::isExporter).count();
    }

    private boolean isExporter(ServiceProcess instance) {
        return metrics(instance).contains("\nreplyclock_state_exporter 1");
    }

    private static List<String> delivered(FakeSlack slack) {
        try {
            return slack.await(0, 0).stream().filter(r -> r.status() == 200).map(FakeSlack.Request::body).toList();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    /**
     * The instance that Quartz's table shows running the named job (a mailbox's poll, or {@code alert-send}); its
     * instance id ends in {@code -PID-MILLIS} ({@code ProcessInstanceId}).
     */
    private static ServiceProcess awaitInstanceRunning(PostgresServer.Database db, String jobOrGroup,
                                                       List<ServiceProcess> instances, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<ServiceProcess> found = runningJob(db, jobOrGroup, instances);
            if (found.isPresent()) {
                return found.get();
            }
            Thread.sleep(5);
        }
        throw new AssertionError("no instance ran " + jobOrGroup + " within " + within);
    }

    private static Optional<ServiceProcess> runningJob(PostgresServer.Database db, String jobOrGroup,
                                                       List<ServiceProcess> instances) throws SQLException {
        try (Connection conn = db.connect(); Statement st = conn.createStatement();
             ResultSet rs = st.executeQuery("SELECT instance_name FROM qrtz_fired_triggers WHERE state = 'EXECUTING' "
                     + "AND (job_group = '" + jobOrGroup + "' OR job_name = '" + jobOrGroup + "')")) {
            while (rs.next()) {
                String[] parts = rs.getString(1).split("-");
                long pid = Long.parseLong(parts[parts.length - 2]);
                for (ServiceProcess instance : instances) {
                    if (instance.pid() == pid) {
                        return Optional.of(instance);
                    }
                }
            }
        }
        return Optional.empty();
    }

    private static long countOf(PostgresServer.Database db, String query) {
        try (Connection conn = db.connect(); Statement st = conn.createStatement(); ResultSet rs = st.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(query + ": " + e.getMessage(), e);
        }
    }

    private static void awaitTrue(BooleanSupplier condition, Duration within, java.util.function.Supplier<String> why)
            throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(why.get());
            }
            Thread.sleep(100);
        }
    }
}
