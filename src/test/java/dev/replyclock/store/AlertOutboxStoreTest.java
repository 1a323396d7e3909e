package dev.replyclock.store;

import dev.replyclock.domain.SlaState;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The alert outbox of V5: written with its transition or not at all, unique per subject, event and channel; claimed
 * (V10) by one sender at a time. Runs on both backends: {@link SqliteAlertOutboxStoreTest},
 * {@link PostgresAlertOutboxStoreTest}.
 */
abstract class AlertOutboxStoreTest {

    /** Opens the store under test: the same database on every call within one test. */
    abstract Store open();

    static final Instant T = Instant.parse("2024-12-09T12:30:00Z");

    @Test
    void theAlertIsWrittenInTheTransitionsTransactionOrNotAtAll() {
        try (Store store = open()) {
            store.afterAlertsInserted = () -> {
                throw new IllegalStateException("crash between the outbox rows and the commit");
            };
            assertThrows(IllegalStateException.class, () -> store.recordStateAndEnqueue("a@x", Store.FIRST_RESPONSE,
                    SlaState.AT_RISK, T, "at_risk", List.of("slack", "mail"), T));
            assertEquals(List.of(), store.transitions("a@x"));
            assertEquals(List.of(), store.alerts());
            store.afterAlertsInserted = null;
            assertTrue(store.recordStateAndEnqueue("a@x", Store.FIRST_RESPONSE, SlaState.AT_RISK, T, "at_risk",
                    List.of("slack", "mail"), T));
            assertEquals(1, store.transitions("a@x").size());
            assertEquals(2, store.pendingAlertCount());
            // The same state again: no transition, no alert.
            assertFalse(store.recordStateAndEnqueue("a@x", Store.FIRST_RESPONSE, SlaState.AT_RISK, T, "at_risk",
                    List.of("slack"), T));
            assertEquals(2, store.alerts().size());
        }
    }

    @Test
    void anAlertIsEnqueuedOncePerSubjectEventAndChannelAlsoAfterReopening() {
        try (Store store = open()) {
            assertEquals(2, store.enqueueAlert("digest:sales:2024-12-09", "digest", List.of("a", "b"), T, T));
            OutboxAlert first = store.pendingAlerts(10).get(0);
            store.finishAlert(first, OutboxAlert.SENT, 1, null, T);
        }
        try (Store store = open()) {
            assertEquals(0, store.migrationsApplied());
            assertEquals(1, store.enqueueAlert("digest:sales:2024-12-09", "digest", List.of("a", "b", "c"), T, T));
            assertEquals(List.of("a sent", "b pending", "c pending"),
                    store.alerts().stream().map(a -> a.channel() + " " + a.status()).toList());
            OutboxAlert b = store.pendingAlerts(10).get(0);
            store.postponeAlert(b, 1, T.plusSeconds(60), "server_error");
            assertEquals(T.plusSeconds(60), store.pendingAlerts(10).get(0).nextAttemptAt());
            assertEquals(2, store.pendingAlertCount());
        }
    }

    @Test
    void theFirstSuccessfulSyncIsKept() {
        try (Store store = open()) {
            assertTrue(store.firstSuccessfulSync("m").isEmpty());
            store.recordSync("m", T, "connection refused");
            assertTrue(store.firstSuccessfulSync("m").isEmpty());
            store.recordSync("m", T.plusSeconds(60), null);
            store.recordSync("m", T.plusSeconds(120), null);
            assertEquals(T.plusSeconds(60), store.firstSuccessfulSync("m").orElseThrow());
            assertEquals(T.plusSeconds(120), store.lastSync("m").orElseThrow().lastSuccess());
        }
    }

    @Test
    void aClaimIsWonOnceAndTakenOverOnlyAfterItsLease() {
        try (Store store = open()) {
            OutboxAlert alert = oneAlertClaimedByOne(store);
            assertTrue(store.claimAlert(alert, "one", T.plusSeconds(1), T.plusSeconds(61)), "its own claim again");
            assertFalse(store.claimAlert(alert, "two", T.plusSeconds(30), T.plusSeconds(90)));
            assertEquals("one", store.alertClaimant(alert).orElseThrow());
            // "one" died holding it: once the lease ran out, "two" takes it over.
            assertTrue(store.claimAlert(alert, "two", T.plusSeconds(61), T.plusSeconds(121)));
            store.finishAlert(alert, OutboxAlert.SENT, 1, null, T.plusSeconds(62));
            assertTrue(store.alertClaimant(alert).isEmpty(), "finishing ends the claim");
            assertFalse(store.claimAlert(alert, "one", T.plusSeconds(300), T.plusSeconds(360)), "a sent alert");
        }
    }

    @Test
    void postponingEndsTheClaim() {
        try (Store store = open()) {
            OutboxAlert alert = oneAlertClaimedByOne(store);
            store.postponeAlert(alert, 1, T.plusSeconds(5), "server_error");
            assertTrue(store.claimAlert(alert, "two", T.plusSeconds(6), T.plusSeconds(66)));
        }
    }

    /** Enqueues one alert and has claimant "one" claim it at T for a minute. */
    private static OutboxAlert oneAlertClaimedByOne(Store store) {
        store.enqueueAlert("a@x", "breached", List.of("slack"), T, T);
        OutboxAlert alert = store.pendingAlerts(10).get(0);
        assertTrue(store.claimAlert(alert, "one", T, T.plusSeconds(60)));
        return alert;
    }
}
