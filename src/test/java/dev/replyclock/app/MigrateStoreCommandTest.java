package dev.replyclock.app;

import dev.replyclock.bench.GenerateMaildir;
import dev.replyclock.config.Config;
import dev.replyclock.config.ConfigLoader;
import dev.replyclock.it.pg.PostgresServer;
import dev.replyclock.report.ReportJson;
import dev.replyclock.store.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code replyclock migrate-store} on a 10,000-message store: SQLite to a real PostgreSQL and back to a new SQLite
 * file; every table's rows arrive, and the report the service computes from each store is the same.
 */
class MigrateStoreCommandTest {

    static final Instant NOW = Instant.parse("2024-07-01T12:00:00Z");

    @TempDir
    Path dir;

    @Test
    void sqliteToPostgresAndBackKeepsTheReport() throws Exception {
        GenerateMaildir.main(new String[] {dir.toString(), "10000", "7"});
        String yaml = Files.readString(dir.resolve("config.yaml"));
        Path sqlite = dir.resolve("original.db");
        Map<String, Long> counts;
        String before;
        try (Service service = Service.open(config("original", yaml + "store: {path: original.db}\n"), clock())) {
            service.pollAll().forEach(o -> assertFalse(o.failed(), o.error()));
            before = ReportJson.toJson(service.results(), NOW);
            counts = service.store().tableCounts();
        }
        assertEquals(10_000L, counts.get("message"));
        assertTrue(counts.get("lead") > 1_000, counts.toString());

        PostgresServer.Database db = PostgresServer.shared().newDatabase();
        Path passwordFile = Files.writeString(dir.resolve("pg-password"), db.password() + "\n");
        CommandLineTest.Run there = CommandLineTest.run("migrate-store", "--from", "sqlite:" + sqlite, "--to", db.url(),
                "--to-user", db.user(), "--to-password-file", passwordFile.toString());
        assertEquals(0, there.exit(), there.err());
        assertTrue(there.out().lines().anyMatch(l -> l.matches("message\\s+10000")), there.out());
        assertTrue(there.out().contains("copied ") && there.out().contains(" to " + db.url()), there.out());
        assertFalse(there.out().contains(db.password()) || there.err().contains(db.password()));

        String pgStore = "store: {url: \"" + db.url() + "\", username: " + db.user() + ", password_file: pg-password}\n";
        try (Service service = Service.open(config("pg", yaml + pgStore), clock())) {
            assertEquals(counts, service.store().tableCounts());
            assertEquals(before, ReportJson.toJson(service.results(), NOW), "the report read from PostgreSQL");
        }

        CommandLineTest.Run again = CommandLineTest.run("migrate-store", "--from", "sqlite:" + sqlite, "--to", db.url(),
                "--to-user", db.user(), "--to-password-file", passwordFile.toString());
        assertEquals(1, again.exit(), again.out());
        assertTrue(again.err().contains("is not empty"), again.err());

        Path back = dir.resolve("back.db");
        CommandLineTest.Run home = CommandLineTest.run("migrate-store", "--from", db.url(), "--from-user", db.user(),
                "--from-password-file", passwordFile.toString(), "--to", "sqlite:" + back);
        assertEquals(0, home.exit(), home.err());
        try (Service service = Service.open(config("back", yaml + "store: {path: back.db}\n"), clock())) {
            assertEquals(counts, service.store().tableCounts());
            assertEquals(before, ReportJson.toJson(service.results(), NOW), "the report read from the copied SQLite");
        }
        try (Store original = Store.open(sqlite)) {
            assertEquals(counts, original.tableCounts(), "the source is left as it was");
        }
    }

    @Test
    void badLocationsAndMissingFilesAreClearErrors() {
        CommandLineTest.Run mysql = CommandLineTest.run("migrate-store", "--from", "sqlite:" + dir.resolve("none.db"),
                "--to", "jdbc:mysql://db/replyclock");
        assertEquals(2, mysql.exit());
        assertTrue(mysql.err().contains("--to: expected sqlite:PATH or jdbc:postgresql://"), mysql.err());
        CommandLineTest.Run missing = CommandLineTest.run("migrate-store", "--from", "sqlite:" + dir.resolve("none.db"),
                "--to", "sqlite:" + dir.resolve("copy.db"));
        assertEquals(2, missing.exit());
        assertTrue(missing.err().contains("--from: no store file"), missing.err());
        CommandLineTest.Run secret = CommandLineTest.run("migrate-store", "--from", "sqlite:x.db",
                "--to", "jdbc:postgresql://db/rc?password=s3cret");
        assertEquals(2, secret.exit());
        assertFalse(secret.err().contains("s3cret"), secret.err());
    }

    private Config config(String name, String yaml) throws Exception {
        return ConfigLoader.load(Files.writeString(dir.resolve(name + ".yaml"), yaml));
    }

    private static Clock clock() {
        return Clock.fixed(NOW, ZoneOffset.UTC);
    }
}
