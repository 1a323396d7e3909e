package dev.replyclock.store;

import dev.replyclock.domain.Disposition;
import dev.replyclock.domain.DispositionChange;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static dev.replyclock.store.Sql.instant;
import static dev.replyclock.store.Sql.setInstant;

/**
 * Managers' dispositions (SPEC section 14): the standing one per lead, and an audit trail that is only appended to.
 * Called only by {@link Store}, which serialises calls.
 */
final class DispositionRows {

    private static final String COLUMNS = "lead_message_id, kind, reason, note, at, rep";

    private final Sql sql;

    DispositionRows(Sql sql) {
        this.sql = sql;
    }

    /** Replaces the lead's disposition and appends a {@code set} entry, in one transaction. */
    void set(Disposition d) {
        sql.inTransaction(() -> {
            try (PreparedStatement del = sql.conn.prepareStatement("DELETE FROM disposition WHERE lead_message_id = ?")) {
                del.setString(1, d.leadMessageId());
                del.executeUpdate();
            }
            try (PreparedStatement ins = sql.conn.prepareStatement("INSERT INTO disposition (" + COLUMNS
                    + ", set_by, set_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                bind(ins, d);
                ins.setString(7, d.setBy());
                setInstant(ins, 8, d.setAt());
                ins.executeUpdate();
            }
            audit("set", d, d.setBy(), d.setAt());
            return null;
        });
    }

    /** Deletes the standing disposition and appends a {@code withdrawn} entry; empty when none stood. */
    Optional<Disposition> withdraw(String leadMessageId, String who, Instant at) {
        return sql.inTransaction(() -> {
            Optional<Disposition> standing = standing(leadMessageId);
            if (standing.isEmpty()) {
                return standing;
            }
            try (PreparedStatement del = sql.conn.prepareStatement("DELETE FROM disposition WHERE lead_message_id = ?")) {
                del.setString(1, leadMessageId);
                del.executeUpdate();
            }
            audit("withdrawn", standing.get(), who, at);
            return standing;
        });
    }

    /** The lead's standing disposition, if any. */
    Optional<Disposition> find(String leadMessageId) {
        sql.ensureOpen();
        try {
            return standing(leadMessageId);
        } catch (SQLException e) {
            throw sql.failure(e);
        }
    }

    private Optional<Disposition> standing(String leadMessageId) throws SQLException {
        try (PreparedStatement ps = sql.conn.prepareStatement("SELECT " + COLUMNS + ", set_by, set_at FROM disposition "
                + "WHERE lead_message_id = ?")) {
            ps.setString(1, leadMessageId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs, 7, 8)) : Optional.empty();
            }
        }
    }

    List<Disposition> all() {
        return sql.query("SELECT " + COLUMNS + ", set_by, set_at FROM disposition ORDER BY lead_message_id", ps -> {
            List<Disposition> list = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    list.add(read(rs, 7, 8));
                }
            }
            return list;
        });
    }

    /** The audit trail of one lead, oldest first. */
    List<DispositionChange> history(String leadMessageId) {
        return sql.query("SELECT " + COLUMNS + ", changed_by, changed_at, action FROM disposition_audit "
                + "WHERE lead_message_id = ? ORDER BY seq", ps -> {
            ps.setString(1, leadMessageId);
            List<DispositionChange> list = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    list.add(new DispositionChange(rs.getString(9), read(rs, 7, 8)));
                }
            }
            return list;
        });
    }

    private void audit(String action, Disposition d, String who, Instant when) throws SQLException {
        long seq;
        try (PreparedStatement max = sql.conn.prepareStatement("SELECT COALESCE(MAX(seq), 0) FROM disposition_audit");
             ResultSet rs = max.executeQuery()) {
            rs.next();
            seq = rs.getLong(1) + 1;
        }
        try (PreparedStatement ins = sql.conn.prepareStatement("INSERT INTO disposition_audit (" + COLUMNS
                + ", changed_by, changed_at, action, seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            bind(ins, d);
            ins.setString(7, who);
            setInstant(ins, 8, when);
            ins.setString(9, action);
            ins.setLong(10, seq);
            ins.executeUpdate();
        }
    }

    private static void bind(PreparedStatement ps, Disposition d) throws SQLException {
        ps.setString(1, d.leadMessageId());
        ps.setString(2, d.kind().label());
        ps.setString(3, d.reason());
        ps.setString(4, d.note());
        setInstant(ps, 5, d.at());
        ps.setString(6, d.rep());
    }

    /** A row of {@link #COLUMNS} followed by who and when at the given columns. */
    private static Disposition read(ResultSet rs, int whoColumn, int whenColumn) throws SQLException {
        return new Disposition(rs.getString(1), Disposition.Kind.ofLabel(rs.getString(2)), rs.getString(3),
                rs.getString(4), instant(rs, 5), rs.getString(6), rs.getString(whoColumn), instant(rs, whenColumn));
    }
}
