package dev.replyclock.app;

import dev.replyclock.it.pg.PostgresServer;
import dev.replyclock.store.Store;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Quartz's tables on the store's PostgreSQL: applied by Flyway from their own location with their own history table,
 * beside the store's migrations, once however many instances start; the job store's properties make a cluster.
 */
class ClusteredJobStoreTest {

    @Test
    void quartzTablesAreAppliedOnceBesideTheStoresMigrations() throws Exception {
        PostgresServer.Database db = PostgresServer.shared().newDatabase();
        try (Store store = Store.openPostgres(db.url(), db.user(), db.password())) {
            assertTrue(store.migrationsApplied() > 0);
        }
        long storeMigrations = count(db, "SELECT COUNT(*) FROM flyway_schema_history");
        Properties p = new Properties();
        try (ClusteredJobStore first = new ClusteredJobStore(db.url(), db.user(), db.password(), Duration.ofSeconds(10), 2)) {
            first.configure(p);
        }
        try (ClusteredJobStore second = new ClusteredJobStore(db.url(), db.user(), db.password(), Duration.ofSeconds(10), 2)) {
            second.configure(new Properties());
        }
        assertEquals(1, count(db, "SELECT COUNT(*) FROM " + ClusteredJobStore.HISTORY_TABLE + " WHERE version = '1' AND success"));
        assertEquals(storeMigrations, count(db, "SELECT COUNT(*) FROM flyway_schema_history"), "the store's history untouched");
        assertEquals(0, count(db, "SELECT COUNT(*) FROM qrtz_locks"));
        assertEquals(0, count(db, "SELECT COUNT(*) FROM qrtz_job_details"));

        assertEquals("true", p.getProperty("org.quartz.jobStore.isClustered"));
        assertEquals("org.quartz.impl.jdbcjobstore.PostgreSQLDelegate", p.getProperty("org.quartz.jobStore.driverDelegateClass"));
        assertEquals("2500", p.getProperty("org.quartz.jobStore.clusterCheckinInterval"));
        assertFalse(p.toString().contains(db.password()), "no password in Quartz's properties");
    }

    @Test
    void theCheckInFollowsThePollIntervalWithinBounds() {
        assertEquals(Duration.ofSeconds(1), ClusteredJobStore.checkinInterval(Duration.ofSeconds(2)));
        assertEquals(Duration.ofMillis(2500), ClusteredJobStore.checkinInterval(Duration.ofSeconds(10)));
        assertEquals(Duration.ofSeconds(7), ClusteredJobStore.checkinInterval(Duration.ofMinutes(5)));
    }

    private static long count(PostgresServer.Database db, String query) throws SQLException {
        try (Connection c = db.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
