package dev.replyclock.app;

import dev.replyclock.metrics.Samples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Right after a real restart of {@code replyclock run}, with nothing new to read, {@code /metrics} already has every
 * counter at 0 for each known label set (Prometheus instrumentation guidance), so that no series goes missing and
 * {@code increase()} sees the first event after the restart.
 */
class CountersAfterRestartTest {

    private static final String ALERTS = """
            alerts:
              channels:
                - {name: wall-log, type: log, events: [at_risk, breached, sync_failing]}
            """;

    @Test
    void everyKnownLabelSetIsAtZeroRightAfterStart(@TempDir Path dir) throws Exception {
        int port = ServiceProcess.freePort();
        String config = ServiceProcess.configYaml(dir, port, ALERTS);
        try (ServiceProcess first = ServiceProcess.start(dir, port, config)) {
            assertTrue(scrape(first).get("replyclock_messages_ingested_total", "mailbox", "sales-inbox", "folder", "(files)") >= 11,
                    "the first run read the example mailbox");
        }
        // Restarted on empty folders: every poll after the restart reads nothing new, so each counter stays at 0.
        Path examples = Path.of("examples").toAbsolutePath();
        String emptyFolders = "[" + Files.createDirectories(dir.resolve("empty/inbox")) + ", "
                + Files.createDirectories(dir.resolve("empty/sent")) + "]";
        String restartConfig = config.replace("[" + examples.resolve("mail/inbox") + ", " + examples.resolve("mail/sent") + "]", emptyFolders);
        assertNotEquals(config, restartConfig);
        try (ServiceProcess restarted = ServiceProcess.start(dir, port, restartConfig)) {
            Samples s = scrape(restarted);
            assertEquals(0, s.get("replyclock_messages_ingested_total", "mailbox", "sales-inbox", "folder", "(files)"));
            for (String reason : List.of("unreadable", "unlistable", "unparsable", "not_mail", "other")) {
                assertEquals(0, s.get("replyclock_messages_rejected_total", "mailbox", "sales-inbox", "reason", reason), reason);
            }
            for (String kind : List.of("auth", "connect", "timeout", "io", "store", "other")) {
                assertEquals(0, s.get("replyclock_mailbox_sync_errors_total", "mailbox", "sales-inbox", "kind", kind), kind);
            }
            assertEquals(0, s.get("replyclock_leads_detected_total", "mailbox", "sales-inbox", "team", "sales"));
            for (String state : List.of("pending", "at_risk", "breached", "met")) {
                assertEquals(0, s.get("replyclock_sla_transitions_total", "mailbox", "sales-inbox", "team", "sales", "state", state));
            }
            for (String rep : List.of("alice", "bob", "carol", "other")) {
                for (String outcome : List.of("met", "breached")) {
                    assertEquals(0, s.get("replyclock_sla_first_response_total", "mailbox", "sales-inbox", "team", "sales",
                            "rep", rep, "outcome", outcome), rep + " " + outcome);
                }
                assertEquals(0, s.get("replyclock_first_response_business_seconds_count", "mailbox", "sales-inbox", "team", "sales", "rep", rep));
                assertEquals(0, s.get("replyclock_first_response_business_seconds_bucket", "mailbox", "sales-inbox", "team", "sales",
                        "rep", rep, "le", "+Inf"));
            }
            for (String event : List.of("at_risk", "breached", "sync_failing")) {
                assertEquals(0, s.get("replyclock_alerts_sent_total", "channel", "wall-log", "event", event), event);
            }
            for (String reason : List.of("rate_limited", "server_error", "timeout", "connection", "rejected")) {
                assertEquals(0, s.get("replyclock_alerts_failed_total", "channel", "wall-log", "reason", reason), reason);
            }
            assertEquals(1, s.named("replyclock_poll_duration_seconds_count").size(), "the poll timer exists per mailbox");
        }
    }

    private static Samples scrape(ServiceProcess service) throws Exception {
        HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(service.base + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, metrics.statusCode());
        return Samples.parse(metrics.body());
    }
}
