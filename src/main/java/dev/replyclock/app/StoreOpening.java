package dev.replyclock.app;

import dev.replyclock.config.StoreConfig;
import dev.replyclock.store.Store;
import dev.replyclock.store.StoreException;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Opens the store for a command; a store that cannot be opened stops the command with what to do about it. */
final class StoreOpening {

    private StoreOpening() {
    }

    /** The configured store, SQLite or PostgreSQL. */
    static Store open(StoreConfig config) {
        if (!config.isPostgres()) {
            return open(config.path());
        }
        try {
            return Store.open(config);
        } catch (StoreException e) {
            throw new CommandFailure(CommandFailure.CANNOT_START, firstLine(e), e);
        }
    }

    static Store open(Path file) {
        try {
            return Store.open(file);
        } catch (StoreException | UncheckedIOException e) {
            throw new CommandFailure(CommandFailure.CANNOT_START, explain(file, e), e);
        }
    }

    /** SQLite says "unable to open" deep in a Flyway message; the file system tells why, in the user's terms. */
    private static String explain(Path file, RuntimeException e) {
        Path abs = file.toAbsolutePath().normalize();
        Path folder = abs.getParent();
        boolean readOnly = Files.exists(abs) ? !Files.isWritable(abs) || !Files.isWritable(folder)
                : folder != null && Files.isDirectory(folder) && !Files.isWritable(folder);
        if (readOnly) {
            return "store " + abs + " cannot be written: its disk is read-only or the file or its folder is not "
                    + "writable by this user; set store.path to a file on a writable disk";
        }
        return firstLine(e);
    }

    private static String firstLine(RuntimeException e) {
        String message = Failures.message(e);
        int block = message.indexOf('\n'); // Flyway appends a block of SQL state and error code
        return block < 0 ? message : message.substring(0, block).strip();
    }
}
