package dev.replyclock.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteCommitListener;
import org.sqlite.SQLiteConnection;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;

/**
 * Checkpoints a SQLite store's write-ahead log on a thread and a connection of its own, so that the thread that
 * commits does not. SQLite's automatic checkpoint runs inside the commit that crosses 1,000 pages of log: it copies
 * them into the database file and syncs both, and the poll waits for it (a first sync of 100,000 messages spent
 * 0.3–0.5 s of 4–5 s in it, BackfillBenchmark). Here the store's connection has automatic checkpoints off, and each
 * burst of commits is followed by one {@code PASSIVE} checkpoint (it never waits for the writer) at most
 * {@link #PAUSE_MILLIS} later, which copies everything the log gathered meanwhile: what SQLite's page on WAL offers
 * applications that turn the automatic checkpoints off ("run checkpoints ... in a separate thread").
 *
 * <p>Closing stops the thread before the store's connection closes; that last connection's close checkpoints what is
 * left and removes the log, as before.
 */
final class WalCheckpointer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WalCheckpointer.class);

    /** How long a burst of commits gathers before its checkpoint; a checkpoint per commit would sync twice each. */
    static final long PAUSE_MILLIS = 250;

    private final String name;
    private final Connection connection;
    private final Thread thread;
    private final Object signal = new Object();
    /** Guarded by {@link #signal}: a commit since the last checkpoint began; the checkpointer is closing. */
    private boolean committed;
    private boolean closed;
    private long checkpoints;
    private String lastFailure;

    private WalCheckpointer(String name, Connection connection) {
        this.name = name;
        this.connection = connection;
        this.thread = new Thread(this::run, "store-checkpoint");
        thread.setDaemon(true);
    }

    /**
     * Turns automatic checkpoints off on {@code storeConnection} and checkpoints after its commits from a connection
     * of {@code dataSource}; when that connection cannot be opened, the store keeps SQLite's automatic checkpoints and
     * this returns null.
     */
    static WalCheckpointer start(String name, DataSource dataSource, Connection storeConnection) throws SQLException {
        Connection own;
        try {
            own = dataSource.getConnection();
        } catch (SQLException e) {
            LOG.warn("store {}: checkpoints stay in the committing thread (a second connection failed: {})", name,
                    e.getMessage());
            return null;
        }
        WalCheckpointer checkpointer = new WalCheckpointer(name, own);
        try {
            storeConnection.unwrap(SQLiteConnection.class).addCommitListener(new SQLiteCommitListener() {
                @Override
                public void onCommit() {
                    checkpointer.committed();
                }

                @Override
                public void onRollback() {
                }
            });
            try (Statement st = storeConnection.createStatement()) {
                st.execute("PRAGMA wal_autocheckpoint=0");
            }
        } catch (SQLException | RuntimeException e) {
            try {
                own.close();
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        checkpointer.thread.start();
        return checkpointer;
    }

    /** Called as the store's connection commits (before the commit completes: the pause lets it finish). */
    private void committed() {
        synchronized (signal) {
            if (!committed) {
                committed = true;
                signal.notifyAll();
            }
        }
    }

    private void run() {
        while (awaitCommitAndPause()) {
            checkpoint();
        }
    }

    /** Waits for a commit, then {@link #PAUSE_MILLIS} more for the commits that follow it; false once closed. */
    private boolean awaitCommitAndPause() {
        synchronized (signal) {
            try {
                while (!committed && !closed) {
                    signal.wait();
                }
                long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(PAUSE_MILLIS);
                while (!closed && waitOnSignalUntil(until)) {
                    // woken by close or spuriously; commits during the pause belong to this burst and do not wake it
                }
                committed = false; // commits from here on are the next burst's
                return !closed;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    /** Waits on {@link #signal} (held) until woken or {@code deadline} (nanoTime); false once it has passed. */
    private boolean waitOnSignalUntil(long deadline) throws InterruptedException {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0) {
            return false;
        }
        signal.wait(left);
        return true;
    }

    private void checkpoint() {
        try (Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
            rs.next(); // busy, frames in the log, frames copied: the copy happened, whatever they say
            synchronized (signal) {
                checkpoints++;
                signal.notifyAll();
            }
            if (lastFailure != null) {
                LOG.info("store {}: checkpoints work again", name);
                lastFailure = null;
            }
        } catch (SQLException | RuntimeException e) {
            // the log keeps what was not copied: the next checkpoint, or the store's close, copies it
            String failure = String.valueOf(e.getMessage());
            if (!failure.equals(lastFailure)) {
                LOG.warn("store {}: checkpoint of the write-ahead log failed (tried again after the next commit): {}",
                        name, failure);
                lastFailure = failure;
            }
        }
    }

    /** Whether the thread runs (until {@link #close}); for tests. */
    boolean running() {
        return thread.isAlive();
    }

    /** Checkpoints run so far; for tests. */
    long checkpoints() {
        synchronized (signal) {
            return checkpoints;
        }
    }

    /** Waits until more than {@code done} checkpoints ran, at most {@code millis}; true if they did. For tests. */
    boolean awaitCheckpointsAfter(long done, long millis) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        synchronized (signal) {
            while (checkpoints <= done && waitOnSignalUntil(until)) {
                // woken by a checkpoint, a commit or the time
            }
            return checkpoints > done;
        }
    }

    /** Stops the thread (a checkpoint in progress completes) and closes its connection. */
    @Override
    public void close() {
        synchronized (signal) {
            closed = true;
            signal.notifyAll();
        }
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.warn("store {}: closing the checkpoint connection: {}", name, e.getMessage());
        }
    }
}
