package dev.replyclock.app;

import dev.replyclock.store.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each failure a user meets, as a real process: a message naming what and where, the exit code, and no stack trace
 * (which only {@code --debug} or {@code REPLYCLOCK_LOG_LEVEL=debug} prints).
 */
class CommandErrorsTest {

    @TempDir
    Path dir;

    /** The example mailbox with its store in {@code store} and HTTP on {@code port}. */
    private Path config(Path store, int port) throws IOException {
        Path examples = Path.of("examples").toAbsolutePath();
        String yaml = Files.readString(examples.resolve("config.yaml"))
                .replace("paths: [mail/inbox, mail/sent]", "paths: [" + examples.resolve("mail/inbox") + ", "
                        + examples.resolve("mail/sent") + "]")
                + "store: {path: " + store + "}\nhttp: {port: " + port + "}\n";
        return Files.writeString(Files.createTempFile(dir, "config", ".yaml"), yaml);
    }

    private static void assertActionable(CliProcess.Result run, int exit, String message) {
        assertEquals(exit, run.exit(), run.both());
        assertTrue(run.err().contains(message), run.both());
        assertFalse(run.hasStackTrace(), run.both());
    }

    @Test
    void aPortInUseNamesHttpPortAndExitsTwoBeforeTheStoreFileIsTouched() throws Exception {
        Path store = dir.resolve("data/replyclock.db");
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("0.0.0.0", 0));
            CliProcess.Result run = CliProcess.run(dir, "run", "--config", config(store, taken.getLocalPort()).toString());
            assertActionable(run, 2, "http.port: port " + taken.getLocalPort() + " on 0.0.0.0 is already in use");
        }
        assertFalse(Files.exists(store.getParent()), "neither the store file nor its folder is created");
    }

    @Test
    void anUnreadableConfigFileIsNamed() throws Exception {
        Path missing = dir.resolve("missing.yaml");
        assertActionable(CliProcess.run(dir, "run", "--config", missing.toString()), 2,
                missing + ": cannot read the configuration file: no such file");
        assertActionable(CliProcess.run(dir, "analyze", "--config", dir.toString()), 2,
                dir + ": cannot read the configuration file: Is a directory");
        assertActionable(CliProcess.run(dir, "check-config", "--config", missing.toString()), 1,
                missing + ": cannot read the configuration file: no such file");
    }

    @Test
    void aStoreOnAReadOnlyDiskIsRefusedWithWhatToDo() throws Exception {
        Path disk = Files.createDirectories(dir.resolve("disk"));
        Path store = disk.resolve("replyclock.db");
        Store.open(store).close(); // a store written while the disk was writable
        Path config = config(store, 9465);
        // the folder bind-mounted read-only in a mount namespace of the child alone: what a disk remounted read-only does
        List<String> readOnly = List.of("unshare", "-m", "sh", "-c",
                "mount --bind \"$0\" \"$0\" && mount -o remount,bind,ro \"$0\" && exec \"$@\"", disk.toString());
        CliProcess.Result run = CliProcess.run(dir, readOnly, Map.of(), "sync", "--once", "--config", config.toString());
        assertActionable(run, 2, "store " + store + " cannot be written: its disk is read-only");
        assertTrue(run.err().contains("set store.path to a file on a writable disk"), run.both());
    }

    /** A store whose schema history holds a migration (V99) that this version does not have. */
    private Path storeOfANewerVersion() throws Exception {
        Path store = dir.resolve("replyclock.db");
        Store.open(store).close();
        try (Connection conn = DriverManager.getConnection("jdbc:sqlite:" + store); Statement st = conn.createStatement()) {
            st.executeUpdate("INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, "
                    + "checksum, installed_by, installed_on, execution_time, success) VALUES (99, '99', 'from the future', "
                    + "'SQL', 'V99__from_the_future.sql', 0, 'test', CURRENT_TIMESTAMP, 1, 1)");
        }
        return store;
    }

    @Test
    void aStoreFromANewerVersionIsRefused() throws Exception {
        Path store = storeOfANewerVersion();
        CliProcess.Result run = CliProcess.run(dir, "sync", "--once", "--config", config(store, 9465).toString());
        assertActionable(run, 2, "store " + store + " was written by a newer version of Replyclock (schema version 99;");
        assertTrue(run.err().contains("refusing to open it"), run.both());
    }

    @Test
    void theStackTraceComesWithDebugOnly() throws Exception {
        Path store = storeOfANewerVersion();
        String config = config(store, 9465).toString();
        CliProcess.Result debug = CliProcess.run(dir, "sync", "--once", "--config", config, "--debug");
        assertEquals(2, debug.exit(), debug.both());
        assertTrue(debug.hasStackTrace(), debug.both());
        CliProcess.Result env = CliProcess.run(dir, List.of(), Map.of("REPLYCLOCK_LOG_LEVEL", "debug"),
                "sync", "--once", "--config", config);
        assertTrue(env.hasStackTrace(), env.both());
    }

    @Test
    void debugLevelComesFromTheFlagOrTheEnvironment() throws Exception {
        String config = config(dir.resolve("replyclock.db"), 9465).toString();
        CliProcess.Result first = CliProcess.run(dir, "sync", "--once", "--config", config);
        assertEquals(0, first.exit(), first.both());
        assertTrue(first.err().lines().anyMatch(l -> l.matches("\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z INFO  PollCycle - .*")), first.both());
        assertFalse(first.err().contains(" DEBUG "), first.both());
        String quietPoll = "DEBUG PollCycle - mailbox sales-inbox: nothing new";
        assertTrue(CliProcess.run(dir, "sync", "--once", "--config", config, "--debug").err().contains(quietPoll));
        assertTrue(CliProcess.run(dir, List.of(), Map.of("REPLYCLOCK_LOG_LEVEL", "debug"), "sync", "--once", "--config",
                config).err().contains(quietPoll));
        assertFalse(CliProcess.run(dir, "sync", "--once", "--config", config).err().contains(" DEBUG "));
    }

    @Test
    void analyzePrintsTheReportThenExitsOneWhenAConfiguredPathIsMissing() throws Exception {
        Path examples = Path.of("examples").toAbsolutePath();
        Path missing = dir.resolve("sent-export-not-mounted");
        String yaml = Files.readString(examples.resolve("config.yaml")).replace("paths: [mail/inbox, mail/sent]",
                "paths: [" + examples.resolve("mail/inbox") + ", " + missing + "]");
        Path config = Files.writeString(dir.resolve("config.yaml"), yaml);
        CliProcess.Result run = CliProcess.run(dir, "analyze", "--config", config.toString(), "--format", "csv",
                "--now", "2024-04-12T12:00:00Z");
        assertActionable(run, 1, "configured path " + missing + ": no such file or folder");
        assertTrue(run.out().startsWith("lead_message_id,mailbox,"), "the report is printed all the same: " + run.both());
    }
}
