package dev.replyclock.store;

import java.sql.ResultSet;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

import static dev.replyclock.store.Sql.instant;
import static dev.replyclock.store.Sql.setInstant;

/** The last sync attempt, success and error of each mailbox. Called only by {@link Store}, which serialises calls. */
final class SyncRows {

    private final Sql sql;

    SyncRows(Sql sql) {
        this.sql = sql;
    }

    void recordSync(String mailboxId, Instant at, String errorOrNull) {
        Objects.requireNonNull(mailboxId, "mailboxId");
        Objects.requireNonNull(at, "at");
        if (errorOrNull == null) {
            sql.update("INSERT INTO sync_status (mailbox_id, last_attempt_at, last_success_at, first_success_at) "
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
            sql.update("INSERT INTO sync_status (mailbox_id, last_attempt_at, last_error, last_error_at) "
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

    Optional<Instant> firstSuccessfulSync(String mailboxId) {
        return sql.query("SELECT first_success_at FROM sync_status WHERE mailbox_id = ?", ps -> {
            ps.setString(1, mailboxId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.ofNullable(instant(rs, 1)) : Optional.<Instant>empty();
            }
        });
    }

    Optional<SyncStatus> lastSync(String mailboxId) {
        return sql.query("SELECT mailbox_id, last_attempt_at, last_success_at, last_error, last_error_at "
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
}
