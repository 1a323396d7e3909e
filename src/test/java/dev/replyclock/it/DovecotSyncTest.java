package dev.replyclock.it;

import dev.replyclock.SharedFiles;
import dev.replyclock.config.Config;
import dev.replyclock.config.ConfigLoader;
import dev.replyclock.domain.MailMessage;
import dev.replyclock.domain.Place;
import dev.replyclock.faults.HamMail;
import dev.replyclock.ingest.HeaderParser;
import dev.replyclock.ingest.UnreadableMessageException;
import dev.replyclock.report.ReportJson;
import dev.replyclock.store.Store;
import dev.replyclock.store.StoredCounts;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The service against a real Dovecot: the SpamAssassin ham in INBOX, {@code sync --once} killed with SIGKILL at
 * twenty random points (start-up, after a random number of commits, a random delay into a batch), restarted each
 * time, and the stored result compared with {@code analyze} over the same files.
 */
class DovecotSyncTest {

    private static final Instant NOW = Instant.parse("2002-12-31T00:00:00Z");

    /** Kills that must land on a running sync (the brief of the fault suite: at least 20). */
    private static final int KILLS = 20;
    /** Small batches, so that kills land between commits and inside them. */
    private static final int BATCH_SIZE = 40;

    /** Where a kill lands: during start-up (migration, restore), after some commits, or a while into a batch. */
    private enum KillPoint { STARTUP, COMMITS, DELAY }

    @Test
    void killedAtTwentyRandomPointsThenRestartedEqualsAnalyzeAndFetchesNothingTwice() throws Exception {
        long seed = Long.getLong("replyclock.killSeed", System.nanoTime());
        System.out.println("dovecot kill loop: seed " + seed + " (repeat with -Dreplyclock.killSeed=" + seed + ")");
        Random random = new Random(seed);
        Path dir = DovecotServer.workDirectory("sync");
        try (DovecotServer dovecot = DovecotServer.in(dir.resolve("dovecot"))) {
            int delivered = deliverHam(dovecot);
            dovecot.start();
            Path store = dir.resolve("replyclock.db");
            Path imapConfig = writeConfig(dir.resolve("imap.yaml"),
                    dovecot.sourceYaml("folders: [INBOX], batch_size: " + BATCH_SIZE), store);
            Path filesConfig = writeConfig(dir.resolve("files.yaml"),
                    "{type: files, paths: [" + dovecot.folder("inbox").toAbsolutePath() + "]}", dir.resolve("unused.db"));

            // 1. Start a sync and SIGKILL it at a random point, again and again; after each kill the file is sound,
            //    nothing stored is lost, and nothing was fetched twice (copies == messages).
            long stored = 0;
            int kills = 0;
            for (int round = 0; kills < KILLS; round++) {
                assertTrue(round < 3 * KILLS, "only " + kills + " of " + round + " kills landed on a running sync");
                Path log = dir.resolve("round-" + round + ".log");
                KillPoint point = KillPoint.values()[random.nextInt(KillPoint.values().length)];
                long before = stored;
                Process sync = sync(imapConfig, log);
                switch (point) {
                    // JVM start, migration, restore of what is stored, login: until the first new commit at the latest.
                    case STARTUP -> KilledSync.waitForStoredMessages(store, sync, before + 1, 1 + random.nextInt(2_000));
                    case COMMITS -> KilledSync.waitForStoredMessages(store, sync, before + 1 + random.nextInt(8 * BATCH_SIZE), 60_000);
                    case DELAY -> {
                        KilledSync.waitForStoredMessages(store, sync, before + 1, 60_000);
                        Thread.sleep(random.nextInt(60));
                    }
                }
                assertTrue(sync.isAlive(), "round " + round + " (" + point + "): the sync ended before its kill, with "
                        + KilledSync.countMessages(store) + " of " + delivered + " stored; log: " + Files.readString(log));
                sync.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                kills++;
                stored = KilledSync.countMessages(store);
                System.out.printf("round %d: %s kill, %d -> %d of %d stored%n", round, point, before, stored, delivered);
                assertTrue(stored >= before, "round " + round + ": stored messages went from " + before + " to " + stored);
                if (Files.exists(store)) {
                    assertEquals("ok", KilledSync.integrityCheck(store), "round " + round + " (" + point + ")");
                    assertEquals(stored, KilledSync.storedCopies(store), "round " + round + ": every stored copy was fetched once");
                }
            }
            assertTrue(stored < delivered, "the kills landed mid-sync: " + stored + " of " + delivered);

            // 2. Restart: it completes from the checkpoint.
            Process last = sync(imapConfig, dir.resolve("last.log"));
            assertEquals(0, last.waitFor(), Files.readString(dir.resolve("last.log")));

            Config config = ConfigLoader.load(imapConfig);
            try (Store s = Store.open(store)) {
                StoredCounts counts = s.counts();
                assertEquals(delivered, counts.messages(), "every message stored");
                assertEquals(counts.messages(), counts.copies(), "no message fetched twice: " + counts);
                assertEquals(0, counts.duplicates());
                assertEquals("ok", KilledSync.integrityCheck(store));
            }

            // 3. The stored result equals analyze over the same files.
            Map<String, Object> fromStore = reportFromStore(config, store);
            Map<String, Object> fromFiles = ReportJson.tree(dev.replyclock.report.Analysis.of(ConfigLoader.load(filesConfig),
                    readFiles(ConfigLoader.load(filesConfig))), NOW);
            int leads = ((List<?>) fromFiles.get("leads")).size();
            int waits = ((List<?>) fromFiles.get("waits")).size();
            System.out.printf("dovecot sync: %d messages, %d kills, %d leads, %d waits%n", delivered, kills, leads, waits);
            assertTrue(leads > 100 && waits >= leads, "the ham makes leads and every lead a wait: " + leads + ", " + waits);
            assertEquals(fromFiles.get("leads"), fromStore.get("leads"));
            assertEquals(fromFiles.get("waits"), fromStore.get("waits"));

            // 4. A further start with no new mail fetches nothing.
            Process again = sync(imapConfig, dir.resolve("again.log"));
            assertEquals(0, again.waitFor(), Files.readString(dir.resolve("again.log")));
            assertTrue(Files.readString(dir.resolve("again.log")).contains("sales: 0 new messages"), Files.readString(dir.resolve("again.log")));
            try (Store s = Store.open(store)) {
                assertEquals(delivered, s.counts().copies());
            }
        }
    }

    /** The SpamAssassin ham, each file's modification time (INTERNALDATE) set to its Date. */
    static int deliverHam(DovecotServer dovecot) throws IOException {
        HeaderParser parser = new HeaderParser("X-Replyclock-Rep");
        int n = 0;
        for (Path folder : SharedFiles.spamAssassinFolders()) {
            if (!folder.getFileName().toString().contains("ham")) {
                continue;
            }
            try (Stream<Path> files = Files.list(folder)) {
                for (Path file : files.sorted().toList()) {
                    byte[] raw = Files.readAllBytes(file);
                    Instant date = dateOf(parser, raw);
                    dovecot.deliver("INBOX", String.format("%d.%05d.replyclock", date.getEpochSecond(), n++), raw, date);
                }
            }
        }
        return n;
    }

    private static Instant dateOf(HeaderParser parser, byte[] raw) throws IOException {
        try {
            MailMessage m = parser.parse(HeaderParser.readHeaderBlock(new ByteArrayInputStream(raw)), new Place("x", "inbox", true), null);
            return m.eventTime() != null ? m.eventTime() : Instant.parse("2002-01-01T00:00:00Z");
        } catch (UnreadableMessageException e) {
            return Instant.parse("2002-01-01T00:00:00Z");
        }
    }

    private static Path writeConfig(Path file, String source, Path store) throws IOException {
        Files.writeString(file, HamMail.configYaml(source) + "store: {path: " + store.toAbsolutePath() + "}\n");
        return file;
    }

    private static Process sync(Path config, Path log) throws IOException {
        return KilledSync.start(config, log);
    }

    private static Map<String, Object> reportFromStore(Config config, Path storeFile) {
        try (Store store = Store.open(storeFile)) {
            return ReportJson.tree(dev.replyclock.poll.Restarted.results(config, store, java.time.Clock.systemUTC()), NOW);
        }
    }

    private static dev.replyclock.thread.MessageSet readFiles(Config config) throws IOException {
        dev.replyclock.thread.MessageSet set = new dev.replyclock.thread.MessageSet();
        HeaderParser parser = new HeaderParser(config.attributionHeader());
        var mailbox = config.mailboxes().get(0);
        new dev.replyclock.ingest.files.FilesSource(mailbox.id(), ((dev.replyclock.config.SourceConfig.Files) mailbox.source()).paths(), parser)
                .readAll(dev.replyclock.ingest.MessageSink.into(set));
        return set;
    }
}
