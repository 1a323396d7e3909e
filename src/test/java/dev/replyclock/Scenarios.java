package dev.replyclock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.replyclock.config.Config;
import dev.replyclock.config.MailboxConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

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
}
