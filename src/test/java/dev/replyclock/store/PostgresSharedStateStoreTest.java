package dev.replyclock.store;

import dev.replyclock.it.pg.PostgresServer;

/** The shared-state suite on PostgreSQL. */
class PostgresSharedStateStoreTest extends SharedStateStoreTest {

    final PostgresServer.Database db = PostgresServer.shared().newDatabase();

    @Override
    Store open() {
        return PostgresStoreTest.openPostgres(db);
    }
}
