package dev.replyclock.app;

import dev.replyclock.SharedFiles;
import dev.replyclock.config.Config;
import dev.replyclock.config.ConfigLoader;
import dev.replyclock.metrics.Samples;
import dev.replyclock.web.HttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The metrics as the service wires them: scenario 13 (every SLA state) polled, ticked, scraped, restarted. */
class ServiceMetricsTest {

    private static final Path SCENARIO = SharedFiles.scenarios().resolve("13-sla-states");
    private static final String[] MT = {"mailbox", "sales-inbox", "team", "sales"};

    /** Copies the scenario to {@code dir} with its store there; returns the loaded config. */
    static Config scenarioConfig(Path scenario, Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(scenario)) {
            for (Path p : files.toList()) {
                Path target = dir.resolve(scenario.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
        Path config = dir.resolve("config.yaml");
        Files.writeString(config, Files.readString(config) + "\nstore: {path: " + dir.resolve("replyclock.db") + "}\n");
        return ConfigLoader.load(config);
    }

    static Instant scenarioNow(Path scenario) throws IOException {
        return Instant.parse(Files.readString(scenario.resolve("now")).strip());
    }

    private static String[] with(String[] base, String... more) {
        return Stream.concat(Stream.of(base), Stream.of(more)).toArray(String[]::new);
    }

    @Test
    void stateWindowsAndLiveEventsAreExactAndARestartCountsNothingAgain(@TempDir Path dir) throws Exception {
        Config config = scenarioConfig(SCENARIO, dir);
        Clock clock = Clock.fixed(scenarioNow(SCENARIO), ZoneOffset.UTC);
        try (Service service = Service.open(config, clock)) {
            service.pollAll().forEach(o -> assertFalse(o.failed(), o.error()));
            Samples s = Samples.parse(service.metrics().scrape(null).body());

            // Open leads by state; oldest is lead N (Tue 15:00 CET): Tue 15-17 + Wed 9-12, 13-15:45 = 7h45.
            assertEquals(1, s.get("replyclock_leads_open", with(MT, "state", "pending")));
            assertEquals(1, s.get("replyclock_leads_open", with(MT, "state", "at_risk")));
            assertEquals(1, s.get("replyclock_leads_open", with(MT, "state", "breached")));
            assertEquals(3, s.named("replyclock_leads_open").size());
            assertEquals(27900, s.get("replyclock_oldest_open_lead_business_seconds", MT));
            assertEquals(Instant.parse("2024-02-27T14:00:00Z").getEpochSecond(), s.get("replyclock_oldest_open_lead_start_timestamp_seconds", MT));
            assertEquals(3, s.get("replyclock_waits_open", MT));

            // 1d = [Tue 14:45Z, now): leads R and P, neither answered nor decided → counts present, figures absent.
            assertEquals(2, s.get("replyclock_window_leads", with(MT, "window", "1d")));
            assertTrue(s.value("replyclock_window_first_response_business_seconds", with(MT, "window", "1d", "quantile", "0.5")).isEmpty());
            assertTrue(s.value("replyclock_window_first_response_compliance_ratio", with(MT, "window", "1d")).isEmpty(), "no data is absent, never 0");
            assertTrue(s.value("replyclock_window_reply_business_seconds", with(MT, "window", "1d", "quantile", "0.5")).isEmpty());
            // 7d: all six; answered 14400, 14400, 15600 → nearest rank p50 14400, p90 15600; met 1 of 4 decided.
            assertEquals(6, s.get("replyclock_window_leads", with(MT, "window", "7d")));
            assertEquals(14400, s.get("replyclock_window_first_response_business_seconds", with(MT, "window", "7d", "quantile", "0.5")));
            assertEquals(15600, s.get("replyclock_window_first_response_business_seconds", with(MT, "window", "7d", "quantile", "0.9")));
            assertEquals(0.25, s.get("replyclock_window_first_response_compliance_ratio", with(MT, "window", "7d")));
            assertEquals(14400, s.get("replyclock_window_reply_business_seconds", with(MT, "window", "7d", "quantile", "0.5")));
            assertTrue(s.value("replyclock_window_attempts_compliance_ratio", with(MT, "window", "7d")).isEmpty(), "all attempts pending");

            // Per rep, 7d: alice 14400 breached (0.0 is data), bob 15600 breached, carol 14400 met; no 'other' row.
            assertEquals(1, s.get("replyclock_rep_window_first_responses", "team", "sales", "rep", "alice", "window", "7d"));
            assertEquals(0.0, s.get("replyclock_rep_window_first_response_compliance_ratio", "team", "sales", "rep", "alice", "window", "7d"));
            assertEquals(1.0, s.get("replyclock_rep_window_first_response_compliance_ratio", "team", "sales", "rep", "carol", "window", "7d"));
            assertEquals(15600, s.get("replyclock_rep_window_first_response_business_seconds", "team", "sales", "rep", "bob", "window", "7d", "quantile", "0.5"));
            assertEquals(0, s.get("replyclock_rep_window_first_responses", "team", "sales", "rep", "alice", "window", "1d"));
            assertTrue(s.value("replyclock_rep_window_first_response_compliance_ratio", "team", "sales", "rep", "alice", "window", "1d").isEmpty());
            assertTrue(s.all().stream().noneMatch(x -> "other".equals(x.labels().get("rep")) && x.name().startsWith("replyclock_rep_")));

            // Month to date (Berlin February): 6 leads, 3 members, target 100.
            assertEquals(6, s.get("replyclock_leads_month_to_date", "team", "sales"));
            assertEquals(2.0, s.get("replyclock_leads_per_rep_month_to_date", "team", "sales"));
            assertEquals(100, s.get("replyclock_leads_per_rep_month_target", "team", "sales"));

            // Live events of the first tick: one stored transition per lead, but those that happened more than
            // 24 h before it (X breached Mon 16:20Z, B breached Tue 14:20Z) are history, not events.
            assertEquals(4, s.get("replyclock_leads_detected_total", MT), "M, N, R, P");
            assertEquals(1, s.get("replyclock_sla_transitions_total", with(MT, "state", "breached")), "N at its deadline");
            assertEquals(1, s.get("replyclock_sla_transitions_total", with(MT, "state", "met")));
            assertEquals(1, s.get("replyclock_sla_transitions_total", with(MT, "state", "at_risk")));
            assertEquals(1, s.get("replyclock_sla_transitions_total", with(MT, "state", "pending")));
            assertEquals(1, s.get("replyclock_sla_first_response_total", with(MT, "rep", "carol", "outcome", "met")));
            assertEquals(0, s.get("replyclock_sla_first_response_total", with(MT, "rep", "alice", "outcome", "breached")),
                    "a member's counters exist at 0 before their first event");
            assertEquals(1, s.get("replyclock_sla_first_response_total", with(MT, "rep", "other", "outcome", "breached")), "unanswered breach");
            assertEquals(1, s.get("replyclock_first_response_business_seconds_count", with(MT, "rep", "carol")));
            assertEquals(1, s.get("replyclock_first_response_business_seconds_bucket", with(MT, "rep", "carol", "le", "14400.0")),
                    "the 4h target is a bucket edge (carol answered in exactly 4h)");
            assertEquals(0, s.get("replyclock_first_response_business_seconds_bucket", with(MT, "rep", "carol", "le", "7200.0")));

            // The service itself.
            assertEquals(9, s.get("replyclock_messages_ingested_total", "mailbox", "sales-inbox", "folder", "(files)"));
            assertEquals(clock.instant().getEpochSecond(), s.get("replyclock_mailbox_last_sync_success_timestamp_seconds", "mailbox", "sales-inbox"));
            assertEquals(0, s.get("replyclock_mailbox_sync_errors_total", "mailbox", "sales-inbox", "kind", "other"));
            assertEquals(1, s.get("replyclock_poll_duration_seconds_count", "mailbox", "sales-inbox"));
            assertEquals(1, s.get("replyclock_build_info", "version", Service.version()));
            assertEquals(0.9, s.get("replyclock_first_response_compliance_target_ratio", MT), "compliance_target_percent defaults to 90");
            assertEquals(1, s.get("replyclock_public_url_info", "url", "http://localhost:9465"), "no public_url: the local default");
            assertFalse(s.named("jvm_memory_used_bytes").isEmpty());
            assertFalse(s.named("process_uptime_seconds").isEmpty());
            assertPrivacy(s);
        }

        // Restart: the same store, restored, polled and ticked again → no live event counted again.
        try (Service service = Service.open(config, clock)) {
            Samples before = Samples.parse(service.metrics().scrape(null).body());
            assertEquals(6, before.get("replyclock_window_leads", with(MT, "window", "7d")), "state figures are back right after restore");
            assertEquals(Instant.parse("2024-02-28T14:45:00Z").getEpochSecond(),
                    before.get("replyclock_mailbox_last_sync_success_timestamp_seconds", "mailbox", "sales-inbox"), "from the store");
            service.pollAll();
            service.tick();
            Samples s = Samples.parse(service.metrics().scrape(null).body());
            assertEquals(0, s.get("replyclock_leads_detected_total", MT));
            assertTrue(s.named("replyclock_sla_transitions_total").stream().allMatch(x -> x.value() == 0), s.named("replyclock_sla_transitions_total").toString());
            assertTrue(s.named("replyclock_sla_first_response_total").stream().allMatch(x -> x.value() == 0));
            assertTrue(s.named("replyclock_first_response_business_seconds_count").stream().allMatch(x -> x.value() == 0));
            assertEquals(8, s.named("replyclock_sla_first_response_total").size(), "alice, bob, carol, other × met, breached");
            assertEquals(1, s.get("replyclock_leads_open", with(MT, "state", "pending")));
        }
    }

    /** No customer address, subject or message id ever appears in a label. */
    static void assertPrivacy(Samples s) {
        for (Samples.Sample x : s.all()) {
            for (String v : x.labels().values()) {
                assertFalse(v.contains("@"), "address-like label value in " + x);
            }
        }
    }

    @Test
    void metricsRouteNegotiatesTextAndOpenMetrics(@TempDir Path dir) throws Exception {
        Config config = scenarioConfig(SCENARIO, dir);
        Clock clock = Clock.fixed(scenarioNow(SCENARIO), ZoneOffset.UTC);
        try (Service service = Service.open(config, clock);
             HttpServer http = new HttpServer(service.results(), Optional::empty, clock, service.scraper(), null).start("127.0.0.1", 0)) {
            service.pollAll();
            HttpClient client = HttpClient.newHttpClient();
            URI uri = URI.create("http://127.0.0.1:" + http.port() + "/metrics");
            HttpResponse<String> text = client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, text.statusCode());
            assertEquals("text/plain; version=0.0.4; charset=utf-8", text.headers().firstValue("Content-Type").orElseThrow());
            assertFalse(text.body().contains("# EOF"));
            assertTrue(text.body().contains("replyclock_leads_open{mailbox=\"sales-inbox\",state=\"pending\",team=\"sales\"} 1"), text.body());

            HttpResponse<String> om = client.send(HttpRequest.newBuilder(uri)
                    .header("Accept", "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, om.statusCode());
            assertTrue(om.headers().firstValue("Content-Type").orElseThrow().startsWith("application/openmetrics-text"));
            assertTrue(om.body().strip().endsWith("# EOF"));
            assertTrue(om.body().contains("# TYPE replyclock_leads_detected counter"), om.body());
            Map<String, Double> sorted = new TreeMap<>();
            Samples.parse(om.body().replace("# EOF", "")).all().forEach(x -> sorted.put(x.name(), x.value()));
            assertTrue(sorted.containsKey("replyclock_leads_detected_total"));
        }
    }
}
