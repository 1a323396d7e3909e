package dev.replyclock.store;

import dev.replyclock.domain.Disposition;
import dev.replyclock.domain.MailMessage;
import dev.replyclock.domain.Place;
import dev.replyclock.it.pg.PostgresServer;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The store suite on PostgreSQL (a fresh database per test), and what only a shared server has: several writing
 * processes (two Store objects, two connections), a server restart, and credentials kept out of messages.
 */
class PostgresStoreTest extends StoreTest {

    final PostgresServer.Database db = PostgresServer.shared().newDatabase();

    @Override
    Store open() {
        return openPostgres(db);
    }

    static Store openPostgres(PostgresServer.Database db) {
        return Store.openPostgres(db.url(), db.user(), db.password());
    }

    @Test
    void reopeningRunsNoMigrationTwiceAndKeepsData() throws Exception {
        int applied;
        try (Store store = open()) {
            applied = store.migrationsApplied();
            assertTrue(applied >= 9, "applied " + applied); // V1-V8 and V10
            assertEquals(StoreBackend.POSTGRESQL, store.backend());
            store.commitBatch(cp(INBOX, 1), List.of(msg("a@x", "2024-01-01T00:00:00Z", "a", INBOX)), List.of());
        }
        try (Store store = open()) {
            assertEquals(0, store.migrationsApplied());
            assertEquals(1, store.messageCount());
        }
        try (Connection c = db.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM flyway_schema_history WHERE success")) {
            rs.next();
            assertEquals(applied, rs.getInt(1));
        }
    }

    @Test
    void messagesNameTheDatabaseByUrlNeverByPassword() {
        StoreException e = assertThrows(StoreException.class,
                () -> Store.openPostgres(db.url() + "?connectTimeout=5", db.user(), "wrong-s3cret"));
        assertTrue(e.getMessage().contains(db.url()), e.getMessage());
        assertFalse(e.getMessage().contains("wrong-s3cret"), e.getMessage());
        assertFalse(e.getMessage().contains("connectTimeout"), e.getMessage());
        try (Store store = open()) {
            assertEquals(db.url(), store.name());
            StoreException pragma = assertThrows(StoreException.class, () -> store.pragma("PRAGMA page_count"));
            assertTrue(pragma.getMessage().contains("SQLite"), pragma.getMessage());
        }
    }

    @Test
    void aRestartFailsTheCommitInFlightClearlyAndTheNextCommitReconnects() throws Exception {
        PostgresServer server = PostgresServer.shared();
        try (Store store = open()) {
            store.commitBatch(cp(INBOX, 1), List.of(msg("a@x", "2024-01-01T00:00:00Z", "a", INBOX)), List.of());
            List<MailMessage> batch = List.of(msg("b@x", "2024-01-01T00:01:00Z", "b", INBOX),
                    msg("c@x", "2024-01-01T00:02:00Z", "c", INBOX));
            store.beforeCheckpointWrite = () -> {
                try {
                    server.restart(); // the messages are written, the checkpoint not yet, nothing committed
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
            };
            StoreException lost = assertThrows(StoreException.class,
                    () -> store.commitBatch(cp(INBOX, 3), batch, List.of()));
            store.beforeCheckpointWrite = null;
            assertTrue(lost.getMessage().contains("store " + db.url() + ": connection lost"), lost.getMessage());
            assertFalse(lost.getMessage().contains(db.password()), lost.getMessage());

            CommitResult result = store.commitBatch(cp(INBOX, 3), batch, List.of());
            assertEquals(2, result.newIds().size());
            assertEquals(List.of("a@x", "b@x", "c@x"), store.loadMessages().stream().map(MailMessage::id).toList());
            assertEquals(3, store.checkpoint("sales", "INBOX").orElseThrow().lastUid());
        } finally {
            server.start(); // whatever happened, leave the shared server running
        }
    }

    @Test
    void aReadWhileTheServerIsDownFailsClearlyAndWorksOnceItIsBack() throws Exception {
        PostgresServer server = PostgresServer.shared();
        try (Store store = open()) {
            store.recordSync("sales", Instant.parse("2024-01-01T00:00:00Z"), null);
            server.stop();
            StoreException down = assertThrows(StoreException.class, store::messageCount);
            assertTrue(down.getMessage().contains(db.url()), down.getMessage());
            server.start();
            assertEquals(0, store.messageCount());
            assertTrue(store.lastSync("sales").isPresent());
        } finally {
            server.start();
        }
    }

    @Test
    void everyKindOfCallFailsAsAStoreExceptionAfterARestartAndTheNextOneWorks() throws Exception {
        PostgresServer server = PostgresServer.shared();
        Disposition d = new Disposition("a@x", Disposition.Kind.NOT_A_LEAD, "spam", null, null, null, "m", T0);
        try (Store store = open()) {
            store.commitBatch(cp(INBOX, 1), List.of(msg("a@x", "2024-01-01T00:00:00Z", "a", INBOX)), List.of());
            List<Runnable> kinds = List.of(store::loadMessages, () -> store.disposition("a@x"),
                    () -> store.setDisposition(d), store::messageCount, () -> store.lastSync("sales"),
                    () -> store.replaceResults(List.of(), List.of(), List.of(), List.of()));
            for (Runnable call : kinds) {
                server.restart();
                try {
                    call.run(); // the old connection broke: this may fail, but only as a StoreException
                } catch (StoreException expected) {
                    assertTrue(expected.getMessage().contains(db.url()), expected.getMessage());
                }
                call.run();
            }
            assertEquals(1, store.loadMessages().size());
            assertEquals(Optional.of(d), store.disposition("a@x"));
        } finally {
            server.start();
        }
    }

    @Test
    void twoProcessesWritingAtOnceAllocateEverySeqOnce() throws Exception {
        int rounds = 40;
        try (Store one = open(); Store two = open()) {
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                List<Future<Void>> done = new ArrayList<>();
                for (Store store : List.of(one, two)) {
                    String mailbox = store == one ? "one" : "two";
                    done.add(pool.submit((Callable<Void>) () -> {
                        Place inbox = new Place(mailbox, "INBOX", true);
                        for (int i = 1; i <= rounds; i++) {
                            String id = mailbox + "-" + i + "@x";
                            store.commitBatch(new dev.replyclock.domain.FolderCheckpoint(mailbox, "INBOX", 7, i),
                                    List.of(msg(id, "2024-01-01T00:00:00Z", "s", inbox)), List.of());
                            store.enqueueAlert(id, "breached", List.of("slack"), T0, T0);
                            store.setDisposition(new Disposition(id, Disposition.Kind.NOT_A_LEAD, "spam", null, null, null,
                                    mailbox, T0));
                        }
                        return null;
                    }));
                }
                for (Future<Void> f : done) {
                    f.get();
                }
            } finally {
                pool.shutdownNow();
            }
            assertEquals(2 * rounds, one.messageCount());
            assertEquals(2 * rounds, two.loadMessages().size());
            List<OutboxAlert> alerts = two.alerts();
            assertEquals(2 * rounds, alerts.size());
            assertEquals(2 * rounds, new HashSet<>(alerts.stream().map(OutboxAlert::seq).toList()).size());
            assertEquals(2 * rounds, one.dispositions().size());
        }
    }

    static final Instant T0 = Instant.parse("2024-12-09T12:30:00Z");
}
