package dev.replyclock.ingest.graph;

import dev.replyclock.domain.RejectedMessage;
import dev.replyclock.fuzz.FuzzInputs;
import dev.replyclock.fuzz.MailMutator;
import dev.replyclock.ingest.HeaderParser;
import dev.replyclock.poll.PollCycle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Mutated real messages served by the fake Graph (fields from their headers, every header as
 * {@code internetMessageHeaders}) and read through the Graph source into the store: the poll never fails on what a
 * message holds, and every message is stored or rejected with a reason. {@code -Dreplyclock.fuzz.graph=N} messages.
 */
class GraphFuzzTest {

    private static final int MESSAGES = Integer.getInteger("replyclock.fuzz.graph", 400);

    @Test
    void everyMutatedMessageReadOverGraphIsStoredOrRejectedWithAReason(@TempDir Path dir) throws IOException {
        long seed = FuzzInputs.SEED ^ 0x6a5a;
        List<byte[]> originals = FuzzInputs.originals();
        MailMutator mutator = new MailMutator();
        try (GraphFixture fx = new GraphFixture(dir)) {
            HeaderParser parser = new HeaderParser(null);
            for (int i = 0; i < MESSAGES; i++) {
                MailMutator.Mutant m = FuzzInputs.mutant(mutator, originals, seed, i);
                fx.graph.addRaw(i % 3 == 2 ? "sentitems" : "inbox", m.bytes(), parser);
            }
            String context = "seed " + seed + " (-Dreplyclock.fuzz.seed=" + FuzzInputs.SEED + ")";
            try (GraphSource source = fx.source(GraphSource.DEFAULT_PAGE_SIZE, new GraphRetry(3, 20))) {
                PollCycle.Outcome outcome = fx.cycle.poll("sales", source);
                assertFalse(outcome.failed(), context + ": " + outcome.error());
                System.out.printf("fuzz graph: %d messages, %d stored, %d rejected%n", MESSAGES, outcome.newMessages(),
                        outcome.rejected());
                assertEquals(MESSAGES, outcome.newMessages() + outcome.rejected(), context);
            }
            List<RejectedMessage> rejected = fx.store.rejected();
            for (RejectedMessage r : rejected) {
                assertFalse(r.reason() == null || r.reason().isBlank(), context + ": no reason for " + r.where());
                assertTrue(r.where().startsWith("graph id "), context + ": " + r.where());
            }
            assertEquals(fx.live.leads(), fx.store.leads(), context);
        }
    }
}
