package dev.replyclock.web.auth;

import dev.replyclock.config.AccessConfig;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Login sessions kept in the {@link CredentialStore}, so they survive restarts. A session ends after {@link #IDLE}
 * without a request, {@link #LIFETIME} after login, at logout, or when its user's password hash in the config is no
 * longer the one it was started with (checked at start-up and on every request).
 */
final class Sessions {

    static final Duration IDLE = Duration.ofHours(12);
    static final Duration LIFETIME = Duration.ofDays(7);
    /** A request refreshes the stored last-seen time at most this often: not one write per request. */
    private static final Duration TOUCH_EVERY = Duration.ofMinutes(1);

    /** A live session: who, and the token its forms carry. */
    record Active(Principal principal, String csrf) {
    }

    private final CredentialStore store;
    private final Map<String, AccessConfig.User> users = new HashMap<>();
    private final Clock clock;

    Sessions(CredentialStore store, AccessConfig config, Clock clock) {
        this.store = store;
        this.clock = clock;
        config.users().forEach(u -> users.put(u.name(), u));
    }

    /** Start-up: drops expired sessions and ends those of users whose password changed (or who are gone). */
    int endStale() {
        store.deleteExpired(clock.instant());
        Map<String, String> fingerprints = new HashMap<>();
        users.values().forEach(u -> fingerprints.put(u.name(), fingerprint(u)));
        return store.deleteSessionsNotMatching(fingerprints);
    }

    /** Starts a session for the user under this cookie value (stored only as its digest). */
    void start(AccessConfig.User user, String cookieValue, String csrf) {
        Instant now = clock.instant();
        store.putSession(Access.digest(cookieValue),
                new CredentialStore.Session(user.name(), fingerprint(user), csrf, now, now, expiry(now, now)));
    }

    Optional<Active> find(String cookieValue) {
        String id = Access.digest(cookieValue);
        Optional<CredentialStore.Session> stored = store.session(id);
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        CredentialStore.Session s = stored.get();
        Instant now = clock.instant();
        AccessConfig.User user = users.get(s.user());
        if (!now.isBefore(s.expires()) || user == null || !fingerprint(user).equals(s.passwordFingerprint())) {
            store.deleteSession(id);
            return Optional.empty();
        }
        if (!now.isBefore(s.lastSeen().plus(TOUCH_EVERY))) {
            store.touchSession(id, now, expiry(s.created(), now));
        }
        return Optional.of(new Active(new Principal(user.name(), user.role(), user.teams()), s.csrf()));
    }

    void end(String cookieValue) {
        store.deleteSession(Access.digest(cookieValue));
    }

    private static Instant expiry(Instant created, Instant lastSeen) {
        Instant idle = lastSeen.plus(IDLE);
        Instant end = created.plus(LIFETIME);
        return idle.isBefore(end) ? idle : end;
    }

    private static String fingerprint(AccessConfig.User user) {
        return Access.digest(user.passwordHash());
    }
}
