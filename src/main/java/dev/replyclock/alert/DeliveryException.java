package dev.replyclock.alert;

import java.time.Duration;
import java.util.List;

/**
 * A channel could not deliver. {@code reason} is a short fixed word (a metric label); the message says more but
 * never holds a secret (no webhook URL, no password).
 */
public final class DeliveryException extends Exception {

    public static final String RATE_LIMITED = "rate_limited";
    public static final String SERVER_ERROR = "server_error";
    public static final String TIMEOUT = "timeout";
    public static final String CONNECTION = "connection";
    public static final String REJECTED = "rejected";
    public static final List<String> REASONS = List.of(RATE_LIMITED, SERVER_ERROR, TIMEOUT, CONNECTION, REJECTED);

    private final String reason;
    private final boolean retryable;
    private final Duration retryAfter;

    public DeliveryException(String reason, boolean retryable, Duration retryAfter, String message) {
        super(message, null, false, false);
        this.reason = reason;
        this.retryable = retryable;
        this.retryAfter = retryAfter;
    }

    public static DeliveryException retry(String reason, String message) {
        return new DeliveryException(reason, true, null, message);
    }

    public static DeliveryException fail(String message) {
        return new DeliveryException(REJECTED, false, null, message);
    }

    public String reason() {
        return reason;
    }

    public boolean retryable() {
        return retryable;
    }

    /** What the server asked for (Slack's {@code Retry-After}), or null. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
