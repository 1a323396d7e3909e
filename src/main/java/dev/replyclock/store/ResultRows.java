package dev.replyclock.store;

import dev.replyclock.domain.Conversation;
import dev.replyclock.domain.Disposition;
import dev.replyclock.domain.Lead;
import dev.replyclock.domain.MailMessage;
import dev.replyclock.domain.Response;
import dev.replyclock.domain.Wait;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import static dev.replyclock.store.Sql.instant;
import static dev.replyclock.store.Sql.setInstant;

/**
 * Computed results: conversations with their messages, leads and waits, replaced per conversation. Called only by
 * {@link Store}, which serialises calls.
 */
final class ResultRows {

    static final String LEAD_COLUMNS = "lead_message_id, conversation_id, mailbox_id, team_id, party, "
            + "start_at, deadline, at_risk_from, fr_message_id, fr_at, fr_rep, fr_business_seconds, fr_wall_seconds, "
            + "attempts, attempts_window_end, attempts_met, open_until, disposition";
    static final String WAIT_COLUMNS = "message_id, conversation_id, mailbox_id, team_id, opened, "
            + "cb_message_id, cb_at, cb_rep, cb_business_seconds, cb_wall_seconds, open_until";

    private final Sql sql;

    ResultRows(Sql sql) {
        this.sql = sql;
    }

    /**
     * Replaces the stale conversations and those of {@code rows} by {@code rows}, with their leads and waits. A stored
     * conversation that holds one of these messages under another id must go too. The live analysis names each such
     * one as stale (it recomputed it), so looking up every message's stored conversation is the fallback: it runs only
     * when an insert finds a message still held (a unique key violated), and then the whole replacement runs again
     * with it. Asked for every message, that lookup was about a tenth of writing the results of a first sync.
     */
    void replaceResults(Collection<String> staleConversationIds, List<ConversationRow> rows,
                                            List<Lead> leads, List<Wait> waits) {
        Objects.requireNonNull(staleConversationIds, "staleConversationIds");
        Objects.requireNonNull(rows, "conversations");
        Objects.requireNonNull(leads, "leads");
        Objects.requireNonNull(waits, "waits");
        try {
            replace(staleConversationIds, rows, leads, waits, false);
        } catch (StoreException e) {
            if (!Sql.violatesUniqueKey(e)) {
                throw e;
            }
            replace(staleConversationIds, rows, leads, waits, true);
        }
    }

    private void replace(Collection<String> staleConversationIds, List<ConversationRow> rows, List<Lead> leads,
                         List<Wait> waits, boolean lookUpHolders) {
        List<Conversation> conversations = rows.stream().map(ConversationRow::conversation).toList();
        sql.inTransaction(() -> {
            long seq = ResultChanges.nextSeq(sql);
            Set<String> stale = new LinkedHashSet<>(staleConversationIds);
            conversations.forEach(c -> stale.add(c.id()));
            if (lookUpHolders) {
                List<String> messageIds = new ArrayList<>();
                conversations.forEach(c -> c.messages().forEach(m -> messageIds.add(m.id())));
                stale.addAll(sql.found("SELECT conversation_id FROM conversation_message WHERE message_id IN ", messageIds));
            }
            // only conversations with a stored row have rows to delete (a first sync writes new ones nearly all), and
            // only those can be listed as removed: no reader of the store ever saw the others
            Set<String> storedStale = sql.found("SELECT id FROM conversation WHERE id IN ", stale);
            deleteConversations(storedStale);
            ResultChanges.recordRemoved(sql, storedStale, conversations, seq);
            insertConversations(rows, seq);
            insertLeads(leads);
            insertWaits(waits);
            return null;
        });
    }

    private void deleteConversations(Set<String> ids) throws SQLException {
        String[] tables = {"lead", "wait", "conversation_message", "conversation_key", "conversation"};
        String[] columns = {"conversation_id", "conversation_id", "conversation_id", "conversation_id", "id"};
        for (int t = 0; t < tables.length; t++) {
            sql.deleteIn(tables[t], columns[t], ids);
        }
    }

    /**
     * A link key as conversation_key holds it: the thread module marks its own keys with a NUL character (no message id
     * has one), which PostgreSQL's text cannot store; backslash and NUL are escaped, so distinct keys stay distinct.
     */
    static String storedKey(String key) {
        return key.indexOf('\\') < 0 && key.indexOf('\0') < 0 ? key
                : key.replace("\\", "\\\\").replace("\0", "\\0");
    }

    private void insertConversations(List<ConversationRow> rows, long seq) throws SQLException {
        try (PreparedStatement conv = sql.conn.prepareStatement("INSERT INTO conversation (id, changed_seq, last_activity, "
                + "message_count, undated, automated) VALUES (?, ?, ?, ?, ?, ?)");
             PreparedStatement link = sql.conn.prepareStatement(
                     "INSERT INTO conversation_message (conversation_id, pos, message_id) VALUES (?, ?, ?)");
             PreparedStatement key = sql.conn.prepareStatement(
                     "INSERT INTO conversation_key (conversation_id, link_key) VALUES (?, ?)")) {
            for (ConversationRow row : rows) {
                Conversation c = row.conversation();
                conv.setString(1, c.id());
                conv.setLong(2, seq);
                setInstant(conv, 3, row.lastActivity());
                conv.setInt(4, c.messages().size());
                conv.setInt(5, row.undated());
                conv.setInt(6, row.automated());
                conv.addBatch();
                for (String k : row.keys()) {
                    key.setString(1, c.id());
                    key.setString(2, storedKey(k));
                    key.addBatch();
                }
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
            key.executeBatch();
        }
    }

    private void insertLeads(List<Lead> leads) throws SQLException {
        try (PreparedStatement ps = sql.conn.prepareStatement("INSERT INTO lead (" + LEAD_COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
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
                setInstant(ps, 17, l.openUntil());
                ps.setString(18, l.disposition() == null ? null : l.disposition().label());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private void insertWaits(List<Wait> waits) throws SQLException {
        try (PreparedStatement ps = sql.conn.prepareStatement("INSERT INTO wait (" + WAIT_COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (Wait w : waits) {
                ps.setString(1, w.messageId());
                ps.setString(2, w.conversationId());
                ps.setString(3, w.mailboxId());
                ps.setString(4, w.teamId());
                setInstant(ps, 5, w.opened());
                bindResponse(ps, 6, w.closedBy());
                setInstant(ps, 11, w.openUntil());
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

    List<Lead> leads() {
        return leads("SELECT " + LEAD_COLUMNS + " FROM lead ORDER BY start_at, lead_message_id", ps -> { });
    }

    /** Leads of a query selecting {@link #LEAD_COLUMNS} (qualified or not) in that order. */
    List<Lead> leads(String select, Sql.Binder binder) {
        return sql.query(select, ps -> {
            binder.bind(ps);
            List<Lead> leads = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    leads.add(new Lead(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), instant(rs, 6), instant(rs, 7), instant(rs, 8), responseOf(rs, 9),
                            rs.getInt(14), instant(rs, 15), rs.getBoolean(16), instant(rs, 17),
                            Disposition.Kind.ofLabel(rs.getString(18))));
                }
            }
            return leads;
        });
    }

    List<Wait> waits() {
        return waits("SELECT " + WAIT_COLUMNS + " FROM wait ORDER BY opened, message_id", ps -> { });
    }

    /** Waits of a query selecting {@link #WAIT_COLUMNS} (qualified or not) in that order. */
    List<Wait> waits(String select, Sql.Binder binder) {
        return sql.query(select, ps -> {
            binder.bind(ps);
            List<Wait> waits = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    waits.add(new Wait(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            instant(rs, 5), responseOf(rs, 6), instant(rs, 11)));
                }
            }
            return waits;
        });
    }

    Map<String, List<String>> conversationMessageIds() {
        return sql.query("SELECT conversation_id, message_id FROM conversation_message ORDER BY conversation_id, pos",
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

    Map<String, String> conversationsOf(Collection<String> messageIds) {
        return sql.query("SELECT conversation_id FROM conversation_message WHERE message_id = ?", ps -> {
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
}
