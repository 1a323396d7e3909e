package dev.replyclock.app;

import at.favre.lib.crypto.bcrypt.BCrypt;
import dev.replyclock.store.Store;
import dev.replyclock.web.LoginForm;
import dev.replyclock.web.auth.Access;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A logged-in session survives a real restart of {@code replyclock run}; a new password hash for the user in the
 * config ends it at the next start. The store holds only the cookie's digest.
 */
class SessionRestartTest {

    private final HttpClient http = HttpClient.newHttpClient();

    private static String auth(String password) {
        return "auth:\n  users:\n    - {name: anna, password_hash: \"" + BCrypt.withDefaults().hashToString(4, password.toCharArray())
                + "\", role: manager, teams: [sales]}\n";
    }

    @Test
    void aSessionSurvivesARestartAndAPasswordChangeEndsIt(@TempDir Path dir) throws Exception {
        int port = ServiceProcess.freePort();
        String config = ServiceProcess.configYaml(dir, port, auth("first password"));
        String cookie;
        try (ServiceProcess service = ServiceProcess.start(dir, port, config)) {
            HttpResponse<String> login = LoginForm.post(http, service.base, "anna", "first password");
            assertEquals(302, login.statusCode(), login.body());
            cookie = "rc_session=" + LoginForm.cookie(login, "rc_session").orElseThrow();
            assertEquals(200, LoginForm.get(http, service.base + "/teams/sales", cookie).statusCode());
        }
        String value = cookie.substring("rc_session=".length());
        assertFalse(contains(dir, value), "the cookie value is nowhere in the store's files");
        try (Store store = Store.open(dir.resolve("replyclock.db"))) {
            assertTrue(store.session(Access.digest(value)).isPresent(), "its digest is");
        }

        try (ServiceProcess restarted = ServiceProcess.start(dir, port, config)) {
            HttpResponse<String> page = LoginForm.get(http, restarted.base + "/teams/sales", cookie);
            assertEquals(200, page.statusCode(), "still logged in after the restart: " + page.headers().map());
            assertEquals(200, LoginForm.get(http, restarted.base + "/api/teams", cookie).statusCode());
        }

        try (ServiceProcess newPassword = ServiceProcess.start(dir, port, ServiceProcess.configYaml(dir, port, auth("second password")))) {
            HttpResponse<String> page = LoginForm.get(http, newPassword.base + "/teams/sales", cookie);
            assertEquals(302, page.statusCode());
            assertTrue(page.headers().firstValue("Location").orElseThrow().startsWith("/login"), "back to the login form");
            assertEquals(401, LoginForm.get(http, newPassword.base + "/api/teams", cookie).statusCode());
            assertEquals(302, LoginForm.post(http, newPassword.base, "anna", "second password").statusCode());
        }
    }

    private static boolean contains(Path dir, String text) throws Exception {
        byte[] needle = text.getBytes(StandardCharsets.US_ASCII);
        try (var files = Files.list(dir)) {
            for (Path file : files.filter(p -> p.getFileName().toString().startsWith("replyclock.db")).toList()) {
                String content = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                if (content.contains(new String(needle, StandardCharsets.ISO_8859_1))) {
                    return true;
                }
            }
        }
        return false;
    }
}
