package dev.replyclock.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.replyclock.web.auth.Access;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The wall credential over HTTP: admins make one-time links, a link works once and gives a long-lived HttpOnly
 * device cookie kept only as a digest, the device sees the wall and nothing else, and revoking ends it at once.
 */
class WallDevicesApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern TOKEN = Pattern.compile("name=\"token\" value=\"([A-Za-z0-9_-]+)\"");
    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> createLink(AuditFixture f, String name, String... headers) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(f.base + "/api/wall-links")).headers(headers)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\": " + JSON.writeValueAsString(name) + "}")));
    }

    private HttpResponse<String> enroll(AuditFixture f, String token) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(f.base + "/wall/enroll"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("token=" + token)));
    }

    @Test
    void onlyAdminsMakeLinksAndASessionNeedsItsCsrfHeader(@TempDir Path dir) throws Exception {
        try (AuditFixture f = new AuditFixture(dir, true)) {
            assertEquals(403, createLink(f, "lobby-tv", "Authorization", "Bearer " + AuditFixture.VIEWER_TOKEN).statusCode());
            assertEquals(403, createLink(f, "lobby-tv", "Authorization", "Bearer " + AuditFixture.SALES_TOKEN).statusCode());
            HttpResponse<String> bad = createLink(f, "lobby tv; drop", "Authorization", "Bearer " + AuditFixture.ADMIN_TOKEN);
            assertEquals(400, bad.statusCode());
            assertEquals("name", JSON.readTree(bad.body()).get("parameter").asText());

            String session = "rc_session=" + LoginForm.cookie(LoginForm.post(http, f.base, "root", AuditFixture.PASSWORD), "rc_session").orElseThrow();
            assertEquals(403, createLink(f, "lobby-tv", "Cookie", session).statusCode(), "a session alone is not enough (CSRF)");
            Matcher csrf = Pattern.compile("name=\"csrf\" value=\"([A-Za-z0-9_-]+)\"").matcher(LoginForm.get(http, f.base + "/", session).body());
            assertTrue(csrf.find());
            HttpResponse<String> made = createLink(f, "lobby-tv", "Cookie", session, "X-CSRF-Token", csrf.group(1));
            assertEquals(201, made.statusCode(), made.body());
            assertTrue(JSON.readTree(made.body()).get("url").asText().startsWith(f.base + "/wall/enroll?token="), made.body());
        }
    }

    @Test
    void aLinkWorksOnceAndTheDeviceSeesOnlyTheWallUntilRevoked(@TempDir Path dir) throws Exception {
        try (AuditFixture f = new AuditFixture(dir, true)) {
            HttpResponse<String> made = createLink(f, "lobby-tv", "Authorization", "Bearer " + AuditFixture.ADMIN_TOKEN);
            assertEquals(201, made.statusCode(), made.body());
            JsonNode link = JSON.readTree(made.body());
            assertEquals("2024-02-29T14:45:00Z", link.get("expires_at").asText(), "24 h after the fixture's now");

            HttpResponse<String> preview = send(HttpRequest.newBuilder(URI.create(link.get("url").asText())));
            assertEquals(200, preview.statusCode(), "a GET (a chat app's preview) shows the form and uses nothing");
            Matcher token = TOKEN.matcher(preview.body());
            assertTrue(token.find(), preview.body());

            HttpResponse<String> enrolled = enroll(f, token.group(1));
            assertEquals(303, enrolled.statusCode(), enrolled.body());
            assertEquals("/wall", enrolled.headers().firstValue("Location").orElseThrow());
            String setCookie = enrolled.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("rc_wall=")).findFirst().orElseThrow();
            assertTrue(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Strict") && setCookie.contains("Max-Age=34560000"), setCookie);
            String value = LoginForm.cookie(enrolled, Access.WALL_COOKIE).orElseThrow();
            assertTrue(f.store.wallDevice(value).isEmpty(), "the token itself is not stored");
            assertEquals("lobby-tv", f.store.wallDevice(Access.digest(value)).orElseThrow().name());

            assertEquals(410, enroll(f, token.group(1)).statusCode(), "a link works once");
            assertEquals(410, enroll(f, "made-up").statusCode());

            String device = Access.WALL_COOKIE + "=" + value;
            HttpResponse<String> wall = LoginForm.get(http, f.base + "/wall", device);
            assertEquals(200, wall.statusCode());
            assertTrue(wall.body().contains("data-team=\"sales\""), wall.body());
            for (String path : new String[] {"/", "/teams/sales", "/api/teams", "/api/leads", "/api/report", "/api/wall-devices"}) {
                assertEquals(403, LoginForm.get(http, f.base + path, device).statusCode(), path);
            }

            JsonNode devices = JSON.readTree(f.get("/api/wall-devices", AuditFixture.ADMIN_TOKEN).body()).get("devices");
            assertEquals("lobby-tv", devices.get(0).get("name").asText());
            HttpResponse<String> revoked = send(HttpRequest.newBuilder(URI.create(f.base + "/api/wall-devices/lobby-tv"))
                    .header("Authorization", "Bearer " + AuditFixture.ADMIN_TOKEN).DELETE());
            assertEquals(204, revoked.statusCode(), revoked.body());
            HttpResponse<String> after = LoginForm.get(http, f.base + "/wall", device);
            assertEquals(302, after.statusCode(), "revoked: back to the login form");
            assertEquals(404, send(HttpRequest.newBuilder(URI.create(f.base + "/api/wall-devices/lobby-tv"))
                    .header("Authorization", "Bearer " + AuditFixture.ADMIN_TOKEN).DELETE()).statusCode());
        }
    }
}
