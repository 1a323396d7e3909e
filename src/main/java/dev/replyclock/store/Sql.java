package dev.replyclock.store;

import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;

/**
 * The store's one connection and the JDBC plumbing its tables share: transactions (all or nothing), failures that
 * name the file (SQLITE_FULL as {@link StoreFullException}), instants as epoch milliseconds. Not thread-safe: the
 * {@link Store} serialises every call.
 */
final class Sql {

    final Path file;
    final Connection conn;

    Sql(Path file, Connection conn) {
        this.file = file;
        this.conn = conn;
    }

    interface Work<T> {
        T run() throws SQLException;
    }

    interface StatementWork<T> {
        T run(PreparedStatement ps) throws SQLException;
    }

    interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    <T> T inTransaction(Work<T> work) {
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
    StoreException failure(SQLException e) {
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

    <T> T query(String sql, StatementWork<T> work) {
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            return work.run(ps);
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    void update(String sql, Binder binder) {
        query(sql, ps -> {
            binder.bind(ps);
            return ps.executeUpdate();
        });
    }

    long count(String sql) {
        return query(sql, ps -> {
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    static void setInstant(PreparedStatement ps, int index, Instant instant) throws SQLException {
        if (instant == null) {
            ps.setNull(index, Types.BIGINT);
        } else {
            ps.setLong(index, instant.toEpochMilli());
        }
    }

    static Instant instant(ResultSet rs, int index) throws SQLException {
        long millis = rs.getLong(index);
        return rs.wasNull() ? null : Instant.ofEpochMilli(millis);
    }
}
