package dev.replyclock.ingest.graph;

import com.microsoft.kiota.ApiException;
import dev.replyclock.ingest.Backoff;
import okhttp3.Response;

import java.io.IOException;
import java.util.Map;
import java.util.Set;

/**
 * Retries of Graph requests on top of the SDK's retry middleware. The middleware retries 429, 503 and 504 only
 * three times and never retries 500 or 502; a throttling storm or a short outage longer than that would fail the
 * poll. Here a request answered 429, 500, 502, 503 or 504 is sent again after the response's {@code Retry-After}
 * (seconds), else after an exponential back-off with jitter, up to {@code attempts} times.
 *
 * @param attempts    requests at most (the first included); the last failure is thrown
 * @param baseMillis  back-off before the second attempt when no {@code Retry-After} is given; doubles each time
 */
record GraphRetry(int attempts, long baseMillis) {

    /** Six attempts from one second: up to about a minute of back-off without Retry-After. */
    static final GraphRetry DEFAULT = new GraphRetry(6, 1000);

    /** A Graph request, or the reading of a response already received. */
    @FunctionalInterface
    interface Request<T> {
        T send() throws IOException;
    }

    /** A status worth asking again: throttled, or a server or gateway failing for a while. */
    static boolean transientStatus(int status) {
        return status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
    }

    /** Runs {@code request}, again after a wait while it fails with a transient status; other failures pass through. */
    <T> T call(Request<T> request) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                return request.send();
            } catch (ApiException e) {
                if (attempt >= attempts || !transientStatus(e.getResponseStatusCode())) {
                    throw e;
                }
                sleep(waitMillis(retryAfter(e.getResponseHeaders()), attempt));
            }
        }
    }

    /** The wait before attempt {@code attempt + 1} after a failed {@code $batch} step (its own Retry-After). */
    long waitMillis(Response step, int attempt) {
        return waitMillis(step == null ? null : step.header("Retry-After"), attempt);
    }

    /** {@code Retry-After} in seconds when given and numeric, else exponential back-off with jitter. */
    long waitMillis(String retryAfter, int attempt) {
        return new Backoff(attempts, baseMillis).waitMillis(retryAfter, attempt);
    }

    private static String retryAfter(Map<String, Set<String>> headers) {
        if (headers == null) {
            return null;
        }
        for (Map.Entry<String, Set<String>> h : headers.entrySet()) {
            if (h.getKey().equalsIgnoreCase("Retry-After") && h.getValue() != null && !h.getValue().isEmpty()) {
                return h.getValue().iterator().next();
            }
        }
        return null;
    }

    static void sleep(long millis) throws IOException {
        Backoff.sleep(millis);
    }
}
