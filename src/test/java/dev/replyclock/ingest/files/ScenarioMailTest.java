package dev.replyclock.ingest.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.replyclock.domain.MailMessage;
import dev.replyclock.ingest.CollectingSink;
import dev.replyclock.ingest.HeaderParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Reads the mail of every shared scenario through {@link FilesSource}, with the paths of its
 * config.yaml, and checks the reading counts of its expected.json: files, unreadable, messages
 * (distinct ids), duplicates and undated. (Automated and conversations need rules beyond reading.) A reply-only
 * mailbox keeps only outbound mail (SPEC section 14): here, mail from an internal domain.
 */
class ScenarioMailTest {

    static Path shared() {
        return Path.of(System.getProperty("replyclock.shared", "../shared"));
    }

    @TestFactory
    Stream<DynamicTest> everyScenarioReadsAsExpected() throws IOException {
        Path scenarios = shared().resolve("scenarios");
        List<Path> dirs;
        try (Stream<Path> s = Files.list(scenarios)) {
            dirs = s.filter(Files::isDirectory).sorted().toList();
        }
        assertTrue(dirs.size() >= 20, "scenarios found in " + scenarios);
        return dirs.stream().map(dir -> DynamicTest.dynamicTest(dir.getFileName().toString(), () -> check(dir)));
    }

    private static void check(Path dir) throws IOException {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        JsonNode config = yaml.readTree(dir.resolve("config.yaml").toFile());
        JsonNode expected = new ObjectMapper().readTree(dir.resolve("expected.json").toFile()).get("counts");
        String attribution = config.path("attribution_header").asText("X-Replyclock-Rep");
        HeaderParser parser = new HeaderParser(attribution);
        CollectingSink sink = new CollectingSink();
        for (JsonNode mailbox : config.path("mailboxes")) {
            List<Path> paths = new ArrayList<>();
            for (JsonNode p : mailbox.path("source").path("paths")) {
                paths.add(dir.resolve(p.asText()));
            }
            if (mailbox.path("replies_only").asBoolean(false)) {
                List<String> internal = new ArrayList<>();
                config.path("internal_domains").forEach(d -> internal.add(d.asText()));
                new FilesSource(mailbox.path("id").asText(), paths, parser).readAll(dev.replyclock.ingest.MessageSink.filtered(
                        sink, m -> m.firstFrom() != null && internal.contains(m.firstFrom().substring(m.firstFrom().lastIndexOf('@') + 1))));
            } else {
                new FilesSource(mailbox.path("id").asText(), paths, parser).readAll(sink);
            }
        }
        Map<String, MailMessage> merged = sink.merged();
        long undated = merged.values().stream().filter(m -> !m.dated()).count();
        String got = "files=" + sink.files + " unreadable=" + sink.unreadableCount + " messages=" + merged.size()
                + " duplicates=" + (sink.messages.size() - merged.size()) + " undated=" + undated;
        String want = "files=" + expected.get("files").asInt() + " unreadable=" + expected.get("unreadable").asInt()
                + " messages=" + expected.get("messages").asInt() + " duplicates="
                + expected.get("duplicates").asInt() + " undated=" + expected.get("undated").asInt();
        assertEquals(want, got, dir.getFileName() + " unreadable: " + sink.unreadable);
    }

    @Test
    void bouncesScenarioHasOnlyTheLicenseUnreadable() throws IOException {
        Path inbox = shared().resolve("scenarios/20-bounces/mail/inbox");
        CollectingSink sink = new CollectingSink();
        new FilesSource("test-inbox", List.of(inbox), new HeaderParser("X-Replyclock-Rep")).readAll(sink);
        assertEquals(630, sink.files);
        assertEquals(List.of(inbox.resolve("LICENSE").toString()), List.copyOf(sink.unreadable.keySet()));
        assertEquals(629, sink.messages.size());
        assertEquals(538, sink.merged().size(), "distinct ids");
        assertTrue(sink.messages.stream().allMatch(m -> m.places().get(0).inboxFolder()));
    }
}
