package dev.replyclock.store;

/** The database behind a {@link Store}. */
public enum StoreBackend {
    /** One file, the embedded default; one writing process. */
    SQLITE,
    /** A server shared by several instances. */
    POSTGRESQL
}
