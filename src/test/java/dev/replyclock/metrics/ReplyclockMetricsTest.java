package dev.replyclock.metrics;

import dev.replyclock.config.Config;
import dev.replyclock.config.ConfigLoader;
import dev.replyclock.domain.Lead;
import dev.replyclock.domain.Response;
import dev.replyclock.domain.SlaState;
import dev.replyclock.domain.Wait;
import dev.replyclock.figures.Figures;
import dev.replyclock.report.Counts;
import dev.replyclock.report.Results;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReplyclockMetricsTest {

    static final String CONFIG = """
            internal_domains: [acme.example]
            calendars:
              utc: {zone: UTC, hours: 24x7}
              tokyo: {zone: Asia/Tokyo, hours: 24x7}
            sla_policies:
              fast: {first_response: 15m, leads_per_rep_per_month: 40}
              slow: {first_response: 5h}
            teams:
              sales:
                members:
                  - {id: alice, addresses: [alice@acme.example]}
              marketing: {}
            mailboxes:
              - {id: sales-eu, address: sales@acme.example, team: sales, sla: fast, calendar: utc, source: {type: files, paths: [x]}}
              - {id: mkt-jp, address: mkt@acme.example, team: marketing, sla: slow, calendar: tokyo, source: {type: files, paths: [y]}}
            """;

    static Config config(Path dir) throws Exception {
        return ConfigLoader.load(Files.writeString(dir.resolve("config.yaml"), CONFIG));
    }

    static Results results(Config config, List<Lead> leads, List<Wait> waits) {
        return new Results() {
            public Config config() { return config; }
            public Counts counts() { return null; }
            public List<Lead> leads() { return leads; }
            public List<Wait> waits() { return waits; }
        };
    }

    static Lead lead(String id, String mailbox, String team, Instant start, long targetSeconds, Response response) {
        return new Lead(id + "@customer.example", "c-" + id, mailbox, team, "someone@customer.example", start,
                start.plusSeconds(targetSeconds), start.plusSeconds(targetSeconds - 60), response, 0, null, false);
    }

    @Test
    void repIsAMemberOrOtherAndBucketsIncludeEveryTarget(@TempDir Path dir) throws Exception {
        Config config = config(dir);
        Instant now = Instant.parse("2024-03-10T12:00:00Z");
        Instant start = now.minusSeconds(7200);
        Lead byAlice = lead("a", "sales-eu", "sales", start, 900, new Response("r1@acme.example", start.plusSeconds(600), "alice", 600, 600));
        Lead byOutsider = lead("b", "sales-eu", "sales", start, 900,
                new Response("r2@acme.example", start.plusSeconds(1200), "dave@acme.example", 1200, 1200));
        Lead unattributed = lead("c", "mkt-jp", "marketing", start, 18000,
                new Response("r3@acme.example", start.plusSeconds(60), Response.UNATTRIBUTED, 60, 60));
        try (ReplyclockMetrics metrics = new ReplyclockMetrics(config, "test")) {
            for (Lead l : List.of(byAlice, byOutsider, unattributed)) {
                metrics.transitionStored(l, "first_response", l.firstResponseState(now), now, now, true);
            }
            metrics.refresh(new Figures(results(config, List.of(byAlice, byOutsider, unattributed), List.of())), now);
            Samples s = Samples.parse(metrics.scrape("text/plain").body());

            Set<String> reps = s.all().stream().filter(x -> x.labels().containsKey("rep"))
                    .map(x -> x.labels().get("rep")).collect(Collectors.toCollection(TreeSet::new));
            assertEquals(Set.of("alice", "other"), reps, "member ids or other, never an address or 'unattributed'");
            assertEquals(1, s.get("replyclock_sla_first_response_total", "mailbox", "sales-eu", "team", "sales", "rep", "other", "outcome", "breached"));
            assertEquals(1, s.get("replyclock_sla_first_response_total", "mailbox", "mkt-jp", "team", "marketing", "rep", "other", "outcome", "met"));
            assertEquals(1, s.get("replyclock_rep_window_first_responses", "team", "sales", "rep", "other", "window", "1d"));
            assertEquals(1, s.get("replyclock_rep_window_first_responses", "team", "marketing", "rep", "other", "window", "1d"));

            Set<String> edges = s.named("replyclock_first_response_business_seconds_bucket").stream()
                    .map(x -> x.labels().get("le")).collect(Collectors.toSet());
            assertTrue(edges.containsAll(Set.of("900.0", "18000.0", "+Inf")), edges.toString());
            assertTrue(Arrays.stream(ReplyclockMetrics.firstResponseBuckets(config)).anyMatch(e -> e == 900.0));

            // Month to date: both teams counted; per rep only where the team has members; target from the policy.
            assertEquals(2, s.get("replyclock_leads_month_to_date", "team", "sales"));
            assertEquals(2.0, s.get("replyclock_leads_per_rep_month_to_date", "team", "sales"));
            assertEquals(1, s.get("replyclock_leads_month_to_date", "team", "marketing"));
            assertTrue(s.value("replyclock_leads_per_rep_month_to_date", "team", "marketing").isEmpty(), "no members: absent");
            assertEquals(40, s.get("replyclock_leads_per_rep_month_target", "team", "sales"));
            assertTrue(s.value("replyclock_leads_per_rep_month_target", "team", "marketing").isEmpty(), "no target: absent");
            ServiceLabels.assertNoAddress(s);
        }
    }

    @Test
    void noDataIsAbsentAndARefreshDropsFiguresThatLostTheirData(@TempDir Path dir) throws Exception {
        Config config = config(dir);
        Instant now = Instant.parse("2024-03-10T12:00:00Z");
        try (ReplyclockMetrics metrics = new ReplyclockMetrics(config, "test")) {
            Lead answered = lead("a", "sales-eu", "sales", now.minusSeconds(3600), 900,
                    new Response("r1@acme.example", now.minusSeconds(3000), "alice", 600, 600));
            metrics.refresh(new Figures(results(config, List.of(answered), List.of())), now);
            Samples s = Samples.parse(metrics.scrape(null).body());
            assertEquals(600, s.get("replyclock_window_first_response_business_seconds", "mailbox", "sales-eu", "team", "sales", "window", "1d", "quantile", "0.5"));
            assertEquals(1.0, s.get("replyclock_window_first_response_compliance_ratio", "mailbox", "sales-eu", "team", "sales", "window", "1d"));
            assertTrue(s.value("replyclock_window_first_response_compliance_ratio", "mailbox", "mkt-jp", "team", "marketing", "window", "1d").isEmpty());
            assertTrue(s.value("replyclock_oldest_open_lead_business_seconds", "mailbox", "sales-eu", "team", "sales").isEmpty(), "nothing open");
            assertEquals(0, s.get("replyclock_leads_open", "mailbox", "sales-eu", "team", "sales", "state", "pending"), "a count of 0 is data");

            // Two days later the lead left the 1d window: its figures disappear instead of turning 0.
            metrics.refresh(new Figures(results(config, List.of(answered), List.of())), now.plusSeconds(2 * 86400));
            s = Samples.parse(metrics.scrape(null).body());
            assertTrue(s.value("replyclock_window_first_response_compliance_ratio", "mailbox", "sales-eu", "team", "sales", "window", "1d").isEmpty());
            assertEquals(0, s.get("replyclock_window_leads", "mailbox", "sales-eu", "team", "sales", "window", "1d"));
            assertEquals(1.0, s.get("replyclock_window_first_response_compliance_ratio", "mailbox", "sales-eu", "team", "sales", "window", "7d"));
            assertTrue(s.all().stream().noneMatch(x -> Double.isNaN(x.value()) && x.name().startsWith("replyclock_window")));
        }
    }

    @Test
    void monthUsesTheLeadMailboxZone(@TempDir Path dir) throws Exception {
        Config config = config(dir);
        // 2024-03-31T16:00Z is already April 1st 01:00 in Tokyo: a lead at 15:30Z is March there, one at 15:00Z too.
        Instant now = Instant.parse("2024-03-31T16:00:00Z");
        Lead marchInTokyo = lead("m", "mkt-jp", "marketing", Instant.parse("2024-03-31T14:30:00Z"), 18000, null);
        Lead aprilInTokyo = lead("n", "mkt-jp", "marketing", Instant.parse("2024-03-31T15:30:00Z"), 18000, null);
        Lead marchUtc = lead("o", "sales-eu", "sales", Instant.parse("2024-03-31T14:30:00Z"), 900, null);
        try (ReplyclockMetrics metrics = new ReplyclockMetrics(config, "test")) {
            metrics.refresh(new Figures(results(config, List.of(marchInTokyo, aprilInTokyo, marchUtc), List.of())), now);
            Samples s = Samples.parse(metrics.scrape(null).body());
            assertEquals(1, s.get("replyclock_leads_month_to_date", "team", "marketing"), "only the April (Tokyo) lead");
            assertEquals(1, s.get("replyclock_leads_month_to_date", "team", "sales"));
            assertEquals(SlaState.BREACHED, marchUtc.firstResponseState(now));
        }
    }

    @Test
    void transitionsOlderThanTheLiveHorizonAreHistoryNotEvents(@TempDir Path dir) throws Exception {
        Config config = config(dir);
        Instant now = Instant.parse("2024-03-10T12:00:00Z");
        Lead old = lead("old", "sales-eu", "sales", now.minusSeconds(90 * 86400), 900, null);
        Lead recent = lead("new", "sales-eu", "sales", now.minusSeconds(3600), 900, null);
        try (ReplyclockMetrics metrics = new ReplyclockMetrics(config, "test")) {
            // A first sync of three months of mail: the old breach is stored now but happened long ago.
            metrics.transitionStored(old, "first_response", SlaState.BREACHED, old.deadline(), now, true);
            metrics.transitionStored(recent, "first_response", SlaState.BREACHED, recent.deadline(), now, true);
            Samples s = Samples.parse(metrics.scrape(null).body());
            String[] mt = {"mailbox", "sales-eu", "team", "sales"};
            assertEquals(1, s.get("replyclock_leads_detected_total", mt));
            assertEquals(1, s.get("replyclock_sla_transitions_total", "mailbox", "sales-eu", "team", "sales", "state", "breached"));
            assertEquals(1, s.get("replyclock_sla_first_response_total", "mailbox", "sales-eu", "team", "sales", "rep", "other", "outcome", "breached"));
        }
    }

    @Test
    void syncErrorsAreClassifiedAndPreRegistered(@TempDir Path dir) throws Exception {
        Config config = config(dir);
        try (ReplyclockMetrics metrics = new ReplyclockMetrics(config, "test")) {
            metrics.pollFinished("sales-eu", 12, "AUTHENTICATE failed", Instant.EPOCH);
            metrics.pollFinished("sales-eu", 12, "Connection refused", Instant.EPOCH);
            Samples s = Samples.parse(metrics.scrape(null).body());
            assertEquals(1, s.get("replyclock_mailbox_sync_errors_total", "mailbox", "sales-eu", "kind", "auth"));
            assertEquals(1, s.get("replyclock_mailbox_sync_errors_total", "mailbox", "sales-eu", "kind", "connect"));
            assertEquals(0, s.get("replyclock_mailbox_sync_errors_total", "mailbox", "mkt-jp", "kind", "auth"));
            assertTrue(s.named("replyclock_mailbox_last_sync_success_timestamp_seconds").stream().allMatch(x -> Double.isNaN(x.value())),
                    "never synced");
        }
    }
}
