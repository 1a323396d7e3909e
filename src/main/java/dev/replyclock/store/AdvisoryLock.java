package dev.replyclock.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Properties;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * A PostgreSQL session-level advisory lock on a connection of its own (not the store's), shared by the instances of a
 * cluster: {@link #holding} waits for it around a piece of work, {@link #tryHold} takes it for as long as this instance
 * lives (a leader). The threads of one instance share the session, so an in-process lock orders them too. When the
 * connection breaks (PostgreSQL restarted) the server has already released the lock; the next call reconnects.
 */
public final class AdvisoryLock implements AutoCloseable {

    /** The cluster's write lock: one instance at a time stores messages, analyses and writes results. */
    public static final long WRITE = 0x5265706c79L; // "Reply"
    /** Held by the instance that exports the state gauges. */
    public static final long GAUGES = 0x5265706c7aL;

    private final String url;
    private final Properties credentials = new Properties();
    private final long key;
    private final ReentrantLock local = new ReentrantLock();
    private Connection conn;
    private boolean held;

    public AdvisoryLock(String url, String username, String password, long key) {
        this.url = url;
        if (username != null) {
            credentials.setProperty("user", username);
        }
        if (password != null) {
            credentials.setProperty("password", password);
        }
        this.key = key;
    }

    /** Runs {@code work} holding the lock (waiting for it); the lock is released when the work ends, even by throwing. */
    public <T> T holding(Supplier<T> work) {
        local.lock();
        try {
            boolean outermost = local.getHoldCount() == 1;
            if (outermost) {
                call("SELECT pg_advisory_lock(?)");
            }
            try {
                return work.get();
            } finally {
                if (outermost) {
                    release();
                }
            }
        } finally {
            local.unlock();
        }
    }

    private void release() {
        try {
            call("SELECT pg_advisory_unlock(?)");
        } catch (StoreException e) {
            // the connection is gone, and with it the lock (the server releases a session's locks when it ends)
            closeQuietly();
        }
    }

    /**
     * Takes the lock if no other session holds it and keeps it; true while this instance holds it. Call it again now
     * and then: it checks that the session (and so the lock) is still there, and takes the lock back after a
     * reconnection when it is free.
     */
    public synchronized boolean tryHold() {
        try {
            if (held) {
                call("SELECT 1");
                return true;
            }
            held = call("SELECT pg_try_advisory_lock(?)");
        } catch (StoreException e) {
            held = false;
        }
        return held;
    }

    private synchronized boolean call(String statement) {
        try {
            if (conn == null || conn.isClosed()) {
                conn = DriverManager.getConnection(url, credentials);
                held = false;
            }
            try (PreparedStatement ps = conn.prepareStatement(statement)) {
                if (statement.contains("?")) {
                    ps.setLong(1, key);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    // pg_try_advisory_lock answers whether it took the lock; the others answer void or 1
                    return rs.next() && (!statement.contains("try") || rs.getBoolean(1));
                }
            }
        } catch (SQLException e) {
            closeQuietly();
            throw new StoreException("store " + withoutParameters(url) + ": the cluster lock cannot be had: " + e.getMessage(), e);
        }
    }

    /** The URL without its parameters, which may hold a password. */
    public static String withoutParameters(String url) {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q);
    }

    private synchronized void closeQuietly() {
        held = false;
        if (conn != null) {
            try {
                conn.close();
            } catch (SQLException ignored) {
                // closing a broken connection: nothing more to release
            }
            conn = null;
        }
    }

    @Override
    public void close() {
        closeQuietly();
    }
}
