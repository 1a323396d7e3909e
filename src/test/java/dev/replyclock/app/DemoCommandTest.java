package dev.replyclock.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.replyclock.demo.DemoWorld;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code replyclock demo} as a real process, for a bounded time (at most 60 s, usually about 20 s): through the API,
 * leads arrive live, reps answer some, at least one goes at risk and one breaches, alerts are sent to the log
 * channel and {@code /metrics} counts them. The demo clock runs 240x so a 1 h SLA breaches in 15 s.
 */
class DemoCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void liveLeadsAreAnsweredGoAtRiskAndBreachAndAlertsAreSent(@TempDir Path dir) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Instant started = Instant.now();
        Path log = dir.resolve("demo.log");
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.replyclock.app.Main", "demo", "--seed", "7",
                "--port", Integer.toString(port), "--speed", "240", "--lead-every", "2s", "--for", "60s",
                "--dir", dir.resolve("work").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        String base = "http://127.0.0.1:" + port;
        List<String> missing = new ArrayList<>();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(55);
            while (System.nanoTime() < deadline) {
                assertTrue(process.isAlive(), () -> "demo exited early:\n" + read(log));
                missing = missing(base, started);
                if (missing.isEmpty()) {
                    break;
                }
                Thread.sleep(1000);
            }
            List<String> last = missing;
            assertTrue(last.isEmpty(), () -> "after 55 s still missing: " + last + "\n" + read(log));

            String output = read(log);
            Matcher firstPage = Pattern.compile("First page served (\\d+) ms after start").matcher(output);
            assertTrue(firstPage.find(), output);
            System.out.println("replyclock demo: first page served after " + firstPage.group(1) + " ms");
            assertTrue(output.contains("/wall") && output.contains("log in as demo / demo"), output);
            assertTrue(output.contains("[demo-log] Breached:"), "the log channel wrote the alerts:\n" + output);
            assertEquals(200, get(base + "/wall", true).statusCode());
        } finally {
            process.destroy(); // SIGTERM
        }
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "stops within 30 s");
        String output = read(log);
        assertEquals(0, process.exitValue(), output);
        assertTrue(output.contains("Demo over:"), output);
    }

    /** What the demo has not shown yet (empty once everything the issue asks for happened). */
    private List<String> missing(String base, Instant started) throws InterruptedException {
        List<String> missing = new ArrayList<>();
        try {
            HttpResponse<String> response = get(base + "/api/leads?limit=1000", true);
            if (response.statusCode() != 200) {
                return List.of("/api/leads: " + response.statusCode());
            }
            JsonNode leads = JSON.readTree(response.body()).get("leads");
            int live = 0;
            int answered = 0;
            boolean atRisk = false;
            boolean breached = false;
            for (JsonNode lead : leads) {
                if (Instant.parse(lead.get("start").asText()).isBefore(started)) {
                    continue;
                }
                live++;
                answered += lead.get("first_response").isNull() ? 0 : 1;
                String state = lead.get("first_response_state").asText();
                atRisk |= state.equals("at_risk");
                breached |= state.equals("breached");
            }
            if (live < 3) {
                missing.add("3 live leads (" + live + ")");
            }
            if (answered < 1) {
                missing.add("an answered live lead");
            }
            if (!atRisk) {
                missing.add("a live lead at_risk");
            }
            if (!breached) {
                missing.add("a live lead breached");
            }
            String metrics = get(base + "/metrics", false).body();
            if (!Pattern.compile("(?m)^replyclock_alerts_sent_total\\{[^}]*event=\"breached\"[^}]*} [1-9]").matcher(metrics).find()) {
                missing.add("replyclock_alerts_sent_total{event=breached} > 0");
            }
            if (!Pattern.compile("(?m)^replyclock_alerts_sent_total\\{[^}]*event=\"at_risk\"[^}]*} [1-9]").matcher(metrics).find()) {
                missing.add("replyclock_alerts_sent_total{event=at_risk} > 0");
            }
            if (!metrics.contains("replyclock_leads_detected_total{")) {
                missing.add("replyclock_leads_detected_total");
            }
        } catch (IOException notYet) {
            missing.add("HTTP: " + notYet);
        }
        return missing;
    }

    private HttpResponse<String> get(String url, boolean token) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
        if (token) {
            b.header("Authorization", "Bearer " + DemoWorld.TOKEN);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return e.toString();
        }
    }
}
