package dev.replyclock.store;

import dev.replyclock.domain.FolderCheckpoint;
import dev.replyclock.domain.MailMessage;
import dev.replyclock.domain.Place;
import dev.replyclock.domain.RejectedMessage;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import static dev.replyclock.store.Sql.instant;
import static dev.replyclock.store.Sql.setInstant;

/**
 * Messages (headers only) with their places, folder checkpoints and rejected items: each batch and its checkpoint
 * in one transaction. Called only by {@link Store}, which serialises calls.
 */
final class MessageRows {

    static final String MESSAGE_COLUMNS = "seq, id, refs, subject, from_addrs, sender, reply_to, to_addrs, "
            + "cc_addrs, event_time, thread_index_root, conversation_hint, automation_signs, attribution";

    private final Sql sql;
    /** Runs inside {@link #commitBatch}'s transaction, just before the checkpoint is written (a test hook). */
    private final Runnable beforeCheckpoint;
    /**
     * Next {@code message.seq}: first-insertion order. Gaps (a rolled-back batch, a stored message's copy) are harmless.
     */
    private long nextSeq;

    MessageRows(Sql sql, Runnable beforeCheckpoint) throws SQLException {
        this.sql = sql;
        this.beforeCheckpoint = beforeCheckpoint;
        this.nextSeq = maxSeq() + 1;
    }

    private long maxSeq() throws SQLException {
        try (Statement st = sql.conn.createStatement();
             ResultSet rs = st.executeQuery("SELECT COALESCE(MAX(seq), 0) FROM message")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    Optional<FolderCheckpoint> checkpoint(String mailboxId, String folder) {
        return sql.query("SELECT mailbox_id, folder, uid_validity, last_uid, cursor FROM folder_checkpoint "
                + "WHERE mailbox_id = ? AND folder = ?", ps -> {
            ps.setString(1, mailboxId);
            ps.setString(2, folder);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(checkpointOf(rs)) : Optional.<FolderCheckpoint>empty();
            }
        });
    }

    /** Records the source's item ids of a committed batch (Gmail message ids), once each. */
    private void recordItems(String mailboxId, String folder, List<String> itemIds) throws SQLException {
        if (itemIds.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = sql.conn.prepareStatement("INSERT INTO source_item (mailbox_id, folder, item_id) "
                + "VALUES (?, ?, ?) ON CONFLICT DO NOTHING")) {
            for (String id : itemIds) {
                ps.setString(1, mailboxId);
                ps.setString(2, folder);
                ps.setString(3, id);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** Of {@code itemIds}, those a committed batch of this mailbox folder recorded (queried 500 at a time). */
    Set<String> itemsRead(String mailboxId, String folder, Collection<String> itemIds) {
        return foundIn("SELECT item_id FROM source_item WHERE mailbox_id = ? AND folder = ? AND item_id IN (",
                mailboxId, folder, itemIds);
    }

    /** Of {@code ids}, those stored with a copy seen in this mailbox folder (queried 500 ids at a time). */
    Set<String> storedIn(String mailboxId, String folder, Collection<String> ids) {
        return foundIn("SELECT DISTINCT m.id FROM message m JOIN message_place p ON p.message_seq = m.seq"
                + " WHERE p.mailbox_id = ? AND p.folder = ? AND m.id IN (", mailboxId, folder, ids);
    }

    /** The ids a query ({@code select} + the id list + ")") finds for a mailbox folder, asking 500 ids at a time. */
    private Set<String> foundIn(String select, String mailboxId, String folder, Collection<String> ids) {
        List<String> all = new ArrayList<>(ids);
        Set<String> found = new HashSet<>();
        for (int from = 0; from < all.size(); from += 500) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + 500));
            String marks = String.join(", ", java.util.Collections.nCopies(chunk.size(), "?"));
            found.addAll(sql.query(select + marks + ")", ps -> {
                ps.setString(1, mailboxId);
                ps.setString(2, folder);
                for (int i = 0; i < chunk.size(); i++) {
                    ps.setString(3 + i, chunk.get(i));
                }
                Set<String> hits = new HashSet<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        hits.add(rs.getString(1));
                    }
                }
                return hits;
            }));
        }
        return found;
    }

    List<FolderCheckpoint> checkpoints(String mailboxId) {
        return sql.query("SELECT mailbox_id, folder, uid_validity, last_uid, cursor FROM folder_checkpoint "
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

    CommitResult commitBatch(FolderCheckpoint checkpoint, List<MailMessage> copies,
                                                 List<RejectedMessage> rejected) {
        return commitBatch(checkpoint, copies, rejected, List.of());
    }

    CommitResult commitBatch(FolderCheckpoint checkpoint, List<MailMessage> copies, List<RejectedMessage> rejected,
                             List<String> sourceItems) {
        Objects.requireNonNull(checkpoint, "checkpoint");
        Objects.requireNonNull(copies, "copies");
        Objects.requireNonNull(rejected, "rejected");
        long seqBefore = nextSeq;
        try {
            return sql.inTransaction(() -> {
                if (sql.shared()) {
                    nextSeq = maxSeq() + 1; // another process may have inserted since (under the writer lock now)
                }
                CommitResult result = commit(checkpoint, copies, rejected);
                recordItems(checkpoint.mailboxId(), checkpoint.folder(), sourceItems);
                return result;
            });
        } catch (StoreFullException e) {
            nextSeq = seqBefore;
            throw new StoreFullException("store " + sql.name + " is full: the batch of mailbox " + checkpoint.mailboxId()
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

    /**
     * Writes a batch: each message is inserted as new, and one that is stored already (its insert does nothing) is read
     * back and merged into the stored one. Asking first whether each message was stored cost a query per message, a
     * quarter of committing a first sync, where nearly none is; a stored one leaves its number unused (a gap).
     */
    private CommitResult commit(FolderCheckpoint checkpoint, List<MailMessage> copies, List<RejectedMessage> rejected)
            throws SQLException {
        Map<String, Pending> byId = new LinkedHashMap<>();
        int duplicates = 0;
        for (MailMessage copy : copies) {
            Pending pending = byId.get(copy.id());
            if (pending != null) {
                duplicates++;
                pending.merge(copy);
            } else {
                byId.put(copy.id(), new Pending(copy));
            }
        }
        List<Pending> batch = new ArrayList<>(byId.values());
        int[] inserted;
        try (PreparedStatement insertMessage = sql.conn.prepareStatement("INSERT INTO message (" + MESSAGE_COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING")) {
            for (Pending p : batch) {
                p.seq = nextSeq++;
                bindMessage(insertMessage, p.message, p.seq);
                insertMessage.addBatch();
            }
            inserted = insertMessage.executeBatch();
        }
        try (PreparedStatement findTime = sql.conn.prepareStatement("SELECT seq, event_time FROM message WHERE id = ?");
             PreparedStatement findPlaces = sql.conn.prepareStatement("SELECT mailbox_id, folder, inbox_folder "
                     + "FROM message_place WHERE message_seq = ? ORDER BY pos")) {
            for (int i = 0; i < batch.size(); i++) {
                Pending p = batch.get(i);
                if (inserted[i] == 1) {
                    continue;
                }
                findTime.setString(1, p.message.id());
                try (ResultSet rs = findTime.executeQuery()) {
                    if (!rs.next()) {
                        throw new SQLException("message " + p.message.id() + " was neither inserted nor stored before");
                    }
                    long storedSeq = rs.getLong(1);
                    if (storedSeq == p.seq) {
                        continue; // inserted after all (a driver that reports no count)
                    }
                    Pending stored = new Pending(storedSeq, instant(rs, 2), placesOf(findPlaces, storedSeq));
                    stored.merge(p.message); // the batch's copies merged: the earliest time, their places in order
                    duplicates++;
                    byId.put(p.message.id(), stored);
                }
            }
        }

        List<String> newIds = new ArrayList<>();
        List<String> changedIds = new ArrayList<>();
        try (PreparedStatement insertPlace = sql.conn.prepareStatement("INSERT INTO message_place "
                     + "(message_seq, pos, mailbox_id, folder, inbox_folder) VALUES (?, ?, ?, ?, ?)");
             PreparedStatement updateTime = sql.conn.prepareStatement("UPDATE message SET event_time = ? WHERE seq = ?")) {
            for (Map.Entry<String, Pending> entry : byId.entrySet()) {
                String id = entry.getKey();
                Pending p = entry.getValue();
                if (p.isNew) {
                    newIds.add(id);
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
            updateTime.executeBatch();
            insertPlace.executeBatch();
        }

        if (!rejected.isEmpty()) {
            try (PreparedStatement ps = sql.conn.prepareStatement("INSERT INTO rejected (mailbox_id, folder, location, "
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

        beforeCheckpoint.run();
        try (PreparedStatement ps = sql.conn.prepareStatement("INSERT INTO folder_checkpoint (mailbox_id, folder, "
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

    void resetCheckpoint(String mailboxId, String folder, long newUidValidity) {
        sql.update("INSERT INTO folder_checkpoint (mailbox_id, folder, uid_validity, last_uid) VALUES (?, ?, ?, 0) "
                + "ON CONFLICT (mailbox_id, folder) DO UPDATE SET uid_validity = excluded.uid_validity, last_uid = 0, "
                + "cursor = NULL",
                ps -> {
                    ps.setString(1, mailboxId);
                    ps.setString(2, folder);
                    ps.setLong(3, newUidValidity);
                });
    }

    List<MailMessage> loadMessages() {
        return loadMessages("message ORDER BY seq", "message_place ORDER BY message_seq, pos");
    }

    /**
     * The messages of {@code messagesFrom} (the message table, or it joined to a table of wanted seqs, with an ORDER BY) with
     * their places from {@code placesFrom} (likewise), both in seq order.
     */
    List<MailMessage> loadMessages(String messagesFrom, String placesFrom) {
        sql.ensureOpen();
        // Two scans in the same (seq) order, merged here: both read their table sequentially.
        try (PreparedStatement ms = sql.conn.prepareStatement("SELECT " + MESSAGE_COLUMNS + " FROM " + messagesFrom);
             PreparedStatement ps = sql.conn.prepareStatement("SELECT message_seq, mailbox_id, folder, inbox_folder "
                     + "FROM " + placesFrom);
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
                messages.add(messageOf(m, places));
            }
            return messages;
        } catch (SQLException e) {
            throw sql.failure(e);
        }
    }

    /** The message of a row of {@link #MESSAGE_COLUMNS} (seq first), with its places. */
    static MailMessage messageOf(ResultSet m, List<Place> places) throws SQLException {
        return new MailMessage(m.getString(2), split(m.getString(3)), m.getString(4),
                split(m.getString(5)), m.getString(6), split(m.getString(7)), split(m.getString(8)),
                split(m.getString(9)), instant(m, 10), m.getString(11), m.getString(12), m.getInt(13),
                m.getString(14), List.copyOf(places));
    }

    long messageCount() {
        return sql.count("SELECT COUNT(*) FROM message");
    }

    StoredCounts counts() {
        return sql.query("SELECT COALESCE(SUM(copies), 0), COALESCE(SUM(duplicates), 0) FROM folder_checkpoint", ps -> {
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long copies = rs.getLong(1);
                long duplicates = rs.getLong(2);
                return new StoredCounts(copies, sql.count("SELECT COUNT(*) FROM rejected"),
                        sql.count("SELECT COUNT(*) FROM message"), duplicates);
            }
        });
    }

    List<RejectedMessage> rejected() {
        return sql.query("SELECT mailbox_id, folder, location, reason FROM rejected ORDER BY mailbox_id, folder, location",
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

    Optional<String> messageSubject(String messageId) {
        return sql.query("SELECT subject FROM message WHERE id = ?", ps -> {
            ps.setString(1, messageId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.<String>empty();
            }
        });
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
