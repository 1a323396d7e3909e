package dev.replyclock.alert;

import dev.replyclock.domain.Lead;
import dev.replyclock.store.OutboxAlert;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The outbox: exactly once per lead, event and channel, in order, across restarts, failures and quiet hours. */
class AlertOutboxTest {

    static final Instant MON_09 = Instant.parse("2024-12-09T09:00:00Z");
    static final String SLACK_ALL = """
              channels:
                - {name: sales-slack, type: slack, webhook_url: "SLACK", teams: [sales], events: [at_risk, breached]}
            """;

    @TempDir
    Path dir;
    FakeSlack slack;

    @BeforeEach
    void start() throws IOException {
        slack = new FakeSlack();
    }

    @AfterEach
    void stop() {
        slack.close();
    }

    private static Instant t(String s) {
        return Instant.parse(s);
    }

    @Test
    void oneAtRiskThenOneBreachedPerLeadAndNoDuplicateAfterARestartInTheMiddleOfSending() throws Exception {
        try (AlertFixture f = new AlertFixture(dir, SLACK_ALL, "24x7", MON_09, slack)) {
            f.synced(AlertFixture.MAILBOX);
            f.lead("a@x", AlertFixture.MAILBOX, "anna@customer.example", "Quote A", t("2024-12-09T09:01:00Z"));
            f.lead("b@x", AlertFixture.MAILBOX, "ben@customer.example", "Quote B", t("2024-12-09T09:02:00Z"));
            f.lead("c@x", "support-inbox", "cleo@customer.example", "Support C", t("2024-12-09T09:02:00Z"));
            assertEquals(0, f.at(t("2024-12-09T12:00:00Z")));
            // Both sales leads are at risk from 12:31 / 12:32; the support lead is not this channel's.
            f.clock.set(t("2024-12-09T12:33:00Z"));
            f.ticker.tick();
            assertEquals(1, f.alerts.sender().drain(1)); // stop after one: the process dies here
            f.restart();
            assertEquals(1, f.at(t("2024-12-09T12:34:00Z")));
            f.restart();
            assertEquals(0, f.at(t("2024-12-09T12:35:00Z")));
            assertEquals(2, f.at(t("2024-12-09T13:05:00Z"))); // breached
            f.restart();
            assertEquals(0, f.at(t("2024-12-09T14:00:00Z")));
            List<String> bodies = slack.delivered();
            assertEquals(4, bodies.size());
            assertTrue(bodies.get(0).contains("At risk: anna@customer.example"), bodies.get(0));
            assertTrue(bodies.get(1).contains("At risk: ben@customer.example"), bodies.get(1));
            assertTrue(bodies.get(2).contains("Breached: anna@customer.example"), bodies.get(2));
            assertTrue(bodies.get(3).contains("Breached: ben@customer.example"), bodies.get(3));
            assertEquals(List.of("a@x at_risk sales-slack sent", "b@x at_risk sales-slack sent",
                    "a@x breached sales-slack sent", "b@x breached sales-slack sent"), f.statuses());
            assertEquals(0, f.store.pendingAlertCount());
            assertEquals(0L, f.listener.pending);
        }
    }

    @Test
    void webhookDownForAWhileThenBackDeliversEverythingOnceInOrder() throws Exception {
        try (AlertFixture f = new AlertFixture(dir, SLACK_ALL, "24x7", MON_09, slack)) {
            f.synced(AlertFixture.MAILBOX);
            for (int i = 0; i < 5; i++) {
                f.lead("l" + i + "@x", AlertFixture.MAILBOX, "p" + i + "@customer.example", "S" + i,
                        t("2024-12-09T09:00:00Z").plusSeconds(60L * i));
            }
            slack.down(true);
            Instant now = t("2024-12-09T12:30:00Z");
            int sent = 0;
            for (int step = 0; step < 120; step++) { // an hour, a tick/drain every 30 s
                now = now.plusSeconds(30);
                if (step == 40) {
                    slack.down(false);
                }
                sent += f.at(now);
            }
            // Down from 12:30 to 12:50, back with the back-off reached (at most 5 min): all, once, in order.
            List<String> delivered = slack.delivered();
            assertEquals(sent, delivered.size());
            assertEquals(List.of("At risk: p0", "At risk: p1", "At risk: p2", "At risk: p3", "At risk: p4",
                            "Breached: p0", "Breached: p1", "Breached: p2", "Breached: p3", "Breached: p4"),
                    delivered.stream().map(b -> b.replaceAll("(?s).*?\"text\":\"([\\w ]+: p\\d).*", "$1")).toList());
            assertTrue(slack.requests().size() > delivered.size(), "the webhook was tried while down");
            assertTrue(f.listener.failed.get("sales-slack/server_error") > 0);
            assertEquals(0, f.store.pendingAlertCount());
            // Back-off: at most ~one request per alert and back-off step, never a request per tick per alert.
            assertTrue(slack.requests().size() < 40, "requests: " + slack.requests().size());
        }
    }

    @Test
    void webhookDownShortlyKeepsTheOrderOfAtRiskAlerts() throws Exception {
        try (AlertFixture f = new AlertFixture(dir, SLACK_ALL, "24x7", MON_09, slack)) {
            f.synced(AlertFixture.MAILBOX);
            for (int i = 0; i < 3; i++) {
                f.lead("l" + i + "@x", AlertFixture.MAILBOX, "p" + i + "@customer.example", "S" + i,
                        t("2024-12-09T09:00:00Z").plusSeconds(10L * i));
            }
            slack.answer(500, null);
            slack.answer(500, null);
            Instant now = t("2024-12-09T12:30:30Z");
            for (int s = 0; s < 20; s++) {
                f.at(now.plusSeconds(s));
            }
            assertEquals(List.of("At risk: p0", "At risk: p1", "At risk: p2"),
                    slack.delivered().stream().map(b -> b.replaceAll("(?s).*?\"text\":\"([\\w ]+: p\\d).*", "$1")).toList());
            assertEquals(5, slack.requests().size());
        }
    }

    @Test
    void rateLimitHonoursRetryAfter() throws Exception {
        try (AlertFixture f = new AlertFixture(dir, SLACK_ALL, "24x7", MON_09, slack)) {
            f.synced(AlertFixture.MAILBOX);
            f.lead("a@x", AlertFixture.MAILBOX, "anna@customer.example", "Quote A", t("2024-12-09T09:00:00Z"));
            slack.answer(429, "7");
            assertEquals(0, f.at(t("2024-12-09T12:30:00Z")));
            assertEquals(1, slack.requests().size());
            assertEquals(0, f.at(t("2024-12-09T12:30:06Z")));
            assertEquals(1, slack.requests().size(), "asked again before Retry-After");
            assertEquals(1, f.at(t("2024-12-09T12:30:07Z")));
            assertEquals(2, slack.requests().size());
            assertEquals(1, f.listener.failed.get("sales-slack/rate_limited"));
        }
    }

    @Test
    void aHangingWebhookTimesOutAndIsRetried() throws Exception {
        try (AlertFixture f = new AlertFixture(dir, SLACK_ALL, "24x7", MON_09, slack)) {
            f.synced(AlertFixture.MAILBOX);
            f.lead("a@x", AlertFixture.MAILBOX, "anna@customer.example", "Quote A", t("2024-12-09T09:00:00Z"));
            slack.answer(FakeSlack.HANG, null);
            assertEquals(0, f.at(t("2024-12-09T12:30:00Z")));
            assertEquals(1, f.listener.failed.get("sales-slack/timeout"));
            OutboxAlert row = f.store.pendingAlerts(10).get(0);
            assertEquals("timeout", row.lastError());
            assertEquals(1, f.at(t("2024-12-09T12:30:01Z")));
        }
    }

    @Test
    void aClientErrorFailsThatMessageOnlyAndLeaksNoSecret() throws Exception {
        try (AlertFixture f = new AlertFixture(dir, SLACK_ALL, "24x7", MON_09, slack)) {
            f.synced(AlertFixture.MAILBOX);
            f.lead("a@x", AlertFixture.MAILBOX, "anna@customer.example", "Quote A", t("2024-12-09T09:00:00Z"));
            f.lead("b@x", AlertFixture.MAILBOX, "ben@customer.example", "Quote B", t("2024-12-09T09:00:00Z"));
            slack.answer(404, null);
            assertEquals(1, f.at(t("2024-12-09T12:30:00Z")));
            assertEquals(List.of("a@x at_risk sales-slack failed", "b@x at_risk sales-slack sent"), f.statuses());
            assertEquals(1, f.listener.failed.get("sales-slack/rejected"));
            for (OutboxAlert a : f.store.alerts()) {
                assertFalse(String.valueOf(a.lastError()).contains("s3cret"), a.lastError());
            }
        }
    }

    @Test
    void aLeadAnsweredBeforeItsAtRiskAlertWentOutGetsNone() throws Exception {
        try (AlertFixture f = new AlertFixture(dir, SLACK_ALL, "24x7", MON_09, slack)) {
            f.synced(AlertFixture.MAILBOX);
            Lead a = f.lead("a@x", AlertFixture.MAILBOX, "anna@customer.example", "Quote A", t("2024-12-09T09:00:00Z"));
            slack.down(true);
            f.at(t("2024-12-09T12:30:00Z")); // enqueued, not delivered
            f.answer(a, t("2024-12-09T12:31:00Z"), "alice");
            slack.down(false);
            f.at(t("2024-12-09T12:35:00Z"));
            f.at(t("2024-12-09T14:00:00Z"));
            assertEquals(List.of(), slack.delivered());
            assertEquals(List.of("a@x at_risk sales-slack cancelled"), f.statuses());
        }
    }

    /**
     * An at_risk alert still unsent when the lead breaches is dropped where the breached alert goes too, but sent
     * where it does not (found by AlertLatencyBenchmark: a tick just before the deadline, a channel of at_risk only).
     */
    @Test
    void anAtRiskAlertOvertakenByTheBreachIsCancelledOnlyWhereTheBreachedAlertGoes() throws Exception {
        String twoChannels = """
                  channels:
                    - {name: sales-slack, type: slack, webhook_url: "SLACK", teams: [sales], events: [at_risk, breached]}
                    - {name: risk-only, type: slack, webhook_url: "SLACK", teams: [sales], events: [at_risk]}
                """;
        try (AlertFixture f = new AlertFixture(dir, twoChannels, "24x7", MON_09, slack)) {
            f.synced(AlertFixture.MAILBOX);
            f.lead("a@x", AlertFixture.MAILBOX, "anna@customer.example", "Quote A", t("2024-12-09T09:00:00Z"));
            slack.down(true);
            f.at(t("2024-12-09T12:30:00Z")); // both at_risk alerts enqueued, not delivered
            slack.down(false);
            f.at(t("2024-12-09T13:00:01Z")); // breached before they went out
            assertEquals(List.of("a@x at_risk sales-slack cancelled", "a@x at_risk risk-only sent",
                    "a@x breached sales-slack sent"), f.statuses());
        }
    }

    @Test
    void backFillIsRecordedButNotSent() throws Exception {
        try (AlertFixture f = new AlertFixture(dir, SLACK_ALL, "24x7", t("2024-12-09T16:00:00Z"), slack)) {
            // Mail of the morning read at the first sync at 16:00: at risk and breached before it.
            f.lead("old@x", AlertFixture.MAILBOX, "old@customer.example", "Old", t("2024-12-09T09:00:00Z"));
            f.synced(AlertFixture.MAILBOX);
            assertEquals(0, f.at(t("2024-12-09T16:00:01Z")));
            assertEquals("breached", f.store.latestState("old@x", "first_response").orElseThrow().label());
            assertEquals(List.of(), f.statuses());
            // A mailbox never synced: nothing is sent either.
            f.lead("s@x", "support-inbox", "s@customer.example", "S", t("2024-12-09T09:00:00Z"));
            // Beyond the horizon (1d): a lead whose deadline passed two days ago, seen now after a long outage.
            f.lead("gap@x", AlertFixture.MAILBOX, "gap@customer.example", "Gap", t("2024-12-09T17:00:00Z"));
            assertEquals(0, f.at(t("2024-12-12T09:00:00Z")));
            assertEquals(List.of(), f.statuses());
            // A fresh lead after the first sync is alerted.
            f.lead("new@x", AlertFixture.MAILBOX, "new@customer.example", "New", t("2024-12-12T09:00:00Z"));
            assertEquals(1, f.at(t("2024-12-12T12:30:00Z")));
            assertEquals(List.of("new@x at_risk sales-slack sent"), f.statuses());
        }
    }

    @Test
    void quietHoursHoldAlertsUntilTheNextOpeningAndBreachedMayBypassThem() throws Exception {
        String yaml = """
                  channels:
                    - {name: night-owls, type: slack, webhook_url: "SLACK", events: [at_risk, breached], quiet_hours: hold_except_breached}
                    - {name: sleepers, type: slack, webhook_url: "SLACK", events: [at_risk, breached], quiet_hours: hold}
                """;
        // Mon-Fri 09:00-17:00 UTC. A lead at Fri 13:00 is due at 17:00 sharp, when the office closes.
        Instant fri = t("2024-12-13T12:00:00Z");
        try (AlertFixture f = new AlertFixture(dir, yaml, "{mon-fri: [\"09:00-17:00\"]}", fri, slack)) {
            f.synced(AlertFixture.MAILBOX);
            f.lead("a@x", AlertFixture.MAILBOX, "anna@customer.example", "Quote A", t("2024-12-13T13:00:00Z"));
            assertEquals(2, f.at(t("2024-12-13T16:30:00Z"))); // at risk in open hours: both channels
            assertEquals(1, f.at(t("2024-12-13T17:00:00Z"))); // breached at closing: only night-owls
            assertEquals(0, f.at(t("2024-12-14T10:00:00Z")));
            assertEquals(0, f.at(t("2024-12-16T08:59:59Z")));
            assertEquals(List.of("a@x at_risk night-owls sent", "a@x at_risk sleepers sent",
                    "a@x breached night-owls sent", "a@x breached sleepers pending"), f.statuses());
            assertEquals(t("2024-12-16T09:00:00Z"), f.store.pendingAlerts(10).get(0).nextAttemptAt());
            assertEquals(1, f.at(t("2024-12-16T09:00:00Z")));
            assertEquals(4, slack.delivered().size());
        }
    }

    @Test
    void attemptsBreachedAndSyncFailingAreAlertedOnce() throws Exception {
        String yaml = """
                  channels:
                    - {name: ops, type: slack, webhook_url: "SLACK", events: [attempts_breached, sync_failing]}
                """;
        try (AlertFixture f = new AlertFixture(dir, yaml, "24x7", MON_09, slack)) {
            f.synced(AlertFixture.MAILBOX);
            f.lead("a@x", AlertFixture.MAILBOX, "anna@customer.example", "Quote A", t("2024-12-09T09:00:00Z"));
            assertEquals(0, f.at(t("2024-12-09T14:00:00Z"))); // breached first response: not this channel's
            assertEquals(1, f.at(t("2024-12-11T09:00:00Z"))); // attempts window (2d) over
            assertTrue(slack.delivered().get(0).contains("Attempts missed: anna@customer.example"));
            // The mailbox last synced at 09:00 and fails from then on.
            f.synced(AlertFixture.MAILBOX);
            f.store.recordSync(AlertFixture.MAILBOX, t("2024-12-11T09:01:00Z"), "connection refused");
            assertEquals(0, f.alerts.syncFailed(AlertFixture.MAILBOX, Duration.ofMinutes(5)));
            f.clock.set(t("2024-12-11T09:06:00Z"));
            f.store.recordSync(AlertFixture.MAILBOX, f.clock.instant(), "connection refused");
            assertEquals(1, f.alerts.syncFailed(AlertFixture.MAILBOX, Duration.ofMinutes(5)));
            f.clock.set(t("2024-12-11T09:07:00Z"));
            assertEquals(0, f.alerts.syncFailed(AlertFixture.MAILBOX, Duration.ofMinutes(5)));
            assertEquals(1, f.alerts.send());
            String body = slack.delivered().get(1);
            assertTrue(body.contains("Sync failing: mailbox sales-inbox"), body);
            assertTrue(body.contains("connection refused"), body);
            // Synced again, then failing again: a new episode, a new alert.
            f.clock.set(t("2024-12-11T10:00:00Z"));
            f.synced(AlertFixture.MAILBOX);
            f.clock.set(t("2024-12-11T10:10:00Z"));
            assertEquals(1, f.alerts.syncFailed(AlertFixture.MAILBOX, Duration.ofMinutes(5)));
        }
    }
}
