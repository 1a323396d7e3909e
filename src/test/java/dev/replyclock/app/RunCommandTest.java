package dev.replyclock.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code replyclock run} as a real process: it serves, becomes ready after its first poll and stops cleanly on SIGTERM. */
class RunCommandTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void servesTheReportBecomesReadyAndExitsZeroOnSigterm(@TempDir Path dir) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path examples = Path.of("examples").toAbsolutePath();
        String config = Files.readString(examples.resolve("config.yaml"))
                .replace("paths: [mail/inbox, mail/sent]", "paths: [" + examples.resolve("mail/inbox") + ", " + examples.resolve("mail/sent") + "]")
                + "store: {path: " + dir.resolve("replyclock.db") + "}\nhttp: {port: " + port + "}\npoll_interval: 1s\n";
        Path configFile = Files.writeString(dir.resolve("config.yaml"), config);
        Path log = dir.resolve("run.log");
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.replyclock.app.Main", "run", "--config", configFile.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            String base = "http://127.0.0.1:" + port;
            assertEquals(200, waitFor(base + "/readyz", 200, process, log).statusCode());
            assertEquals("ok", get(base + "/healthz").body().strip());

            HttpResponse<String> report = get(base + "/api/report?now=2024-04-12T12:00:00Z");
            assertEquals(200, report.statusCode());
            JsonNode json = new ObjectMapper().readTree(report.body());
            assertEquals(11, json.get("leads").size(), report.body());
            assertEquals("at_risk", json.get("leads").get(9).get("first_response_state").asText());

            HttpResponse<String> metrics = get(base + "/metrics");
            assertEquals(200, metrics.statusCode());
            assertTrue(metrics.body().contains("replyclock_build_info{version="), metrics.body());
            assertTrue(metrics.body().contains("replyclock_leads_detected_total{mailbox="), metrics.body());
            assertTrue(metrics.body().contains("replyclock_mailbox_last_sync_success_timestamp_seconds{mailbox="), metrics.body());

            HttpResponse<String> bad = get(base + "/api/report?now=yesterday");
            assertEquals(400, bad.statusCode());
            assertTrue(bad.body().contains("now: expected an ISO-8601 instant"), bad.body());
        } finally {
            process.destroy(); // SIGTERM
        }
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "stops within 30 s");
        String output = Files.readString(log);
        assertEquals(0, process.exitValue(), output);
        assertTrue(output.contains("stopped"), output);
    }

    private HttpResponse<String> waitFor(String url, int status, Process process, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        HttpResponse<String> last = null;
        while (System.nanoTime() < deadline) {
            assertTrue(process.isAlive(), () -> "service exited: " + read(log));
            try {
                last = get(url);
                if (last.statusCode() == status) {
                    return last;
                }
            } catch (IOException notListeningYet) {
                // retry
            }
            Thread.sleep(100);
        }
        throw new AssertionError(url + " never answered " + status + "; last " + (last == null ? "none" : last.statusCode() + " " + last.body())
                + "\n" + read(log));
    }

    private HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return e.toString();
        }
    }
}
