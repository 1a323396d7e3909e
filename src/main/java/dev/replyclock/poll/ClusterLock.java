package dev.replyclock.poll;

import dev.replyclock.store.AdvisoryLock;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The lock around every write that depends on what is stored: storing a batch, analysing and writing results, setting
 * dispositions, recording SLA transitions. Several instances on one PostgreSQL take a database lock (conversations
 * span mailboxes, so two instances must not recompute one conversation from different message sets); one instance on
 * SQLite orders its own threads only. Re-entrant.
 */
public interface ClusterLock {

    /** Runs {@code work} holding the lock (waiting for it). */
    <T> T holding(Supplier<T> work);

    default void holding(Runnable work) {
        holding(() -> {
            work.run();
            return null;
        });
    }

    /** Whether other instances write the same store: then each catches up with them before analysing. */
    boolean shared();

    /** The lock of a store several instances write (PostgreSQL): a database advisory lock held by one at a time. */
    static ClusterLock across(AdvisoryLock lock) {
        return new ClusterLock() {
            @Override
            public <T> T holding(Supplier<T> work) {
                return lock.holding(work);
            }

            @Override
            public boolean shared() {
                return true;
            }
        };
    }

    /** The lock of a store only this process writes (SQLite). */
    static ClusterLock inProcess() {
        ReentrantLock lock = new ReentrantLock();
        return new ClusterLock() {
            @Override
            public <T> T holding(Supplier<T> work) {
                lock.lock();
                try {
                    return work.get();
                } finally {
                    lock.unlock();
                }
            }

            @Override
            public boolean shared() {
                return false;
            }
        };
    }
}
