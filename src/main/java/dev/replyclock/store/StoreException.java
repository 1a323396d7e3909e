package dev.replyclock.store;

/** A database failure of the {@link Store}; the operation that threw it changed nothing. */
public class StoreException extends RuntimeException {

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreException(String message) {
        super(message);
    }
}
