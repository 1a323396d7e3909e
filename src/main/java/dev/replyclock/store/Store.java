package dev.replyclock.store;

import dev.replyclock.config.StoreConfig;
import dev.replyclock.domain.Conversation;
import dev.replyclock.domain.Disposition;
import dev.replyclock.domain.DispositionChange;
import dev.replyclock.domain.FolderCheckpoint;
import dev.replyclock.domain.Lead;
import dev.replyclock.domain.MailMessage;
import dev.replyclock.domain.RejectedMessage;
import dev.replyclock.domain.SlaState;
import dev.replyclock.domain.Wait;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.output.MigrateResult;
import org.postgresql.ds.PGSimpleDataSource;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/**
 * The service's database, SQLite (one file, the default) or PostgreSQL (shared by several instances): messages (headers only, never bodies), folder checkpoints, rejected items,
 * computed results (conversations, leads, waits), SLA state transitions, sync status, login sessions and wall devices.
 *
 * <p>Thread rules: one JDBC connection; every public method is {@code synchronized}, so a Store may be shared
 * between threads, and each write method is one transaction (all or nothing). On SQLite other processes may read
 * the file concurrently (WAL); only one process should write. On PostgreSQL several processes may write at once: the
 * transactions that allocate sequence numbers are serialised by an advisory lock ({@link Sql}), and a connection that
 * broke (the server restarted) fails the call in flight with a {@link StoreException} naming the database; the
 * next call reconnects.
 *
 * <p>Storage conventions: instants are BIGINT epoch milliseconds (UTC), so sub-millisecond parts are dropped;
 * lists are TEXT joined by {@code '\n'} (NULL for a null list, {@code ''} for an empty one), so a list element must
 * not contain a newline and a one-element list must not hold the empty string ({@link IllegalArgumentException},
 * and the batch is not stored). The SQL is portable (SQLite and PostgreSQL): {@code INSERT ... ON CONFLICT ... DO
 * UPDATE}, no auto-increment columns, no SQLite-only syntax.
 */
public final class Store implements AutoCloseable {

    /** State kinds of {@link #recordState}. */
    public static final String FIRST_RESPONSE = "first_response";
    public static final String ATTEMPTS = "attempts";

    static final int BUSY_TIMEOUT_MS = 10_000;

    private final Path file;
    private final String name;
    private final int migrationsApplied;
    private final MessageRows messages;
    private final ResultRows results;
    private final AlertRows alerts;
    private final SyncRows syncs;
    private final CredentialRows credentials;
    private final DispositionRows dispositions;
    private final CatchUpRows catchUp;
    private final ResultChanges changes;
    private final HorizonRows horizon;
    private final Sql sql;
    /** SQLite: checkpoints the write-ahead log off the committing thread (null: SQLite's automatic ones, or PostgreSQL). */
    private final WalCheckpointer checkpointer;
    /** Test hook: runs inside {@link #commitBatch}'s transaction, just before the checkpoint is written. */
    volatile Runnable beforeCheckpointWrite;
    /** Test hook: runs inside {@link #recordStateAndEnqueue}'s transaction, after the outbox rows are written. */
    volatile Runnable afterAlertsInserted;

    private Store(Path file, Sql sql, int migrationsApplied, WalCheckpointer checkpointer) throws SQLException {
        this.file = file;
        this.checkpointer = checkpointer;
        this.name = sql.name;
        this.migrationsApplied = migrationsApplied;
        this.sql = sql;
        this.messages = new MessageRows(sql, () -> run(beforeCheckpointWrite));
        this.results = new ResultRows(sql);
        this.alerts = new AlertRows(sql, () -> run(afterAlertsInserted));
        this.syncs = new SyncRows(sql);
        this.credentials = new CredentialRows(sql);
        this.dispositions = new DispositionRows(sql);
        this.catchUp = new CatchUpRows(sql);
        this.changes = new ResultChanges(sql, results);
        this.horizon = new HorizonRows(sql, messages, results);
    }

    private static void run(Runnable hookOrNull) {
        if (hookOrNull != null) {
            hookOrNull.run();
        }
    }

    /** Opens the store the configuration names: {@link #open(Path)} or {@link #openPostgres}. */
    public static Store open(StoreConfig config) {
        return config.isPostgres() ? openPostgres(config.url(), config.username(), config.password())
                : open(config.path());
    }

    /**
     * Opens a PostgreSQL store and applies pending migrations (the same as SQLite's). {@code url} is a
     * {@code jdbc:postgresql://} url; {@code user} and {@code password} may be null (the driver's defaults).
     * Messages name the database by its url without parameters, never the password.
     *
     * @throws StoreException when the server cannot be reached or the schema cannot be migrated
     */
    public static Store openPostgres(String url, String user, String password) {
        String name = StoreConfig.postgres(url, user, null).name();
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(url);
        if (user != null) {
            dataSource.setUser(user);
        }
        if (password != null) {
            dataSource.setPassword(password);
        }
        dataSource.setApplicationName("replyclock");
        MigrateResult migrated = migrate(dataSource, name, "point store.url at another database");
        Connection conn = null;
        try {
            conn = dataSource.getConnection();
            return new Store(null, new Sql(name, StoreBackend.POSTGRESQL, conn, dataSource::getConnection),
                    migrated.migrationsExecuted, null);
        } catch (SQLException e) {
            closeQuietly(conn, e);
            throw new StoreException("cannot open store " + name + ": " + e.getMessage(), e);
        }
    }

    private static MigrateResult migrate(DataSource dataSource, String name, String elsewhere) {
        try {
            Flyway flyway = Flyway.configure()
                    .dataSource(dataSource)
                    .locations("classpath:db/migration")
                    .failOnMissingLocations(true)
                    .load();
            refuseNewerSchema(flyway, name, elsewhere);
            return flyway.migrate();
        } catch (FlywayException e) {
            throw new StoreException("cannot migrate store " + name + ": " + e.getMessage(), e);
        }
    }

    private static void closeQuietly(Connection conn, Exception cause) {
        if (conn != null) {
            try {
                conn.close();
            } catch (SQLException suppressed) {
                cause.addSuppressed(suppressed);
            }
        }
    }

    /**
     * Opens (creating it and its parent folders if needed) the database file, sets WAL journal mode,
     * {@code synchronous=NORMAL}, foreign keys and a busy timeout, applies pending migrations, and checkpoints the
     * write-ahead log on a thread of its own ({@link WalCheckpointer}).
     *
     * @throws StoreException when the file cannot be opened or migrated (then nothing is left open)
     */
    public static Store open(Path file) {
        Path abs = file.toAbsolutePath().normalize();
        try {
            if (abs.getParent() != null) {
                Files.createDirectories(abs.getParent());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the folder of store " + abs, e);
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.enforceForeignKeys(true);
        config.setBusyTimeout(BUSY_TIMEOUT_MS);
        // Take the write lock when a transaction begins, not on its first write: no deadlock between writers.
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        SQLiteDataSource dataSource = new SQLiteDataSource(config);
        dataSource.setUrl("jdbc:sqlite:" + abs);

        MigrateResult migrated = migrate(dataSource, abs.toString(), "point store.path at another file");

        Connection conn = null;
        WalCheckpointer checkpointer = null;
        try {
            conn = dataSource.getConnection();
            try (Statement st = conn.createStatement()) {
                // SQLiteConfig applied these at connect; state them again so they do not depend on driver defaults.
                st.execute("PRAGMA journal_mode=WAL");
                st.execute("PRAGMA synchronous=NORMAL");
                st.execute("PRAGMA foreign_keys=ON");
                st.execute("PRAGMA busy_timeout=" + BUSY_TIMEOUT_MS);
                // 64 MiB of page cache (SQLite's default is 2 MiB): results and message rows are keyed by random
                // message ids, so with the default nearly every insert and delete reads its index pages from the file
                // again; a first sync of 100,000 messages spent a third less on the store with this (BackfillBenchmark)
                st.execute("PRAGMA cache_size=-" + CACHE_KIB);
                try (ResultSet rs = st.executeQuery("PRAGMA journal_mode")) {
                    String mode = rs.next() ? rs.getString(1) : null;
                    if (!"wal".equalsIgnoreCase(mode)) {
                        throw new StoreException("store " + abs + ": journal_mode is " + mode + ", not wal "
                                + "(is the file on a network file system?)");
                    }
                }
            }
            checkpointer = WalCheckpointer.start(abs.toString(), dataSource, conn);
            // SQLite never loses its file: a failed call keeps the one connection.
            Connection only = conn;
            return new Store(abs, new Sql(abs.toString(), StoreBackend.SQLITE, conn, () -> only),
                    migrated.migrationsExecuted, checkpointer);
        } catch (SQLException | RuntimeException e) {
            if (checkpointer != null) {
                checkpointer.close();
            }
            closeQuietly(conn, e);
            if (e instanceof RuntimeException re) {
                throw re;
            }
            throw new StoreException("cannot open store " + abs + ": " + e.getMessage(), e);
        }
    }

    /**
     * A store written by a newer Replyclock holds migrations this version does not know; Flyway would ignore them and
     * this version would then misread the tables, so it refuses to open the file.
     */
    private static void refuseNewerSchema(Flyway flyway, String name, String elsewhere) {
        MigrationInfoService info = flyway.info();
        MigrationInfo current = info.current();
        if (current != null && (current.getState() == MigrationState.FUTURE_SUCCESS
                || current.getState() == MigrationState.FUTURE_FAILED)) {
            String known = Arrays.stream(info.all()).filter(m -> m.getState().isResolved())
                    .reduce((a, b) -> b).map(m -> m.getVersion().toString()).orElse("none");
            throw new StoreException("store " + name + " was written by a newer version of Replyclock (schema version "
                    + current.getVersion() + "; this version knows up to " + known
                    + "): refusing to open it. Run that newer version, or " + elsewhere);
        }
    }

    /** The SQLite file; null for a PostgreSQL store (see {@link #name()}). */
    public Path file() {
        return file;
    }

    /** The database as messages name it: the SQLite file, or the PostgreSQL url without credentials. */
    public String name() {
        return name;
    }

    public StoreBackend backend() {
        return sql.backend;
    }

    /** How many migrations {@link #open} applied (0 when the file was up to date). */
    public int migrationsApplied() {
        return migrationsApplied;
    }

    /** SQLite page cache, KiB (memory taken as pages are read, up to this). */
    static final int CACHE_KIB = 65_536;

    @Override
    public synchronized void close() {
        if (checkpointer != null) {
            checkpointer.close(); // first: the store's connection, closing last, checkpoints what is left
        }
        try {
            if (sql.conn != null) {
                sql.conn.close();
            }
        } catch (SQLException e) {
            throw new StoreException("cannot close store " + name + ": " + e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------------------------------------- ingestion

    public synchronized Optional<FolderCheckpoint> checkpoint(String mailboxId, String folder) {
        return messages.checkpoint(mailboxId, folder);
    }

    /** Of these message ids, those stored with a copy seen in this mailbox folder. */
    public synchronized Set<String> storedIn(String mailboxId, String folder, Collection<String> ids) {
        return messages.storedIn(mailboxId, folder, ids);
    }

    /** The checkpoints of a mailbox, by folder name. */
    public synchronized List<FolderCheckpoint> checkpoints(String mailboxId) {
        return messages.checkpoints(mailboxId);
    }

    /**
     * Stores one batch read from a folder, in one transaction: merges each copy into the stored messages (a new id
     * is inserted; a known one keeps its stored headers, its event time becomes the earliest, its places gain the
     * copy's new places), records the rejected items, and upserts the folder's checkpoint. If anything fails,
     * nothing of the batch and not the checkpoint is stored.
     */
    public synchronized CommitResult commitBatch(FolderCheckpoint checkpoint, List<MailMessage> copies,
                                                 List<RejectedMessage> rejected) {
        return messages.commitBatch(checkpoint, copies, rejected);
    }

    /** The same, also recording the source's ids of the batch's items in the same transaction (Gmail). */
    public synchronized CommitResult commitBatch(FolderCheckpoint checkpoint, List<MailMessage> copies,
                                                 List<RejectedMessage> rejected, List<String> sourceItems) {
        return messages.commitBatch(checkpoint, copies, rejected, sourceItems);
    }

    /** Of these source item ids, those recorded by a committed batch of this mailbox folder. */
    public synchronized Set<String> itemsRead(String mailboxId, String folder, Collection<String> itemIds) {
        return messages.itemsRead(mailboxId, folder, itemIds);
    }

    /**
     * The folder's UIDVALIDITY changed: it will be read again from the start (last UID 0). Stored messages stay;
     * duplicate merging makes the re-read safe.
     */
    public synchronized void resetCheckpoint(String mailboxId, String folder, long newUidValidity) {
        messages.resetCheckpoint(mailboxId, folder, newUidValidity);
    }

    /** Every stored message with all its places, in first-insertion order. */
    public synchronized List<MailMessage> loadMessages() {
        return messages.loadMessages();
    }

    public synchronized long messageCount() {
        return messages.messageCount();
    }

    public synchronized StoredCounts counts() {
        return messages.counts();
    }

    /** Every rejected item, by mailbox, folder and where. */
    public synchronized List<RejectedMessage> rejected() {
        return messages.rejected();
    }

    /** The stored subject of a message (headers only), if the message is stored. */
    public synchronized Optional<String> messageSubject(String messageId) {
        return messages.messageSubject(messageId);
    }

    // ------------------------------------------------------------------------------------------------ results

    /**
     * Replaces computed results, in one transaction: deletes the conversations (their message links, leads and
     * waits) named in {@code staleConversationIds}, those with the ids of {@code conversations}, and any stored
     * conversation that holds a message of {@code conversations} (it was merged or split); then inserts the given
     * conversations, leads and waits. Every lead and wait must belong to a stored or given conversation and every
     * conversation message must be a stored message (foreign keys).
     */
    public synchronized void replaceResults(Collection<String> staleConversationIds, List<Conversation> conversations,
                                            List<Lead> leads, List<Wait> waits) {
        results.replaceResults(staleConversationIds, conversations.stream().map(ConversationRow::of).toList(), leads, waits);
    }

    /** {@link #replaceResults} with each conversation's summary and keys (V9), as the poll cycle writes them. */
    public synchronized void replaceResultRows(Collection<String> staleConversationIds, List<ConversationRow> conversations,
                                               List<Lead> leads, List<Wait> waits) {
        results.replaceResults(staleConversationIds, conversations, leads, waits);
    }

    // ------------------------------------------------------------------------------- read model and horizon

    /** The last change number of the results tables. */
    public synchronized long resultSeq() {
        return changes.lastSeq();
    }

    /** The conversations written or removed after change number {@code seq}, with their leads and waits now. */
    public synchronized ResultChanges.Since resultChangesSince(long seq) {
        return changes.since(seq);
    }

    /** Whether stored conversations predate their summaries (V9): then a start-up analyses everything once. */
    public synchronized boolean resultSummariesMissing() {
        return changes.summariesMissing();
    }

    /** Messages, undated, automated and conversations summed over the stored conversations. */
    public synchronized long[] conversationCounts() {
        return changes.conversationCounts();
    }

    /** Messages in no conversation yet: stored, but their results were not saved before a stop. */
    public synchronized List<MailMessage> loadUnthreadedMessages() {
        return horizon.unthreaded();
    }

    /** The fingerprint of what the stored results were computed with (configuration and version), if recorded. */
    public synchronized Optional<String> resultBasis() {
        return Optional.ofNullable(sql.query("SELECT basis FROM result_sequence WHERE id = 1", ps -> {
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }));
    }

    public synchronized void setResultBasis(String basis) {
        changes.setBasis(basis);
    }

    /** Messages of conversations active at or after {@code cutoff}, and messages in no conversation yet. */
    public synchronized List<MailMessage> loadMessagesActiveSince(Instant cutoff) {
        return horizon.activeSince(cutoff);
    }

    /** The stored results of the conversations active at or after {@code cutoff} (see {@link #loadMessagesActiveSince}). */
    public synchronized HorizonRows.Active storedResultsActiveSince(Instant cutoff) {
        return horizon.storedActiveSince(cutoff);
    }

    /** Stored leads that started in {@code [from, to)} (a null bound is open), by (start, lead message id). */
    public synchronized List<Lead> leadsStartedIn(Instant from, Instant to) {
        return horizon.leadsStartedIn(from, to);
    }

    /** Stored waits opened in {@code [from, to)} (a null bound is open), by (opened, message id). */
    public synchronized List<Wait> waitsOpenedIn(Instant from, Instant to) {
        return horizon.waitsOpenedIn(from, to);
    }

    /** The stored lead with this lead message id. */
    public synchronized Optional<Lead> lead(String leadMessageId) {
        return Optional.ofNullable(horizon.lead(leadMessageId));
    }

    /** The messages of these stored conversations, by conversation id. */
    public synchronized Map<String, List<MailMessage>> conversationMessages(Collection<String> conversationIds) {
        return horizon.conversations(conversationIds);
    }

    /** Stored conversations holding one of these message ids or carrying one of these link keys. */
    public synchronized Set<String> conversationsLinkedTo(Collection<String> messageIds, Collection<String> keys) {
        return horizon.linkedTo(messageIds, keys);
    }

    /** Stored leads by (start, lead message id). */
    public synchronized List<Lead> leads() {
        return results.leads();
    }

    /** Stored waits by (opened, message id). */
    public synchronized List<Wait> waits() {
        return results.waits();
    }

    /** Stored conversation ids with their message ids in conversation order, by conversation id. */
    public synchronized Map<String, List<String>> conversationMessageIds() {
        return results.conversationMessageIds();
    }

    /**
     * The stored conversation of each given message that has one (message id to conversation id): the stale
     * conversations when those messages were new or changed.
     */
    public synchronized Map<String, String> conversationsOf(Collection<String> messageIds) {
        return results.conversationsOf(messageIds);
    }

    // ------------------------------------------------------------------------------------- state transitions

    /**
     * Records that the lead's state of {@code kind} ({@link #FIRST_RESPONSE} or {@link #ATTEMPTS}) is {@code state}
     * at {@code at}, only when that differs from the latest recorded state of that kind. Returns whether a
     * transition was recorded. Transitions are history: they stay when results are replaced.
     */
    public synchronized boolean recordState(String leadMessageId, String kind, SlaState state, Instant at) {
        return alerts.recordState(leadMessageId, kind, state, at);
    }

    /**
     * Like {@link #recordState}, and when the transition is recorded, enqueues the alert {@code event} for each of
     * {@code channels} in the same transaction (all or nothing): an alert exists exactly when its transition does.
     * An alert already in the outbox for that lead, event and channel is kept as it is (exactly once).
     */
    public synchronized boolean recordStateAndEnqueue(String leadMessageId, String kind, SlaState state, Instant at,
                                                      String event, Collection<String> channels, Instant now) {
        return alerts.recordStateAndEnqueue(leadMessageId, kind, state, at, event, channels, now);
    }

    /** Enqueues an alert not tied to an SLA transition (sync_failing); returns how many rows were new. */
    public synchronized int enqueueAlert(String subjectId, String event, Collection<String> channels,
                                         Instant occurredAt, Instant now) {
        return alerts.enqueueAlert(subjectId, event, channels, occurredAt, now);
    }

    /** Pending alerts in enqueue order (at most {@code limit}). */
    public synchronized List<OutboxAlert> pendingAlerts(int limit) {
        return alerts.pendingAlerts(limit);
    }

    /** Every outbox row in enqueue order (tests, diagnostics). */
    public synchronized List<OutboxAlert> alerts() {
        return alerts.alerts();
    }

    public synchronized long pendingAlertCount() {
        return alerts.pendingAlertCount();
    }

    /**
     * Claims a pending alert for {@code claimant} (one sender instance) until {@code leaseUntil}; false when another
     * claimant holds an unexpired claim or the alert is no longer pending. Of concurrent claimants, across
     * processes on PostgreSQL, exactly one wins. {@link #finishAlert} and {@link #postponeAlert} end the claim; a
     * claim whose holder died is taken over once its lease ran out.
     */
    public synchronized boolean claimAlert(OutboxAlert alert, String claimant, Instant now, Instant leaseUntil) {
        return alerts.claimAlert(alert, claimant, now, leaseUntil);
    }

    /** Who holds the alert's claim, if anyone (tests, diagnostics). */
    public synchronized Optional<String> alertClaimant(OutboxAlert alert) {
        return alerts.claimant(alert);
    }

    /** Ends a pending alert: {@code status} sent, failed or cancelled; {@code reason} null or a non-secret reason. */
    public synchronized void finishAlert(OutboxAlert alert, String status, int attempts, String reason, Instant at) {
        alerts.finishAlert(alert, status, attempts, reason, at);
    }

    /** Keeps an alert pending until {@code next} (a retry after a failure, or quiet hours). */
    public synchronized void postponeAlert(OutboxAlert alert, int attempts, Instant next, String reason) {
        alerts.postponeAlert(alert, attempts, next, reason);
    }

    /** The latest recorded state of that kind, if any. */
    public synchronized Optional<SlaState> latestState(String leadMessageId, String kind) {
        return alerts.latestState(leadMessageId, kind);
    }

    /** The latest recorded state of that kind of every lead that has one, by lead message id (one read at start-up). */
    public synchronized Map<String, SlaState> latestStates(String kind) {
        return alerts.latestStates(kind);
    }

    /** The lead's transitions of both kinds, by time (then kind, then recording order). */
    public synchronized List<StateTransition> transitions(String leadMessageId) {
        return alerts.transitions(leadMessageId);
    }

    // ------------------------------------------------------------------------------------------- dispositions

    /** Sets the lead's disposition (replacing one that stands) and appends it to the lead's audit trail. */
    public synchronized void setDisposition(Disposition disposition) {
        dispositions.set(disposition);
    }

    /** Withdraws the lead's standing disposition, noting who and when in the audit trail; empty when none stood. */
    public synchronized Optional<Disposition> withdrawDisposition(String leadMessageId, String who, Instant at) {
        return dispositions.withdraw(leadMessageId, who, at);
    }

    /** Every standing disposition (loaded at start-up). */
    public synchronized List<Disposition> dispositions() {
        return dispositions.all();
    }

    /** The standing disposition of a lead, if any. */
    public synchronized Optional<Disposition> disposition(String leadMessageId) {
        return dispositions.find(leadMessageId);
    }

    /** Every change of the lead's disposition, oldest first; never rewritten. */
    public synchronized List<DispositionChange> dispositionHistory(String leadMessageId) {
        return dispositions.history(leadMessageId);
    }

    // ------------------------------------------------------------------------------------------- sync status

    /** Records a sync of the mailbox that ended at {@code at}: successful when {@code errorOrNull} is null. */
    public synchronized void recordSync(String mailboxId, Instant at, String errorOrNull) {
        syncs.recordSync(mailboxId, at, errorOrNull);
    }

    /** When the mailbox first synced successfully (kept across later syncs), if it ever did. */
    public synchronized Optional<Instant> firstSuccessfulSync(String mailboxId) {
        return syncs.firstSuccessfulSync(mailboxId);
    }

    public synchronized Optional<SyncStatus> lastSync(String mailboxId) {
        return syncs.lastSync(mailboxId);
    }

    // ------------------------------------------------------------------------------- sessions and wall devices

    /** Stores a new login session (its id only as a digest). */
    public synchronized void putSession(WebSession session) {
        credentials.putSession(session);
    }

    public synchronized Optional<WebSession> session(String idSha256) {
        return credentials.session(idSha256);
    }

    public synchronized void touchSession(String idSha256, Instant lastSeen, Instant expires) {
        credentials.touchSession(idSha256, lastSeen, expires);
    }

    public synchronized void deleteSession(String idSha256) {
        credentials.deleteSession(idSha256);
    }

    /** Deletes expired sessions and used or expired wall links; returns how many sessions went. */
    public synchronized int deleteExpiredCredentials(Instant now) {
        return credentials.deleteExpired(now);
    }

    /** Ends the sessions of users who are gone or whose password changed ({@code current}: user to fingerprint). */
    public synchronized int deleteSessionsNotMatching(Map<String, String> current) {
        return credentials.deleteSessionsNotMatching(current);
    }

    /** Stores a one-time link (as a digest) that enrols the named wall device until {@code expiresAt}. */
    public synchronized void putWallLink(String tokenSha256, String deviceName, Instant createdAt, Instant expiresAt) {
        credentials.putWallLink(tokenSha256, deviceName, createdAt, expiresAt);
    }

    /**
     * Uses a one-time wall link: if unused and unexpired, marks it used and enrols its device under the new token
     * digest (replacing an earlier token of that name), in one transaction; gives the device name.
     */
    public synchronized Optional<String> useWallLink(String linkSha256, String deviceTokenSha256, Instant now) {
        return credentials.useWallLink(linkSha256, deviceTokenSha256, now);
    }

    /** The enrolled device holding this token digest, if it is not revoked. */
    public synchronized Optional<WallDevice> wallDevice(String tokenSha256) {
        return credentials.wallDevice(tokenSha256);
    }

    public synchronized void touchWallDevice(String name, Instant lastSeen) {
        credentials.touchWallDevice(name, lastSeen);
    }

    public synchronized List<WallDevice> wallDevices() {
        return credentials.wallDevices();
    }

    /** Revokes a wall device and its unused links; false when there was neither. */
    public synchronized boolean revokeWallDevice(String name) {
        return credentials.revokeWallDevice(name);
    }

    // ---------------------------------------------------------------------- catching up with other instances

    /** Where the feeds of new messages, changed messages and disposition changes stand now. */
    public synchronized FeedMarks feedMarks() {
        return catchUp.marks();
    }

    /** The messages with a seq in ({@code afterSeq}, {@code upToSeq}] (stored by any instance), with all places. */
    public synchronized List<MailMessage> messagesAfter(long afterSeq, long upToSeq) {
        return catchUp.messagesAfter(afterSeq, upToSeq);
    }

    /** The stored messages noted as changed in ({@code afterChange}, {@code upToChange}], with all their places. */
    public synchronized List<MailMessage> messagesChangedAfter(long afterChange, long upToChange) {
        return catchUp.changedAfter(afterChange, upToChange);
    }

    /** Notes stored messages that a batch changed (a new place, an earlier time), for the other instances. */
    public synchronized void noteMessagesChanged(Collection<String> messageIds) {
        catchUp.noteChanged(messageIds);
    }

    /** The leads whose disposition changed in audit entries ({@code afterSeq}, {@code upToSeq}], each once. */
    public synchronized Set<String> dispositionsChangedAfter(long afterSeq, long upToSeq) {
        return catchUp.dispositionsChangedAfter(afterSeq, upToSeq);
    }

    // --------------------------------------------------------------------------------------------- migration

    /** The row count of every store table (Flyway's history aside), in copy order. */
    public synchronized Map<String, Long> tableCounts() {
        return StoreCopy.counts(sql);
    }

    /**
     * Copies every row of this store into {@code target} (SQLite to PostgreSQL or back), which must be empty: all
     * or nothing. Returns the rows copied per table.
     *
     * @throws StoreException when the target is not empty (nothing is copied) or a write fails
     */
    public Map<String, Long> copyInto(Store target) {
        synchronized (this) {
            synchronized (target) {
                return StoreCopy.copy(sql, target.sql);
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    /**
     * Caps the file at {@code pages} pages ({@code PRAGMA max_page_count}, this connection only; never below the
     * current size): a write that needs more fails as {@link StoreFullException}, as on a full disk. Fault tests use
     * it to take the space away and give it back. Returns the cap in force.
     */
    public synchronized long capPages(long pages) {
        return Long.parseLong(pragma("PRAGMA max_page_count = " + pages));
    }

    /** The write-ahead log's checkpointer (null when SQLite checkpoints in the committing thread); for tests. */
    WalCheckpointer checkpointer() {
        return checkpointer;
    }

    /** {@code PRAGMA integrity_check}: "ok", or the first problem found. */
    public synchronized String integrityCheck() {
        return pragma("PRAGMA integrity_check");
    }

    /** The file's size in pages ({@code PRAGMA page_count}). */
    public synchronized long pageCount() {
        return Long.parseLong(pragma("PRAGMA page_count"));
    }

    /** Runs a PRAGMA or other single-value query; for diagnostics and tests. */
    synchronized String pragma(String statement) {
        if (sql.backend != StoreBackend.SQLITE && statement.startsWith("PRAGMA")) {
            throw new StoreException("store " + name + " is on PostgreSQL: " + statement + " is SQLite's");
        }
        return sql.query(statement, ps -> {
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        });
    }

}
