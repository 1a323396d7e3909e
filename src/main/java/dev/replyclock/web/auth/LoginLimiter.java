package dev.replyclock.web.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Failed logins per user name and per client address: after {@link #PER_USER} (or {@link #PER_ADDRESS}) failures
 * within {@link #WINDOW} of the first one, further attempts are refused until that window ends. Kept in memory: a
 * restart forgives, which costs an attacker a restart they cannot cause.
 */
final class LoginLimiter {

    static final Duration WINDOW = Duration.ofMinutes(15);
    static final int PER_USER = 5;
    static final int PER_ADDRESS = 20;
    /** Above this many tracked keys, finished windows are dropped (bounded memory under a spray of names). */
    private static final int PRUNE_ABOVE = 10_000;

    private record Failures(Instant since, int count) {
    }

    private final Map<String, Failures> failures = new ConcurrentHashMap<>();

    /** Whole seconds until this user may try again from this address, 0 when now. */
    long retryAfterSeconds(String user, String address, Instant now) {
        return Math.max(wait("user:" + user, PER_USER, now), wait("addr:" + address, PER_ADDRESS, now));
    }

    void failed(String user, String address, Instant now) {
        count("user:" + user, now);
        count("addr:" + address, now);
        if (failures.size() > PRUNE_ABOVE) {
            failures.values().removeIf(f -> !now.isBefore(f.since().plus(WINDOW)));
        }
    }

    void succeeded(String user) {
        failures.remove("user:" + user);
    }

    private long wait(String key, int limit, Instant now) {
        Failures f = failures.get(key);
        if (f == null || f.count() < limit) {
            return 0;
        }
        Instant until = f.since().plus(WINDOW);
        if (!now.isBefore(until)) {
            return 0;
        }
        long millis = Duration.between(now, until).toMillis();
        return Math.max(1, (millis + 999) / 1000);
    }

    private void count(String key, Instant now) {
        failures.compute(key, (k, f) -> f == null || !now.isBefore(f.since().plus(WINDOW))
                ? new Failures(now, 1) : new Failures(f.since(), f.count() + 1));
    }
}
