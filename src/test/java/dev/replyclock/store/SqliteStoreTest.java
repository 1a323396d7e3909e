package dev.replyclock.store;

import dev.replyclock.domain.Conversation;
import dev.replyclock.domain.MailMessage;
import dev.replyclock.domain.RejectedMessage;
import dev.replyclock.domain.SlaState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The store suite on SQLite, and what only SQLite has: a file, its schema history, WAL and pragmas. */
class SqliteStoreTest extends StoreTest {

    @TempDir
    Path dir;

    @Override
    Store open() {
        return Store.open(dir.resolve("nested/folder/replyclock.db"));
    }

    // ------------------------------------------------------------------------------------- file and schema

    @Test
    void reopeningRunsNoMigrationTwiceAndKeepsData() throws Exception {
        Path file = dir.resolve("nested/folder/replyclock.db");
        int applied;
        try (Store store = open()) {
            applied = store.migrationsApplied();
            assertTrue(applied >= 3, "applied " + applied);
            store.commitBatch(cp(INBOX, 1), List.of(msg("a@x", "2024-01-01T00:00:00Z", "a", INBOX)), List.of());
            store.recordSync("sales", Instant.parse("2024-01-01T00:00:00Z"), null);
        }
        assertTrue(Files.exists(file));
        try (Store store = open()) {
            assertEquals(0, store.migrationsApplied());
            assertEquals(1, store.messageCount());
            assertTrue(store.lastSync("sales").isPresent());
            store.commitBatch(cp(INBOX, 2), List.of(msg("b@x", "2024-01-01T00:00:00Z", "b", INBOX)), List.of());
            assertEquals(List.of("a@x", "b@x"), store.loadMessages().stream().map(MailMessage::id).toList());
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*), COUNT(DISTINCT version) FROM flyway_schema_history "
                     + "WHERE version IS NOT NULL AND success = 1")) {
            rs.next();
            assertEquals(applied, rs.getInt(1));
            assertEquals(applied, rs.getInt(2));
        }
    }

    @Test
    void aFileThatIsNotADatabaseIsAStoreException() throws Exception {
        Path file = dir.resolve("not-a-db.db");
        Files.writeString(file, "this is not an SQLite database, just some text that is long enough to fail the header check");
        assertThrows(StoreException.class, () -> Store.open(file));
    }

    @Test
    void journalIsWalAndIntegrityIsOkAfterWork() {
        try (Store store = open()) {
            assertEquals("wal", store.pragma("PRAGMA journal_mode"));
            assertEquals("1", store.pragma("PRAGMA foreign_keys"));
            assertEquals("1", store.pragma("PRAGMA synchronous")); // NORMAL
            assertEquals(String.valueOf(Store.BUSY_TIMEOUT_MS), store.pragma("PRAGMA busy_timeout"));
            List<MailMessage> batch = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                batch.add(msg(i + "@x", "2024-01-01T00:00:00Z", "s" + i, i % 2 == 0 ? INBOX : SENT));
            }
            store.commitBatch(cp(INBOX, 300), batch, List.of(new RejectedMessage("sales", "INBOX", "uid 1", "bad")));
            store.commitBatch(cp(SENT, 300), batch, List.of());
            store.replaceResults(List.of(), List.of(Conversation.of(batch.subList(0, 10))), List.of(), List.of());
            store.recordState("0@x", Store.FIRST_RESPONSE, SlaState.PENDING, Instant.EPOCH);
            assertEquals("ok", store.pragma("PRAGMA integrity_check"));
            assertEquals(null, store.pragma("PRAGMA foreign_key_check"));
        }
    }

    // ------------------------------------------------------------------------------------- checkpoints

    @Test
    void theWriteAheadLogIsCopiedIntoTheFileByTheCheckpointThreadNotByTheCommit() throws Exception {
        Path file = dir.resolve("nested/folder/replyclock.db");
        try (Store store = open()) {
            // SQLite's own checkpoint (in the commit, after 1,000 pages of log) is off: this small batch would never
            // reach it, so only the checkpoint thread can bring its pages into the file while the store is open
            assertEquals("0", store.pragma("PRAGMA wal_autocheckpoint"));
            WalCheckpointer checkpointer = store.checkpointer();
            long before = checkpointer.checkpoints();
            long fileBefore = Files.size(file);
            List<MailMessage> batch = new ArrayList<>();
            for (int i = 0; i < 2_000; i++) {
                batch.add(msg(i + "@x", "2024-01-01T00:00:00Z", "subject " + i, INBOX));
            }
            store.commitBatch(cp(INBOX, 2_000), batch, List.of());
            assertTrue(checkpointer.awaitCheckpointsAfter(before, 10_000), "no checkpoint within 10 s of a commit");
            long fileAfter = Files.size(file);
            assertTrue(fileAfter > fileBefore + 100_000, "database file " + fileBefore + " -> " + fileAfter + " bytes");
            assertEquals("ok", store.pragma("PRAGMA integrity_check"));
        }
        try (Store store = open()) {
            assertEquals(2_000, store.messageCount());
        }
    }

    @Test
    void closingStopsTheCheckpointThreadAndLeavesNoLog() {
        Path file = dir.resolve("nested/folder/replyclock.db");
        WalCheckpointer checkpointer;
        try (Store store = open()) {
            checkpointer = store.checkpointer();
            assertTrue(checkpointer.running());
            store.commitBatch(cp(INBOX, 1), List.of(msg("a@x", "2024-01-01T00:00:00Z", "a", INBOX)), List.of());
        }
        assertFalse(checkpointer.running(), "the checkpoint thread outlived its store");
        // the store's connection closed last: SQLite checkpointed the rest and removed the log
        assertFalse(Files.exists(Path.of(file + "-wal")), "a log was left behind");
        try (Store store = open()) {
            assertEquals(1, store.messageCount());
        }
    }
}
