package dev.replyclock.app;

import at.favre.lib.crypto.bcrypt.BCrypt;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.replyclock.MutableClock;
import dev.replyclock.config.Config;
import dev.replyclock.config.ConfigLoader;
import dev.replyclock.web.auth.Access;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Dispositions (SPEC section 14) through the running service: set on live leads, they reach /api/report, /api/teams,
 * /metrics and the alert outbox, survive a restart, and withdrawing them brings the computed figures back; every
 * refused request answers with its status and names the field at fault.
 */
class DispositionServiceTest {

    static final String ADMIN = "admin-token";
    static final String SALES = "sales-manager-token";
    static final String MARKETING = "marketing-manager-token";
    static final String VIEWER = "viewer-token";
    static final String PASSWORD = "correct horse";
    static final Instant T0 = Instant.parse("2024-12-09T09:00:00Z");
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    HttpServer webhook;
    final List<String> alerts = new CopyOnWriteArrayList<>();
    final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    Config config;
    String base;

    @BeforeEach
    void start() throws IOException {
        webhook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        webhook.createContext("/hook", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                alerts.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            exchange.sendResponseHeaders(200, 2);
            exchange.getResponseBody().write("ok".getBytes(StandardCharsets.UTF_8));
            exchange.close();
        });
        webhook.start();
        Files.createDirectories(dir.resolve("mail"));
        String hash = BCrypt.withDefaults().hashToString(4, PASSWORD.toCharArray());
        Files.writeString(dir.resolve("config.yaml"), """
                internal_domains: [acme.example]
                calendars: {utc: {zone: UTC, hours: 24x7}}
                sla_policies: {sales: {first_response: 60s, warn_before: 30s}}
                teams:
                  sales: {members: [{id: alice, name: Alice, addresses: [alice@acme.example]}]}
                  marketing: {members: [{id: mia, name: Mia, addresses: [mia@acme.example]}]}
                mailboxes:
                  - {id: sales, address: sales@acme.example, team: sales, sla: sales, calendar: utc,
                     source: {type: files, paths: [mail]}}
                store: {path: STORE}
                http: {port: 0}
                poll_interval: 1d
                alerts:
                  channels:
                    - {name: sales-slack, type: slack, webhook_url: "URL", events: [at_risk, breached]}
                auth:
                  users:
                    - {name: anna, password_hash: "HASH", role: manager, teams: [sales]}
                  tokens:
                    - {name: ops, sha256: ADMIN, role: admin}
                    - {name: sales-script, sha256: SALES, role: manager, teams: [sales]}
                    - {name: marketing-script, sha256: MARKETING, role: manager, teams: [marketing]}
                    - {name: tv, sha256: VIEWER, role: viewer}
                """.replace("URL", "http://127.0.0.1:" + webhook.getAddress().getPort() + "/hook")
                .replace("port: 0", "port: " + freePort()).replace("STORE", dir.resolve("replyclock.db").toString()).replace("HASH", hash)
                .replace("ADMIN", sha(ADMIN)).replace("SALES", sha(SALES)).replace("MARKETING", sha(MARKETING))
                .replace("VIEWER", sha(VIEWER)));
        mail("call@buyer.example", "Carl <carl@buyer.example>", T0.minusSeconds(5));
        mail("pitch@vendor.example", "Vera <vera@vendor.example>", T0.minusSeconds(5));
        mail("open@buyer.example", "Olga <olga@buyer.example>", T0.minusSeconds(5));
        config = ConfigLoader.load(dir.resolve("config.yaml"));
    }

    @AfterEach
    void stop() {
        webhook.stop(0);
    }

    @Test
    void eachKindReachesEveryFigureSurvivesARestartAndWithdrawingRestoresTheFigures() throws Exception {
        MutableClock clock = new MutableClock(T0);
        try (RunCommand.Running running = started(clock)) {
            assertEquals(3, report().get("leads").size());
            JsonNode pitch = send("PUT", "/api/leads/pitch@vendor.example/disposition", ADMIN,
                    "{\"kind\": \"not_a_lead\", \"reason\": \"vendor pitch\"}");
            assertEquals("not_a_lead", pitch.at("/disposition/kind").asText(), pitch.toString());
            clock.set(T0.plusSeconds(12));
            JsonNode call = send("PUT", "/api/leads/call@buyer.example/disposition", SALES, """
                    {"kind": "handled_elsewhere", "reason": "called back", "note": "wants a quote",
                     "at": "2024-12-09T09:00:10Z", "rep": "alice"}""");
            assertEquals("met", call.get("first_response_state").asText(), call.toString());
            assertEquals("alice", call.at("/first_response/rep").asText());
            assertEquals(15, call.at("/first_response/business_seconds").asLong(), "09:00:10 - 08:59:55");
            assertEquals("sales-script", call.at("/disposition/set_by").asText());

            clock.set(T0.plusSeconds(60)); // open@ is breached; the others would be without their dispositions
            running.service().tick();
            running.service().sendAlerts();
            // open@'s at_risk alert was overtaken by its breach; nothing about the leads under a disposition
            assertEquals(1, alerts.size(), String.join("\n", alerts));
            assertTrue(alerts.get(0).contains("Breached: olga@buyer.example"), alerts.get(0));
            assertDisposed(clock);
        }
        try (RunCommand.Running running = started(clock)) { // a restart keeps them
            assertDisposed(clock);
            JsonNode history = get("/api/leads/call@buyer.example", ADMIN).get("disposition_history");
            assertEquals(1, history.size(), history.toString());
            assertEquals("set", history.get(0).get("action").asText());

            clock.set(T0.plusSeconds(70));
            send("DELETE", "/api/leads/call@buyer.example/disposition", SALES, null);
            JsonNode withdrawn = send("DELETE", "/api/leads/pitch@vendor.example/disposition", ADMIN, null);
            assertTrue(withdrawn.get("disposition").isNull(), withdrawn.toString());
            assertEquals(List.of("set", "withdrawn"), withdrawn.get("disposition_history").findValuesAsText("action"));
            JsonNode leads = report().get("leads");
            assertEquals(3, leads.size(), "the computed figures are back");
            for (JsonNode lead : leads) {
                assertEquals("breached", lead.get("first_response_state").asText(), lead.toString());
                assertTrue(lead.get("first_response").isNull());
            }
            assertEquals(3, report().get("waits").size());
            assertEquals(3, team().get("open_breached").asInt());
            assertTrue(metric("replyclock_leads_open", "state=\"breached\"") == 3.0);
            running.service().tick();
            running.service().sendAlerts();
            assertEquals(3, alerts.size(), "once withdrawn, the breaches are alerted: " + String.join("\n", alerts));
            assertTrue(alerts.get(1).contains("Breached: ") && alerts.get(2).contains("Breached: "), String.join("\n", alerts));
            assertTrue(String.join("\n", alerts).contains("carl@buyer.example") && String.join("\n", alerts).contains("vera@vendor.example"));
        }
    }

    /** pitch@ is no lead (no lead, no wait), call@ was answered by phone, open@ is breached. */
    private void assertDisposed(MutableClock clock) throws Exception {
        JsonNode r = report();
        assertEquals(List.of("call@buyer.example", "open@buyer.example"), r.get("leads").findValuesAsText("lead_message_id"));
        JsonNode call = r.get("leads").get(0);
        assertEquals("handled_elsewhere", call.get("disposition").asText());
        assertEquals("met", call.get("first_response_state").asText());
        assertEquals(1, call.get("attempts").asInt());
        assertEquals(List.of("call@buyer.example", "open@buyer.example"), r.get("waits").findValuesAsText("message_id"));
        assertEquals("alice", r.get("waits").get(0).get("rep").asText(), "the call closed the wait");
        JsonNode team = team();
        assertEquals(2, team.get("leads").asInt(), team.toString());
        assertEquals(1, team.get("open_breached").asInt(), team.toString());
        assertEquals(1.0, metric("replyclock_leads_open", "state=\"breached\""));
        JsonNode pitch = get("/api/leads/pitch@vendor.example", SALES); // still reachable, to withdraw it
        assertEquals("not_a_lead", pitch.at("/disposition/kind").asText());
    }

    @Test
    void refusedRequestsSayWhyAndNameTheField() throws Exception {
        MutableClock clock = new MutableClock(T0.plusSeconds(20));
        try (RunCommand.Running ignored = started(clock)) {
            String lead = "/api/leads/open@buyer.example/disposition";
            String ok = "{\"kind\": \"not_a_lead\", \"reason\": \"spam\"}";
            assertEquals(403, request("PUT", lead, VIEWER, ok).statusCode(), "viewers may not");
            assertEquals(403, request("PUT", lead, MARKETING, ok).statusCode(), "a manager of another team may not");
            assertEquals(403, request("DELETE", lead, VIEWER, null).statusCode());
            assertEquals(401, request("PUT", lead, null, ok).statusCode());
            assertEquals(404, request("PUT", "/api/leads/nope@x.example/disposition", ADMIN, ok).statusCode());
            assertEquals(404, request("DELETE", lead, ADMIN, null).statusCode(), "nothing to withdraw");
            assertBadField("kind", "{\"kind\": \"spam\", \"reason\": \"x\"}");
            assertBadField("kind", "{\"reason\": \"x\"}");
            assertBadField("reason", "{\"kind\": \"not_a_lead\"}");
            assertBadField("reason", "{\"kind\": \"not_a_lead\", \"reason\": \"  \"}");
            assertBadField("at", "{\"kind\": \"handled_elsewhere\", \"reason\": \"x\", \"at\": \"2024-12-09T08:59:54Z\"}");
            assertBadField("at", "{\"kind\": \"handled_elsewhere\", \"reason\": \"x\", \"at\": \"2024-12-09T09:00:21Z\"}");
            assertBadField("at", "{\"kind\": \"handled_elsewhere\", \"reason\": \"x\", \"at\": \"yesterday\"}");
            assertBadField("rep", "{\"kind\": \"handled_elsewhere\", \"reason\": \"x\", \"rep\": \"mallory\"}");
            assertBadField("colour", "{\"kind\": \"not_a_lead\", \"reason\": \"x\", \"colour\": \"red\"}");
            assertEquals(400, request("PUT", lead, ADMIN, "not json").statusCode());
            assertTrue(get("/api/leads/open@buyer.example", ADMIN).get("disposition_history").isEmpty(), "nothing was stored");

            // A logged-in manager uses the lead page's form, which must carry the session's CSRF token.
            String session = login();
            String page = page("/leads/open@buyer.example", session);
            String csrf = hidden(page);
            String form = "kind=handled_elsewhere&reason=" + URLEncoder.encode("called back", StandardCharsets.UTF_8) + "&rep=alice&at=";
            assertEquals(403, post("/leads/open@buyer.example/disposition", form, session).statusCode(), "no CSRF token");
            assertEquals(403, post("/leads/open@buyer.example/disposition", form + "&csrf=forged", session).statusCode());
            assertEquals(403, request("PUT", lead, session, ok).statusCode(), "the API from a session needs the token too");
            HttpResponse<String> done = post("/leads/open@buyer.example/disposition", form + "&csrf="
                    + URLEncoder.encode(csrf, StandardCharsets.UTF_8), session);
            assertEquals(303, done.statusCode(), done.body());
            assertEquals("/leads/open%40buyer.example", done.headers().firstValue("Location").orElseThrow());
            String after = page("/leads/open@buyer.example", session);
            assertTrue(after.contains("handled elsewhere") && after.contains("called back") && after.contains("Withdraw"), after);
            assertEquals("anna", get("/api/leads/open@buyer.example", ADMIN).at("/disposition/set_by").asText());
            assertEquals(303, post("/leads/open@buyer.example/disposition/withdraw", "csrf="
                    + URLEncoder.encode(csrf, StandardCharsets.UTF_8), session).statusCode());
            assertTrue(get("/api/leads/open@buyer.example", ADMIN).get("disposition").isNull());
        }
    }

    private void assertBadField(String field, String body) throws Exception {
        HttpResponse<String> r = request("PUT", "/api/leads/open@buyer.example/disposition", SALES, body);
        assertEquals(400, r.statusCode(), body + " -> " + r.body());
        assertEquals(field, JSON.readTree(r.body()).get("parameter").asText(), r.body());
    }

    private RunCommand.Running started(MutableClock clock) throws Exception {
        RunCommand.Running running = RunCommand.start(config, clock, "127.0.0.1");
        base = "http://127.0.0.1:" + running.http().port();
        running.service().pollAll();
        return running;
    }

    private JsonNode report() throws Exception {
        return get("/api/report", ADMIN);
    }

    private JsonNode team() throws Exception {
        return get("/api/teams/sales?window=30d", ADMIN);
    }

    private double metric(String name, String label) throws Exception {
        String body = request("GET", "/metrics", null, null).body();
        double sum = 0;
        for (String line : body.split("\n")) {
            if (line.startsWith(name + "{") && line.contains(label)) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    private JsonNode get(String path, String token) throws Exception {
        return send("GET", path, token, null);
    }

    private JsonNode send(String method, String path, String token, String body) throws Exception {
        HttpResponse<String> r = request(method, path, token, body);
        assertEquals(200, r.statusCode(), method + " " + path + " -> " + r.body());
        return JSON.readTree(r.body());
    }

    /** {@code token} is a bearer token, or a session cookie ({@code rc_session=...}). */
    private HttpResponse<String> request(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path.replace("@", "%40")))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null && token.startsWith("rc_session=")) {
            b.header("Cookie", token);
        } else if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String form, String session) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path.replace("@", "%40")))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Cookie", session)
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private String page(String path, String session) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path.replace("@", "%40")))
                .header("Cookie", session).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return r.body();
    }

    private String login() throws Exception {
        HttpResponse<String> form = http.send(HttpRequest.newBuilder(URI.create(base + "/login")).build(),
                HttpResponse.BodyHandlers.ofString());
        String token = hidden(form.body());
        HttpResponse<String> ok = http.send(HttpRequest.newBuilder(URI.create(base + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Cookie", "rc_login=" + token)
                .POST(HttpRequest.BodyPublishers.ofString("name=anna&password=" + URLEncoder.encode(PASSWORD,
                        StandardCharsets.UTF_8) + "&csrf=" + token)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(302, ok.statusCode(), ok.body());
        String cookie = ok.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("rc_session=")).findFirst()
                .orElseThrow();
        assertFalse(cookie.isEmpty());
        return cookie.substring(0, cookie.indexOf(';'));
    }

    private static String hidden(String html) {
        Matcher m = Pattern.compile("name=\"csrf\" value=\"([^\"]*)\"").matcher(html);
        assertTrue(m.find(), html);
        return m.group(1);
    }

    private void mail(String id, String from, Instant date) throws IOException {
        Files.writeString(dir.resolve("mail").resolve(id + ".eml"), """
                Message-ID: <%s>
                Date: %s
                From: %s
                To: Sales <sales@acme.example>
                Subject: Request %s

                (body)
                """.formatted(id, DateTimeFormatter.RFC_1123_DATE_TIME.format(date.atOffset(ZoneOffset.UTC)), from, id));
    }

    private static int freePort() throws IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String sha(String token) {
        return HexFormat.of().formatHex(Access.sha256(token));
    }

}
