package dev.replyclock.web.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;
import dev.replyclock.MutableClock;
import dev.replyclock.app.StoreCredentials;
import dev.replyclock.config.AccessConfig;
import dev.replyclock.store.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sessions in a real store: kept as digests, ended by idle time, by their lifetime and by a password change. */
class SessionsTest {

    private static final Instant T0 = Instant.parse("2024-03-01T08:00:00Z");

    private static AccessConfig config(String password) {
        String hash = BCrypt.withDefaults().hashToString(4, password.toCharArray());
        return new AccessConfig(true, List.of(new AccessConfig.User("anna", hash, AccessConfig.Role.MANAGER, List.of("sales")),
                new AccessConfig.User("vic", hash, AccessConfig.Role.VIEWER, List.of())), List.of(), false);
    }

    @Test
    void theStoreKeepsOnlyTheDigestAndTheSessionOutlivesTheStore(@TempDir Path dir) {
        MutableClock clock = new MutableClock(T0);
        AccessConfig config = config("pw");
        try (Store store = Store.open(dir.resolve("r.db"))) {
            new Sessions(new StoreCredentials(store), config, clock).start(config.users().get(0), "cookie-value-1", "csrf-1");
            assertTrue(store.session("cookie-value-1").isEmpty(), "never stored under the cookie value itself");
            assertEquals("anna", store.session(Access.digest("cookie-value-1")).orElseThrow().userName());
            assertEquals(T0.plus(Sessions.IDLE), store.session(Access.digest("cookie-value-1")).orElseThrow().expiresAt());
        }
        try (Store reopened = Store.open(dir.resolve("r.db"))) {
            Sessions sessions = new Sessions(new StoreCredentials(reopened), config, clock);
            assertEquals(0, sessions.endStale());
            Sessions.Active active = sessions.find("cookie-value-1").orElseThrow();
            assertEquals("anna", active.principal().name());
            assertEquals(List.of("sales"), active.principal().teams());
            assertEquals("csrf-1", active.csrf());
        }
    }

    @Test
    void aSessionEndsAfterTwelveIdleHoursAndSevenDaysInAll(@TempDir Path dir) {
        MutableClock clock = new MutableClock(T0);
        AccessConfig config = config("pw");
        try (Store store = Store.open(dir.resolve("r.db"))) {
            Sessions sessions = new Sessions(new StoreCredentials(store), config, clock);
            sessions.start(config.users().get(0), "idle", "c");
            sessions.start(config.users().get(0), "busy", "c");
            clock.advance(Sessions.IDLE.minusMinutes(1));
            assertTrue(sessions.find("busy").isPresent(), "11 h 59 m idle: still on, and the request counts as activity");
            clock.advance(Duration.ofMinutes(1));
            assertTrue(sessions.find("idle").isEmpty(), "12 h idle: ended");
            assertTrue(store.session(Access.digest("idle")).isEmpty(), "and deleted from the store");
            for (int hour = 12; hour < 7 * 24 - 1; hour += 6) {
                clock.set(T0.plus(Duration.ofHours(hour)));
                assertTrue(sessions.find("busy").isPresent(), "in use at hour " + hour);
            }
            clock.set(T0.plus(Sessions.LIFETIME));
            assertTrue(sessions.find("busy").isEmpty(), "seven days after login it ends however busy");
        }
    }

    @Test
    void aNewPasswordHashEndsThatUsersSessionsOnly(@TempDir Path dir) {
        MutableClock clock = new MutableClock(T0);
        AccessConfig before = config("old password");
        try (Store store = Store.open(dir.resolve("r.db"))) {
            Sessions sessions = new Sessions(new StoreCredentials(store), before, clock);
            sessions.start(before.users().get(0), "anna-1", "c");
            sessions.start(before.users().get(1), "vic-1", "c");
            String annaNew = BCrypt.withDefaults().hashToString(4, "new password".toCharArray());
            AccessConfig after = new AccessConfig(true, List.of(
                    new AccessConfig.User("anna", annaNew, AccessConfig.Role.MANAGER, List.of("sales")),
                    before.users().get(1)), List.of(), false);
            Sessions restarted = new Sessions(new StoreCredentials(store), after, clock);
            assertEquals(1, restarted.endStale(), "anna's session ends at start-up");
            assertTrue(store.session(Access.digest("anna-1")).isEmpty());
            assertTrue(restarted.find("vic-1").isPresent(), "vic's password did not change");
            assertFalse(restarted.find("anna-1").isPresent());

            AccessConfig vicGone = new AccessConfig(true, List.of(after.users().get(0)), List.of(), false);
            assertEquals(1, new Sessions(new StoreCredentials(store), vicGone, clock).endStale(), "a removed user's sessions end");
        }
    }
}
