package dev.replyclock.it.pg;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server for tests, from Debian's {@code postgresql} package
 * ({@code /usr/lib/postgresql/VERSION/bin}; {@code .ci/run} installs it when missing).
 *
 * <p>Usage: {@code PostgresServer.Database db = PostgresServer.shared().newDatabase();} then connect with
 * {@link Database#url()}, {@link Database#user()} and {@link Database#password()}. Each call gives a fresh,
 * empty database owned by the test role, so give each test class (or test) its own.
 *
 * <p>One server per test JVM: {@link #shared()} starts it on first use (initdb in a temporary directory,
 * listening on 127.0.0.1 only, on a free port, password authentication, durability switched off for speed)
 * and a shutdown hook stops it and deletes the directory. PostgreSQL refuses to run as root, so when the tests
 * run as root the server runs as the package's {@code postgres} user, in a directory owned by that user.
 *
 * <p>{@link #stop()}, {@link #start()} and {@link #restart()} act on the same data directory and port, so
 * databases and URLs survive them: use them for "the database went away" tests. They are synchronized, but the
 * server is shared by every test in the JVM: a test that stops it must start it again before it ends.
 */
public final class PostgresServer {

    /** The role every test database belongs to; tests connect as it. */
    public static final String USER = "replyclock_test";
    public static final String PASSWORD = "pg-test-password";
    private static final String ADMIN = "replyclock_admin";
    private static final String ADMIN_PASSWORD = "pg-admin-password";

    /** A database of the shared server: a JDBC url and the credentials to open it with. */
    public record Database(String name, String url, String user, String password) {

        /** A new connection as the test role (the caller closes it). */
        public Connection connect() throws SQLException {
            return DriverManager.getConnection(url, user, password);
        }
    }

    private static PostgresServer shared;

    private final Path bin;
    private final Path dir;
    private final int port;
    private final boolean asPostgresUser;
    private final AtomicInteger databases = new AtomicInteger();
    private boolean running;

    private PostgresServer(Path bin, Path dir, int port, boolean asPostgresUser) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
        this.asPostgresUser = asPostgresUser;
    }

    /** The server of this JVM, started on first call; stopped and deleted when the JVM exits. */
    public static synchronized PostgresServer shared() {
        if (shared == null) {
            try {
                PostgresServer server = create();
                Runtime.getRuntime().addShutdownHook(new Thread(server::destroy, "postgres-test-server-stop"));
                server.start();
                shared = server;
            } catch (IOException e) {
                throw new IllegalStateException("could not start the test PostgreSQL: " + e.getMessage(), e);
            }
        }
        return shared;
    }

    /** A new empty database owned by {@link #USER}. */
    public Database newDatabase() {
        String name = "rc_" + ProcessHandle.current().pid() + "_" + databases.incrementAndGet();
        try (Connection admin = DriverManager.getConnection(url("postgres"), ADMIN, ADMIN_PASSWORD);
                Statement st = admin.createStatement()) {
            st.execute("CREATE DATABASE " + name + " OWNER " + USER);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create test database " + name + ": " + e.getMessage(), e);
        }
        return new Database(name, url(name), USER, PASSWORD);
    }

    /** The loopback port the server listens on (the same across restarts). */
    public int port() {
        return port;
    }

    /** The JDBC url of a database of this server. */
    public String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** Starts the server on its data directory; waits until it accepts connections. No-op when running. */
    public synchronized void start() throws IOException {
        if (running) {
            return;
        }
        pgCtl("start", "-w", "-t", "60", "-l", dir.resolve("server.log").toString());
        running = true;
    }

    /** Stops the server (fast shutdown: open connections are cut). No-op when stopped. */
    public synchronized void stop() throws IOException {
        if (!running) {
            return;
        }
        pgCtl("stop", "-w", "-m", "fast");
        running = false;
    }

    /** Stops and starts again on the same data directory and port: every open connection breaks. */
    public synchronized void restart() throws IOException {
        stop();
        start();
    }

    public synchronized boolean isRunning() {
        return running;
    }

    /** The server's log so far (for assertion messages). */
    public String log() throws IOException {
        Path log = dir.resolve("server.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    private static PostgresServer create() throws IOException {
        Path bin = binaries();
        boolean root = "0".equals(run(List.of("id", "-u")).trim());
        Path dir = Files.createTempDirectory("replyclock-pg-");
        PostgresServer server = new PostgresServer(bin, dir, freePort(), root);
        Path pwfile = dir.resolve("admin-password");
        Files.writeString(pwfile, ADMIN_PASSWORD + "\n");
        if (root) {
            run(List.of("chown", "-R", "postgres:postgres", dir.toString()));
        }
        server.asServerUser(List.of(bin.resolve("initdb").toString(), "-D", server.data().toString(),
                "-U", ADMIN, "--pwfile", pwfile.toString(), "--auth", "scram-sha-256", "-E", "UTF8", "--no-locale",
                "--no-sync"));
        Files.writeString(server.data().resolve("postgresql.conf"), String.join("\n",
                "", "# replyclock test server",
                "listen_addresses = '127.0.0.1'",
                "port = " + server.port,
                "unix_socket_directories = '" + dir + "'",
                "fsync = off", "full_page_writes = off", "synchronous_commit = off",
                "max_connections = 200", "log_min_messages = warning", ""),
                java.nio.file.StandardOpenOption.APPEND);
        try {
            server.start();
            try (Connection admin = DriverManager.getConnection(server.url("postgres"), ADMIN, ADMIN_PASSWORD);
                    Statement st = admin.createStatement()) {
                st.execute("CREATE ROLE " + USER + " LOGIN CREATEDB PASSWORD '" + PASSWORD + "'");
            }
        } catch (SQLException e) {
            server.destroy();
            throw new IOException("could not create the test role: " + e.getMessage(), e);
        }
        return server;
    }

    private Path data() {
        return dir.resolve("data");
    }

    private void pgCtl(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(bin.resolve("pg_ctl").toString(), "-D", data().toString()));
        command.addAll(List.of(args));
        asServerUser(command);
    }

    private void asServerUser(List<String> command) throws IOException {
        List<String> full = new ArrayList<>();
        if (asPostgresUser) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        run(full);
    }

    /** Stops the server if needed and deletes its directory; for the shutdown hook. */
    private synchronized void destroy() {
        try {
            if (running) {
                pgCtl("stop", "-w", "-m", "immediate");
                running = false;
            }
        } catch (IOException e) {
            System.err.println("test PostgreSQL did not stop: " + e.getMessage());
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a leftover temporary directory is harmless
        }
    }

    /** The newest installed PostgreSQL's binaries. */
    private static Path binaries() throws IOException {
        Path root = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(root)) {
            try (Stream<Path> versions = Files.list(root)) {
                var newest = versions.filter(v -> Files.isExecutable(v.resolve("bin/initdb")))
                        .max(Comparator.comparingInt(v -> versionNumber(v.getFileName().toString())));
                if (newest.isPresent()) {
                    return newest.get().resolve("bin");
                }
            }
        }
        throw new IOException("PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): "
                + "apt-get install -y postgresql (.ci/run does)");
    }

    private static int versionNumber(String name) {
        try {
            return Integer.parseInt(name);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Runs a command to completion; its output on failure goes into the exception. */
    private static String run(List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        try {
            if (p.waitFor() != 0) {
                throw new IOException(String.join(" ", command) + " failed (exit " + p.exitValue() + "): " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", command), e);
        }
        return out;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
