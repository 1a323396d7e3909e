package dev.replyclock.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code replyclock sync --once} in a child JVM that the kill tests SIGKILL mid-sync, and what they read of its
 * SQLite file between kills.
 */
public final class KilledSync {

    private KilledSync() {
    }

    /** Starts {@code sync --config config --once}, its output in {@code log}. */
    public static Process start(Path config, Path log) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.replyclock.app.Main", "sync", "--config", config.toString(), "--once"));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Waits until the store holds at least {@code count} messages, the sync ends, or {@code millis} have passed. */
    public static void waitForStoredMessages(Path store, Process process, long count, long millis) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (System.nanoTime() < deadline && process.isAlive() && countMessages(store) < count) {
            Thread.sleep(5);
        }
    }

    public static long countMessages(Path store) {
        return single(store, "SELECT COUNT(*) FROM message");
    }

    /** Copies fetched and committed, by the folder checkpoints' counters (kept in the same transactions). */
    public static long storedCopies(Path store) {
        return single(store, "SELECT COALESCE(SUM(copies), 0) FROM folder_checkpoint");
    }

    private static long single(Path store, String sql) {
        if (!Files.exists(store)) {
            return 0;
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + store);
             ResultSet rs = c.createStatement().executeQuery(sql)) {
            return rs.next() ? rs.getLong(1) : 0;
        } catch (Exception notYetMigrated) {
            return 0;
        }
    }

    public static String integrityCheck(Path store) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + store);
             ResultSet rs = c.createStatement().executeQuery("PRAGMA integrity_check")) {
            rs.next();
            return rs.getString(1);
        }
    }
}
