package dev.replyclock.store;

import dev.replyclock.it.pg.PostgresServer;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The outbox suite on PostgreSQL, and two senders (two Store objects, two connections) draining one outbox. */
class PostgresAlertOutboxStoreTest extends AlertOutboxStoreTest {

    final PostgresServer.Database db = PostgresServer.shared().newDatabase();

    @Override
    Store open() {
        return PostgresStoreTest.openPostgres(db);
    }

    @Test
    void twoSendersDrainingAtOnceClaimEveryAlertExactlyOnce() throws Exception {
        int alerts = 300;
        try (Store setup = open()) {
            for (int i = 0; i < alerts; i++) {
                setup.enqueueAlert("lead-" + i + "@x", "breached", List.of("slack", "mail"), T, T);
            }
        }
        Map<String, String> claimedBy = new ConcurrentHashMap<>();
        List<String> doubles = java.util.Collections.synchronizedList(new ArrayList<>());
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (Store one = open(); Store two = open()) {
            List<Future<Integer>> sent = new ArrayList<>();
            for (Store store : List.of(one, two)) {
                String sender = store == one ? "one" : "two";
                sent.add(pool.submit((Callable<Integer>) () -> {
                    start.await();
                    int mine = 0;
                    List<OutboxAlert> pending;
                    while (!(pending = store.pendingAlerts(50)).isEmpty()) {
                        for (OutboxAlert alert : pending) {
                            Instant now = Instant.now();
                            if (store.claimAlert(alert, sender, now, now.plusSeconds(120))) {
                                if (claimedBy.putIfAbsent(key(alert), sender) != null) {
                                    doubles.add(key(alert));
                                }
                                store.finishAlert(alert, OutboxAlert.SENT, 1, null, now);
                                mine++;
                            }
                        }
                    }
                    return mine;
                }));
            }
            start.countDown();
            int total = 0;
            Map<String, Integer> bySender = new HashMap<>();
            for (Future<Integer> f : sent) {
                int n = f.get(120, TimeUnit.SECONDS);
                bySender.put("sender" + bySender.size(), n);
                total += n;
            }
            assertEquals(List.of(), doubles);
            assertEquals(2 * alerts, total, "sent by each: " + bySender);
            assertEquals(2 * alerts, claimedBy.size());
            assertEquals(0, one.pendingAlertCount());
            assertTrue(one.alerts().stream().allMatch(a -> OutboxAlert.SENT.equals(a.status())));
        } finally {
            pool.shutdownNow();
        }
    }

    private static String key(OutboxAlert a) {
        return a.subjectId() + " " + a.event() + " " + a.channel();
    }
}
