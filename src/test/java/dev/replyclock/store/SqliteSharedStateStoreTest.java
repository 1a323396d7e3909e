package dev.replyclock.store;

import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The shared-state suite on SQLite. */
class SqliteSharedStateStoreTest extends SharedStateStoreTest {

    @TempDir
    Path dir;

    @Override
    Store open() {
        return Store.open(dir.resolve("rc.db"));
    }
}
