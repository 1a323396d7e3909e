package dev.replyclock.store;

import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The store's one connection and the JDBC plumbing its tables share: transactions (all or nothing), failures that
 * name the database (SQLITE_FULL as {@link StoreFullException}), instants as epoch milliseconds. Not thread-safe: the
 * {@link Store} serialises every call.
 *
 * <p>On PostgreSQL several processes write at once: every transaction first takes one transaction-scoped advisory
 * lock ({@link #WRITER_LOCK}), so the {@code MAX(seq) + 1} allocations of the tables stay unique, as SQLite's
 * IMMEDIATE transactions make them on one file. A connection that broke (the server restarted) fails the call in
 * flight; the next call opens a new one.
 */
final class Sql {

    /** The key of {@code pg_advisory_xact_lock(classid, objid)} serialising store transactions across processes. */
    static final int[] WRITER_LOCK = {0x5243, 1};

    /** How the store reaches its database again (PostgreSQL reconnects; SQLite never loses its file). */
    interface Connector {
        Connection connect() throws SQLException;
    }

    /** The database as messages name it: the SQLite file, or the PostgreSQL url without credentials. */
    final String name;
    final StoreBackend backend;
    /** The current connection; replaced after it broke (PostgreSQL only). The *Rows classes read it per call. */
    Connection conn;
    private final Connector connector;

    Sql(String name, StoreBackend backend, Connection conn, Connector connector) {
        this.name = name;
        this.backend = backend;
        this.conn = conn;
        this.connector = connector;
    }

    /** Whether other processes may write the same database at once (PostgreSQL). */
    boolean shared() {
        return backend == StoreBackend.POSTGRESQL;
    }

    /** Opens a new connection when the last one broke; every call that uses {@link #conn} directly starts here. */
    void ensureOpen() {
        if (conn != null) {
            return;
        }
        try {
            conn = connector.connect();
        } catch (SQLException e) {
            throw new StoreException("store " + name + " is unreachable: " + e.getMessage(), e);
        }
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
        ensureOpen();
        T result;
        try {
            conn.setAutoCommit(false);
            if (shared()) {
                try (PreparedStatement lock = conn.prepareStatement("SELECT pg_advisory_xact_lock(?, ?)")) {
                    lock.setInt(1, WRITER_LOCK[0]);
                    lock.setInt(2, WRITER_LOCK[1]);
                    lock.executeQuery().close();
                }
            }
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
        if (conn == null) {
            return; // the connection broke and is gone already
        }
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

    /**
     * A StoreException naming the database; a {@link StoreFullException} when SQLite ran out of room. A broken
     * PostgreSQL connection is dropped here, so that the next call reconnects.
     */
    StoreException failure(SQLException e) {
        if (isFull(e)) {
            return new StoreFullException("store " + name + " is full: " + e.getMessage(), e);
        }
        if (shared() && isBroken(e)) {
            dropConnection(e);
            return new StoreException("store " + name + ": connection lost (" + e.getMessage()
                    + "); the next call reconnects", e);
        }
        return new StoreException("store " + name + ": " + e.getMessage(), e);
    }

    /** SQL state class 08 (connection exception) or 57P (operator intervention: shutdown), or a dead connection. */
    private boolean isBroken(SQLException e) {
        String state = e.getSQLState();
        if (state != null && (state.startsWith("08") || state.startsWith("57P"))) {
            return true;
        }
        try {
            return conn == null || conn.isClosed() || !conn.isValid(2);
        } catch (SQLException probe) {
            return true;
        }
    }

    private void dropConnection(Throwable cause) {
        if (conn == null) {
            return;
        }
        try {
            conn.close();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
        conn = null;
    }

    /** SQLITE_FULL anywhere in the chain. */
    private static boolean isFull(Throwable t) {
        return anywhere(t, s -> s instanceof SQLiteException e && e.getResultCode() == SQLiteErrorCode.SQLITE_FULL
                || s.getErrorCode() == SQLiteErrorCode.SQLITE_FULL.code);
    }

    /** Whether a unique key or primary key was violated anywhere in the chain (SQLite's codes; PostgreSQL's 23505). */
    static boolean violatesUniqueKey(Throwable t) {
        return anywhere(t, s -> s instanceof SQLiteException e
                        && (e.getResultCode() == SQLiteErrorCode.SQLITE_CONSTRAINT_UNIQUE
                        || e.getResultCode() == SQLiteErrorCode.SQLITE_CONSTRAINT_PRIMARYKEY)
                || "23505".equals(s.getSQLState())
                || s.getErrorCode() == SQLiteErrorCode.SQLITE_CONSTRAINT_UNIQUE.code
                || s.getErrorCode() == SQLiteErrorCode.SQLITE_CONSTRAINT_PRIMARYKEY.code);
    }

    /**
     * Whether {@code test} holds for an SQLException among the causes or their next exceptions (a batch update wraps the
     * statement's own exception).
     */
    private static boolean anywhere(Throwable t, java.util.function.Predicate<SQLException> test) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof SQLException s && (test.test(s)
                    || (s.getNextException() != null && anywhere(s.getNextException(), test)))) {
                return true;
            }
        }
        return false;
    }

    /** Values per statement of {@link #found} and {@link #deleteIn}: well under both databases' parameter limits. */
    static final int IN_CHUNK = 500;

    /**
     * The first column's strings that {@code select} (ending in "IN ") finds for {@code values}, asking {@value
     * #IN_CHUNK} at a time: one statement per value cost more than the lookup itself (a round trip through the
     * driver each), which made writing results the larger part of a mailbox's first sync. Within a transaction.
     */
    Set<String> found(String select, Collection<String> values) throws SQLException {
        Set<String> found = new HashSet<>();
        forChunks(values, (marks, chunk) -> {
            try (PreparedStatement ps = conn.prepareStatement(select + marks)) {
                bindAll(ps, chunk);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        found.add(rs.getString(1));
                    }
                }
            }
        });
        return found;
    }

    /** Deletes the rows of {@code table} whose {@code column} is one of {@code values}, {@value #IN_CHUNK} at a time. */
    void deleteIn(String table, String column, Collection<String> values) throws SQLException {
        forChunks(values, (marks, chunk) -> {
            try (PreparedStatement ps = conn.prepareStatement("DELETE FROM " + table + " WHERE " + column + " IN " + marks)) {
                bindAll(ps, chunk);
                ps.executeUpdate();
            }
        });
    }

    private interface ChunkWork {
        void run(String marks, List<String> chunk) throws SQLException;
    }

    private static void forChunks(Collection<String> values, ChunkWork work) throws SQLException {
        List<String> all = values instanceof List<String> list ? list : new ArrayList<>(values);
        for (int from = 0; from < all.size(); from += IN_CHUNK) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + IN_CHUNK));
            work.run("(" + String.join(", ", Collections.nCopies(chunk.size(), "?")) + ")", chunk);
        }
    }

    private static void bindAll(PreparedStatement ps, List<String> values) throws SQLException {
        for (int i = 0; i < values.size(); i++) {
            ps.setString(i + 1, values.get(i));
        }
    }

    <T> T query(String sql, StatementWork<T> work) {
        ensureOpen();
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

    /** Whether {@code select} (a query without LIMIT) finds any row: stops at the first. */
    boolean any(String select) {
        return count("SELECT COUNT(*) FROM (" + select + " LIMIT 1) AS any_row") > 0;
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
