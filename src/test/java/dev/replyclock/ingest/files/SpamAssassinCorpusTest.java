package dev.replyclock.ingest.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.replyclock.SharedFiles;
import dev.replyclock.domain.MailMessage;
import dev.replyclock.ingest.CollectingSink;
import dev.replyclock.ingest.HeaderParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Reads the SpamAssassin public corpus (6,046 real messages from 2002) through {@link FilesSource}.
 * The build installs it with {@code .ci/prepare-corpus.sh}; without it the test fails.
 */
class SpamAssassinCorpusTest {

    @Test
    void everyFileIsAccountedFor() throws IOException {
        List<Path> folders = SharedFiles.spamAssassinFolders();
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
