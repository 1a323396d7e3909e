package dev.replyclock.app;

import dev.replyclock.MutableClock;
import dev.replyclock.config.Config;
import dev.replyclock.config.ConfigLoader;
import dev.replyclock.store.OutboxAlert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The open horizon (SPEC section 14) through the service's SLA tick: an unanswered lead leaves the open-lead,
 * open-wait and oldest-wait gauges at exactly start + open_for, its breach stays in the 30-day window figures, and
 * a lead that expires before its deadline is never alerted.
 */
class OpenHorizonTest {

    static final Instant START = Instant.parse("2024-11-01T10:00:00Z");

    @Test
    void anUnansweredLeadLeavesTheOpenGaugesAtStartPlusOpenForAndKeepsItsBreach(@TempDir Path dir) throws Exception {
        Config config = config(dir);
        MutableClock clock = new MutableClock(START.plusSeconds(5));
        Instant expiry = START.plus(Duration.ofDays(30));
        try (Service service = Service.open(config, clock)) {
            service.pollAll();
            for (int hour = 0; hour <= 40 * 24; hour += 6) { // 40 days of ticks, and the instants either side of expiry
                tickAt(service, clock, START.plus(Duration.ofHours(hour)).plusSeconds(5));
                assertOpen(service, true, clock.instant().isBefore(expiry));
            }
            tickAt(service, clock, expiry.minusSeconds(1));
            assertOpen(service, true, true);
            assertEquals(START.getEpochSecond(), value(scrape(service), "replyclock_oldest_open_lead_start_timestamp_seconds",
                    "sales-inbox"));
            tickAt(service, clock, expiry);
            assertOpen(service, true, false);
            String metrics = scrape(service);
            assertEquals(1.0, value(metrics, "replyclock_window_leads", "window=\"30d\"", "sales-inbox"),
                    "still in the 30d window [now - 30d, now)");
            assertEquals(0.0, value(metrics, "replyclock_window_first_response_compliance_ratio", "window=\"30d\"", "sales-inbox"),
                    "its breach still counts");
            assertTrue(Double.isNaN(value(metrics, "replyclock_oldest_open_lead_start_timestamp_seconds", "sales-inbox")),
                    "no oldest open lead: " + metrics);
            assertEquals("breached", service.results().leads().get(0).firstResponseState(clock.instant()).label());
        }
    }

    @Test
    void aLeadThatExpiresBeforeItsDeadlineIsNeverAlerted(@TempDir Path dir) throws Exception {
        Config config = config(dir);
        MutableClock clock = new MutableClock(START.plusSeconds(5));
        try (Service service = Service.open(config, clock)) {
            service.pollAll();
            for (int hour = 0; hour <= 5 * 24; hour += 6) {
                tickAt(service, clock, START.plus(Duration.ofHours(hour)).plusSeconds(5));
            }
            List<OutboxAlert> slow = service.store().alerts().stream()
                    .filter(a -> a.subjectId().equals("slow@buyer.example")).toList();
            assertEquals(List.of(), slow, "expired after 1d, breached after 2d: no alert");
            assertEquals("breached", service.store().latestState("slow@buyer.example", "first_response").orElseThrow().label(),
                    "the breach is recorded all the same");
            assertTrue(service.store().alerts().stream().anyMatch(a -> a.subjectId().equals("lead@buyer.example")
                    && a.event().equals("breached")), "the other lead, within its horizon, was alerted");
        }
    }

    private static void tickAt(Service service, MutableClock clock, Instant at) {
        clock.set(at);
        service.tick();
    }

    private static void assertOpen(Service service, boolean lead, boolean open) throws IOException {
        String metrics = scrape(service);
        double expected = open ? 1.0 : 0.0;
        assertEquals(expected, value(metrics, "replyclock_leads_open", "state=\"breached\"", "sales-inbox")
                + value(metrics, "replyclock_leads_open", "state=\"pending\"", "sales-inbox")
                + value(metrics, "replyclock_leads_open", "state=\"at_risk\"", "sales-inbox"), "open leads at " + lead);
        assertEquals(expected, value(metrics, "replyclock_waits_open", "sales-inbox"), "open waits");
    }

    private static String scrape(Service service) {
        return new String(service.metrics().scrape("text/plain").bytes(), StandardCharsets.UTF_8);
    }

    /** The sample of {@code name} whose labels contain every fragment; NaN when there is none. */
    private static double value(String metrics, String name, String... fragments) {
        for (String line : metrics.split("\n")) {
            if (line.startsWith(name + "{") && java.util.Arrays.stream(fragments).allMatch(line::contains)) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return Double.NaN;
    }

    private static Config config(Path dir) throws IOException {
        Files.createDirectories(dir.resolve("sales"));
        Files.createDirectories(dir.resolve("slow"));
        Files.writeString(dir.resolve("config.yaml"), """
                internal_domains: [acme.example]
                calendars: {utc: {zone: UTC, hours: 24x7}}
                sla_policies:
                  sales: {first_response: 4h, warn_before: 30m}
                  slow: {first_response: 2d, open_for: 1d}
                teams: {sales: {members: [{id: alice, addresses: [alice@acme.example]}]}}
                mailboxes:
                  - {id: sales-inbox, address: sales@acme.example, team: sales, sla: sales, calendar: utc,
                     source: {type: files, paths: [sales]}}
                  - {id: slow-inbox, address: slow@acme.example, team: sales, sla: slow, calendar: utc,
                     source: {type: files, paths: [slow]}}
                store: {path: STORE}
                alerts:
                  channels:
                    - {name: sales-slack, type: slack, webhook_url: "http://127.0.0.1:9/hook", events: [at_risk, breached]}
                """.replace("STORE", dir.resolve("replyclock.db").toString()));
        mail(dir.resolve("sales/1.eml"), "lead@buyer.example", "sales@acme.example");
        mail(dir.resolve("slow/1.eml"), "slow@buyer.example", "slow@acme.example");
        return ConfigLoader.load(dir.resolve("config.yaml"));
    }

    private static void mail(Path file, String id, String to) throws IOException {
        Files.writeString(file, "Message-ID: <" + id + ">\nDate: "
                + DateTimeFormatter.RFC_1123_DATE_TIME.format(START.atOffset(ZoneOffset.UTC)) + "\nFrom: <" + id
                + ">\nTo: <" + to + ">\nSubject: Hello\n\nbody\n");
    }
}
