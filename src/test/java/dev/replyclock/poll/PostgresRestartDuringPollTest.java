package dev.replyclock.poll;

import dev.replyclock.SalesConfig;
import dev.replyclock.config.Config;
import dev.replyclock.domain.FolderCheckpoint;
import dev.replyclock.domain.MailMessage;
import dev.replyclock.domain.Place;
import dev.replyclock.ingest.IncrementalSource;
import dev.replyclock.it.pg.PostgresServer;
import dev.replyclock.report.LiveAnalysis;
import dev.replyclock.report.ReportJson;
import dev.replyclock.store.AdvisoryLock;
import dev.replyclock.store.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PostgreSQL restarts in the middle of a poll (after the first batch is committed, before the second): the poll fails
 * with an error naming the database (never its password), the next poll resumes from the committed checkpoint, and
 * nothing is lost or stored twice: the results equal an analysis of every message at once, in memory and in the store.
 */
class PostgresRestartDuringPollTest {

    private static final Instant T = Instant.parse("2024-03-04T09:00:00Z");
    private static final Instant NOW = T.plusSeconds(7 * 86_400);
    private static final int BATCH = 10;

    @TempDir
    Path dir;

    @Test
    void aRestartMidPollFailsThatPollAndTheNextResumesWithNothingLostOrDoubled() throws Exception {
        PostgresServer server = PostgresServer.shared();
        PostgresServer.Database db = server.newDatabase();
        Config config = config();
        List<MailMessage> mail = conversations(15); // 30 messages: 3 batches
        Store store = Store.openPostgres(db.url(), db.user(), db.password());
        AdvisoryLock lock = new AdvisoryLock(db.url(), db.user(), db.password(), AdvisoryLock.WRITE);
        try {
            LiveAnalysis live = new LiveAnalysis(config);
            PollCycle cycle = new PollCycle(store, live, Clock.fixed(NOW, ZoneOffset.UTC), ClusterLock.across(lock));
            cycle.restore();
            Batches source = new Batches(mail, () -> {
                try {
                    server.restart();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });

            PollCycle.Outcome failed;
            try {
                failed = cycle.poll("sales", source);
            } finally {
                if (!server.isRunning()) {
                    server.start();
                }
            }
            assertTrue(failed.failed(), "the poll during the restart fails");
            assertTrue(failed.error().contains(db.url()), failed.error());
            assertFalse(failed.error().contains(db.password()), failed.error());
            assertEquals(BATCH, store.messageCount(), "the first batch was committed before the restart");
            assertEquals(BATCH, store.checkpoint("sales", "INBOX").orElseThrow().lastUid());

            PollCycle.Outcome resumed = cycle.poll("sales", source);
            assertNull(resumed.error(), resumed.error());
            assertEquals(mail.size() - BATCH, resumed.newMessages(), "the next poll reads from the checkpoint on");
            assertEquals(mail.size(), store.messageCount(), "every message stored once");

            LiveAnalysis whole = new LiveAnalysis(config);
            whole.add(mail);
            String expected = ReportJson.toJson(whole, NOW);
            assertEquals(expected, ReportJson.toJson(live, NOW), "the live analysis");
            assertEquals(whole.leads(), store.leads(), "the stored results");
            assertEquals(whole.waits(), store.waits());

            LiveAnalysis reopened = new LiveAnalysis(config);
            new PollCycle(store, reopened, Clock.fixed(NOW, ZoneOffset.UTC), ClusterLock.across(lock)).restore();
            assertEquals(expected, ReportJson.toJson(reopened, NOW), "and after a restart of the instance");
        } finally {
            lock.close();
            store.close();
        }
    }

    /** Leads to sales@ and a rep's reply an hour later, one conversation each. */
    private static List<MailMessage> conversations(int count) {
        Place inbox = new Place("sales", "INBOX", true);
        List<MailMessage> mail = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Instant at = T.plusSeconds(i * 600L);
            String lead = "lead" + i + "@buyer.example";
            mail.add(new MailMessage(lead, List.of(), "Quote " + i, List.of("buyer" + i + "@buyer.example"), null,
                    List.of(), List.of("sales@acme.example"), List.of(), at, null, null, 0, null, List.of(inbox)));
            mail.add(new MailMessage("reply" + i + "@acme.example", List.of(lead), "Re: Quote " + i,
                    List.of("alice@acme.example"), null, List.of(), List.of("buyer" + i + "@buyer.example"), List.of(),
                    at.plusSeconds(3_600), null, null, 0, null, List.of(inbox)));
        }
        return mail;
    }

    /**
     * The INBOX of one mailbox as batches of ten past the stored checkpoint (uid = position); before handing over the
     * second batch of its first poll it runs {@code interruption} once.
     */
    private static final class Batches implements IncrementalSource {
        private final List<MailMessage> mail;
        private Runnable interruption;

        Batches(List<MailMessage> mail, Runnable interruption) {
            this.mail = mail;
            this.interruption = interruption;
        }

        @Override
        public PollSummary poll(CheckpointLookup checkpoints, BatchConsumer consumer) throws IOException {
            int from = (int) checkpoints.get("INBOX").map(FolderCheckpoint::lastUid).orElse(0L).longValue();
            for (int start = from; start < mail.size(); start += BATCH) {
                if (start > from && interruption != null) {
                    Runnable once = interruption;
                    interruption = null;
                    once.run();
                }
                List<MailMessage> batch = mail.subList(start, Math.min(mail.size(), start + BATCH));
                consumer.accept(new Batch(new FolderCheckpoint("sales", "INBOX", 1, start + batch.size()), batch,
                        List.of(), false, batch.size(), batch.size()));
            }
            return new PollSummary(List.of());
        }

        @Override
        public void close() {
        }
    }

    private Config config() throws IOException {
        Files.createDirectories(dir.resolve("mail"));
        return SalesConfig.write(dir, "{type: files, paths: [mail]}");
    }
}
