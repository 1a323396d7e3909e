package dev.replyclock.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.replyclock.app.Main;
import dev.replyclock.app.ServiceProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An office TV in a real headless Chromium: an admin prints a one-time link with {@code replyclock wall-link}, the TV
 * opens it once and shows the wall; after a real restart of {@code replyclock run} it still shows the wall and never
 * a login form; revoking the device ends that.
 */
class WallDeviceBrowserTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void theWallSurvivesARestartWithoutALoginForm(@TempDir Path dir) throws Exception {
        assertTrue(Files.isExecutable(Chromium.BINARY), "needs Debian's chromium (.ci/run installs it)");
        int port = ServiceProcess.freePort();
        String base = "http://127.0.0.1:" + port;
        String config = ServiceProcess.configYaml(dir, port, "auth:\n  tokens:\n    - {name: ops, sha256: "
                        + AuditFixture.sha(AuditFixture.ADMIN_TOKEN) + ", role: admin}\n")
                .replace("http: {port: " + port + "}", "http: {port: " + port + ", public_url: \"" + base + "\"}");
        try (Chromium tv = new Chromium(dir.resolve("profile"))) {
            String link;
            try (ServiceProcess service = ServiceProcess.start(dir, port, config)) {
                link = wallLink(dir.resolve("config.yaml"));
                assertTrue(link.startsWith(base + "/wall/enroll?token="), link);
                tv.open(link);
                awaitPath(tv, "/wall");
                assertWall(tv);
                assertEquals("", tv.text("document.cookie"), "the device cookie is HttpOnly");
                tv.open(base + "/teams/sales");
                awaitText(tv, "wall device 'lobby-tv'"); // the TV sees nothing else
            }
            try (ServiceProcess restarted = ServiceProcess.start(dir, port, config)) {
                tv.open(base + "/wall");
                assertWall(tv);
                tv.screenshot(Path.of("target", "screenshots", "wall-device-after-restart.png"));
                tv.open(link);
                awaitPath(tv, "/wall/enroll");
                awaitText(tv, "already used"); // the link worked once only

                HttpResponse<String> revoked = http.send(HttpRequest.newBuilder(URI.create(base + "/api/wall-devices/lobby-tv"))
                        .header("Authorization", "Bearer " + AuditFixture.ADMIN_TOKEN).DELETE().build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(204, revoked.statusCode(), revoked.body());
                tv.open(base + "/wall");
                assertEquals("/login", tv.text("location.pathname"), "revoked: the TV no longer shows the wall");
            }
        }
    }

    private static void assertWall(Chromium tv) {
        assertEquals("/wall", tv.text("location.pathname"));
        assertEquals(0, tv.eval("document.querySelectorAll('form.login, input[type=password]').length").asInt(), "no login form");
        JsonNode tiles = tv.eval("document.querySelectorAll('.team[data-team=sales]').length");
        assertEquals(1, tiles.asInt(), () -> tv.text("document.body.innerText"));
    }

    /** The enrol page submits itself and redirects; waits until the browser is at {@code path}. */
    private static void awaitPath(Chromium tv, String path) throws InterruptedException {
        await(tv, "document.readyState === 'complete' ? location.pathname : ''", path::equals,
                "the browser never reached " + path);
    }

    /**
     * Waits until the page's text holds {@code expected}: the page may still be replacing itself when the navigation
     * that led to it has completed (CI once read a document without a body there).
     */
    private static void awaitText(Chromium tv, String expected) throws InterruptedException {
        await(tv, "document.body === null ? '' : document.body.innerText", text -> text.contains(expected),
                "the page never said \"" + expected + "\"");
    }

    /** Asks the page {@code expression} every 50 ms until {@code done} holds of the answer, for 20 s at most. */
    private static void await(Chromium tv, String expression, java.util.function.Predicate<String> done, String failure)
            throws InterruptedException {
        Instant until = Instant.now().plus(Duration.ofSeconds(20));
        String answer = null;
        while (Instant.now().isBefore(until)) {
            try {
                answer = tv.text(expression);
                if (answer != null && done.test(answer)) {
                    return;
                }
            } catch (IllegalStateException navigating) {
                // the page went away between two questions; ask again
            }
            Thread.sleep(50);
        }
        throw new AssertionError(failure + "; its last answer: " + answer);
    }

    /** {@code replyclock wall-link --config FILE --name lobby-tv}, run in this JVM; its standard output. */
    private static String wallLink(Path config) {
        PrintStream out = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = Main.run("wall-link", "--config", config.toString(), "--name", "lobby-tv");
        } finally {
            System.setOut(out);
        }
        assertEquals(0, code);
        return printed.toString(StandardCharsets.UTF_8).strip();
    }
}
