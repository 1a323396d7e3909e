package dev.replyclock.ingest.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.replyclock.domain.MailMessage;
import dev.replyclock.ingest.CollectingSink;
import dev.replyclock.ingest.HeaderParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Reads the SpamAssassin public corpus (6,046 real messages from 2002) through {@link FilesSource}.
 * Install it with {@code .ci/prepare-corpus.sh}. Without it the test fails when {@code CI=true}
 * and is skipped with an explanation otherwise.
 */
class SpamAssassinCorpusTest {

    static Path corpusData() {
        String corpus = System.getProperty("replyclock.corpus", "target/corpus");
        return Path.of(corpus, "spam-assassin", "data");
    }

    static List<Path> corpusFolders() throws IOException {
        Path data = corpusData();
        if (!Files.isDirectory(data)) {
            String message = "SpamAssassin corpus missing at " + data + ": run .ci/prepare-corpus.sh";
            if ("true".equals(System.getenv("CI"))) {
                fail(message);
            }
            Assumptions.assumeTrue(false, message);
        }
        try (Stream<Path> s = Files.list(data)) {
            return s.filter(Files::isDirectory).sorted().toList();
        }
    }

    @Test
    void everyFileIsAccountedFor() throws IOException {
        List<Path> folders = corpusFolders();
        CollectingSink sink = new CollectingSink();
        new FilesSource("corpus", folders, new HeaderParser("X-Replyclock-Rep")).readAll(sink);
        sink.unreadable.forEach((where, reason) -> System.out.println("unreadable: " + where + ": " + reason));
        long dated = sink.messages.stream().filter(MailMessage::dated).count();
        long withReferences = sink.messages.stream().filter(m -> !m.references().isEmpty()).count();
        System.out.printf("corpus: %d files, %d messages, %d unreadable, %d distinct ids, %d dated, %d with references%n",
                sink.files, sink.messages.size(), sink.unreadableCount, sink.merged().size(), dated, withReferences);
        assertEquals(sink.files, sink.messages.size() + sink.unreadableCount, "every file is a message or unreadable");
        assertTrue(sink.messages.size() >= 6000, "messages parsed: " + sink.messages.size());
        assertTrue(sink.messages.stream().allMatch(m -> m.id() != null && !m.id().isEmpty()));
    }
}
