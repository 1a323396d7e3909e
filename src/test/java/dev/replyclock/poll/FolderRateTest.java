package dev.replyclock.poll;

import dev.replyclock.domain.FolderCheckpoint;
import dev.replyclock.ingest.IncrementalSource;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FolderRateTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void eachFolderOfEachMailboxIsTimedFromItsOwnFirstBatch() {
        FolderRate rate = new FolderRate();
        assertTrue(Double.isNaN(rate.perSecond("sales", batch("sales", "INBOX", 500), 0)));
        assertEquals(1_000, rate.perSecond("sales", batch("sales", "INBOX", 10_500), 10 * SECOND), 1e-9);
        // the same folder name in the next mailbox starts again, 100 s into the sync
        assertTrue(Double.isNaN(rate.perSecond("support", batch("support", "INBOX", 500), 100 * SECOND)));
        assertEquals(500, rate.perSecond("support", batch("support", "INBOX", 2_500), 104 * SECOND), 1e-9);
        assertTrue(Double.isNaN(rate.perSecond("support", batch("support", "Sent", 500), 105 * SECOND)));
        assertEquals(2_000, rate.perSecond("support", batch("support", "Sent", 4_500), 107 * SECOND), 1e-9);
    }

    private static IncrementalSource.Batch batch(String mailbox, String folder, long done) {
        return new IncrementalSource.Batch(new FolderCheckpoint(mailbox, folder, 1, done), List.of(), List.of(), false,
                100_000, done);
    }
}
