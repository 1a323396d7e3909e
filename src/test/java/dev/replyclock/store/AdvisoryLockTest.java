package dev.replyclock.store;

import dev.replyclock.it.pg.PostgresServer;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cluster's advisory locks on a real PostgreSQL: the write lock excludes other sessions while held and is free
 * after the work; the gauge lock has one holder, passes to another instance when the holder's session ends, and is
 * taken back after a server restart; a failed call names the store without the password.
 */
class AdvisoryLockTest {

    private final PostgresServer server = PostgresServer.shared();
    private final PostgresServer.Database db = server.newDatabase();

    @Test
    void theWriteLockExcludesOtherSessionsWhileItsWorkRuns() throws Exception {
        try (AdvisoryLock lock = lock(AdvisoryLock.WRITE)) {
            boolean freeInside = lock.holding(() -> freeElsewhere(AdvisoryLock.WRITE));
            assertFalse(freeInside, "another session cannot take the lock while the work runs");
            assertEquals("nested", lock.holding(() -> lock.holding(() -> "nested")), "re-entrant in one thread");
            assertTrue(freeElsewhere(AdvisoryLock.WRITE), "free once the work is done");
            assertThrows(IllegalStateException.class, () -> lock.holding(() -> {
                throw new IllegalStateException("work failed");
            }));
            assertTrue(freeElsewhere(AdvisoryLock.WRITE), "free after a failed work too");
        }
    }

    @Test
    void theGaugeLockHasOneHolderAndPassesOnWhenItsSessionEnds() throws Exception {
        try (AdvisoryLock a = lock(AdvisoryLock.GAUGES); AdvisoryLock b = lock(AdvisoryLock.GAUGES)) {
            assertTrue(a.tryHold());
            assertFalse(b.tryHold());
            assertTrue(a.tryHold(), "kept");
            a.close(); // the instance is gone: its session with it
            // the server ends the session's backend, and frees its locks, a moment after the client hangs up; the
            // other instance asks again on its next tick, as here
            assertTrue(heldWithin(b, 10_000), "the other instance takes over");

            server.restart(); // every session breaks, and with it the lock
            assertFalse(b.tryHold(), "the broken session holds nothing");
            assertTrue(b.tryHold(), "a new session takes the free lock again");
        }
    }

    @Test
    void aFailedCallNamesTheStoreWithoutThePassword() throws Exception {
        try (AdvisoryLock lock = new AdvisoryLock(db.url() + "?connectTimeout=2", db.user(), "wrong-" + db.password(),
                AdvisoryLock.WRITE)) {
            StoreException e = assertThrows(StoreException.class, () -> lock.holding(() -> null));
            assertTrue(e.getMessage().startsWith("store " + db.url() + ": "), e.getMessage());
            assertFalse(e.getMessage().contains(db.password()), e.getMessage());
        }
    }

    /** Whether {@code lock} is held, asking again every 20 ms for up to {@code millis}. */
    private static boolean heldWithin(AdvisoryLock lock, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (!lock.tryHold()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    private AdvisoryLock lock(long key) {
        return new AdvisoryLock(db.url(), db.user(), db.password(), key);
    }

    /** Whether a session of its own can take the lock now (and gives it back at once). */
    private boolean freeElsewhere(long key) {
        try (Connection c = db.connect();
             PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
            ps.setLong(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
