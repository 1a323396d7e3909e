package dev.replyclock.store;

import dev.replyclock.domain.MailMessage;
import dev.replyclock.domain.Place;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What other instances wrote to a shared store since this one last looked: new messages (by {@code message.seq}),
 * stored messages that changed ({@code message_change}) and disposition changes ({@code disposition_audit.seq}).
 * Called only by {@link Store}, which serialises calls.
 */
final class CatchUpRows {

    private final Sql sql;

    CatchUpRows(Sql sql) {
        this.sql = sql;
    }

    /** Where each feed stands now: the marks to read after. */
    FeedMarks marks() {
        return new FeedMarks(max("SELECT COALESCE(MAX(seq), 0) FROM message"),
                max("SELECT COALESCE(MAX(seq), 0) FROM message_change"),
                max("SELECT COALESCE(MAX(seq), 0) FROM disposition_audit"));
    }

    private long max(String query) {
        return sql.query(query, ps -> {
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    /** The messages with a seq in ({@code afterSeq}, {@code upToSeq}], in seq order, with all their places. */
    List<MailMessage> messagesAfter(long afterSeq, long upToSeq) {
        return messages("seq > ? AND seq <= ? ORDER BY seq", afterSeq, upToSeq);
    }

    /** The stored messages noted as changed in ({@code afterChange}, {@code upToChange}] (each once), with all places. */
    List<MailMessage> changedAfter(long afterChange, long upToChange) {
        return messages("seq IN (SELECT message_seq FROM message_change WHERE seq > ? AND seq <= ?) ORDER BY seq",
                afterChange, upToChange);
    }

    /** Notes that these stored messages changed (a new place or an earlier time), after the batch that changed them. */
    void noteChanged(Collection<String> messageIds) {
        if (messageIds.isEmpty()) {
            return;
        }
        sql.inTransaction(() -> {
            long next = max("SELECT COALESCE(MAX(seq), 0) FROM message_change") + 1;
            try (PreparedStatement find = sql.conn.prepareStatement("SELECT seq FROM message WHERE id = ?");
                 PreparedStatement ins = sql.conn.prepareStatement("INSERT INTO message_change (seq, message_seq) "
                         + "VALUES (?, ?)")) {
                for (String id : messageIds) {
                    find.setString(1, id);
                    try (ResultSet rs = find.executeQuery()) {
                        if (rs.next()) {
                            ins.setLong(1, next++);
                            ins.setLong(2, rs.getLong(1));
                            ins.addBatch();
                        }
                    }
                }
                ins.executeBatch();
            }
            return null;
        });
    }

    /** The leads whose disposition was set or withdrawn in audit entries ({@code afterSeq}, {@code upToSeq}], each once. */
    Set<String> dispositionsChangedAfter(long afterSeq, long upToSeq) {
        return sql.query("SELECT lead_message_id FROM disposition_audit WHERE seq > ? AND seq <= ? ORDER BY seq", ps -> {
            ps.setLong(1, afterSeq);
            ps.setLong(2, upToSeq);
            Set<String> leads = new LinkedHashSet<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    leads.add(rs.getString(1));
                }
            }
            return leads;
        });
    }

    /**
     * Messages of a condition on {@code seq} (bound to {@code values}; it may order), with their places read first in
     * one query.
     */
    private List<MailMessage> messages(String seqCondition, long... values) {
        Map<Long, List<Place>> places = sql.query("SELECT message_seq, mailbox_id, folder, inbox_folder FROM message_place "
                + "WHERE message_seq IN (SELECT seq FROM message WHERE " + seqCondition + ") ORDER BY message_seq, pos", ps -> {
            bind(ps, values);
            Map<Long, List<Place>> bySeq = new HashMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    bySeq.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>(2))
                            .add(new Place(rs.getString(2), rs.getString(3), rs.getBoolean(4)));
                }
            }
            return bySeq;
        });
        return sql.query("SELECT " + MessageRows.MESSAGE_COLUMNS + " FROM message WHERE " + seqCondition, ps -> {
            bind(ps, values);
            List<MailMessage> messages = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    messages.add(MessageRows.messageOf(rs, places.getOrDefault(rs.getLong(1), List.of())));
                }
            }
            return messages;
        });
    }

    private static void bind(PreparedStatement ps, long[] values) throws java.sql.SQLException {
        for (int i = 0; i < values.length; i++) {
            ps.setLong(i + 1, values[i]);
        }
    }
}
