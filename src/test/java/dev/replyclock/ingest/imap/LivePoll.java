package dev.replyclock.ingest.imap;

import dev.replyclock.MutableClock;
import dev.replyclock.config.Config;
import dev.replyclock.config.ConfigLoader;
import dev.replyclock.config.SourceConfig;
import dev.replyclock.faults.HamMail;
import dev.replyclock.ingest.HeaderParser;
import dev.replyclock.poll.PollCycle;
import dev.replyclock.poll.Restarted;
import dev.replyclock.report.LiveAnalysis;
import dev.replyclock.report.ReportJson;
import dev.replyclock.store.Store;
import dev.replyclock.store.StoredCounts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real poll path of the service for one IMAP mailbox {@code sales} (ImapSource, PollCycle, a SQLite Store,
 * LiveAnalysis), with a clock the test moves so back-offs pass without waiting, and the checks every fault
 * test ends with: each message stored once, and the same leads and waits as {@code analyze} over the files.
 */
final class LivePoll implements AutoCloseable {

    final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
    final Config config;
    final Store store;
    final LiveAnalysis live;
    final PollCycle cycle;
    final ImapSource source;
    private final Path storeFile;

    /**
     * @param imapSource the source block (YAML flow map) of the mailbox
     * @param readTimeoutMillis the socket read timeout of the IMAP connection
     */
    LivePoll(Path dir, String imapSource, int batchSize, int readTimeoutMillis) throws IOException {
        storeFile = dir.resolve("replyclock.db");
        config = ConfigLoader.load(Files.writeString(dir.resolve("config.yaml"), HamMail.configYaml(imapSource)));
        store = Store.open(storeFile);
        live = new LiveAnalysis(config);
        cycle = new PollCycle(store, live, clock);
        ImapSource.Options options = ImapSource.Options.defaults().withBatchSize(batchSize).withClock(clock)
                .withTimeouts(5_000, readTimeoutMillis);
        source = new ImapSource("sales", (SourceConfig.Imap) config.mailboxes().get(0).source(),
                new HeaderParser(config.attributionHeader()), config.attributionHeader(), null, options);
    }

    PollCycle.Outcome poll() {
        return cycle.poll("sales", source);
    }

    PollCycle.Outcome pollOk() {
        PollCycle.Outcome outcome = poll();
        assertFalse(outcome.failed(), outcome.error());
        return outcome;
    }

    /** Polls and expects a failure whose message names the mailbox and shows no secret; returns the message. */
    String pollFails(String secret) {
        PollCycle.Outcome outcome = poll();
        assertTrue(outcome.failed(), "the poll should have failed: " + outcome);
        String error = outcome.error();
        assertTrue(error.contains("(mailbox sales)"), error);
        assertFalse(error.contains(secret), error);
        assertEquals(error, store.lastSync("sales").orElseThrow().lastError(), "the failure is recorded for readiness");
        return error;
    }

    /** Moves the clock past the source's back-off, so the next poll connects again. */
    void passBackoff() {
        Instant next = source.nextAttemptAt();
        assertTrue(next != null, "a failed poll sets a back-off");
        clock.set(next.plus(Duration.ofMillis(1)));
    }

    /** Every stored message was fetched exactly once (no copy merged into a known message). */
    void assertEachMessageOnce(long messages) {
        StoredCounts counts = store.counts();
        assertEquals(messages, counts.messages(), counts.toString());
        assertEquals(counts.messages(), counts.copies(), "a message was fetched twice: " + counts);
        assertEquals(0, counts.duplicates(), counts.toString());
        assertEquals(0, counts.rejected(), counts.toString());
    }

    /**
     * The leads and waits of the live analysis, and of a restart from the store, equal what {@code analyze}
     * gives over the same messages as files; the SQLite file passes its integrity check.
     */
    void assertSameAsAnalyze(List<Path> fileFolders) throws Exception {
        Map<String, Object> expected = HamMail.analyzeFiles(config, fileFolders);
        assertTrue(((List<?>) expected.get("leads")).size() >= 5, "the mail makes leads: " + expected.get("leads"));
        Map<String, Object> fromLive = ReportJson.tree(live, HamMail.NOW);
        assertEquals(expected.get("leads"), fromLive.get("leads"));
        assertEquals(expected.get("waits"), fromLive.get("waits"));
        Map<String, Object> fromStore = ReportJson.tree(Restarted.results(config, store, clock), HamMail.NOW);
        assertEquals(expected.get("leads"), fromStore.get("leads"));
        assertEquals(expected.get("waits"), fromStore.get("waits"));
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + storeFile);
             ResultSet rs = c.createStatement().executeQuery("PRAGMA integrity_check")) {
            assertTrue(rs.next());
            assertEquals("ok", rs.getString(1));
        }
    }

    @Override
    public void close() {
        source.close();
        store.close();
    }
}
