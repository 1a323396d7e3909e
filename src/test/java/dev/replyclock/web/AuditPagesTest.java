package dev.replyclock.web;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Pages over plain HTTP: escaping, login and its CSRF token, cookie flags, logout CSRF, open mode. */
class AuditPagesTest {

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> post(AuditFixture f, String path, String form, String cookie) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(f.base + path))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form));
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(AuditFixture f, String path, String cookie) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(f.base + path)).header("Cookie", cookie).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String hidden(String html, String name) {
        Matcher m = Pattern.compile("name=\"" + name + "\" value=\"([^\"]*)\"").matcher(html);
        assertTrue(m.find(), html);
        return m.group(1);
    }

    private static String cookie(HttpResponse<String> r, String name) {
        return r.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith(name + "=")).findFirst().orElseThrow();
    }

    @Test
    void everyPageEscapesMailValues(@TempDir Path dir) throws IOException {
        try (AuditFixture f = new AuditFixture(dir, true)) {
            String escaped = "&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;";
            for (String path : List.of("/", "/teams/sales", "/leads/" + URLEncoder.encode(AuditFixture.XSS_LEAD, StandardCharsets.UTF_8))) {
                HttpResponse<String> r = f.get(path, AuditFixture.ADMIN_TOKEN);
                assertEquals(200, r.statusCode(), path);
                assertTrue(r.body().contains(escaped), path);
                assertFalse(r.body().contains(AuditFixture.XSS_SUBJECT), path);
                assertTrue(r.headers().firstValue("Content-Security-Policy").orElse("").contains("script-src 'self'"));
            }
            for (String path : List.of("/reps/carol", "/wall", "/teams/sales?month=2024-02")) {
                assertEquals(200, f.get(path, AuditFixture.ADMIN_TOKEN).statusCode(), path);
            }
            assertEquals(400, f.get("/teams/sales?colour=red", AuditFixture.ADMIN_TOKEN).statusCode());
            HttpResponse<String> marketing = f.get("/teams/marketing", AuditFixture.SALES_TOKEN);
            assertEquals(200, marketing.statusCode());
            assertFalse(marketing.body().contains("id=\"reps\""), "a sales manager sees marketing's aggregates, not its reps");
            assertEquals(403, f.get("/reps/mia", AuditFixture.SALES_TOKEN).statusCode());
        }
    }

    @Test
    void loginNeedsItsCsrfTokenAndTheRightPasswordAndLogoutNeedsTheSessionToken(@TempDir Path dir) throws Exception {
        try (AuditFixture f = new AuditFixture(dir, true)) {
            HttpResponse<String> form = f.get("/login?next=/teams/sales", null);
            String token = hidden(form.body(), "csrf");
            String loginCookie = cookie(form, "rc_login");
            assertTrue(loginCookie.contains("HttpOnly") && loginCookie.contains("SameSite=Strict"), loginCookie);
            String jar = "rc_login=" + token;
            String creds = "name=anna&password=" + URLEncoder.encode(AuditFixture.PASSWORD, StandardCharsets.UTF_8) + "&next=%2Fteams%2Fsales";
            assertEquals(403, post(f, "/login", creds + "&csrf=" + token, null).statusCode(), "no cookie: a cross-site form");
            assertEquals(403, post(f, "/login", creds + "&csrf=forged", jar).statusCode());
            assertEquals(401, post(f, "/login", "name=anna&password=wrong&csrf=" + token, jar).statusCode());
            assertEquals(401, post(f, "/login", "name=nobody&password=wrong&csrf=" + token, jar).statusCode());
            HttpResponse<String> ok = post(f, "/login", creds + "&csrf=" + token, jar);
            assertEquals(302, ok.statusCode());
            assertEquals("/teams/sales", ok.headers().firstValue("Location").orElseThrow());
            String session = cookie(ok, "rc_session");
            assertTrue(session.contains("HttpOnly") && session.contains("SameSite=Strict") && !session.contains("Secure"), session);
            String sessionJar = session.substring(0, session.indexOf(';'));
            HttpResponse<String> page = get(f, "/teams/sales", sessionJar);
            assertEquals(200, page.statusCode());
            String csrf = hidden(page.body(), "csrf");
            assertEquals(403, post(f, "/logout", "csrf=forged", sessionJar).statusCode());
            assertEquals(200, get(f, "/teams/sales", sessionJar).statusCode(), "still logged in");
            assertEquals(302, post(f, "/logout", "csrf=" + URLEncoder.encode(csrf, StandardCharsets.UTF_8), sessionJar).statusCode());
            assertEquals(302, get(f, "/teams/sales", sessionJar).statusCode(), "logged out");
            assertEquals(401, http.send(HttpRequest.newBuilder(URI.create(f.base + "/api/leads")).header("Cookie", sessionJar).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());
            HttpResponse<String> evil = post(f, "/login", creds.replace("%2Fteams%2Fsales", "%2F%2Fevil.example") + "&csrf=" + token, jar);
            assertEquals("/", evil.headers().firstValue("Location").orElseThrow(), "no open redirect");
        }
    }

    @Test
    void healthAndReadinessAlsoOnTheManagementPort(@TempDir Path dir) throws Exception {
        try (AuditFixture f = new AuditFixture(dir, true)) {
            f.server.startManagement("127.0.0.1", 0);
            for (String path : List.of("/healthz", "/readyz")) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + f.server.managementPort() + path))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, r.statusCode(), path);
            }
            assertEquals(404, http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + f.server.managementPort() + "/api/leads"))
                    .build(), HttpResponse.BodyHandlers.ofString()).statusCode(), "nothing else there");
        }
    }

    @Test
    void withoutAuthEverythingIsOpen(@TempDir Path dir) throws IOException {
        try (AuditFixture f = new AuditFixture(dir, false)) {
            assertEquals(200, f.get("/api/leads?team=marketing", null).statusCode());
            assertEquals(200, f.get("/", null).statusCode());
            assertEquals(200, f.get("/api/report", null).statusCode());
            assertFalse(f.get("/", null).body().contains("Log out"));
        }
    }

    @Test
    void pageErrorsArePagesAndApiErrorsJson(@TempDir Path dir) throws IOException {
        try (AuditFixture f = new AuditFixture(dir, true)) {
            HttpResponse<String> page = f.get("/teams/nobody", AuditFixture.ADMIN_TOKEN);
            assertEquals(404, page.statusCode());
            assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"), page.headers().toString());
            assertTrue(page.body().contains("<title>Not found · Replyclock</title>") && page.body().contains("no team &#39;nobody&#39;"),
                    page.body());
            HttpResponse<String> bad = f.get("/?period=fortnight", AuditFixture.ADMIN_TOKEN);
            assertEquals(400, bad.statusCode());
            assertTrue(bad.body().contains("(parameter period)"), bad.body());
            HttpResponse<String> api = f.get("/api/teams/nobody", AuditFixture.ADMIN_TOKEN);
            assertEquals(404, api.statusCode());
            assertTrue(api.body().startsWith("{\"error\""), api.body());
        }
    }
}
