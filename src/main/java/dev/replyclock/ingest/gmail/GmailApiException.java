package dev.replyclock.ingest.gmail;

import java.io.IOException;

/** A Gmail API request answered with an error status, with Google's reason ({@code rateLimitExceeded}, ...). */
final class GmailApiException extends IOException {

    private final int status;
    private final String reason;

    GmailApiException(String message, int status, String reason) {
        super(message);
        this.status = status;
        this.reason = reason;
    }

    int status() {
        return status;
    }

    String reason() {
        return reason;
    }

    /** Refused for lack of permission (401, or a 403 that is not throttling). */
    boolean refused() {
        return status == 401 || (status == 403 && !GmailApi.throttled(status, reason));
    }
}
