package dev.replyclock.store;

import dev.replyclock.domain.Conversation;
import dev.replyclock.domain.Lead;
import dev.replyclock.domain.Wait;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The change counter of the results tables (V9): each replacement of results takes the next sequence number and
 * stamps what it wrote or removed, so a reader (the read model, another instance) reads only what changed since the
 * number it saw last. Called only by {@link Store}, which serialises calls.
 */
public final class ResultChanges {

    /** What changed after a sequence number: the conversations written or removed, and the leads and waits they hold now. */
    public record Since(long seq, Set<String> conversationIds, List<Lead> leads, List<Wait> waits) {
    }

    private final Sql sql;
    private final ResultRows results;

    ResultChanges(Sql sql, ResultRows results) {
        this.sql = sql;
        this.results = results;
    }

    /** Takes the next number inside the caller's transaction (the row stays locked until it commits). */
    static long nextSeq(Sql sql) throws SQLException {
        ensureRow(sql);
        try (PreparedStatement up = sql.conn.prepareStatement("UPDATE result_sequence SET last_seq = last_seq + 1 WHERE id = 1")) {
            up.executeUpdate();
        }
        try (PreparedStatement get = sql.conn.prepareStatement("SELECT last_seq FROM result_sequence WHERE id = 1");
             ResultSet rs = get.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Writes the counter's one row when the store has none yet (inside the caller's transaction). */
    static void ensureRow(Sql sql) throws SQLException {
        try (PreparedStatement find = sql.conn.prepareStatement("SELECT COUNT(*) FROM result_sequence WHERE id = 1");
             ResultSet rs = find.executeQuery()) {
            rs.next();
            if (rs.getLong(1) > 0) {
                return;
            }
        }
        try (PreparedStatement ins = sql.conn.prepareStatement("INSERT INTO result_sequence (id, last_seq) VALUES (1, 0)")) {
            ins.executeUpdate();
        }
    }

    /**
     * Lists the deleted conversations (stored ones) that are not written again; those written again leave the removed
     * list. An empty list is not searched: a first sync writes hundreds of thousands of conversations, and asking for
     * each was a tenth of writing their results.
     */
    static void recordRemoved(Sql sql, Set<String> deleted, List<Conversation> written, long seq) throws SQLException {
        Set<String> writtenIds = new HashSet<>();
        written.forEach(c -> writtenIds.add(c.id()));
        if (sql.any("SELECT 1 FROM conversation_removed")) {
            Set<String> all = new HashSet<>(deleted);
            all.addAll(writtenIds);
            sql.deleteIn("conversation_removed", "id", all);
        }
        try (PreparedStatement ins = sql.conn.prepareStatement(
                "INSERT INTO conversation_removed (id, changed_seq) VALUES (?, ?)")) {
            for (String id : deleted) {
                if (!writtenIds.contains(id)) {
                    ins.setString(1, id);
                    ins.setLong(2, seq);
                    ins.addBatch();
                }
            }
            ins.executeBatch();
        }
    }

    /** The last number taken. */
    long lastSeq() {
        return sql.count("SELECT COALESCE(MAX(last_seq), 0) FROM result_sequence WHERE id = 1");
    }

    /** Records the fingerprint of what the stored results were computed with. */
    void setBasis(String basis) {
        sql.inTransaction(() -> {
            ensureRow(sql);
            try (PreparedStatement ps = sql.conn.prepareStatement("UPDATE result_sequence SET basis = ? WHERE id = 1")) {
                ps.setString(1, basis);
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** Everything written or removed after {@code seq}, read in one transaction (one consistent state). */
    Since since(long seq) {
        return sql.inTransaction(() -> {
            long last = lastSeq();
            Set<String> ids = new HashSet<>();
            if (last > seq) {
                for (String table : List.of("conversation", "conversation_removed")) {
                    try (PreparedStatement ps = sql.conn.prepareStatement(
                            "SELECT id FROM " + table + " WHERE changed_seq > ?")) {
                        ps.setLong(1, seq);
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                ids.add(rs.getString(1));
                            }
                        }
                    }
                }
            }
            if (ids.isEmpty()) {
                return new Since(last, Set.of(), List.of(), List.of());
            }
            String changed = " WHERE conversation_id IN (SELECT id FROM conversation WHERE changed_seq > ?)";
            List<Lead> leads = results.leads("SELECT " + ResultRows.LEAD_COLUMNS + " FROM lead" + changed, ps -> ps.setLong(1, seq));
            List<Wait> waits = results.waits("SELECT " + ResultRows.WAIT_COLUMNS + " FROM wait" + changed, ps -> ps.setLong(1, seq));
            return new Since(last, Set.copyOf(ids), leads, waits);
        });
    }

    /** Whether conversations written before V9 lack their summary (activity, counts, keys). */
    boolean summariesMissing() {
        return sql.any("SELECT id FROM conversation WHERE changed_seq = 0");
    }

    /** Reading counts summed over the stored conversations: messages, undated, automated, conversations. */
    long[] conversationCounts() {
        return sql.query("SELECT COALESCE(SUM(message_count), 0), COALESCE(SUM(undated), 0), COALESCE(SUM(automated), 0), "
                + "COUNT(*) FROM conversation", ps -> {
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)};
            }
        });
    }
}
