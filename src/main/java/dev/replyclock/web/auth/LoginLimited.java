package dev.replyclock.web.auth;

/** Too many failed logins for this user or address: answered 429 with {@code Retry-After}. */
public final class LoginLimited extends RuntimeException {

    private final long retryAfterSeconds;

    LoginLimited(long retryAfterSeconds) {
        super("too many failed logins; try again in " + retryAfterSeconds + " s");
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
