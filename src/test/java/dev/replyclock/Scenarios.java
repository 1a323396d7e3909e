package dev.replyclock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.replyclock.config.Config;
import dev.replyclock.config.MailboxConfig;
import dev.replyclock.config.SourceConfig;
import dev.replyclock.ingest.IncrementalSource;
import dev.replyclock.poll.PollCycle;
import dev.replyclock.report.LiveAnalysis;
import dev.replyclock.store.Store;
import dev.replyclock.web.HttpServer;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shared scenarios (../shared/scenarios) as the tests read them, whatever the source they go through. */
public final class Scenarios {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Scenarios() {
    }

    /** Every scenario folder (one with an expected.json), sorted; new folders are picked up. */
    public static List<Path> folders() throws IOException {
        List<Path> folders;
        try (Stream<Path> list = Files.list(SharedFiles.scenarios())) {
            folders = list.filter(p -> Files.isRegularFile(p.resolve("expected.json"))).sorted().toList();
        }
        assertFalse(folders.isEmpty(), "no scenarios found under " + SharedFiles.scenarios());
        return folders;
    }

    public static Instant now(Path scenario) throws IOException {
        return Instant.parse(Files.readString(scenario.resolve("now")).strip());
    }

    /** The scenario's configuration with its mailboxes read from another source (IMAP, Graph). */
    public static Config withMailboxes(Config files, List<MailboxConfig> mailboxes) {
        return files.withMailboxes(mailboxes);
    }

    /**
     * The report counts as many distinct messages as expected.json: nothing read twice, and the inbound mail of a
     * reply-only mailbox never stored (SPEC section 14).
     */
    public static void assertMessageCount(Path scenario, JsonNode report, String how) throws IOException {
        JsonNode expected = JSON.readTree(scenario.resolve("expected.json").toFile());
        org.junit.jupiter.api.Assertions.assertEquals(expected.at("/counts/messages").asLong(),
                report.at("/counts/messages").asLong(), scenario.getFileName() + " " + how + ": distinct messages");
    }

    /** The report's leads and waits equal expected.json's, with a per-path diff on failure. */
    public static void assertLeadsAndWaits(Path scenario, JsonNode report, String how) throws IOException {
        JsonNode expected = JSON.readTree(scenario.resolve("expected.json").toFile());
        for (String part : List.of("leads", "waits")) {
            List<String> differences = JsonDiff.diff(expected.get(part), report.get(part));
            assertTrue(differences.isEmpty(), () -> scenario.getFileName() + " " + how + ", " + part + ":\n  "
                    + String.join("\n  ", differences));
        }
    }

    /** Receives one message file of a scenario mailbox: the folder it lies in (its path's name) and its bytes. */
    @FunctionalInterface
    public interface Delivery {
        void deliver(String folderName, byte[] raw) throws IOException;
    }

    /** Hands every message file of a files source to {@code delivery}, path by path, files sorted; returns the names. */
    public static List<String> deliver(SourceConfig.Files source, Delivery delivery) throws IOException {
        List<String> names = new ArrayList<>();
        for (Path path : source.paths()) {
            String name = path.getFileName().toString();
            if (!names.contains(name)) {
                names.add(name);
            }
            try (Stream<Path> list = Files.list(path)) {
                for (Path file : list.filter(Files::isRegularFile).sorted().toList()) {
                    delivery.deliver(name, Files.readAllBytes(file));
                }
            }
        }
        return names;
    }

    /** Makes the source of one mailbox of the scenario's configuration (closed after its poll). */
    @FunctionalInterface
    public interface SourceFactory {
        IncrementalSource open(MailboxConfig mailbox) throws IOException;
    }

    /**
     * Polls every mailbox of {@code config} once through its source into a new store in {@code dir}, as the service
     * does, and returns {@code GET /api/report?now=} of the service's HTTP server.
     */
    public static JsonNode pollAndFetchReport(Config config, Instant now, Path dir, SourceFactory sources) throws Exception {
        Path storeFile = Files.createTempFile(dir, "store", ".db");
        Files.delete(storeFile);
        try (Store store = Store.open(storeFile)) {
            LiveAnalysis live = new LiveAnalysis(config);
            PollCycle cycle = new PollCycle(store, live, Clock.systemUTC());
            for (MailboxConfig m : config.mailboxes()) {
                try (IncrementalSource source = sources.open(m)) {
                    PollCycle.Outcome outcome = cycle.poll(m.id(), source);
                    assertFalse(outcome.failed(), outcome.error());
                }
            }
            try (HttpServer http = new HttpServer(live, Optional::empty, Clock.systemUTC()).start("127.0.0.1", 0)) {
                HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + http.port() + "/api/report?now=" + now)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, response.statusCode(), response.body());
                assertEquals("application/json", response.headers().firstValue("Content-Type").orElse("").split(";")[0]);
                return JSON.readTree(response.body());
            }
        }
    }
}
