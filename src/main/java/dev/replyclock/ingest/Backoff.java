package dev.replyclock.ingest;

import java.io.IOException;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How long to wait before asking a throttled or failing API again: the response's {@code Retry-After} (seconds)
 * when given, else exponential back-off with jitter from {@code baseMillis}; never more than two minutes.
 */
public record Backoff(int attempts, long baseMillis) {

    private static final long MAX_WAIT_MILLIS = 120_000;

    /** The wait before attempt {@code attempt + 1}. */
    public long waitMillis(String retryAfter, int attempt) {
        if (retryAfter != null) {
            try {
                return Math.min(MAX_WAIT_MILLIS, Math.max(0, Long.parseLong(retryAfter.strip()) * 1000));
            } catch (NumberFormatException ignored) {
                // an HTTP date: fall back to back-off
            }
        }
        long base = Math.min(MAX_WAIT_MILLIS, baseMillis << Math.min(6, attempt - 1));
        return base + ThreadLocalRandom.current().nextLong(base / 2 + 1);
    }

    /** Waits; an interrupt ends the poll. */
    public static void sleep(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting to retry", e);
        }
    }
}
