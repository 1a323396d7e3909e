package dev.replyclock.web;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Failed logins are limited per user and per client address: 429 with Retry-After, the password then unchecked. */
class LoginLimitTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void fiveWrongPasswordsLockTheUserOutForTheRestOfFifteenMinutes(@TempDir Path dir) throws Exception {
        try (AuditFixture f = new AuditFixture(dir, true)) {
            for (int i = 0; i < 5; i++) {
                assertEquals(401, LoginForm.post(http, f.base, "anna", "guess " + i).statusCode());
            }
            HttpResponse<String> limited = LoginForm.post(http, f.base, "anna", AuditFixture.PASSWORD);
            assertEquals(429, limited.statusCode(), "even the right password is refused while locked");
            assertEquals("900", limited.headers().firstValue("Retry-After").orElseThrow(),
                    "the window began with the first failure, at the fixture's fixed clock");
            assertTrue(limited.body().contains("Too many failed logins"), limited.body());
            assertTrue(LoginForm.cookie(limited, "rc_session").isEmpty());

            HttpResponse<String> other = LoginForm.post(http, f.base, "vic", AuditFixture.PASSWORD);
            assertEquals(302, other.statusCode(), "another user from the same address still logs in");
            assertTrue(LoginForm.cookie(other, "rc_session").isPresent());
        }
    }

    @Test
    void twentyFailuresFromOneAddressLockEveryNameFromIt(@TempDir Path dir) throws Exception {
        try (AuditFixture f = new AuditFixture(dir, true)) {
            for (int i = 0; i < 20; i++) {
                assertEquals(401, LoginForm.post(http, f.base, "nobody-" + i, "x").statusCode(), "attempt " + i);
            }
            HttpResponse<String> limited = LoginForm.post(http, f.base, "vic", AuditFixture.PASSWORD);
            assertEquals(429, limited.statusCode());
            assertEquals("900", limited.headers().firstValue("Retry-After").orElseThrow());
        }
    }
}
