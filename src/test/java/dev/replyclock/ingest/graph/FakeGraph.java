package dev.replyclock.ingest.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.microsoft.kiota.authentication.AccessTokenProvider;
import com.microsoft.kiota.authentication.AllowedHostsValidator;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.replyclock.domain.MailMessage;
import dev.replyclock.domain.Place;
import dev.replyclock.ingest.HeaderParser;
import dev.replyclock.ingest.RawHeaders;
import dev.replyclock.ingest.UnreadableMessageException;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local Microsoft Graph speaking the documented JSON of mail delta queries and {@code $batch}: per folder a list
 * of messages with a change sequence; delta tokens are sequence numbers, skip tokens carry (from, to, offset).
 * Faults can be queued for the next matching requests.
 */
final class FakeGraph implements AutoCloseable {

    static final String TOKEN = "fake-graph-token";

    static {
        // The JDK server otherwise waits for delayed ACKs on small responses (about 40 ms per request).
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern DELTA = Pattern.compile("/v1\\.0/users/([^/]+)/mailFolders/([^/]+)/messages/delta(?:\\(\\))?");
    private static final Pattern FOLDER = Pattern.compile("/v1\\.0/users/([^/]+)/mailFolders/([^/]+)");
    private static final Pattern ONE = Pattern.compile("/users/([^/]+)/messages/([^/?]+)");

    /** One message as the fake stores it. */
    static final class Stored {
        final String id;
        final ObjectNode fields;
        final List<String[]> headers;
        long changed;
        boolean removed;

        Stored(String id, ObjectNode fields, List<String[]> headers) {
            this.id = id;
            this.fields = fields;
            this.headers = headers;
        }
    }

    /** A scripted answer for the next request whose path and query contain {@code match}. */
    record Fault(String match, int status, Map<String, String> headers, String body) {
    }

    /** Ways the fake breaks the body of an otherwise correct 200 response. */
    enum Mangle {
        /** The first half of the JSON, with a Content-Length that matches it. */
        TRUNCATED_JSON,
        /** The full Content-Length announced, half the body sent, then the connection closed. */
        CLOSED_MID_BODY,
        /** The whole body, but a Content-Length announcing 100 bytes more, then the connection closed. */
        WRONG_CONTENT_LENGTH,
        /** An HTML error page sent as {@code application/json} with status 200. */
        INVALID_JSON
    }

    /**
     * A request the fake answered with a fault: when, and the {@code Retry-After} it asked for (0 when none).
     * Throttled {@code $batch} steps are recorded with the {@code $batch} request that carried them.
     */
    record Answered(String request, int status, long retryAfterSeconds, long nanos) {
    }

    private final HttpServer server;
    /** Clients talk to the fake through this, so that a response can end with its connection mid-body. */
    private final CuttingProxy proxy;
    private final String user;
    private final Map<String, List<Stored>> folders = new LinkedHashMap<>();
    private final Map<String, Stored> byId = new LinkedHashMap<>();
    private final Deque<Fault> faults = new ArrayDeque<>();
    private final Deque<Integer> batchItemFaults = new ArrayDeque<>();
    private final Deque<Map.Entry<String, Mangle>> mangles = new ArrayDeque<>();
    /** Exchanges whose 200 body is to be broken (exchange attributes are shared by the whole context). */
    private final Map<HttpExchange, Mangle> toMangle = Collections.synchronizedMap(new IdentityHashMap<>());
    final List<String> requests = new CopyOnWriteArrayList<>();
    /** Arrival time ({@link System#nanoTime()}) of each request of {@link #requests}, same order. */
    final List<Long> arrivals = new CopyOnWriteArrayList<>();
    /** Every fault answered, in order. */
    final List<Answered> answered = new CopyOnWriteArrayList<>();
    /** {@code $batch} steps answered with a message's headers. */
    final java.util.concurrent.atomic.AtomicLong headerFetches = new java.util.concurrent.atomic.AtomicLong();
    private long seq;
    private long expiredBelow = -1;
    private int nextId;

    FakeGraph(String user) throws IOException {
        this.user = user;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
        proxy = new CuttingProxy(server.getAddress().getPort());
    }

    String baseUrl() {
        return "http://127.0.0.1:" + proxy.port();
    }

    /** A token provider that sends {@link #TOKEN} (or another token) to 127.0.0.1 only. */
    static AccessTokenProvider tokens(String token) {
        AllowedHostsValidator hosts = new AllowedHostsValidator("127.0.0.1");
        return new AccessTokenProvider() {
            @Override
            public String getAuthorizationToken(URI uri, Map<String, Object> context) {
                return token;
            }

            @Override
            public AllowedHostsValidator getAllowedHostsValidator() {
                return hosts;
            }
        };
    }

    @Override
    public void close() {
        try {
            proxy.close();
        } catch (IOException ignored) {
            // the listener was closed already
        }
        server.stop(0);
    }

    // ------------------------------------------------------------------------------------------ mail

    synchronized String add(String folder, ObjectNode fields, List<String[]> headers) {
        String id = "AAMk" + (++nextId) + "-" + folder;
        Stored s = new Stored(id, fields, headers);
        s.changed = ++seq;
        fields.put("id", id);
        folders.computeIfAbsent(folder, f -> new ArrayList<>()).add(s);
        byId.put(id, s);
        return id;
    }

    /** A message from a raw RFC 822 file: Graph fields from its headers, every header as internetMessageHeaders. */
    String addRaw(String folder, byte[] raw, HeaderParser parser) {
        List<String[]> headers = RawHeaders.of(raw);
        MailMessage m;
        try {
            m = parser.parse(raw, new Place("x", folder, false), null);
        } catch (UnreadableMessageException e) {
            m = null;
        }
        ObjectNode f = JSON.createObjectNode();
        String messageId = RawHeaders.first(headers, "Message-ID");
        if (messageId != null && !messageId.isBlank()) {
            f.put("internetMessageId", messageId.strip());
        }
        String threadIndex = RawHeaders.first(headers, "Thread-Index");
        if (threadIndex != null) {
            try {
                f.put("conversationIndex", Base64.getEncoder().encodeToString(
                        Base64.getDecoder().decode(threadIndex.replaceAll("\\s", ""))));
            } catch (IllegalArgumentException ignored) {
                // not base64: Exchange would have made its own; none here
            }
        }
        Instant time = m == null || m.eventTime() == null ? Instant.parse("2000-01-01T00:00:00Z") : m.eventTime();
        f.put("receivedDateTime", time.toString());
        f.put("sentDateTime", time.toString());
        f.put("isDraft", false);
        if (m != null) {
            f.put("conversationId", "conv-" + Integer.toHexString(m.id().hashCode()));
            f.put("subject", m.subject());
            if (!m.from().isEmpty()) {
                f.set("from", recipient(m.from().get(0)));
            }
            if (m.sender() != null) {
                f.set("sender", recipient(m.sender()));
            }
            f.set("replyTo", recipients(m.replyTo()));
            f.set("toRecipients", recipients(m.to()));
            f.set("ccRecipients", recipients(m.cc()));
        }
        return add(folder, f, headers);
    }

    static ObjectNode message(String messageId, String from, String to, String subject, String time, String... headers) {
        ObjectNode f = JSON.createObjectNode();
        f.put("internetMessageId", "<" + messageId + ">");
        f.put("subject", subject);
        f.set("from", recipient(from));
        f.set("sender", recipient(from));
        f.set("toRecipients", recipients(List.of(to)));
        f.set("ccRecipients", JSON.createArrayNode());
        f.set("replyTo", JSON.createArrayNode());
        f.put("receivedDateTime", time);
        f.put("sentDateTime", time);
        f.put("conversationId", "conv-" + subject.replaceFirst("^Re: ", ""));
        f.put("isDraft", false);
        return f;
    }

    static List<String[]> headers(String... nameValues) {
        List<String[]> list = new ArrayList<>();
        for (int k = 0; k + 1 < nameValues.length; k += 2) {
            list.add(new String[] {nameValues[k], nameValues[k + 1]});
        }
        return list;
    }

    private static ObjectNode recipient(String address) {
        ObjectNode r = JSON.createObjectNode();
        r.putObject("emailAddress").put("name", address).put("address", address);
        return r;
    }

    private static ArrayNode recipients(List<String> addresses) {
        ArrayNode a = JSON.createArrayNode();
        addresses.forEach(x -> a.add(recipient(x)));
        return a;
    }

    /** Marks a message changed (read, flagged): the next delta round returns it again. */
    synchronized void touch(String id) {
        byId.get(id).changed = ++seq;
    }

    /** Deletes a message: the next delta round returns it as {@code @removed}. */
    synchronized void remove(String id) {
        Stored s = byId.get(id);
        s.removed = true;
        s.changed = ++seq;
    }

    /** Every delta token issued so far is answered with 410 Gone from now on. */
    synchronized void expireDeltaTokens() {
        expiredBelow = seq;
    }

    synchronized void fault(String match, int status, Map<String, String> headers, String body) {
        faults.add(new Fault(match, status, headers, body));
    }

    /** The next request whose path and query contain {@code match} is answered correctly, its body broken. */
    synchronized void mangle(String match, Mangle how) {
        mangles.add(Map.entry(match, how));
    }

    /** Faults and mangles queued but not yet answered. */
    synchronized int pendingFaults() {
        return faults.size() + mangles.size() + batchItemFaults.size();
    }

    /** The next {@code $batch} steps answer these statuses (429 with Retry-After: 1) instead of the message. */
    synchronized void batchItemFaults(Integer... statuses) {
        Collections.addAll(batchItemFaults, statuses);
    }

    long requestCount() {
        return requests.size();
    }

    // ------------------------------------------------------------------------------------------ HTTP

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String rawPath = ex.getRequestURI().getRawPath();
            String rawQuery = ex.getRequestURI().getRawQuery();
            String target = rawPath + (rawQuery == null ? "" : "?" + rawQuery);
            String request = ex.getRequestMethod() + " " + target;
            synchronized (this) {
                arrivals.add(System.nanoTime());
                requests.add(request);
            }
            Fault fault;
            synchronized (this) {
                fault = faults.stream().filter(f -> target.contains(f.match())).findFirst().orElse(null);
                if (fault != null) {
                    faults.remove(fault);
                }
                Map.Entry<String, Mangle> mangle = fault != null ? null
                        : mangles.stream().filter(m -> target.contains(m.getKey())).findFirst().orElse(null);
                if (mangle != null) {
                    mangles.remove(mangle);
                    toMangle.put(ex, mangle.getValue());
                }
            }
            if (fault != null) {
                String retryAfter = fault.headers().get("Retry-After");
                answered.add(new Answered(request, fault.status(), retryAfter == null ? 0 : Long.parseLong(retryAfter),
                        System.nanoTime()));
                fault.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
                send(ex, fault.status(), fault.body() == null ? "" : fault.body());
                return;
            }
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            if (!("Bearer " + TOKEN).equals(auth)) {
                send(ex, 401, "{\"error\":{\"code\":\"InvalidAuthenticationToken\",\"message\":\"Access token is empty or invalid.\"}}");
                return;
            }
            Matcher delta = DELTA.matcher(rawPath);
            if (ex.getRequestMethod().equals("GET") && delta.matches()) {
                String folder = URLDecoder.decode(delta.group(2), StandardCharsets.UTF_8);
                String u = URLDecoder.decode(delta.group(1), StandardCharsets.UTF_8);
                if (!u.equals(user)) {
                    send(ex, 404, "{\"error\":{\"code\":\"ErrorInvalidUser\",\"message\":\"no such user\"}}");
                    return;
                }
                delta(ex, rawPath.replace("delta()", "delta"), folder, query(rawQuery));
                return;
            }
            Matcher folderPath = FOLDER.matcher(rawPath);
            if (ex.getRequestMethod().equals("GET") && folderPath.matches()) {
                String folder = URLDecoder.decode(folderPath.group(2), StandardCharsets.UTF_8);
                long count;
                synchronized (this) {
                    count = folders.getOrDefault(folder, List.of()).stream().filter(s -> !s.removed).count();
                }
                send(ex, 200, "{\"id\":\"" + folder + "\",\"totalItemCount\":" + count + "}");
                return;
            }
            if (ex.getRequestMethod().equals("POST") && rawPath.equals("/v1.0/$batch")) {
                batch(ex);
                return;
            }
            send(ex, 404, "{\"error\":{\"code\":\"ResourceNotFound\",\"message\":\"" + rawPath + "\"}}");
        }
    }

    private static Map<String, String> query(String rawQuery) {
        Map<String, String> q = new LinkedHashMap<>();
        if (rawQuery != null) {
            for (String part : rawQuery.split("&")) {
                int eq = part.indexOf('=');
                String k = URLDecoder.decode(eq < 0 ? part : part.substring(0, eq), StandardCharsets.UTF_8);
                String v = eq < 0 ? "" : URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8);
                q.put(k, v);
            }
        }
        return q;
    }

    private void delta(HttpExchange ex, String path, String folder, Map<String, String> q) throws IOException {
        int pageSize = 10;
        String prefer = ex.getRequestHeaders().getFirst("Prefer");
        if (prefer != null && prefer.startsWith("odata.maxpagesize=")) {
            pageSize = Integer.parseInt(prefer.substring("odata.maxpagesize=".length()).strip());
        }
        ObjectNode page = JSON.createObjectNode();
        synchronized (this) {
            long from;
            long to;
            int offset;
            if (q.containsKey("$skiptoken")) {
                String[] t = q.get("$skiptoken").split("\\.");
                from = Long.parseLong(t[0]);
                to = Long.parseLong(t[1]);
                offset = Integer.parseInt(t[2]);
            } else if (q.containsKey("$deltatoken")) {
                from = Long.parseLong(q.get("$deltatoken"));
                if (from <= expiredBelow) {
                    ex.getResponseHeaders().add("Location", baseUrl() + path);
                    send(ex, 410, "{\"error\":{\"code\":\"SyncStateNotFound\",\"message\":\"The sync state generation is no longer valid.\"}}");
                    return;
                }
                to = seq;
                offset = 0;
            } else {
                String select = q.get("$select");
                if (select == null || !select.contains("internetMessageId")) {
                    send(ex, 400, "{\"error\":{\"code\":\"BadRequest\",\"message\":\"no $select\"}}");
                    return;
                }
                from = -1;
                to = seq;
                offset = 0;
            }
            List<Stored> items = new ArrayList<>();
            for (Stored s : folders.getOrDefault(folder, List.of())) {
                boolean initial = from < 0;
                if (initial ? !s.removed && s.changed <= to : s.changed > from && s.changed <= to) {
                    items.add(s);
                }
            }
            ArrayNode value = page.putArray("value");
            int end = Math.min(items.size(), offset + pageSize);
            for (Stored s : items.subList(Math.min(offset, items.size()), end)) {
                if (s.removed) {
                    ObjectNode r = value.addObject();
                    r.put("id", s.id);
                    r.putObject("@removed").put("reason", "deleted");
                } else {
                    value.add(s.fields.deepCopy());
                }
            }
            if (end < items.size()) {
                page.put("@odata.nextLink", baseUrl() + path + "?$skiptoken=" + from + "." + to + "." + end);
            } else {
                page.put("@odata.deltaLink", baseUrl() + path + "?$deltatoken=" + to);
            }
        }
        send(ex, 200, JSON.writeValueAsString(page));
    }

    private void batch(HttpExchange ex) throws IOException {
        JsonNode body = JSON.readTree(ex.getRequestBody());
        ObjectNode out = JSON.createObjectNode();
        ArrayNode responses = out.putArray("responses");
        JsonNode requestsNode = body.get("requests");
        if (requestsNode.size() > 20) {
            send(ex, 400, "{\"error\":{\"code\":\"BadRequest\",\"message\":\"more than 20 requests\"}}");
            return;
        }
        int throttledSteps = 0;
        for (JsonNode r : requestsNode) {
            ObjectNode resp = responses.addObject();
            resp.put("id", r.get("id").asText());
            Integer faultStatus;
            synchronized (this) {
                faultStatus = batchItemFaults.poll();
            }
            if (faultStatus != null) {
                throttledSteps++;
                resp.put("status", faultStatus);
                resp.putObject("headers").put("Retry-After", "1").put("Content-Type", "application/json");
                resp.putObject("body").putObject("error").put("code", "TooManyRequests").put("message", "slow down");
                continue;
            }
            Matcher m = ONE.matcher(r.get("url").asText());
            Stored s = null;
            if (m.find()) {
                synchronized (this) {
                    s = byId.get(URLDecoder.decode(m.group(2), StandardCharsets.UTF_8));
                }
            }
            resp.putObject("headers").put("Content-Type", "application/json");
            if (s == null || s.removed || !r.get("url").asText().contains("internetMessageHeaders")) {
                resp.put("status", 404);
                resp.putObject("body").putObject("error").put("code", "ErrorItemNotFound").put("message", "not found");
                continue;
            }
            resp.put("status", 200);
            headerFetches.incrementAndGet();
            ObjectNode msg = resp.putObject("body");
            msg.put("id", s.id);
            ArrayNode hs = msg.putArray("internetMessageHeaders");
            for (String[] h : s.headers) {
                hs.addObject().put("name", h[0]).put("value", h[1]);
            }
        }
        if (throttledSteps > 0) {
            answered.add(new Answered("POST /v1.0/$batch (" + throttledSteps + " steps)", 429, 1, System.nanoTime()));
        }
        send(ex, 200, JSON.writeValueAsString(out));
    }

    private void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        if (!ex.getResponseHeaders().containsKey("Content-Type")) {
            ex.getResponseHeaders().add("Content-Type", "application/json");
        }
        Mangle mangle = toMangle.remove(ex);
        if (mangle != null && status == 200) {
            sendMangled(ex, bytes, mangle);
            return;
        }
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private static void sendMangled(HttpExchange ex, byte[] bytes, Mangle mangle) throws IOException {
        OutputStream out = ex.getResponseBody();
        int half = bytes.length / 2;
        switch (mangle) {
            case TRUNCATED_JSON -> {
                ex.sendResponseHeaders(200, half);
                out.write(bytes, 0, half);
            }
            case CLOSED_MID_BODY -> {
                // The announced length is honoured towards the JDK server; the proxy drops the connection at CUT.
                ex.sendResponseHeaders(200, bytes.length + CuttingProxy.CUT.length);
                out.write(bytes, 0, half);
                out.write(CuttingProxy.CUT);
                out.write(bytes, half, bytes.length - half);
            }
            case WRONG_CONTENT_LENGTH -> {
                int announcedMore = 100;
                ex.sendResponseHeaders(200, bytes.length + announcedMore);
                out.write(bytes);
                out.write(CuttingProxy.CUT);
                out.write(new byte[announcedMore - CuttingProxy.CUT.length]);
            }
            case INVALID_JSON -> {
                byte[] html = "<html><body><h1>502 Bad Gateway</h1></body></html>".getBytes(StandardCharsets.UTF_8);
                ex.sendResponseHeaders(200, html.length);
                out.write(html);
            }
        }
        out.close();
    }
}
