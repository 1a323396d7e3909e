package dev.replyclock.app;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.quartz.utils.ConnectionProvider;
import org.quartz.utils.DBConnectionManager;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Quartz's clustered JDBC job store on the store's PostgreSQL: several instances share one schedule, each job runs on
 * one instance at a time ({@code @DisallowConcurrentExecution} holds cluster-wide), and the jobs of an instance that
 * stops checking in are taken over by the others. Quartz's own tables are applied by Flyway from
 * {@code db/quartz/postgresql} with their own history table, apart from the store's migrations (SQLite never has them).
 */
final class ClusteredJobStore implements AutoCloseable {

    /** Flyway's history table of Quartz's tables, apart from the store's {@code flyway_schema_history}. */
    static final String HISTORY_TABLE = "flyway_quartz_history";
    /**
     * Quartz declares an instance failed when it has not checked in for its check-in interval plus 7.5 s (fixed in
     * JobStoreSupport); its blocked jobs are then released. The interval follows the poll interval so that a killed
     * instance's mailboxes are polled again within two poll intervals, bounded to keep the check-in traffic small.
     */
    static final Duration MIN_CHECKIN = Duration.ofSeconds(1);
    static final Duration MAX_CHECKIN = Duration.ofSeconds(7);
    private static final AtomicInteger NAMES = new AtomicInteger();

    private final String dataSourceName;
    private final HikariDataSource dataSource;
    private final Duration checkin;

    /** Applies Quartz's tables if missing and opens a small pool for Quartz's connections. */
    ClusteredJobStore(String url, String username, String password, Duration pollInterval, int threads) {
        this.checkin = checkinInterval(pollInterval);
        HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(url);
        hikari.setUsername(username);
        hikari.setPassword(password);
        hikari.setPoolName("replyclock-quartz");
        hikari.setMaximumPoolSize(threads + 2); // each worker, plus the scheduler's acquisition and check-in threads
        hikari.setMinimumIdle(1);
        hikari.setAutoCommit(false); // JobStoreTX commits its own transactions
        hikari.setInitializationFailTimeout(-1); // PostgreSQL down at start: Quartz's calls fail and are retried
        this.dataSource = new HikariDataSource(hikari);
        try {
            Flyway.configure().dataSource(dataSource).locations("classpath:db/quartz/postgresql")
                    .table(HISTORY_TABLE)
                    // the store's tables are already there: Quartz's history starts below its V1
                    .baselineOnMigrate(true).baselineVersion("0")
                    .failOnMissingLocations(true).load().migrate();
        } catch (FlywayException e) {
            dataSource.close();
            throw new IllegalStateException("cannot create Quartz's tables in " + url + ": " + firstLine(e.getMessage()), e);
        }
        // The pool is registered under a name of its own rather than described in Quartz's properties, so that the
        // password never sits in them.
        this.dataSourceName = "replyclock-" + NAMES.incrementAndGet();
        try {
            DBConnectionManager.getInstance().addConnectionProvider(dataSourceName, new Pool(dataSource));
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
    }

    static Duration checkinInterval(Duration pollInterval) {
        Duration quarter = pollInterval.dividedBy(4);
        return quarter.compareTo(MIN_CHECKIN) < 0 ? MIN_CHECKIN : quarter.compareTo(MAX_CHECKIN) > 0 ? MAX_CHECKIN : quarter;
    }

    /** The job store's part of the scheduler's properties. */
    void configure(Properties p) {
        p.setProperty("org.quartz.scheduler.instanceId", "AUTO"); // unique per start: host, pid, start time
        p.setProperty("org.quartz.scheduler.instanceIdGenerator.class", ProcessInstanceId.class.getName());
        p.setProperty("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
        p.setProperty("org.quartz.jobStore.driverDelegateClass", "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate");
        p.setProperty("org.quartz.jobStore.dataSource", dataSourceName);
        p.setProperty("org.quartz.jobStore.tablePrefix", "QRTZ_");
        p.setProperty("org.quartz.jobStore.isClustered", "true");
        p.setProperty("org.quartz.jobStore.clusterCheckinInterval", Long.toString(checkin.toMillis()));
        // A trigger late by more than this misfires and fires once at once (NowWithExistingCount), e.g. the poll of a
        // mailbox whose instance was killed mid-poll, once its blocked job is released.
        p.setProperty("org.quartz.jobStore.misfireThreshold", Long.toString(checkin.toMillis()));
        // Quartz's advice for clusters: acquire triggers under the row lock, so two instances never take the same one.
        p.setProperty("org.quartz.jobStore.acquireTriggersWithinLock", "true");
    }

    Duration checkin() {
        return checkin;
    }

    @Override
    public void close() {
        dataSource.close();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl).strip();
    }

    /** Hands Quartz the pool's connections; the pool's life is the job store's, not Quartz's. */
    private record Pool(HikariDataSource dataSource) implements ConnectionProvider {
        @Override
        public Connection getConnection() throws SQLException {
            return dataSource.getConnection();
        }

        @Override
        public void shutdown() {
            // closed by ClusteredJobStore.close, after the scheduler has stopped
        }

        @Override
        public void initialize() {
        }
    }
}
