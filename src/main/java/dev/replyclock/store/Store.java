package dev.replyclock.store;

import dev.replyclock.domain.Conversation;
import dev.replyclock.domain.FolderCheckpoint;
import dev.replyclock.domain.Lead;
import dev.replyclock.domain.MailMessage;
import dev.replyclock.domain.Place;
import dev.replyclock.domain.RejectedMessage;
import dev.replyclock.domain.Response;
import dev.replyclock.domain.SlaState;
import dev.replyclock.domain.Wait;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The service's SQLite database: messages (headers only, never bodies), folder checkpoints, rejected items,
 * computed results (conversations, leads, waits), SLA state transitions and sync status.
 *
 * <p>Thread rules: one JDBC connection; every public method is {@code synchronized}, so a Store may be shared
 * between threads, and each write method is one transaction (all or nothing). Other processes may read the file
 * concurrently (WAL); only one process should write.
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

    private static final String MESSAGE_COLUMNS = "seq, id, refs, subject, from_addrs, sender, reply_to, to_addrs, "
            + "cc_addrs, event_time, thread_index_root, conversation_hint, automation_signs, attribution";
    private static final String LEAD_COLUMNS = "lead_message_id, conversation_id, mailbox_id, team_id, party, "
            + "start_at, deadline, at_risk_from, fr_message_id, fr_at, fr_rep, fr_business_seconds, fr_wall_seconds, "
            + "attempts, attempts_window_end, attempts_met";
    private static final String WAIT_COLUMNS = "message_id, conversation_id, mailbox_id, team_id, opened, "
            + "cb_message_id, cb_at, cb_rep, cb_business_seconds, cb_wall_seconds";

    private static final String OUTBOX_COLUMNS = "subject_id, event, channel, seq, occurred_at, enqueued_at, status, "
            + "attempts, next_attempt_at, done_at, last_error";

    private final Path file;
    private final Connection conn;
    private final int migrationsApplied;
    /** Next {@code message.seq}: first-insertion order. Gaps (after a rolled-back batch) are harmless. */
    private long nextSeq;
    /** Test hook: runs inside {@link #commitBatch}'s transaction, just before the checkpoint is written. */
    volatile Runnable beforeCheckpointWrite;

    private Store(Path file, Connection conn, int migrationsApplied) throws SQLException {
        this.file = file;
        this.conn = conn;
        this.migrationsApplied = migrationsApplied;
        try (Statement st = conn.createStatement();
             ResultSet rs = st.executeQuery("SELECT COALESCE(MAX(seq), 0) FROM message")) {
            rs.next();
            this.nextSeq = rs.getLong(1) + 1;
        }
    }

    /**
     * Opens (creating it and its parent folders if needed) the database file, sets WAL journal mode,
     * {@code synchronous=NORMAL}, foreign keys and a busy timeout, and applies pending migrations.
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

        MigrateResult migrated;
        try {
            migrated = Flyway.configure()
                    .dataSource(dataSource)
                    .locations("classpath:db/migration")
                    .failOnMissingLocations(true)
                    .load()
                    .migrate();
        } catch (FlywayException e) {
            throw new StoreException("cannot migrate store " + abs + ": " + e.getMessage(), e);
        }

        Connection conn = null;
        try {
            conn = dataSource.getConnection();
            try (Statement st = conn.createStatement()) {
                // SQLiteConfig applied these at connect; state them again so they do not depend on driver defaults.
                st.execute("PRAGMA journal_mode=WAL");
                st.execute("PRAGMA synchronous=NORMAL");
                st.execute("PRAGMA foreign_keys=ON");
                st.execute("PRAGMA busy_timeout=" + BUSY_TIMEOUT_MS);
                try (ResultSet rs = st.executeQuery("PRAGMA journal_mode")) {
                    String mode = rs.next() ? rs.getString(1) : null;
                    if (!"wal".equalsIgnoreCase(mode)) {
                        throw new StoreException("store " + abs + ": journal_mode is " + mode + ", not wal "
                                + "(is the file on a network file system?)");
                    }
                }
            }
            return new Store(abs, conn, migrated.migrationsExecuted);
        } catch (SQLException | RuntimeException e) {
            if (conn != null) {
                try {
                    conn.close();
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            if (e instanceof RuntimeException re) {
                throw re;
            }
            throw new StoreException("cannot open store " + abs + ": " + e.getMessage(), e);
        }
    }

    public Path file() {
        return file;
    }

    /** How many migrations {@link #open} applied (0 when the file was up to date). */
    public int migrationsApplied() {
        return migrationsApplied;
    }

    @Override
    public synchronized void close() {
        try {
            conn.close();
        } catch (SQLException e) {
            throw new StoreException("cannot close store " + file + ": " + e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------------------------------------- ingestion

    public synchronized Optional<FolderCheckpoint> checkpoint(String mailboxId, String folder) {
        return query("SELECT mailbox_id, folder, uid_validity, last_uid, cursor FROM folder_checkpoint "
                + "WHERE mailbox_id = ? AND folder = ?", ps -> {
            ps.setString(1, mailboxId);
            ps.setString(2, folder);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(checkpointOf(rs)) : Optional.<FolderCheckpoint>empty();
            }
        });
    }

    /** The checkpoints of a mailbox, by folder name. */
    public synchronized List<FolderCheckpoint> checkpoints(String mailboxId) {
        return query("SELECT mailbox_id, folder, uid_validity, last_uid, cursor FROM folder_checkpoint "
                + "WHERE mailbox_id = ? ORDER BY folder", ps -> {
            ps.setString(1, mailboxId);
            List<FolderCheckpoint> list = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    list.add(checkpointOf(rs));
                }
            }
            return list;
        });
    }

    private static FolderCheckpoint checkpointOf(ResultSet rs) throws SQLException {
        return new FolderCheckpoint(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4), rs.getString(5));
    }

    /**
     * Stores one batch read from a folder, in one transaction: merges each copy into the stored messages (a new id
     * is inserted; a known one keeps its stored headers, its event time becomes the earliest, its places gain the
     * copy's new places), records the rejected items, and upserts the folder's checkpoint. If anything fails,
     * nothing of the batch and not the checkpoint is stored.
     */
    public synchronized CommitResult commitBatch(FolderCheckpoint checkpoint, List<MailMessage> copies,
                                                 List<RejectedMessage> rejected) {
        Objects.requireNonNull(checkpoint, "checkpoint");
        Objects.requireNonNull(copies, "copies");
        Objects.requireNonNull(rejected, "rejected");
        long seqBefore = nextSeq;
        try {
            return inTransaction(() -> commit(checkpoint, copies, rejected));
        } catch (StoreFullException e) {
            nextSeq = seqBefore;
            throw new StoreFullException("store " + file + " is full: the batch of mailbox " + checkpoint.mailboxId()
                    + ", folder " + checkpoint.folder() + " (" + copies.size() + " messages, " + rejected.size()
                    + " rejected, up to UID " + checkpoint.lastUid() + ") was not stored and will be read again once "
                    + "there is space (" + e.getCause().getMessage() + ")", e.getCause());
        } catch (RuntimeException e) {
            nextSeq = seqBefore;
            throw e;
        }
    }

    /** One message of a batch: either new (merged from this batch's copies) or stored before (what changes). */
    private static final class Pending {
        final boolean isNew;
        long seq;                       // stored: the message's seq; new: assigned when written
        MailMessage message;            // new: the merged copies
        final Instant storedTime;       // stored: event time before the batch
        final int storedPlaces;         // stored: how many places before the batch
        Instant time;                   // stored: merged event time
        final List<Place> places;       // stored: merged places

        Pending(MailMessage first) {
            isNew = true;
            message = first;
            storedTime = null;
            storedPlaces = 0;
            places = null;
        }

        Pending(long seq, Instant storedTime, List<Place> storedPlaces) {
            isNew = false;
            this.seq = seq;
            this.storedTime = storedTime;
            this.storedPlaces = storedPlaces.size();
            this.time = storedTime;
            this.places = storedPlaces;
        }

        void merge(MailMessage copy) {
            if (isNew) {
                message = message.mergedWith(copy);
                return;
            }
            if (copy.eventTime() != null && (time == null || copy.eventTime().isBefore(time))) {
                time = copy.eventTime();
            }
            for (Place place : copy.places()) {
                if (!places.contains(place)) {
                    places.add(place);
                }
            }
        }

        boolean timeChanged() {
            return !Objects.equals(time, storedTime);
        }

        boolean changed() {
            return !isNew && (timeChanged() || places.size() > storedPlaces);
        }
    }

    private CommitResult commit(FolderCheckpoint checkpoint, List<MailMessage> copies, List<RejectedMessage> rejected)
            throws SQLException {
        Map<String, Pending> byId = new LinkedHashMap<>();
        int duplicates = 0;
        try (PreparedStatement findTime = conn.prepareStatement("SELECT seq, event_time FROM message WHERE id = ?");
             PreparedStatement findPlaces = conn.prepareStatement("SELECT mailbox_id, folder, inbox_folder "
                     + "FROM message_place WHERE message_seq = ? ORDER BY pos")) {
            for (MailMessage copy : copies) {
                Pending pending = byId.get(copy.id());
                if (pending != null) {
                    duplicates++;
                    pending.merge(copy);
                    continue;
                }
                findTime.setString(1, copy.id());
                boolean stored;
                long storedSeq = 0;
                Instant storedTime = null;
                try (ResultSet rs = findTime.executeQuery()) {
                    stored = rs.next();
                    if (stored) {
                        storedSeq = rs.getLong(1);
                        storedTime = instant(rs, 2);
                    }
                }
                if (stored) {
                    duplicates++;
                    pending = new Pending(storedSeq, storedTime, placesOf(findPlaces, storedSeq));
                    pending.merge(copy);
                } else {
                    pending = new Pending(copy);
                }
                byId.put(copy.id(), pending);
            }
        }

        List<String> newIds = new ArrayList<>();
        List<String> changedIds = new ArrayList<>();
        try (PreparedStatement insertMessage = conn.prepareStatement("INSERT INTO message (" + MESSAGE_COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
             PreparedStatement insertPlace = conn.prepareStatement("INSERT INTO message_place "
                     + "(message_seq, pos, mailbox_id, folder, inbox_folder) VALUES (?, ?, ?, ?, ?)");
             PreparedStatement updateTime = conn.prepareStatement("UPDATE message SET event_time = ? WHERE seq = ?")) {
            for (Map.Entry<String, Pending> entry : byId.entrySet()) {
                String id = entry.getKey();
                Pending p = entry.getValue();
                if (p.isNew) {
                    newIds.add(id);
                    p.seq = nextSeq++;
                    bindMessage(insertMessage, p.message, p.seq);
                    insertMessage.addBatch();
                    addPlaces(insertPlace, p.seq, p.message.places(), 0);
                } else if (p.changed()) {
                    changedIds.add(id);
                    if (p.timeChanged()) {
                        setInstant(updateTime, 1, p.time);
                        updateTime.setLong(2, p.seq);
                        updateTime.addBatch();
                    }
                    addPlaces(insertPlace, p.seq, p.places, p.storedPlaces);
                }
            }
            insertMessage.executeBatch();
            updateTime.executeBatch();
            insertPlace.executeBatch();
        }

        if (!rejected.isEmpty()) {
            try (PreparedStatement ps = conn.prepareStatement("INSERT INTO rejected (mailbox_id, folder, location, "
                    + "reason) VALUES (?, ?, ?, ?) ON CONFLICT (mailbox_id, folder, location) "
                    + "DO UPDATE SET reason = excluded.reason")) {
                for (RejectedMessage r : rejected) {
                    ps.setString(1, r.mailboxId());
                    ps.setString(2, r.folder());
                    ps.setString(3, r.where());
                    ps.setString(4, r.reason());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }

        Runnable hook = beforeCheckpointWrite;
        if (hook != null) {
            hook.run();
        }
        try (PreparedStatement ps = conn.prepareStatement("INSERT INTO folder_checkpoint (mailbox_id, folder, "
                + "uid_validity, last_uid, copies, duplicates, cursor) VALUES (?, ?, ?, ?, ?, ?, ?) "
                + "ON CONFLICT (mailbox_id, folder) DO UPDATE SET uid_validity = excluded.uid_validity, "
                + "last_uid = excluded.last_uid, cursor = excluded.cursor, copies = folder_checkpoint.copies + excluded.copies, "
                + "duplicates = folder_checkpoint.duplicates + excluded.duplicates")) {
            ps.setString(1, checkpoint.mailboxId());
            ps.setString(2, checkpoint.folder());
            ps.setLong(3, checkpoint.uidValidity());
            ps.setLong(4, checkpoint.lastUid());
            ps.setLong(5, copies.size());
            ps.setLong(6, duplicates);
            ps.setString(7, checkpoint.cursor());
            ps.executeUpdate();
        }
        return new CommitResult(newIds, changedIds, copies.size(), duplicates);
    }

    private static List<Place> placesOf(PreparedStatement findPlaces, long seq) throws SQLException {
        findPlaces.setLong(1, seq);
        List<Place> places = new ArrayList<>();
        try (ResultSet rs = findPlaces.executeQuery()) {
            while (rs.next()) {
                places.add(new Place(rs.getString(1), rs.getString(2), rs.getBoolean(3)));
            }
        }
        return places;
    }

    private static void addPlaces(PreparedStatement insertPlace, long seq, List<Place> places, int from)
            throws SQLException {
        for (int pos = from; pos < places.size(); pos++) {
            Place place = places.get(pos);
            insertPlace.setLong(1, seq);
            insertPlace.setInt(2, pos);
            insertPlace.setString(3, place.mailboxId());
            insertPlace.setString(4, place.folder());
            insertPlace.setBoolean(5, place.inboxFolder());
            insertPlace.addBatch();
        }
    }

    private static void bindMessage(PreparedStatement ps, MailMessage m, long seq) throws SQLException {
        ps.setLong(1, seq);
        ps.setString(2, m.id());
        ps.setString(3, join(m.references(), "references", m.id()));
        ps.setString(4, m.subject());
        ps.setString(5, join(m.from(), "from", m.id()));
        ps.setString(6, m.sender());
        ps.setString(7, join(m.replyTo(), "replyTo", m.id()));
        ps.setString(8, join(m.to(), "to", m.id()));
        ps.setString(9, join(m.cc(), "cc", m.id()));
        setInstant(ps, 10, m.eventTime());
        ps.setString(11, m.threadIndexRoot());
        ps.setString(12, m.conversationHint());
        ps.setInt(13, m.automationSigns());
        ps.setString(14, m.attribution());
    }

    /**
     * The folder's UIDVALIDITY changed: it will be read again from the start (last UID 0). Stored messages stay;
     * duplicate merging makes the re-read safe.
     */
    public synchronized void resetCheckpoint(String mailboxId, String folder, long newUidValidity) {
        update("INSERT INTO folder_checkpoint (mailbox_id, folder, uid_validity, last_uid) VALUES (?, ?, ?, 0) "
                + "ON CONFLICT (mailbox_id, folder) DO UPDATE SET uid_validity = excluded.uid_validity, last_uid = 0, "
                + "cursor = NULL",
                ps -> {
                    ps.setString(1, mailboxId);
                    ps.setString(2, folder);
                    ps.setLong(3, newUidValidity);
                });
    }

    /** Every stored message with all its places, in first-insertion order. */
    public synchronized List<MailMessage> loadMessages() {
        // Two scans in the same (seq) order, merged here: both read their table sequentially.
        try (PreparedStatement ms = conn.prepareStatement("SELECT " + MESSAGE_COLUMNS + " FROM message ORDER BY seq");
             PreparedStatement ps = conn.prepareStatement("SELECT message_seq, mailbox_id, folder, inbox_folder "
                     + "FROM message_place ORDER BY message_seq, pos");
             ResultSet m = ms.executeQuery();
             ResultSet p = ps.executeQuery()) {
            List<MailMessage> messages = new ArrayList<>();
            boolean morePlaces = p.next();
            while (m.next()) {
                long seq = m.getLong(1);
                List<Place> places = new ArrayList<>(2);
                while (morePlaces && p.getLong(1) <= seq) {
                    if (p.getLong(1) == seq) {
                        places.add(new Place(p.getString(2), p.getString(3), p.getBoolean(4)));
                    }
                    morePlaces = p.next();
                }
                messages.add(new MailMessage(m.getString(2), split(m.getString(3)), m.getString(4),
                        split(m.getString(5)), m.getString(6), split(m.getString(7)), split(m.getString(8)),
                        split(m.getString(9)), instant(m, 10), m.getString(11), m.getString(12), m.getInt(13),
                        m.getString(14), List.copyOf(places)));
            }
            return messages;
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    public synchronized long messageCount() {
        return count("SELECT COUNT(*) FROM message");
    }

    public synchronized StoredCounts counts() {
        return query("SELECT COALESCE(SUM(copies), 0), COALESCE(SUM(duplicates), 0) FROM folder_checkpoint", ps -> {
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long copies = rs.getLong(1);
                long duplicates = rs.getLong(2);
                return new StoredCounts(copies, count("SELECT COUNT(*) FROM rejected"),
                        count("SELECT COUNT(*) FROM message"), duplicates);
            }
        });
    }

    /** Every rejected item, by mailbox, folder and where. */
    public synchronized List<RejectedMessage> rejected() {
        return query("SELECT mailbox_id, folder, location, reason FROM rejected ORDER BY mailbox_id, folder, location",
                ps -> {
                    List<RejectedMessage> list = new ArrayList<>();
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            list.add(new RejectedMessage(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)));
                        }
                    }
                    return list;
                });
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
        Objects.requireNonNull(staleConversationIds, "staleConversationIds");
        Objects.requireNonNull(conversations, "conversations");
        Objects.requireNonNull(leads, "leads");
        Objects.requireNonNull(waits, "waits");
        inTransaction(() -> {
            Set<String> stale = new LinkedHashSet<>(staleConversationIds);
            try (PreparedStatement find = conn.prepareStatement(
                    "SELECT conversation_id FROM conversation_message WHERE message_id = ?")) {
                for (Conversation c : conversations) {
                    stale.add(c.id());
                    for (MailMessage m : c.messages()) {
                        find.setString(1, m.id());
                        try (ResultSet rs = find.executeQuery()) {
                            if (rs.next()) {
                                stale.add(rs.getString(1));
                            }
                        }
                    }
                }
            }
            deleteConversations(stale);
            insertConversations(conversations);
            insertLeads(leads);
            insertWaits(waits);
            return null;
        });
    }

    private void deleteConversations(Set<String> ids) throws SQLException {
        if (ids.isEmpty()) {
            return;
        }
        String[] tables = {"lead", "wait", "conversation_message", "conversation"};
        String[] columns = {"conversation_id", "conversation_id", "conversation_id", "id"};
        for (int t = 0; t < tables.length; t++) {
            try (PreparedStatement ps = conn.prepareStatement(
                    "DELETE FROM " + tables[t] + " WHERE " + columns[t] + " = ?")) {
                for (String id : ids) {
                    ps.setString(1, id);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
    }

    private void insertConversations(List<Conversation> conversations) throws SQLException {
        try (PreparedStatement conv = conn.prepareStatement("INSERT INTO conversation (id) VALUES (?)");
             PreparedStatement link = conn.prepareStatement(
                     "INSERT INTO conversation_message (conversation_id, pos, message_id) VALUES (?, ?, ?)")) {
            for (Conversation c : conversations) {
                conv.setString(1, c.id());
                conv.addBatch();
                int pos = 0;
                for (MailMessage m : c.messages()) {
                    link.setString(1, c.id());
                    link.setInt(2, pos++);
                    link.setString(3, m.id());
                    link.addBatch();
                }
            }
            conv.executeBatch();
            link.executeBatch();
        }
    }

    private void insertLeads(List<Lead> leads) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("INSERT INTO lead (" + LEAD_COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (Lead l : leads) {
                ps.setString(1, l.leadMessageId());
                ps.setString(2, l.conversationId());
                ps.setString(3, l.mailboxId());
                ps.setString(4, l.teamId());
                ps.setString(5, l.party());
                setInstant(ps, 6, l.start());
                setInstant(ps, 7, l.deadline());
                setInstant(ps, 8, l.atRiskFrom());
                bindResponse(ps, 9, l.firstResponse());
                ps.setInt(14, l.attempts());
                setInstant(ps, 15, l.attemptsWindowEnd());
                ps.setBoolean(16, l.attemptsMet());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private void insertWaits(List<Wait> waits) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("INSERT INTO wait (" + WAIT_COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (Wait w : waits) {
                ps.setString(1, w.messageId());
                ps.setString(2, w.conversationId());
                ps.setString(3, w.mailboxId());
                ps.setString(4, w.teamId());
                setInstant(ps, 5, w.opened());
                bindResponse(ps, 6, w.closedBy());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** Five columns from {@code first}: message id, at, rep, business seconds, wall seconds; all NULL for null. */
    private static void bindResponse(PreparedStatement ps, int first, Response r) throws SQLException {
        if (r == null) {
            ps.setNull(first, Types.VARCHAR);
            ps.setNull(first + 1, Types.BIGINT);
            ps.setNull(first + 2, Types.VARCHAR);
            ps.setNull(first + 3, Types.BIGINT);
            ps.setNull(first + 4, Types.BIGINT);
            return;
        }
        ps.setString(first, Objects.requireNonNull(r.messageId(), "response messageId"));
        setInstant(ps, first + 1, r.at());
        ps.setString(first + 2, r.rep());
        ps.setLong(first + 3, r.businessSeconds());
        ps.setLong(first + 4, r.wallSeconds());
    }

    private static Response responseOf(ResultSet rs, int first) throws SQLException {
        String messageId = rs.getString(first);
        if (messageId == null) {
            return null;
        }
        return new Response(messageId, instant(rs, first + 1), rs.getString(first + 2), rs.getLong(first + 3),
                rs.getLong(first + 4));
    }

    /** Stored leads by (start, lead message id). */
    public synchronized List<Lead> leads() {
        return query("SELECT " + LEAD_COLUMNS + " FROM lead ORDER BY start_at, lead_message_id", ps -> {
            List<Lead> leads = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    leads.add(new Lead(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), instant(rs, 6), instant(rs, 7), instant(rs, 8), responseOf(rs, 9),
                            rs.getInt(14), instant(rs, 15), rs.getBoolean(16)));
                }
            }
            return leads;
        });
    }

    /** Stored waits by (opened, message id). */
    public synchronized List<Wait> waits() {
        return query("SELECT " + WAIT_COLUMNS + " FROM wait ORDER BY opened, message_id", ps -> {
            List<Wait> waits = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    waits.add(new Wait(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            instant(rs, 5), responseOf(rs, 6)));
                }
            }
            return waits;
        });
    }

    /** Stored conversation ids with their message ids in conversation order, by conversation id. */
    public synchronized Map<String, List<String>> conversationMessageIds() {
        return query("SELECT conversation_id, message_id FROM conversation_message ORDER BY conversation_id, pos",
                ps -> {
                    Map<String, List<String>> map = new LinkedHashMap<>();
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            map.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2));
                        }
                    }
                    return map;
                });
    }

    /**
     * The stored conversation of each given message that has one (message id to conversation id): the stale
     * conversations when those messages were new or changed.
     */
    public synchronized Map<String, String> conversationsOf(Collection<String> messageIds) {
        return query("SELECT conversation_id FROM conversation_message WHERE message_id = ?", ps -> {
            Map<String, String> map = new LinkedHashMap<>();
            for (String id : messageIds) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        map.put(id, rs.getString(1));
                    }
                }
            }
            return map;
        });
    }

    // ------------------------------------------------------------------------------------- state transitions

    /**
     * Records that the lead's state of {@code kind} ({@link #FIRST_RESPONSE} or {@link #ATTEMPTS}) is {@code state}
     * at {@code at}, only when that differs from the latest recorded state of that kind. Returns whether a
     * transition was recorded. Transitions are history: they stay when results are replaced.
     */
    public synchronized boolean recordState(String leadMessageId, String kind, SlaState state, Instant at) {
        Objects.requireNonNull(leadMessageId, "leadMessageId");
        checkKind(kind);
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(at, "at");
        return inTransaction(() -> insertTransition(leadMessageId, kind, state, at));
    }

    /**
     * Like {@link #recordState}, and when the transition is recorded, enqueues the alert {@code event} for each of
     * {@code channels} in the same transaction (all or nothing): an alert exists exactly when its transition does.
     * An alert already in the outbox for that lead, event and channel is kept as it is (exactly once).
     */
    public synchronized boolean recordStateAndEnqueue(String leadMessageId, String kind, SlaState state, Instant at,
                                                      String event, Collection<String> channels, Instant now) {
        Objects.requireNonNull(leadMessageId, "leadMessageId");
        checkKind(kind);
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(channels, "channels");
        Objects.requireNonNull(now, "now");
        return inTransaction(() -> {
            if (!insertTransition(leadMessageId, kind, state, at)) {
                return false;
            }
            if (event != null) {
                insertAlerts(leadMessageId, event, channels, at, now);
            }
            return true;
        });
    }

    private boolean insertTransition(String leadMessageId, String kind, SlaState state, Instant at) throws SQLException {
        int lastSeq = 0;
        String lastState = null;
        try (PreparedStatement ps = conn.prepareStatement("SELECT seq, state FROM sla_transition "
                + "WHERE lead_message_id = ? AND kind = ? ORDER BY seq DESC LIMIT 1")) {
            ps.setString(1, leadMessageId);
            ps.setString(2, kind);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    lastSeq = rs.getInt(1);
                    lastState = rs.getString(2);
                }
            }
        }
        if (state.label().equals(lastState)) {
            return false;
        }
        try (PreparedStatement ps = conn.prepareStatement("INSERT INTO sla_transition "
                + "(lead_message_id, kind, seq, state, occurred_at) VALUES (?, ?, ?, ?, ?)")) {
            ps.setString(1, leadMessageId);
            ps.setString(2, kind);
            ps.setInt(3, lastSeq + 1);
            ps.setString(4, state.label());
            setInstant(ps, 5, at);
            ps.executeUpdate();
        }
        return true;
    }

    /** Test hook: runs inside {@link #recordStateAndEnqueue}'s transaction, after the outbox rows are written. */
    volatile Runnable afterAlertsInserted;

    private int insertAlerts(String subjectId, String event, Collection<String> channels, Instant occurredAt,
                             Instant now) throws SQLException {
        long seq;
        try (PreparedStatement ps = conn.prepareStatement("SELECT COALESCE(MAX(seq), 0) FROM alert_outbox");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            seq = rs.getLong(1);
        }
        int inserted = 0;
        try (PreparedStatement ps = conn.prepareStatement("INSERT INTO alert_outbox (subject_id, event, channel, seq, "
                + "occurred_at, enqueued_at, status, attempts, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?) "
                + "ON CONFLICT (subject_id, event, channel) DO NOTHING")) {
            for (String channel : channels) {
                ps.setString(1, subjectId);
                ps.setString(2, event);
                ps.setString(3, channel);
                ps.setLong(4, ++seq);
                setInstant(ps, 5, occurredAt);
                setInstant(ps, 6, now);
                ps.setString(7, OutboxAlert.PENDING);
                setInstant(ps, 8, now);
                inserted += ps.executeUpdate();
            }
        }
        Runnable hook = afterAlertsInserted;
        if (hook != null) {
            hook.run();
        }
        return inserted;
    }

    // ------------------------------------------------------------------------------------------- alert outbox

    /** Enqueues an alert not tied to an SLA transition (sync_failing); returns how many rows were new. */
    public synchronized int enqueueAlert(String subjectId, String event, Collection<String> channels,
                                         Instant occurredAt, Instant now) {
        return inTransaction(() -> insertAlerts(subjectId, event, channels, occurredAt, now));
    }

    /** Pending alerts in enqueue order (at most {@code limit}). */
    public synchronized List<OutboxAlert> pendingAlerts(int limit) {
        return query("SELECT " + OUTBOX_COLUMNS + " FROM alert_outbox WHERE status = ? ORDER BY seq LIMIT ?", ps -> {
            ps.setString(1, OutboxAlert.PENDING);
            ps.setInt(2, limit);
            return outboxRows(ps);
        });
    }

    /** Every outbox row in enqueue order (tests, diagnostics). */
    public synchronized List<OutboxAlert> alerts() {
        return query("SELECT " + OUTBOX_COLUMNS + " FROM alert_outbox ORDER BY seq", this::outboxRows);
    }

    public synchronized long pendingAlertCount() {
        return query("SELECT COUNT(*) FROM alert_outbox WHERE status = ?", ps -> {
            ps.setString(1, OutboxAlert.PENDING);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    /** Ends a pending alert: {@code status} sent, failed or cancelled; {@code reason} null or a non-secret reason. */
    public synchronized void finishAlert(OutboxAlert alert, String status, int attempts, String reason, Instant at) {
        update("UPDATE alert_outbox SET status = ?, attempts = ?, done_at = ?, last_error = ? "
                + "WHERE subject_id = ? AND event = ? AND channel = ? AND status = ?", ps -> {
            ps.setString(1, status);
            ps.setInt(2, attempts);
            setInstant(ps, 3, at);
            ps.setString(4, reason);
            ps.setString(5, alert.subjectId());
            ps.setString(6, alert.event());
            ps.setString(7, alert.channel());
            ps.setString(8, OutboxAlert.PENDING);
        });
    }

    /** Keeps an alert pending until {@code next} (a retry after a failure, or quiet hours). */
    public synchronized void postponeAlert(OutboxAlert alert, int attempts, Instant next, String reason) {
        update("UPDATE alert_outbox SET attempts = ?, next_attempt_at = ?, last_error = ? "
                + "WHERE subject_id = ? AND event = ? AND channel = ? AND status = ?", ps -> {
            ps.setInt(1, attempts);
            setInstant(ps, 2, next);
            ps.setString(3, reason);
            ps.setString(4, alert.subjectId());
            ps.setString(5, alert.event());
            ps.setString(6, alert.channel());
            ps.setString(7, OutboxAlert.PENDING);
        });
    }

    private List<OutboxAlert> outboxRows(PreparedStatement ps) throws SQLException {
        List<OutboxAlert> list = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                list.add(new OutboxAlert(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4),
                        instant(rs, 5), instant(rs, 6), rs.getString(7), rs.getInt(8), instant(rs, 9),
                        instant(rs, 10), rs.getString(11)));
            }
        }
        return list;
    }

    /** The stored subject of a message (headers only), if the message is stored. */
    public synchronized Optional<String> messageSubject(String messageId) {
        return query("SELECT subject FROM message WHERE id = ?", ps -> {
            ps.setString(1, messageId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.<String>empty();
            }
        });
    }

    /** The latest recorded state of that kind, if any. */
    public synchronized Optional<SlaState> latestState(String leadMessageId, String kind) {
        checkKind(kind);
        return query("SELECT state FROM sla_transition WHERE lead_message_id = ? AND kind = ? "
                + "ORDER BY seq DESC LIMIT 1", ps -> {
            ps.setString(1, leadMessageId);
            ps.setString(2, kind);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(stateOf(rs.getString(1))) : Optional.<SlaState>empty();
            }
        });
    }

    /** The lead's transitions of both kinds, by time (then kind, then recording order). */
    public synchronized List<StateTransition> transitions(String leadMessageId) {
        return query("SELECT lead_message_id, kind, state, occurred_at FROM sla_transition "
                + "WHERE lead_message_id = ? ORDER BY occurred_at, kind, seq", ps -> {
            ps.setString(1, leadMessageId);
            List<StateTransition> list = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    list.add(new StateTransition(rs.getString(1), rs.getString(2), stateOf(rs.getString(3)),
                            instant(rs, 4)));
                }
            }
            return list;
        });
    }

    private static void checkKind(String kind) {
        if (!FIRST_RESPONSE.equals(kind) && !ATTEMPTS.equals(kind)) {
            throw new IllegalArgumentException("kind must be " + FIRST_RESPONSE + " or " + ATTEMPTS + ": " + kind);
        }
    }

    private static SlaState stateOf(String label) {
        return SlaState.valueOf(label.toUpperCase(Locale.ROOT));
    }

    // ------------------------------------------------------------------------------------------- sync status

    /** Records a sync of the mailbox that ended at {@code at}: successful when {@code errorOrNull} is null. */
    public synchronized void recordSync(String mailboxId, Instant at, String errorOrNull) {
        Objects.requireNonNull(mailboxId, "mailboxId");
        Objects.requireNonNull(at, "at");
        if (errorOrNull == null) {
            update("INSERT INTO sync_status (mailbox_id, last_attempt_at, last_success_at, first_success_at) "
                    + "VALUES (?, ?, ?, ?) "
                    + "ON CONFLICT (mailbox_id) DO UPDATE SET last_attempt_at = excluded.last_attempt_at, "
                    + "last_success_at = excluded.last_success_at, "
                    + "first_success_at = COALESCE(sync_status.first_success_at, excluded.first_success_at)", ps -> {
                ps.setString(1, mailboxId);
                setInstant(ps, 2, at);
                setInstant(ps, 3, at);
                setInstant(ps, 4, at);
            });
        } else {
            update("INSERT INTO sync_status (mailbox_id, last_attempt_at, last_error, last_error_at) "
                    + "VALUES (?, ?, ?, ?) ON CONFLICT (mailbox_id) DO UPDATE SET "
                    + "last_attempt_at = excluded.last_attempt_at, last_error = excluded.last_error, "
                    + "last_error_at = excluded.last_error_at", ps -> {
                ps.setString(1, mailboxId);
                setInstant(ps, 2, at);
                ps.setString(3, errorOrNull);
                setInstant(ps, 4, at);
            });
        }
    }

    /** When the mailbox first synced successfully (kept across later syncs), if it ever did. */
    public synchronized Optional<Instant> firstSuccessfulSync(String mailboxId) {
        return query("SELECT first_success_at FROM sync_status WHERE mailbox_id = ?", ps -> {
            ps.setString(1, mailboxId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.ofNullable(instant(rs, 1)) : Optional.<Instant>empty();
            }
        });
    }

    public synchronized Optional<SyncStatus> lastSync(String mailboxId) {
        return query("SELECT mailbox_id, last_attempt_at, last_success_at, last_error, last_error_at "
                + "FROM sync_status WHERE mailbox_id = ?", ps -> {
            ps.setString(1, mailboxId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.<SyncStatus>empty();
                }
                return Optional.of(new SyncStatus(rs.getString(1), instant(rs, 2), instant(rs, 3), rs.getString(4),
                        instant(rs, 5)));
            }
        });
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

    /** {@code PRAGMA integrity_check}: "ok", or the first problem found. */
    public synchronized String integrityCheck() {
        return pragma("PRAGMA integrity_check");
    }

    /** The file's size in pages ({@code PRAGMA page_count}). */
    public synchronized long pageCount() {
        return Long.parseLong(pragma("PRAGMA page_count"));
    }

    /** Runs a PRAGMA or other single-value query; for diagnostics and tests. */
    synchronized String pragma(String sql) {
        return query(sql, ps -> {
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        });
    }

    private interface SqlWork<T> {
        T run() throws SQLException;
    }

    private interface SqlStatementWork<T> {
        T run(PreparedStatement ps) throws SQLException;
    }

    private interface SqlBinder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private <T> T inTransaction(SqlWork<T> work) {
        T result;
        try {
            conn.setAutoCommit(false);
            result = work.run();
            conn.commit();
        } catch (SQLException e) {
            abandon(e);
            throw failure(e);
        } catch (RuntimeException | Error e) {
            abandon(e);
            throw e;
        }
        try {
            conn.setAutoCommit(true);
        } catch (SQLException e) {
            throw failure(e);
        }
        return result;
    }

    /**
     * Rolls the failed transaction back and returns to autocommit. On some errors (SQLITE_FULL, SQLITE_IOERR) SQLite
     * has already rolled it back itself, so both steps may fail with "no transaction is active": such failures are
     * kept as suppressed, never in place of the cause.
     */
    private void abandon(Throwable cause) {
        try {
            conn.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
        try {
            conn.setAutoCommit(true);
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    /** A StoreException naming the file; a {@link StoreFullException} when SQLite ran out of room. */
    private StoreException failure(SQLException e) {
        if (isFull(e)) {
            return new StoreFullException("store " + file + " is full: " + e.getMessage(), e);
        }
        return new StoreException("store " + file + ": " + e.getMessage(), e);
    }

    /** SQLITE_FULL anywhere in the chain (a batch update wraps the statement's own exception). */
    private static boolean isFull(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof SQLiteException s && s.getResultCode() == SQLiteErrorCode.SQLITE_FULL) {
                return true;
            }
            if (c instanceof SQLException s && (s.getErrorCode() == SQLiteErrorCode.SQLITE_FULL.code
                    || (s.getNextException() != null && isFull(s.getNextException())))) {
                return true;
            }
        }
        return false;
    }

    private <T> T query(String sql, SqlStatementWork<T> work) {
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            return work.run(ps);
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    private void update(String sql, SqlBinder binder) {
        query(sql, ps -> {
            binder.bind(ps);
            return ps.executeUpdate();
        });
    }

    private long count(String sql) {
        return query(sql, ps -> {
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    private static void setInstant(PreparedStatement ps, int index, Instant instant) throws SQLException {
        if (instant == null) {
            ps.setNull(index, Types.BIGINT);
        } else {
            ps.setLong(index, instant.toEpochMilli());
        }
    }

    private static Instant instant(ResultSet rs, int index) throws SQLException {
        long millis = rs.getLong(index);
        return rs.wasNull() ? null : Instant.ofEpochMilli(millis);
    }

    /** {@code null} for null, {@code ""} for empty, else the elements joined by newlines. */
    static String join(List<String> list, String field, String messageId) {
        if (list == null) {
            return null;
        }
        if (list.size() == 1 && list.get(0).isEmpty()) {
            throw new IllegalArgumentException("message " + messageId + ": " + field
                    + " is a list of one empty string, which cannot be stored");
        }
        for (String element : list) {
            if (element.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("message " + messageId + ": " + field
                        + " has an element with a newline, which cannot be stored");
            }
        }
        return String.join("\n", list);
    }

    static List<String> split(String text) {
        if (text == null) {
            return null;
        }
        if (text.isEmpty()) {
            return List.of();
        }
        return List.of(text.split("\n", -1));
    }
}
