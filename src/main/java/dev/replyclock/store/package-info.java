/**
 * Persistence of messages (headers only), folder checkpoints, computed results, SLA state transitions and sync
 * status in SQLite, behind {@link dev.replyclock.store.Store}. Depends only on {@code dev.replyclock.domain},
 * JDBC and Flyway.
 */
package dev.replyclock.store;
