package dev.replyclock.store;

/**
 * The store's file system (or its size cap) has no room left: SQLite answered SQLITE_FULL. The transaction was rolled
 * back, so nothing of it is stored; the same write succeeds once there is space again.
 */
public final class StoreFullException extends StoreException {

    public StoreFullException(String message, Throwable cause) {
        super(message, cause);
    }
}
