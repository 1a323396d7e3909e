package dev.replyclock.store;

import dev.replyclock.domain.Disposition;
import dev.replyclock.domain.DispositionChange;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The state every instance shares through the store: login sessions, wall links and devices, dispositions with their
 * audit trail, sync status. Runs on both backends: {@link SqliteSharedStateStoreTest},
 * {@link PostgresSharedStateStoreTest}.
 */
abstract class SharedStateStoreTest {

    static final Instant T = Instant.parse("2024-12-09T12:30:00Z");

    /** Opens the store under test: the same database on every call within one test. */
    abstract Store open();

    @Test
    void sessionsAreStoredTouchedAndEnded() {
        WebSession s = new WebSession("sha-1", "alice", "fp-1", "csrf-1", T, T, T.plusSeconds(3600));
        try (Store store = open()) {
            store.putSession(s);
            store.putSession(new WebSession("sha-2", "bob", "fp-2", "csrf-2", T, T, T.plusSeconds(60)));
            store.putSession(new WebSession("sha-3", "carol", "fp-3", "csrf-3", T, T, T.plusSeconds(3600)));
        }
        try (Store store = open()) {
            assertEquals(Optional.of(s), store.session("sha-1"));
            store.touchSession("sha-1", T.plusSeconds(10), T.plusSeconds(7200));
            assertEquals(T.plusSeconds(7200), store.session("sha-1").orElseThrow().expiresAt());
            assertEquals(1, store.deleteExpiredCredentials(T.plusSeconds(120)), "bob's ran out");
            assertEquals(1, store.deleteSessionsNotMatching(Map.of("alice", "fp-1", "carol", "fp-changed")));
            assertTrue(store.session("sha-3").isEmpty());
            store.deleteSession("sha-1");
            assertTrue(store.session("sha-1").isEmpty());
        }
    }

    @Test
    void aWallLinkEnrolsItsDeviceOnceAndRevokingEndsIt() {
        try (Store store = open()) {
            store.putWallLink("link-1", "lobby-tv", T, T.plusSeconds(3600));
            assertEquals(Optional.of("lobby-tv"), store.useWallLink("link-1", "device-token-1", T.plusSeconds(5)));
            assertEquals(Optional.empty(), store.useWallLink("link-1", "device-token-2", T.plusSeconds(6)), "once");
            assertEquals("lobby-tv", store.wallDevice("device-token-1").orElseThrow().name());
            store.touchWallDevice("lobby-tv", T.plusSeconds(60));
            assertEquals(List.of(new WallDevice("lobby-tv", T.plusSeconds(5), T.plusSeconds(60))), store.wallDevices());
            store.putWallLink("link-2", "kitchen-tv", T, T.plusSeconds(10));
            assertEquals(Optional.empty(), store.useWallLink("link-2", "device-token-3", T.plusSeconds(11)), "expired");
            assertTrue(store.revokeWallDevice("lobby-tv"));
            assertFalse(store.revokeWallDevice("lobby-tv"));
            assertTrue(store.wallDevice("device-token-1").isEmpty());
        }
    }

    @Test
    void dispositionsStandOnceAndTheirTrailOnlyGrows() {
        Disposition notALead = new Disposition("lead@x", Disposition.Kind.NOT_A_LEAD, "spam", "newsletter", null, null,
                "manager", T);
        Disposition elsewhere = new Disposition("lead@x", Disposition.Kind.HANDLED_ELSEWHERE, "phone", "called back",
                T.minusSeconds(600), "alice", "manager", T.plusSeconds(60));
        try (Store store = open()) {
            store.setDisposition(notALead);
            store.setDisposition(elsewhere);
        }
        try (Store store = open()) {
            assertEquals(Optional.of(elsewhere), store.disposition("lead@x"));
            assertEquals(List.of(elsewhere), store.dispositions());
            assertEquals(Optional.of(elsewhere), store.withdrawDisposition("lead@x", "admin", T.plusSeconds(120)));
            assertEquals(Optional.empty(), store.withdrawDisposition("lead@x", "admin", T.plusSeconds(130)));
            List<DispositionChange> trail = store.dispositionHistory("lead@x");
            assertEquals(List.of("set", "set", "withdrawn"), trail.stream().map(DispositionChange::action).toList());
            assertEquals(notALead, trail.get(0).disposition());
            assertEquals("admin", trail.get(2).disposition().setBy());
        }
    }

    @Test
    void syncStatusKeepsTheFirstSuccessAndTheLastError() {
        try (Store store = open()) {
            store.recordSync("m", T, "connection refused");
            store.recordSync("m", T.plusSeconds(60), null);
            store.recordSync("m", T.plusSeconds(120), "timeout");
        }
        try (Store store = open()) {
            SyncStatus status = store.lastSync("m").orElseThrow();
            assertEquals(T.plusSeconds(60), status.lastSuccess());
            assertEquals(T.plusSeconds(60), store.firstSuccessfulSync("m").orElseThrow());
            assertEquals("timeout", status.lastError());
        }
    }
}
