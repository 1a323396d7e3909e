package dev.replyclock.it;

import dev.replyclock.SharedFiles;
import dev.replyclock.config.Config;
import dev.replyclock.config.ConfigLoader;
import dev.replyclock.domain.MailMessage;
import dev.replyclock.domain.Place;
import dev.replyclock.ingest.HeaderParser;
import dev.replyclock.ingest.UnreadableMessageException;
import dev.replyclock.report.LiveAnalysis;
import dev.replyclock.report.ReportJson;
import dev.replyclock.store.Store;
import dev.replyclock.store.StoredCounts;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The service against a real Dovecot: the SpamAssassin ham in INBOX, {@code sync --once} killed with
 * SIGKILL mid-sync, restarted, and the stored result compared with {@code analyze} over the same files.
 */
class DovecotSyncTest {

    private static final Instant NOW = Instant.parse("2002-12-31T00:00:00Z");

    @Test
    void killedMidSyncThenRestartedEqualsAnalyzeAndFetchesNothingTwice() throws Exception {
        Path dir = DovecotServer.workDirectory("sync");
        try (DovecotServer dovecot = DovecotServer.in(dir.resolve("dovecot"))) {
            int delivered = deliverHam(dovecot);
            dovecot.start();
            Path store = dir.resolve("replyclock.db");
            Path imapConfig = writeConfig(dir.resolve("imap.yaml"), dovecot.sourceYaml("folders: [INBOX], batch_size: 100"), store);
            Path filesConfig = writeConfig(dir.resolve("files.yaml"),
                    "{type: files, paths: [" + dovecot.folder("inbox").toAbsolutePath() + "]}", dir.resolve("unused.db"));

            // 1. Start a sync and kill -9 it once some batches are committed.
            Process first = sync(imapConfig, dir.resolve("first.log"));
            long stored = waitForStoredMessages(store, first);
            first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            assertTrue(stored > 0 && stored < delivered, "killed mid-sync after " + stored + " of " + delivered
                    + "; log: " + Files.readString(dir.resolve("first.log")));

            // 2. Restart: it completes from the checkpoint.
            Process second = sync(imapConfig, dir.resolve("second.log"));
            assertEquals(0, second.waitFor(), Files.readString(dir.resolve("second.log")));

            Config config = ConfigLoader.load(imapConfig);
            try (Store s = Store.open(store)) {
                StoredCounts counts = s.counts();
                assertEquals(delivered, counts.messages(), "every message stored");
                assertEquals(counts.messages(), counts.copies(), "no message fetched twice: " + counts);
                assertEquals(0, counts.duplicates());
                assertEquals("ok", integrityCheck(store));
            }

            // 3. The stored result equals analyze over the same files.
            Map<String, Object> fromStore = reportFromStore(config, store);
            Map<String, Object> fromFiles = ReportJson.tree(dev.replyclock.report.Analysis.of(ConfigLoader.load(filesConfig),
                    readFiles(ConfigLoader.load(filesConfig))), NOW);
            int leads = ((List<?>) fromFiles.get("leads")).size();
            int waits = ((List<?>) fromFiles.get("waits")).size();
            System.out.printf("dovecot sync: %d messages, killed after %d, %d leads, %d waits%n", delivered, stored, leads, waits);
            assertTrue(leads > 100 && waits > leads, "the ham makes leads and waits: " + leads + ", " + waits);
            assertEquals(fromFiles.get("leads"), fromStore.get("leads"));
            assertEquals(fromFiles.get("waits"), fromStore.get("waits"));

            // 4. A further start with no new mail fetches nothing.
            Process third = sync(imapConfig, dir.resolve("third.log"));
            assertEquals(0, third.waitFor(), Files.readString(dir.resolve("third.log")));
            assertTrue(Files.readString(dir.resolve("third.log")).contains("sales: 0 new messages"), Files.readString(dir.resolve("third.log")));
            try (Store s = Store.open(store)) {
                assertEquals(delivered, s.counts().copies());
            }
        }
    }

    /** The SpamAssassin ham, each file's modification time (INTERNALDATE) set to its Date. */
    private static int deliverHam(DovecotServer dovecot) throws IOException {
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
        Files.writeString(file, """
                internal_domains: [spamassassin.taint.org]
                calendars:
                  utc: {zone: UTC, hours: 24x7}
                sla_policies:
                  corpus: {first_response: 4h, warn_before: 30m, attempts: {count: 3, within: 14d}}
                teams:
                  corpus: {members: []}
                mailboxes:
                  - {id: sales, address: sales@acme.example, team: corpus, sla: corpus, calendar: utc,
                     source: SOURCE}
                store: {path: STORE}
                """.replace("SOURCE", source).replace("STORE", store.toAbsolutePath().toString()));
        return file;
    }

    private static Process sync(Path config, Path log) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.replyclock.app.Main", "sync", "--config", config.toString(), "--once"));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static long waitForStoredMessages(Path store, Process process) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && process.isAlive()) {
            long count = countMessages(store);
            if (count > 0) {
                return count;
            }
            Thread.sleep(5);
        }
        return countMessages(store);
    }

    private static long countMessages(Path store) {
        if (!Files.exists(store)) {
            return 0;
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + store);
             ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM message")) {
            return rs.next() ? rs.getLong(1) : 0;
        } catch (Exception notYetMigrated) {
            return 0;
        }
    }

    private static String integrityCheck(Path store) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + store);
             ResultSet rs = c.createStatement().executeQuery("PRAGMA integrity_check")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static Map<String, Object> reportFromStore(Config config, Path storeFile) {
        try (Store store = Store.open(storeFile)) {
            LiveAnalysis live = new LiveAnalysis(config);
            new dev.replyclock.poll.PollCycle(store, live, java.time.Clock.systemUTC()).restore();
            return ReportJson.tree(live, NOW);
        }
    }

    private static dev.replyclock.thread.MessageSet readFiles(Config config) throws IOException {
        dev.replyclock.thread.MessageSet set = new dev.replyclock.thread.MessageSet();
        HeaderParser parser = new HeaderParser(config.attributionHeader());
        var mailbox = config.mailboxes().get(0);
        new dev.replyclock.ingest.files.FilesSource(mailbox.id(), ((dev.replyclock.config.SourceConfig.Files) mailbox.source()).paths(), parser)
                .readAll(new dev.replyclock.ingest.MessageSink() {
                    public void fileRead() { set.fileRead(); }
                    public void message(MailMessage m) { set.add(m); }
                    public void unreadable(String where, String reason) { set.unreadable(); }
                });
        return set;
    }
}
