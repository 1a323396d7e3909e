package dev.replyclock.store;

import dev.replyclock.domain.Lead;
import dev.replyclock.domain.MailMessage;
import dev.replyclock.domain.Wait;

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
import java.util.Set;

/**
 * The stored messages the in-memory analysis needs, and no more: those of conversations active inside the horizon
 * (with any message not yet in a conversation) at start-up, and later the stored conversations a late message links
 * to. Reads go through a temporary table of wanted message seqs, so both scans of {@link MessageRows} stay in seq
 * order. Called only by {@link Store}, which serialises calls.
 */
public final class HorizonRows {

    private static final String WANTED = "loaded_seq";
    /** Ordered by the wanted table, so that the planner drives the join from it (not by a scan of every message). */
    private static final String MESSAGES = WANTED + " w JOIN message m ON m.seq = w.wanted ORDER BY w.wanted";
    private static final String PLACES = WANTED + " w JOIN message_place p ON p.message_seq = w.wanted ORDER BY w.wanted, p.pos";

    private static final String ACTIVE = "SELECT id FROM conversation WHERE last_activity >= ? OR last_activity IS NULL";

    /** The stored results of the conversations active since a cutoff: message ids in order, leads and waits. */
    public record Active(Map<String, List<String>> messageIds, List<Lead> leads, List<Wait> waits) {
    }

    private final Sql sql;
    private final MessageRows messages;
    private final ResultRows results;

    HorizonRows(Sql sql, MessageRows messages, ResultRows results) {
        this.sql = sql;
        this.messages = messages;
        this.results = results;
    }

    /** Stored leads with a start in {@code [from, to)} (a null bound is open), by (start, lead message id). */
    List<Lead> leadsStartedIn(Instant from, Instant to) {
        return results.leads("SELECT " + ResultRows.LEAD_COLUMNS + " FROM lead WHERE " + range("start_at", from, to)
                + " ORDER BY start_at, lead_message_id", ps -> bindRange(ps, from, to));
    }

    /** Stored waits opened in {@code [from, to)} (a null bound is open), by (opened, message id). */
    List<Wait> waitsOpenedIn(Instant from, Instant to) {
        return results.waits("SELECT " + ResultRows.WAIT_COLUMNS + " FROM wait WHERE " + range("opened", from, to)
                + " ORDER BY opened, message_id", ps -> bindRange(ps, from, to));
    }

    /** The stored lead with this lead message id, or null. */
    Lead lead(String leadMessageId) {
        List<Lead> found = results.leads("SELECT " + ResultRows.LEAD_COLUMNS + " FROM lead WHERE lead_message_id = ?",
                ps -> ps.setString(1, leadMessageId));
        return found.isEmpty() ? null : found.get(0);
    }

    private static String range(String column, Instant from, Instant to) {
        return (from == null ? "1 = 1" : column + " >= ?") + (to == null ? "" : " AND " + column + " < ?");
    }

    private static void bindRange(PreparedStatement ps, Instant from, Instant to) throws SQLException {
        int i = 1;
        if (from != null) {
            ps.setLong(i++, from.toEpochMilli());
        }
        if (to != null) {
            ps.setLong(i, to.toEpochMilli());
        }
    }

    /** What start-up compares its fresh analysis of the active conversations with. */
    Active storedActiveSince(Instant cutoff) {
        return sql.inTransaction(() -> {
            Sql.Binder bind = ps -> ps.setLong(1, cutoff.toEpochMilli());
            Map<String, List<String>> ids = sql.query("SELECT conversation_id, message_id FROM conversation_message "
                    + "WHERE conversation_id IN (" + ACTIVE + ") ORDER BY conversation_id, pos", ps -> {
                bind.bind(ps);
                Map<String, List<String>> map = new java.util.HashMap<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        map.computeIfAbsent(rs.getString(1), k -> new ArrayList<>(2)).add(rs.getString(2));
                    }
                }
                return map;
            });
            List<Lead> leads = results.leads("SELECT " + ResultRows.LEAD_COLUMNS + " FROM lead WHERE conversation_id IN ("
                    + ACTIVE + ")", bind);
            List<Wait> waits = results.waits("SELECT " + ResultRows.WAIT_COLUMNS + " FROM wait WHERE conversation_id IN ("
                    + ACTIVE + ")", bind);
            return new Active(ids, leads, waits);
        });
    }

    /**
     * The messages of conversations whose newest dated message is at or after {@code cutoff} (or that have no dated
     * message), and the messages in no conversation yet (their results were not saved before a stop).
     */
    List<MailMessage> activeSince(Instant cutoff) {
        return loadWanted(() -> {
            try (PreparedStatement ps = sql.conn.prepareStatement("INSERT INTO " + WANTED + " (wanted) SELECT m.seq "
                    + "FROM conversation c JOIN conversation_message cm ON cm.conversation_id = c.id "
                    + "JOIN message m ON m.id = cm.message_id WHERE c.last_activity >= ? OR c.last_activity IS NULL")) {
                ps.setLong(1, cutoff.toEpochMilli());
                ps.executeUpdate();
            }
            wantUnthreaded();
        });
    }

    /** The messages in no conversation yet (their results were not saved before a stop). */
    List<MailMessage> unthreaded() {
        return loadWanted(this::wantUnthreaded);
    }

    /** Every message is in a conversation once its results are saved: scans for the others only when counts differ. */
    private void wantUnthreaded() throws SQLException {
        if (sql.count("SELECT COUNT(*) FROM message") != sql.count("SELECT COUNT(*) FROM conversation_message")) {
            try (Statement st = sql.conn.createStatement()) {
                st.executeUpdate("INSERT INTO " + WANTED + " (wanted) SELECT m.seq FROM message m WHERE NOT EXISTS "
                        + "(SELECT 1 FROM conversation_message cm WHERE cm.message_id = m.id)");
            }
        }
    }

    /** The messages of these stored conversations, by conversation id (conversation order is the threader's business). */
    Map<String, List<MailMessage>> conversations(Collection<String> conversationIds) {
        Map<String, List<MailMessage>> out = new LinkedHashMap<>();
        if (conversationIds.isEmpty()) {
            return out;
        }
        Map<String, String> conversationOf = new java.util.HashMap<>();
        List<MailMessage> loaded = loadWanted(() -> {
            try (PreparedStatement ps = sql.conn.prepareStatement("SELECT m.seq, m.id FROM conversation_message cm "
                    + "JOIN message m ON m.id = cm.message_id WHERE cm.conversation_id = ?");
                 PreparedStatement ins = sql.conn.prepareStatement("INSERT INTO " + WANTED + " (wanted) VALUES (?)")) {
                for (String id : conversationIds) {
                    ps.setString(1, id);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            ins.setLong(1, rs.getLong(1));
                            ins.addBatch();
                            conversationOf.put(rs.getString(2), id);
                        }
                    }
                }
                ins.executeBatch();
            }
        });
        for (MailMessage m : loaded) {
            out.computeIfAbsent(conversationOf.get(m.id()), k -> new ArrayList<>()).add(m);
        }
        return out;
    }

    /**
     * The stored conversations that hold one of {@code messageIds} or carry one of {@code keys} (conversation_key):
     * those a message with these ids and keys links to.
     */
    Set<String> linkedTo(Collection<String> messageIds, Collection<String> keys) {
        Set<String> ids = new HashSet<>();
        sql.query("SELECT conversation_id FROM conversation_message WHERE message_id = ?", ps -> collect(ps, messageIds, ids));
        sql.query("SELECT conversation_id FROM conversation_key WHERE link_key = ?",
                ps -> collect(ps, keys.stream().map(ResultRows::storedKey).toList(), ids));
        return ids;
    }

    private static Void collect(PreparedStatement ps, Collection<String> values, Set<String> into) throws SQLException {
        for (String v : values) {
            ps.setString(1, v);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    into.add(rs.getString(1));
                }
            }
        }
        return null;
    }

    private interface Fill {
        void run() throws SQLException;
    }

    /** Fills the table of wanted seqs, loads those messages, and empties it again (one transaction). */
    private List<MailMessage> loadWanted(Fill fill) {
        return sql.inTransaction(() -> {
            try (Statement st = sql.conn.createStatement()) {
                st.executeUpdate("CREATE TEMPORARY TABLE IF NOT EXISTS " + WANTED + " (wanted BIGINT NOT NULL PRIMARY KEY)");
                st.executeUpdate("DELETE FROM " + WANTED);
            }
            fill.run();
            List<MailMessage> loaded = messages.loadMessages(MESSAGES, PLACES);
            try (Statement st = sql.conn.createStatement()) {
                st.executeUpdate("DELETE FROM " + WANTED);
            }
            return loaded;
        });
    }
}
