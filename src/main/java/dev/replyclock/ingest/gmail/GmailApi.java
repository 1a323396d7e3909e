package dev.replyclock.ingest.gmail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.replyclock.ingest.Backoff;
import dev.replyclock.ingest.CountedHeaders;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The Gmail API requests of one mailbox over the JDK HttpClient: profile, labels, messages.list, history.list and
 * {@code messages.get} (metadata) through {@code /batch/gmail/v1}. Throttling (429, 403 {@code rateLimitExceeded} /
 * {@code userRateLimitExceeded}) and 500/502/503/504 are asked again after {@code Retry-After}, else with
 * back-off; a 401 gets one fresh token; anything else is a {@link GmailApiException} with Google's reason.
 */
final class GmailApi {

    /** The access token sent, and a fresh one after a 401. */
    interface Tokens {
        String token() throws IOException;

        String refreshed() throws IOException;
    }

    /** Inner requests per batch: Google allows 100, and advises fewer against per-user rate limits. */
    static final int BATCH_SIZE = 50;

    private static final ObjectMapper JSON = new ObjectMapper();

    /** {@code <base>/gmail/v1/users/<user>}, and its path alone (inner requests of a batch). */
    private final String apiUrl;
    private final String apiPath;
    private final String batchUrl;
    private final String metadataQuery;
    private final HttpClient http;
    private final Backoff backoff;
    private final Tokens tokens;
    private final int pageSize;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong metadataFetches = new AtomicLong();

    /**
     * @param baseUrl           {@code https://gmail.googleapis.com} or a replacement (path kept)
     * @param attributionHeader also asked for when set
     */
    GmailApi(String baseUrl, String user, String attributionHeader, Tokens tokens, Backoff backoff, int pageSize) {
        this.pageSize = pageSize;
        String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.apiUrl = base + "/gmail/v1/users/" + encode(user);
        this.apiPath = URI.create(apiUrl).getRawPath();
        this.batchUrl = base + "/batch/gmail/v1";
        StringBuilder q = new StringBuilder("format=metadata");
        List<String> names = new ArrayList<>(CountedHeaders.FIELDS);
        if (attributionHeader != null && !attributionHeader.isBlank()) {
            names.add(attributionHeader.strip());
        }
        for (String name : names) {
            q.append("&metadataHeaders=").append(encode(name));
        }
        this.metadataQuery = q.toString();
        this.tokens = tokens;
        this.backoff = backoff;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30))
                .version(base.startsWith("https:") ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1).build();
    }

    long requestCount() {
        return requests.get();
    }

    /** Messages whose metadata was asked for (retries included). */
    long metadataFetchCount() {
        return metadataFetches.get();
    }

    /** The mailbox's current history id. */
    long historyId() throws IOException {
        return get("the profile", "/profile").path("historyId").asLong();
    }

    /** A label: {@code id}, {@code name}, {@code messagesTotal}. */
    JsonNode label(String label) throws IOException {
        return get("label " + label, "/labels/" + encode(label));
    }

    /** The labels of the mailbox ({@code labels[]}). */
    JsonNode labels() throws IOException {
        return get("the labels", "/labels");
    }

    /** One messages.list page of {@code label}, newest first: {@code messages[] {id, threadId}}, {@code nextPageToken}. */
    JsonNode list(String label, String pageToken) throws IOException {
        return get("the messages of label " + label, "/messages?labelIds=" + encode(label) + "&maxResults=" + pageSize
                + "&includeSpamTrash=false" + (pageToken == null ? "" : "&pageToken=" + encode(pageToken)));
    }

    /** The newest {@code n} messages of {@code label} (messages.list is newest first): {@code messages[] {id}}. */
    JsonNode newest(String label, int n) throws IOException {
        return get("the newest messages of label " + label, "/messages?labelIds=" + encode(label) + "&maxResults=" + n
                + "&includeSpamTrash=false");
    }

    /** One history.list page of additions to {@code label} since {@code startHistoryId}; 404 when that id expired. */
    JsonNode history(String label, long startHistoryId, String pageToken) throws IOException {
        return get("the history of label " + label, "/history?startHistoryId=" + startHistoryId + "&labelId="
                + encode(label) + "&historyTypes=messageAdded&historyTypes=labelAdded&maxResults=" + pageSize
                + (pageToken == null ? "" : "&pageToken=" + encode(pageToken)));
    }

    /**
     * The metadata ({@code id, threadId, labelIds, internalDate, payload.headers}) of each id, through batches of
     * {@link #BATCH_SIZE}; a message deleted since it was listed (404) is left out.
     */
    Map<String, JsonNode> metadata(List<String> ids) throws IOException {
        Map<String, JsonNode> result = new LinkedHashMap<>();
        for (int from = 0; from < ids.size(); from += BATCH_SIZE) {
            List<String> pending = ids.subList(from, Math.min(ids.size(), from + BATCH_SIZE));
            for (int attempt = 1; !pending.isEmpty(); attempt++) {
                pending = batch(pending, attempt, result);
            }
        }
        return result;
    }

    /** Sends one batch; returns the ids to ask again (throttled or failing parts), after waiting as they asked. */
    private List<String> batch(List<String> ids, int attempt, Map<String, JsonNode> result) throws IOException {
        List<String> paths = new ArrayList<>(ids.size());
        for (String id : ids) {
            paths.add(apiPath + "/messages/" + encode(id) + "?" + metadataQuery);
        }
        metadataFetches.addAndGet(ids.size());
        String boundary = "batch_" + UUID.randomUUID().toString().replace("-", "");
        String body = GmailBatch.request(boundary, paths);
        HttpResponse<byte[]> response = send("a batch of message headers", () -> HttpRequest.newBuilder(URI.create(batchUrl))
                .header("Content-Type", "multipart/mixed; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)));
        List<GmailBatch.Part> parts = GmailBatch.parse(response.headers().firstValue("Content-Type").orElse(null),
                response.body());
        List<String> again = new ArrayList<>();
        boolean[] answered = new boolean[ids.size()];
        long wait = 0;
        for (GmailBatch.Part part : parts) {
            int i = GmailBatch.index(part.contentId());
            if (i < 0 || i >= ids.size()) {
                throw new IOException("a batch response part names no request of the batch (Content-ID "
                        + part.contentId() + ")");
            }
            answered[i] = true;
            String id = ids.get(i);
            if (part.status() / 100 == 2) {
                result.put(id, JSON.readTree(part.body()));
            } else if (part.status() == 404) {
                continue; // deleted since it was listed
            } else {
                String reason = reason(part.body());
                if (retryable(part.status(), reason) && attempt < backoff.attempts()) {
                    again.add(id);
                    wait = Math.max(wait, backoff.waitMillis(part.headers().get("retry-after"), attempt));
                } else {
                    throw error("the headers of a message", part.status(), part.body());
                }
            }
        }
        for (int i = 0; i < ids.size(); i++) {
            if (!answered[i]) {
                throw new IOException("the batch response has no part for one of its " + ids.size() + " requests");
            }
        }
        if (!again.isEmpty()) {
            Backoff.sleep(wait);
        }
        return again;
    }

    private JsonNode get(String what, String path) throws IOException {
        HttpResponse<byte[]> response = send(what, () -> HttpRequest.newBuilder(URI.create(apiUrl + path)).GET());
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IOException("could not read " + what + ": Gmail answered with a body that is not JSON");
        }
    }

    /**
     * Sends a request until it succeeds, waiting between attempts as throttling asks; a 401 is retried once with a
     * fresh token.
     */
    private HttpResponse<byte[]> send(String what, Supplier<HttpRequest.Builder> request) throws IOException {
        boolean refreshed = false;
        for (int attempt = 1; ; attempt++) {
            String token = refreshed ? tokens.refreshed() : tokens.token();
            HttpResponse<byte[]> response;
            requests.incrementAndGet();
            try {
                response = http.send(request.get().timeout(Duration.ofSeconds(100))
                        .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while reading " + what, e);
            } catch (IOException e) {
                throw new IOException("could not read " + what + " from Gmail (" + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")", e);
            }
            int status = response.statusCode();
            if (status / 100 == 2) {
                return response;
            }
            String body = new String(response.body(), StandardCharsets.UTF_8);
            if (status == 401 && !refreshed) {
                refreshed = true;
                continue;
            }
            String reason = reason(body);
            if (retryable(status, reason) && attempt < backoff.attempts()) {
                Backoff.sleep(backoff.waitMillis(response.headers().firstValue("Retry-After").orElse(null), attempt));
                continue;
            }
            throw error(what, status, body);
        }
    }

    /** Throttled: 429, or a 403 whose reason is a rate limit. */
    static boolean throttled(int status, String reason) {
        return status == 429 || (status == 403 && reason != null
                && (reason.equals("rateLimitExceeded") || reason.equals("userRateLimitExceeded")));
    }

    private static boolean retryable(int status, String reason) {
        return throttled(status, reason) || status == 500 || status == 502 || status == 503 || status == 504;
    }

    /** Google's error reason ({@code error.errors[0].reason}, else {@code error.status}), or null. */
    private static String reason(String body) {
        try {
            JsonNode error = JSON.readTree(body).path("error");
            String reason = error.path("errors").path(0).path("reason").asText(null);
            return reason != null ? reason : error.path("status").asText(null);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static GmailApiException error(String what, int status, String body) {
        String reason = reason(body);
        String message;
        try {
            message = JSON.readTree(body).path("error").path("message").asText(null);
        } catch (IOException | RuntimeException e) {
            message = null;
        }
        return new GmailApiException("Gmail refused " + what + " (HTTP " + status + (reason == null ? "" : " " + reason)
                + (message == null || message.isBlank() ? "" : ": " + message.lines().findFirst().orElse("")) + ")",
                status, reason);
    }

    static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A label id as the API spells the system labels ({@code inbox} → {@code INBOX}). */
    static String labelId(String label) {
        String upper = label.toUpperCase(Locale.ROOT);
        return List.of("INBOX", "SENT", "SPAM", "TRASH", "DRAFT", "IMPORTANT", "STARRED", "UNREAD").contains(upper)
                ? upper : label;
    }
}
