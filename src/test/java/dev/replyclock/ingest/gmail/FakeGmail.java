package dev.replyclock.ingest.gmail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.Signature;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local Gmail speaking the documented JSON of {@code users.getProfile}, {@code labels.get}, {@code messages.list},
 * {@code messages.get} ({@code format=metadata}), {@code history.list}, the {@code /batch/gmail/v1}
 * multipart/mixed batch endpoint, and a JWT-bearer token endpoint that checks the assertion's RS256 signature
 * against the service account's public key, its {@code sub} and its scope. Faults can be queued.
 */
public final class FakeGmail implements AutoCloseable {

    public static final String CLIENT_ID = "104857600123456789012";
    public static final String CLIENT_EMAIL = "replyclock@acme-mail.iam.gserviceaccount.com";
    public static final String READONLY = "https://www.googleapis.com/auth/gmail.readonly";

    static {
        // The JDK server otherwise waits for delayed ACKs on small responses (about 40 ms per request).
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }
    /** The audience Google's token endpoint accepts (the auth library puts it in every assertion). */
    private static final String GOOGLE_TOKEN_AUDIENCE = "https://oauth2.googleapis.com/token";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern API = Pattern.compile("/gmail/v1/users/([^/]+)(/.*)");
    private static final KeyPair KEYS = keys();

    /** One message: its ids, labels, internalDate and every header (name, value) in order. */
    record Stored(String id, String threadId, List<String> labels, long internalDate, List<String[]> headers,
                  long historyId) {
    }

    /** A scripted answer for the next request (or batch part) whose path contains {@code match}. */
    public record Fault(String match, int status, String retryAfter, String reason) {
    }

    /** A fault answered: to what, with what Retry-After (seconds, 0 if none), when ({@link System#nanoTime()}). */
    public record Answered(String request, int status, long retryAfterSeconds, long nanos) {
    }

    private final HttpServer server;
    private final String user;
    private final Map<String, Stored> byId = new LinkedHashMap<>();
    /** Per label, ids oldest first. */
    private final Map<String, List<String>> labels = new LinkedHashMap<>();
    /** Per Message-ID, the thread id it was given, so replies join their thread as in Gmail. */
    private final Map<String, String> threads = new HashMap<>();
    private final Deque<Fault> faults = new ArrayDeque<>();
    private final Set<String> tokens = ConcurrentHashMap.newKeySet();
    /** Every request: path and query (batch parts as {@code batch> path}). */
    public final List<String> requests = new CopyOnWriteArrayList<>();
    /** Arrival ({@link System#nanoTime()}) of each request and batch part of {@link #requests}, same order. */
    public final List<Long> arrivals = new CopyOnWriteArrayList<>();
    public final List<Answered> answered = new CopyOnWriteArrayList<>();
    /** Token requests refused, with their OAuth error. */
    public final List<String> tokenRefusals = new CopyOnWriteArrayList<>();
    private volatile boolean delegated = true;
    private volatile long latencyMillis;
    private volatile String fixedToken;
    private volatile String grantedScope = READONLY;
    private long historyId = 1000;
    private long expiredBelow = -1;
    private int nextId;

    public FakeGmail(String user) throws IOException {
        this.user = user;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** A service account key as the Google Cloud console downloads it, whose token_uri is this fake. */
    public String serviceAccountJson() {
        ObjectNode key = JSON.createObjectNode();
        key.put("type", "service_account");
        key.put("project_id", "acme-mail");
        key.put("private_key_id", "0123456789abcdef0123456789abcdef01234567");
        key.put("private_key", "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(
                        KEYS.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n");
        key.put("client_email", CLIENT_EMAIL);
        key.put("client_id", CLIENT_ID);
        key.put("auth_uri", "https://accounts.google.com/o/oauth2/auth");
        key.put("token_uri", baseUrl() + "/token");
        return key.toString();
    }

    /** The private key's base64 body, which must never appear in logs or errors. */
    public static String privateKeyText() {
        return Base64.getEncoder().encodeToString(KEYS.getPrivate().getEncoded());
    }

    /** Each API request is answered this much later (a real server's latency; lets kill tests land mid-sync). */
    public void latency(long millis) {
        latencyMillis = millis;
    }

    /** Whether the Workspace administrator granted the service account domain-wide delegation. */
    public void delegated(boolean granted) {
        delegated = granted;
    }

    /** The scope granted to the client id in the Admin console (tokens for others are refused). */
    public void grantedScope(String scope) {
        grantedScope = scope;
    }

    /** Queues a fault for the next request or batch part whose path contains {@code match}. */
    public synchronized void fault(String match, int status, String retryAfter, String reason) {
        faults.add(new Fault(match, status, retryAfter, reason));
    }

    public synchronized int pendingFaults() {
        return faults.size();
    }

    /** History ids below the current one are expired: history.list from them answers 404. */
    public synchronized void expireHistory() {
        expiredBelow = historyId + 1;
    }

    public synchronized long historyId() {
        return historyId;
    }

    public synchronized int messageCount() {
        return byId.size();
    }

    /** Adds a raw message under {@code label}; internalDate from its parsed time (Date, else 2000-01-01). */
    public synchronized String addRaw(String label, byte[] raw, HeaderParser parser) {
        Instant time;
        try {
            MailMessage m = parser.parse(raw, new Place("x", label, false), null);
            time = m.eventTime();
        } catch (UnreadableMessageException e) {
            time = null;
        }
        return add(label, RawHeaders.of(raw), time == null ? Instant.parse("2000-01-01T00:00:00Z") : time);
    }

    /** Adds a message with these headers (name, value, name, value ...) under {@code label}. */
    public synchronized String add(String label, Instant internalDate, String... headers) {
        List<String[]> list = new ArrayList<>();
        for (int i = 0; i + 1 < headers.length; i += 2) {
            list.add(new String[] {headers[i], headers[i + 1]});
        }
        return add(label, list, internalDate);
    }

    private String add(String label, List<String[]> headers, Instant internalDate) {
        String id = String.format("18c%013x", nextId++);
        String thread = null;
        for (String name : List.of("In-Reply-To", "References")) {
            String refs = RawHeaders.first(headers, name);
            if (refs != null) {
                for (String ref : refs.split("[\\s,]+")) {
                    String t = threads.get(ref.strip());
                    if (thread == null && t != null) {
                        thread = t;
                    }
                }
            }
        }
        if (thread == null) {
            thread = id;
        }
        String messageId = RawHeaders.first(headers, "Message-ID");
        if (messageId != null) {
            threads.putIfAbsent(messageId.strip(), thread);
        }
        historyId += 1;
        byId.put(id, new Stored(id, thread, List.of(label), internalDate.toEpochMilli(), headers, historyId));
        labels.computeIfAbsent(label, k -> new ArrayList<>()).add(id);
        return id;
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getRawPath();
            String query = ex.getRequestURI().getRawQuery();
            String full = path + (query == null ? "" : "?" + query);
            requests.add(full);
            arrivals.add(System.nanoTime());
            byte[] body = ex.getRequestBody().readAllBytes();
            if (latencyMillis > 0) {
                Thread.sleep(latencyMillis);
            }
            if (path.equals("/token")) {
                token(ex, new String(body, StandardCharsets.UTF_8));
                return;
            }
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            if (auth == null || !auth.startsWith("Bearer ") || !tokens.contains(auth.substring(7))) {
                send(ex, 401, "application/json", error(401, "Request had invalid authentication credentials.",
                        "authError", "UNAUTHENTICATED"), Map.of());
                return;
            }
            if (path.equals("/batch/gmail/v1") && ex.getRequestMethod().equals("POST")) {
                batch(ex, body);
                return;
            }
            Reply r = answer(full);
            send(ex, r.status, "application/json; charset=UTF-8", r.body, r.headers);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            e.printStackTrace();
            throw e;
        }
    }

    /** An inner response: status, JSON body, headers. */
    private record Reply(int status, String body, Map<String, String> headers) {
    }

    private Reply answer(String full) {
        Fault fault = takeFault(full);
        if (fault != null) {
            long after = fault.retryAfter == null ? 0 : Long.parseLong(fault.retryAfter);
            answered.add(new Answered(full, fault.status, after, System.nanoTime()));
            return new Reply(fault.status, error(fault.status, "fault", fault.reason, "RESOURCE_EXHAUSTED"),
                    fault.retryAfter == null ? Map.of() : Map.of("Retry-After", fault.retryAfter));
        }
        URI uri = URI.create(full);
        Matcher m = API.matcher(uri.getRawPath());
        if (!m.matches() || !URLDecoder.decode(m.group(1), StandardCharsets.UTF_8).equalsIgnoreCase(user)) {
            return new Reply(404, error(404, "Requested entity was not found.", "notFound", "NOT_FOUND"), Map.of());
        }
        Map<String, List<String>> q = query(uri.getRawQuery());
        String rest = m.group(2);
        synchronized (this) {
            if (rest.equals("/profile")) {
                ObjectNode p = JSON.createObjectNode();
                p.put("emailAddress", user);
                p.put("messagesTotal", byId.size());
                p.put("historyId", Long.toString(historyId));
                return ok(p);
            }
            if (rest.equals("/labels")) {
                ObjectNode out = JSON.createObjectNode();
                ArrayNode list = out.putArray("labels");
                labels.keySet().forEach(l -> list.add(label(l)));
                return ok(out);
            }
            if (rest.startsWith("/labels/")) {
                String l = URLDecoder.decode(rest.substring(8), StandardCharsets.UTF_8);
                return labels.containsKey(l) || l.equals("INBOX") || l.equals("SENT") ? ok(label(l))
                        : new Reply(404, error(404, "Requested entity was not found.", "notFound", "NOT_FOUND"), Map.of());
            }
            if (rest.equals("/messages")) {
                return ok(list(q));
            }
            if (rest.startsWith("/messages/")) {
                Stored s = byId.get(rest.substring(10));
                return s == null ? new Reply(404, error(404, "Requested entity was not found.", "notFound", "NOT_FOUND"),
                        Map.of()) : ok(metadata(s, q.getOrDefault("metadataHeaders", List.of())));
            }
            if (rest.equals("/history")) {
                long start = Long.parseLong(q.get("startHistoryId").get(0));
                if (start < expiredBelow) {
                    return new Reply(404, error(404, "Requested entity was not found.", "notFound", "NOT_FOUND"), Map.of());
                }
                return ok(history(start, q));
            }
        }
        return new Reply(400, error(400, "unknown request " + rest, "badRequest", "INVALID_ARGUMENT"), Map.of());
    }

    private ObjectNode label(String l) {
        ObjectNode n = JSON.createObjectNode();
        n.put("id", l);
        n.put("name", l);
        n.put("type", l.equals("INBOX") || l.equals("SENT") ? "system" : "user");
        n.put("messagesTotal", labels.getOrDefault(l, List.of()).size());
        return n;
    }

    private ObjectNode list(Map<String, List<String>> q) {
        String label = q.get("labelIds").get(0);
        int max = Math.min(500, Integer.parseInt(q.getOrDefault("maxResults", List.of("100")).get(0)));
        int offset = q.containsKey("pageToken") ? Integer.parseInt(q.get("pageToken").get(0).substring(4)) : 0;
        List<String> ids = labels.getOrDefault(label, List.of());
        ObjectNode out = JSON.createObjectNode();
        ArrayNode messages = out.putArray("messages");
        // Newest first, as Gmail lists.
        for (int i = offset; i < Math.min(ids.size(), offset + max); i++) {
            Stored s = byId.get(ids.get(ids.size() - 1 - i));
            ObjectNode m = messages.addObject();
            m.put("id", s.id);
            m.put("threadId", s.threadId);
        }
        if (messages.isEmpty()) {
            out.remove("messages");
        }
        if (offset + max < ids.size()) {
            out.put("nextPageToken", "page" + (offset + max));
        }
        out.put("resultSizeEstimate", ids.size());
        return out;
    }

    private ObjectNode metadata(Stored s, List<String> wanted) {
        ObjectNode m = JSON.createObjectNode();
        m.put("id", s.id);
        m.put("threadId", s.threadId);
        ArrayNode labelIds = m.putArray("labelIds");
        s.labels.forEach(labelIds::add);
        m.put("snippet", "");
        m.put("historyId", Long.toString(s.historyId));
        m.put("internalDate", Long.toString(s.internalDate));
        ObjectNode payload = m.putObject("payload");
        payload.put("mimeType", "text/plain");
        ArrayNode headers = payload.putArray("headers");
        Set<String> names = new java.util.HashSet<>();
        wanted.forEach(w -> names.add(w.toLowerCase(Locale.ROOT)));
        for (String[] h : s.headers) {
            if (names.contains(h[0].toLowerCase(Locale.ROOT))) {
                ObjectNode n = headers.addObject();
                n.put("name", h[0]);
                n.put("value", h[1]);
            }
        }
        return m;
    }

    private ObjectNode history(long start, Map<String, List<String>> q) {
        String label = q.get("labelId").get(0);
        int max = Math.min(500, Integer.parseInt(q.getOrDefault("maxResults", List.of("100")).get(0)));
        int offset = q.containsKey("pageToken") ? Integer.parseInt(q.get("pageToken").get(0).substring(4)) : 0;
        List<Stored> added = new ArrayList<>();
        for (String id : labels.getOrDefault(label, List.of())) {
            Stored s = byId.get(id);
            if (s.historyId > start) {
                added.add(s);
            }
        }
        ObjectNode out = JSON.createObjectNode();
        ArrayNode history = out.putArray("history");
        for (int i = offset; i < Math.min(added.size(), offset + max); i++) {
            Stored s = added.get(i);
            ObjectNode h = history.addObject();
            h.put("id", Long.toString(s.historyId));
            ObjectNode msg = JSON.createObjectNode();
            msg.put("id", s.id);
            msg.put("threadId", s.threadId);
            h.putArray("messages").add(msg.deepCopy());
            ArrayNode labelIds = msg.putArray("labelIds");
            s.labels.forEach(labelIds::add);
            h.putArray("messagesAdded").addObject().set("message", msg);
        }
        if (history.isEmpty()) {
            out.remove("history");
        }
        if (offset + max < added.size()) {
            out.put("nextPageToken", "hist" + (offset + max));
        }
        out.put("historyId", Long.toString(historyId));
        return out;
    }

    private void batch(HttpExchange ex, byte[] body) throws IOException {
        String type = ex.getRequestHeaders().getFirst("Content-Type");
        Matcher b = Pattern.compile("boundary=\"?([^\";]+)\"?").matcher(type == null ? "" : type);
        if (type == null || !type.startsWith("multipart/mixed") || !b.find()) {
            send(ex, 400, "application/json", error(400, "batch needs multipart/mixed", "badRequest", "INVALID_ARGUMENT"), Map.of());
            return;
        }
        Fault whole = takeFault("/batch/gmail/v1");
        if (whole != null) {
            long after = whole.retryAfter == null ? 0 : Long.parseLong(whole.retryAfter);
            answered.add(new Answered("/batch/gmail/v1", whole.status, after, System.nanoTime()));
            send(ex, whole.status, "application/json", error(whole.status, "fault", whole.reason, "RESOURCE_EXHAUSTED"),
                    whole.retryAfter == null ? Map.of() : Map.of("Retry-After", whole.retryAfter));
            return;
        }
        String text = new String(body, StandardCharsets.UTF_8);
        String delimiter = "--" + b.group(1);
        String out = "batch_" + Long.toHexString(System.nanoTime());
        StringBuilder response = new StringBuilder();
        int parts = 0;
        for (String part : text.split(Pattern.quote(delimiter))) {
            if (part.isBlank() || part.startsWith("--")) {
                continue;
            }
            if (++parts > 100) {
                send(ex, 400, "application/json", error(400, "Too many requests in batch", "badRequest", "INVALID_ARGUMENT"), Map.of());
                return;
            }
            int headEnd = part.indexOf("\r\n\r\n");
            String head = part.substring(0, headEnd);
            Matcher cid = Pattern.compile("Content-ID:\\s*<([^>]+)>", Pattern.CASE_INSENSITIVE).matcher(head);
            String contentId = cid.find() ? cid.group(1) : "none";
            String requestLine = part.substring(headEnd + 4).lines().findFirst().orElse("").strip();
            String inner = requestLine.split(" ")[1];
            requests.add("batch> " + inner);
            arrivals.add(System.nanoTime());
            Reply r = answer(inner);
            response.append("--").append(out).append("\r\n")
                    .append("Content-Type: application/http\r\n")
                    .append("Content-ID: <response-").append(contentId).append(">\r\n\r\n")
                    .append("HTTP/1.1 ").append(r.status).append(r.status == 200 ? " OK" : " Error").append("\r\n")
                    .append("Content-Type: application/json; charset=UTF-8\r\n");
            r.headers.forEach((k, v) -> response.append(k).append(": ").append(v).append("\r\n"));
            response.append("\r\n").append(r.body).append("\r\n");
        }
        response.append("--").append(out).append("--\r\n");
        send(ex, 200, "multipart/mixed; boundary=" + out, response.toString(), Map.of());
    }

    /** The JWT-bearer grant: the assertion must be signed by the key, for {@code sub} = the user and the granted scope. */
    private void token(HttpExchange ex, String form) throws IOException {
        Map<String, List<String>> f = query(form);
        String grant = f.getOrDefault("grant_type", List.of("")).get(0);
        String assertion = f.getOrDefault("assertion", List.of("")).get(0);
        if (!grant.equals("urn:ietf:params:oauth:grant-type:jwt-bearer")) {
            refuse(ex, "unsupported_grant_type", "Invalid grant_type: " + grant);
            return;
        }
        String[] jwt = assertion.split("\\.");
        JsonNode header;
        JsonNode claims;
        try {
            header = JSON.readTree(Base64.getUrlDecoder().decode(jwt[0]));
            claims = JSON.readTree(Base64.getUrlDecoder().decode(jwt[1]));
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initVerify(KEYS.getPublic());
            rs256.update((jwt[0] + "." + jwt[1]).getBytes(StandardCharsets.US_ASCII));
            if (!header.path("alg").asText().equals("RS256") || !rs256.verify(Base64.getUrlDecoder().decode(jwt[2]))) {
                refuse(ex, "invalid_grant", "Invalid JWT Signature.");
                return;
            }
        } catch (Exception e) {
            refuse(ex, "invalid_grant", "Invalid JWT: " + e.getClass().getSimpleName());
            return;
        }
        long now = Instant.now().getEpochSecond();
        if (!claims.path("iss").asText().equals(CLIENT_EMAIL) || !List.of(GOOGLE_TOKEN_AUDIENCE, baseUrl() + "/token").contains(claims.path("aud").asText())
                || claims.path("exp").asLong() < now || claims.path("iat").asLong() > now + 60) {
            refuse(ex, "invalid_grant", "Invalid JWT claims (iss, aud, iat or exp): " + claims);
            return;
        }
        if (!claims.path("sub").asText().equalsIgnoreCase(user)) {
            refuse(ex, "invalid_grant", "Invalid email or User ID");
            return;
        }
        List<String> scopes = List.of(claims.path("scope").asText().split(" "));
        if (!delegated || !scopes.stream().allMatch(s -> s.equals(grantedScope))) {
            refuse(ex, "unauthorized_client", "Client is unauthorized to retrieve access tokens using this method, or"
                    + " client not authorized for any of the scopes requested.");
            return;
        }
        String token = fixedToken != null ? fixedToken : "ya29.fake-" + Long.toHexString(System.nanoTime());
        tokens.add(token);
        ObjectNode out = JSON.createObjectNode();
        out.put("access_token", token);
        out.put("expires_in", 3599);
        out.put("token_type", "Bearer");
        send(ex, 200, "application/json", out.toString(), Map.of());
    }

    /** Every token issued from now on is {@code token} (a mail server in a test knows it as the user's password). */
    public void issueToken(String token) {
        fixedToken = token;
    }

    /** Tokens issued so far are no longer accepted (as after an expiry). */
    public void revokeTokens() {
        tokens.clear();
    }

    private void refuse(HttpExchange ex, String error, String description) throws IOException {
        tokenRefusals.add(error + ": " + description);
        System.err.println("fake gmail token refusal: " + error + ": " + description);
        ObjectNode out = JSON.createObjectNode();
        out.put("error", error);
        out.put("error_description", description);
        send(ex, error.equals("unauthorized_client") ? 401 : 400, "application/json", out.toString(), Map.of());
    }

    private synchronized Fault takeFault(String full) {
        for (Fault f : faults) {
            if (full.contains(f.match)) {
                faults.remove(f);
                return f;
            }
        }
        return null;
    }

    private static Reply ok(JsonNode n) {
        return new Reply(200, n.toString(), Map.of());
    }

    private static String error(int code, String message, String reason, String status) {
        ObjectNode out = JSON.createObjectNode();
        ObjectNode e = out.putObject("error");
        e.put("code", code);
        e.put("message", message);
        ObjectNode item = e.putArray("errors").addObject();
        item.put("message", message);
        item.put("domain", reason.contains("RateLimit") || reason.equals("rateLimitExceeded") ? "usageLimits" : "global");
        item.put("reason", reason);
        e.put("status", status);
        return out.toString();
    }

    private static void send(HttpExchange ex, int status, String type, String body, Map<String, String> headers)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        headers.forEach((k, v) -> ex.getResponseHeaders().set(k, v));
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static Map<String, List<String>> query(String raw) {
        Map<String, List<String>> q = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return q;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            q.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
        }
        return q;
    }

    private static KeyPair keys() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
