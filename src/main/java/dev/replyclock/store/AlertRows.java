package dev.replyclock.store;

import dev.replyclock.domain.SlaState;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

import static dev.replyclock.store.Sql.instant;
import static dev.replyclock.store.Sql.setInstant;
import static dev.replyclock.store.Store.ATTEMPTS;
import static dev.replyclock.store.Store.FIRST_RESPONSE;

/**
 * SLA state transitions (history, kept when results are replaced) and the alert outbox they fill in the same
 * transaction. Called only by {@link Store}, which serialises calls.
 */
final class AlertRows {

    private static final String OUTBOX_COLUMNS = "subject_id, event, channel, seq, occurred_at, enqueued_at, status, "
            + "attempts, next_attempt_at, done_at, last_error";

    private final Sql sql;
    /** Runs inside a transition's transaction, after its outbox rows are written (a test hook). */
    private final Runnable afterAlertsInserted;

    AlertRows(Sql sql, Runnable afterAlertsInserted) {
        this.sql = sql;
        this.afterAlertsInserted = afterAlertsInserted;
    }

    boolean recordState(String leadMessageId, String kind, SlaState state, Instant at) {
        Objects.requireNonNull(leadMessageId, "leadMessageId");
        checkKind(kind);
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(at, "at");
        return sql.inTransaction(() -> insertTransition(leadMessageId, kind, state, at));
    }

    boolean recordStateAndEnqueue(String leadMessageId, String kind, SlaState state, Instant at,
                                                      String event, Collection<String> channels, Instant now) {
        Objects.requireNonNull(leadMessageId, "leadMessageId");
        checkKind(kind);
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(channels, "channels");
        Objects.requireNonNull(now, "now");
        return sql.inTransaction(() -> {
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
        try (PreparedStatement ps = sql.conn.prepareStatement("SELECT seq, state FROM sla_transition "
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
        try (PreparedStatement ps = sql.conn.prepareStatement("INSERT INTO sla_transition "
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

    private int insertAlerts(String subjectId, String event, Collection<String> channels, Instant occurredAt,
                             Instant now) throws SQLException {
        long seq;
        try (PreparedStatement ps = sql.conn.prepareStatement("SELECT COALESCE(MAX(seq), 0) FROM alert_outbox");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            seq = rs.getLong(1);
        }
        int inserted = 0;
        try (PreparedStatement ps = sql.conn.prepareStatement("INSERT INTO alert_outbox (subject_id, event, channel, seq, "
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
        afterAlertsInserted.run();
        return inserted;
    }

    int enqueueAlert(String subjectId, String event, Collection<String> channels,
                                         Instant occurredAt, Instant now) {
        return sql.inTransaction(() -> insertAlerts(subjectId, event, channels, occurredAt, now));
    }

    List<OutboxAlert> pendingAlerts(int limit) {
        return sql.query("SELECT " + OUTBOX_COLUMNS + " FROM alert_outbox WHERE status = ? ORDER BY seq LIMIT ?", ps -> {
            ps.setString(1, OutboxAlert.PENDING);
            ps.setInt(2, limit);
            return outboxRows(ps);
        });
    }

    List<OutboxAlert> alerts() {
        return sql.query("SELECT " + OUTBOX_COLUMNS + " FROM alert_outbox ORDER BY seq", this::outboxRows);
    }

    long pendingAlertCount() {
        return sql.query("SELECT COUNT(*) FROM alert_outbox WHERE status = ?", ps -> {
            ps.setString(1, OutboxAlert.PENDING);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    /**
     * Claims a pending row for {@code claimant} until {@code leaseUntil}, in one UPDATE: it wins when the row is
     * unclaimed, already its own, or its lease ran out at {@code now}. Concurrent claimants: exactly one wins
     * (PostgreSQL re-checks the WHERE after the row lock; SQLite has one writer).
     */
    boolean claimAlert(OutboxAlert alert, String claimant, Instant now, Instant leaseUntil) {
        return sql.query("UPDATE alert_outbox SET claimed_by = ?, claimed_until = ?" + PENDING_ROW
                + " AND (claimed_by IS NULL OR claimed_by = ? OR claimed_until <= ?)", ps -> {
            ps.setString(1, claimant);
            setInstant(ps, 2, leaseUntil);
            bindPendingRow(ps, 3, alert);
            ps.setString(7, claimant);
            setInstant(ps, 8, now);
            return ps.executeUpdate() == 1;
        });
    }

    /** Who holds the row's claim, if anyone (tests, diagnostics). */
    Optional<String> claimant(OutboxAlert alert) {
        return sql.query("SELECT claimed_by FROM alert_outbox WHERE subject_id = ? AND event = ? AND channel = ?",
                ps -> {
                    ps.setString(1, alert.subjectId());
                    ps.setString(2, alert.event());
                    ps.setString(3, alert.channel());
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.<String>empty();
                    }
                });
    }

    void finishAlert(OutboxAlert alert, String status, int attempts, String reason, Instant at) {
        sql.update("UPDATE alert_outbox SET status = ?, attempts = ?, done_at = ?, last_error = ?, " + UNCLAIMED
                + PENDING_ROW, ps -> {
            ps.setString(1, status);
            ps.setInt(2, attempts);
            setInstant(ps, 3, at);
            ps.setString(4, reason);
            bindPendingRow(ps, 5, alert);
        });
    }

    void postponeAlert(OutboxAlert alert, int attempts, Instant next, String reason) {
        sql.update("UPDATE alert_outbox SET attempts = ?, next_attempt_at = ?, last_error = ?, " + UNCLAIMED
                + PENDING_ROW, ps -> {
            ps.setInt(1, attempts);
            setInstant(ps, 2, next);
            ps.setString(3, reason);
            bindPendingRow(ps, 4, alert);
        });
    }

    /** Finishing or postponing a row ends its claim. */
    private static final String UNCLAIMED = "claimed_by = NULL, claimed_until = NULL";

    /** The alert's row, only while it is pending: a finished alert is never changed again. */
    private static final String PENDING_ROW = " WHERE subject_id = ? AND event = ? AND channel = ? AND status = ?";

    private static void bindPendingRow(PreparedStatement ps, int first, OutboxAlert alert) throws SQLException {
        ps.setString(first, alert.subjectId());
        ps.setString(first + 1, alert.event());
        ps.setString(first + 2, alert.channel());
        ps.setString(first + 3, OutboxAlert.PENDING);
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

    Optional<SlaState> latestState(String leadMessageId, String kind) {
        checkKind(kind);
        return sql.query("SELECT state FROM sla_transition WHERE lead_message_id = ? AND kind = ? "
                + "ORDER BY seq DESC LIMIT 1", ps -> {
            ps.setString(1, leadMessageId);
            ps.setString(2, kind);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(stateOf(rs.getString(1))) : Optional.<SlaState>empty();
            }
        });
    }

    Map<String, SlaState> latestStates(String kind) {
        checkKind(kind);
        return sql.query("SELECT lead_message_id, state FROM sla_transition WHERE kind = ? ORDER BY lead_message_id, seq",
                ps -> {
                    ps.setString(1, kind);
                    Map<String, SlaState> latest = new HashMap<>();
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            latest.put(rs.getString(1), stateOf(rs.getString(2)));
                        }
                    }
                    return latest;
                });
    }

    List<StateTransition> transitions(String leadMessageId) {
        return sql.query("SELECT lead_message_id, kind, state, occurred_at FROM sla_transition "
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
}
