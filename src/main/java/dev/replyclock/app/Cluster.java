package dev.replyclock.app;

import dev.replyclock.poll.ClusterLock;
import dev.replyclock.store.AdvisoryLock;


/**
 * What this instance shares with the other instances on the same store. On SQLite there are none: the lock is
 * in-process, the schedule in memory, and this instance exports the state gauges. On PostgreSQL: the write lock
 * ({@link AdvisoryLock#WRITE}), Quartz's clustered schedule on the same database, and the gauge lock
 * ({@link AdvisoryLock#GAUGES}) whose holder alone exports the state gauges.
 */
final class Cluster implements AutoCloseable {

    /** The shared database; the password is never logged. */
    record Database(String url, String username, String password) {
        @Override
        public String toString() {
            return "Database[" + AdvisoryLock.withoutParameters(url) + ", " + username + "]";
        }
    }

    private final Database database;
    private final ClusterLock writeLock;
    private final AdvisoryLock write;
    private final AdvisoryLock gauges;

    private Cluster(Database database) {
        this.database = database;
        if (database == null) {
            this.write = null;
            this.gauges = null;
            this.writeLock = ClusterLock.inProcess();
        } else {
            this.write = new AdvisoryLock(database.url(), database.username(), database.password(), AdvisoryLock.WRITE);
            this.gauges = new AdvisoryLock(database.url(), database.username(), database.password(), AdvisoryLock.GAUGES);
            this.writeLock = ClusterLock.across(write);
        }
    }

    /** The only instance on its store (SQLite). */
    static Cluster single() {
        return new Cluster(null);
    }

    /** One of the instances sharing this PostgreSQL database. */
    static Cluster on(Database database) {
        return new Cluster(java.util.Objects.requireNonNull(database));
    }

    /** Null on SQLite. */
    Database database() {
        return database;
    }

    ClusterLock writeLock() {
        return writeLock;
    }

    /**
     * Whether this instance exports the state gauges now: it takes the gauge lock when free and keeps it while its
     * session lives; called on each local refresh, so another instance takes over within one refresh of a death.
     */
    boolean stateExporter() {
        return gauges == null || gauges.tryHold();
    }

    @Override
    public void close() {
        if (write != null) {
            write.close();
            gauges.close();
        }
    }
}
