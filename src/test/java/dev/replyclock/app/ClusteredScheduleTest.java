package dev.replyclock.app;

import dev.replyclock.config.Config;
import dev.replyclock.config.ConfigLoader;
import dev.replyclock.it.pg.PostgresServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The schedule of a service on PostgreSQL lives in Quartz's tables of that database: every start stores the jobs of the
 * configuration, replacing what an instance stored before (a changed poll_interval takes effect, a mailbox gone from
 * the configuration is no longer polled), without failing on what is already there.
 */
class ClusteredScheduleTest {

    @TempDir
    Path dir;

    @Test
    void everyStartStoresTheConfiguredScheduleReplacingTheStoredOne() throws Exception {
        PostgresServer.Database db = PostgresServer.shared().newDatabase();
        Files.createDirectories(dir.resolve("mail"));
        start(config(db, "10s", true));
        assertEquals(Map.of("poll/sales", 10_000L, "poll/support", 10_000L, "replyclock/sla-tick", 30_000L),
                intervals(db));
        start(config(db, "10s", true)); // as a second instance would: the same jobs again
        assertEquals(Map.of("poll/sales", 10_000L, "poll/support", 10_000L, "replyclock/sla-tick", 30_000L),
                intervals(db));
        start(config(db, "25s", false)); // poll_interval changed, support removed
        assertEquals(Map.of("poll/sales", 25_000L, "replyclock/sla-tick", 30_000L), intervals(db));
    }

    /** Opens the service, starts its scheduler and stops both, as a {@code run} that is stopped would. */
    private static void start(Config config) throws Exception {
        try (Service service = Service.open(config, Clock.systemUTC());
             PollScheduler scheduler = new PollScheduler(service)) {
            scheduler.start();
        }
    }

    /** The stored triggers' repeat intervals by group/name. */
    private static Map<String, Long> intervals(PostgresServer.Database db) throws SQLException {
        Map<String, Long> intervals = new TreeMap<>();
        try (Connection c = db.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT trigger_group, trigger_name, repeat_interval FROM qrtz_simple_triggers")) {
            while (rs.next()) {
                intervals.put(rs.getString(1) + "/" + rs.getString(2), rs.getLong(3));
            }
        }
        return intervals;
    }

    private Config config(PostgresServer.Database db, String pollInterval, boolean support) throws IOException {
        Path file = Files.writeString(dir.resolve("config.yaml"), """
                internal_domains: [acme.example]
                calendars: {utc: {zone: UTC, hours: 24x7}}
                sla_policies: {sales: {first_response: 4h, warn_before: 30m}}
                teams: {sales: {members: [{id: alice, name: Alice, addresses: [alice@acme.example]}]}}
                mailboxes:
                  - {id: sales, address: sales@acme.example, team: sales, sla: sales, calendar: utc,
                     source: {type: files, paths: [mail]}}
                SUPPORT
                store: {url: "URL", username: USER, password: PASSWORD}
                poll_interval: INTERVAL
                """.replace("SUPPORT", support ? "  - {id: support, address: support@acme.example, team: sales, sla: sales, "
                        + "calendar: utc, source: {type: files, paths: [mail]}}" : "")
                .replace("URL", db.url()).replace("USER", db.user()).replace("PASSWORD", db.password())
                .replace("INTERVAL", pollInterval));
        return ConfigLoader.load(file);
    }
}
