package dev.replyclock.store;

import dev.replyclock.domain.SlaState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The alert outbox of V5: written with its transition or not at all, unique per subject, event and channel. */
class AlertOutboxStoreTest {

    @TempDir
    Path dir;

    static final Instant T = Instant.parse("2024-12-09T12:30:00Z");

    @Test
    void theAlertIsWrittenInTheTransitionsTransactionOrNotAtAll() {
        try (Store store = Store.open(dir.resolve("rc.db"))) {
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
        Path file = dir.resolve("rc.db");
        try (Store store = Store.open(file)) {
            assertEquals(2, store.enqueueAlert("digest:sales:2024-12-09", "digest", List.of("a", "b"), T, T));
            OutboxAlert first = store.pendingAlerts(10).get(0);
            store.finishAlert(first, OutboxAlert.SENT, 1, null, T);
        }
        try (Store store = Store.open(file)) {
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
        try (Store store = Store.open(dir.resolve("rc.db"))) {
            assertTrue(store.firstSuccessfulSync("m").isEmpty());
            store.recordSync("m", T, "connection refused");
            assertTrue(store.firstSuccessfulSync("m").isEmpty());
            store.recordSync("m", T.plusSeconds(60), null);
            store.recordSync("m", T.plusSeconds(120), null);
            assertEquals(T.plusSeconds(60), store.firstSuccessfulSync("m").orElseThrow());
            assertEquals(T.plusSeconds(120), store.lastSync("m").orElseThrow().lastSuccess());
        }
    }
}
