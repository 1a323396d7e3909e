package dev.replyclock.alert;

import dev.replyclock.it.pg.PostgresServer;
import dev.replyclock.store.OutboxAlert;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two instances (two {@link AlertFixture}s: own store connection, ticker and sender each) on one real PostgreSQL and
 * one fake Slack webhook: every alert is delivered once, also when both drain at the same moment and when one of
 * them died holding a claim.
 */
class TwoSendersOnePostgresTest {

    static final String SLACK_ALL = """
              channels:
                - {name: sales-slack, type: slack, webhook_url: "SLACK", teams: [sales], events: [at_risk, breached]}
            """;
    static final Instant MON_09 = Instant.parse("2024-12-09T09:00:00Z");

    @TempDir
    Path dir;
    FakeSlack slack;
    String storeYaml;

    @BeforeEach
    void start() throws IOException {
        slack = new FakeSlack();
        PostgresServer.Database db = PostgresServer.shared().newDatabase();
        storeYaml = "store: {url: \"" + db.url() + "\", username: " + db.user() + ", password: " + db.password() + "}";
    }

    @AfterEach
    void stop() {
        slack.close();
    }

    private AlertFixture instance(String name) throws IOException {
        return new AlertFixture(Files.createDirectories(dir.resolve(name)), SLACK_ALL, "24x7", MON_09, slack, storeYaml);
    }

    @Test
    void bothDrainingAtOnceDeliverEveryAlertOnce() throws Exception {
        int leads = 30;
        try (AlertFixture one = instance("one"); AlertFixture two = instance("two")) {
            one.synced(AlertFixture.MAILBOX);
            for (int i = 0; i < leads; i++) {
                one.lead("lead-" + i + "@x", AlertFixture.MAILBOX, "party" + i + "@customer.example", "Quote " + i,
                        MON_09.plusSeconds(60 + i));
            }
            two.results.leads.addAll(one.results.leads); // both analyses see the same stored mail
            Instant atRisk = Instant.parse("2024-12-09T12:45:00Z");
            one.clock.set(atRisk);
            two.clock.set(atRisk);
            one.ticker.tick();
            two.ticker.tick(); // the transitions are recorded already: nothing enqueued twice
            assertEquals(leads, one.store.pendingAlertCount());

            CountDownLatch go = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                List<Future<Integer>> sent = new ArrayList<>();
                for (AlertFixture f : List.of(one, two)) {
                    sent.add(pool.submit(() -> {
                        go.await();
                        int n = 0;
                        while (f.store.pendingAlertCount() > 0) {
                            n += f.alerts.send();
                        }
                        return n;
                    }));
                }
                go.countDown();
                int total = 0;
                for (Future<Integer> f : sent) {
                    total += f.get(60, TimeUnit.SECONDS);
                }
                assertEquals(leads, total);
            } finally {
                pool.shutdownNow();
            }
            List<String> bodies = slack.delivered();
            assertEquals(leads, bodies.size(), "delivered once each: " + bodies);
            assertEquals(leads, new HashSet<>(bodies).size(), "no alert twice");
            assertTrue(one.store.alerts().stream().allMatch(a -> OutboxAlert.SENT.equals(a.status())));
        }
    }

    @Test
    void theRowOfAnInstanceThatDiedHoldingItIsSentByTheOtherAfterTheLease() throws Exception {
        try (AlertFixture one = instance("one"); AlertFixture two = instance("two")) {
            one.synced(AlertFixture.MAILBOX);
            one.lead("a@x", AlertFixture.MAILBOX, "anna@customer.example", "Quote A", MON_09.plusSeconds(60));
            two.results.leads.addAll(one.results.leads);
            Instant atRisk = Instant.parse("2024-12-09T12:45:00Z");
            one.clock.set(atRisk);
            one.ticker.tick();
            OutboxAlert alert = one.store.pendingAlerts(10).get(0);
            // Instance one claimed the row, then was killed before sending it.
            assertTrue(one.store.claimAlert(alert, "killed-instance", atRisk, atRisk.plus(AlertSender.CLAIM_LEASE)));
            one.close();

            assertEquals(0, two.at(atRisk.plusSeconds(60)), "the claim still holds");
            assertEquals(List.of(), slack.delivered());
            assertEquals(1, two.at(atRisk.plus(AlertSender.CLAIM_LEASE).plusSeconds(1)), "the lease ran out");
            assertEquals(1, slack.delivered().size());
            assertTrue(slack.delivered().get(0).contains("At risk: anna@customer.example"), slack.delivered().get(0));
            assertEquals(0, two.at(atRisk.plus(AlertSender.CLAIM_LEASE).plusSeconds(60)));
            assertEquals(1, slack.delivered().size());
        }
    }
}
