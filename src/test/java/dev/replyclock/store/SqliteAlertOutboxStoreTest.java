package dev.replyclock.store;

import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The outbox suite on SQLite. */
class SqliteAlertOutboxStoreTest extends AlertOutboxStoreTest {

    @TempDir
    Path dir;

    @Override
    Store open() {
        return Store.open(dir.resolve("rc.db"));
    }
}
