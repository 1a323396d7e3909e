package dev.replyclock.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Dovecot IMAP server for integration tests: a plain child process with its own configuration on a
 * loopback port, one passwd-file user, and Maildir folders under a directory of the test's. INBOX is
 * {@code home/inbox}, other folders are {@code home/NAME} ({@code LAYOUT=fs}); {@code Sent} carries the
 * {@code \Sent} special use. A message file's modification time becomes its INTERNALDATE.
 */
public final class DovecotServer implements AutoCloseable {

    public static final String USER = "sales@acme.example";
    public static final String PASSWORD = "dovecot-test-password";
    private static final Path BINARY = Path.of("/usr/sbin/dovecot");

    private final Path dir;
    private final int port;
    private Process process;

    private DovecotServer(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /**
     * A fresh directory under {@code target/it/} that Dovecot's own user can enter (JUnit's temporary
     * directories are private to root); kept after the test for its logs.
     */
    public static Path workDirectory(String name) throws IOException {
        Path dir = Path.of("target", "it", name + "-" + System.currentTimeMillis()).toAbsolutePath();
        Files.createDirectories(dir);
        for (Path p = dir; p != null && p.startsWith(Path.of("").toAbsolutePath()); p = p.getParent()) {
            p.toFile().setExecutable(true, false);
            p.toFile().setReadable(true, false);
        }
        return dir;
    }

    /** Prepares the folders; call {@link #start()} once the mail is in place. */
    public static DovecotServer in(Path dir) throws IOException {
        if (!Files.isExecutable(BINARY)) {
            throw new AssertionError("Dovecot is not installed (" + BINARY + "): apt-get install -y dovecot-imapd (.ci/run does)");
        }
        DovecotServer server = new DovecotServer(dir, freePort());
        server.writeConfig();
        for (String folder : List.of("inbox", "Sent")) {
            for (String sub : List.of("cur", "new", "tmp")) {
                Files.createDirectories(server.folder(folder).resolve(sub));
            }
        }
        return server;
    }

    public int port() {
        return port;
    }

    public Path home() {
        return dir.resolve("home");
    }

    /** The Maildir of a folder: {@code INBOX} or {@code inbox} is the inbox. */
    public Path folder(String name) {
        return home().resolve(name.equalsIgnoreCase("inbox") ? "inbox" : name);
    }

    /** Writes one message into a folder with the given INTERNALDATE (the file's modification time). */
    public Path deliver(String folder, String fileName, byte[] raw, Instant internalDate) throws IOException {
        Path file = folder(folder).resolve("cur").resolve(fileName + ":2,S");
        Files.write(file, raw);
        Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.from(internalDate));
        return file;
    }

    /** STARTTLS on the same port with this certificate and key (PEM files); call before {@link #start()}. */
    public DovecotServer withStarttls(Path certificate, Path key) throws IOException {
        Path conf = dir.resolve("dovecot.conf");
        Files.writeString(conf, Files.readString(conf).replace("ssl = no\n", "ssl = yes\nssl_cert = <"
                + certificate.toAbsolutePath() + "\nssl_key = <" + key.toAbsolutePath() + "\n"));
        return this;
    }

    public DovecotServer start() throws IOException, InterruptedException {
        if (isRoot()) {
            // Dovecot will not read mail as root; hand the mail to its own user.
            run("chown", "-R", "dovecot:dovecot", home().toString());
        }
        process = new ProcessBuilder(BINARY.toString(), "-F", "-c", dir.resolve("dovecot.conf").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("dovecot.out").toFile()).start();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (Instant.now().isBefore(deadline)) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return this;
            } catch (IOException notYet) {
                if (!process.isAlive()) {
                    throw new IOException("dovecot exited: " + Files.readString(dir.resolve("dovecot.out")) + log());
                }
                Thread.sleep(50);
            }
        }
        throw new IOException("dovecot did not listen on port " + port + " within 20 s: " + log());
    }

    public String log() throws IOException {
        Path log = dir.resolve("dovecot.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    /** A Replyclock IMAP source block for this server (plaintext on loopback). */
    public String sourceYaml(String extra) {
        return "{type: imap, host: 127.0.0.1, port: " + port + ", tls: none, username: " + USER
                + ", password: " + PASSWORD + (extra.isEmpty() ? "" : ", " + extra) + "}";
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null) {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor();
            }
        }
    }

    private void writeConfig() throws IOException {
        Files.createDirectories(dir.resolve("run"));
        Files.createDirectories(dir.resolve("state"));
        Files.writeString(dir.resolve("passwd"), USER + ":{PLAIN}" + PASSWORD + "\n");
        String owner = isRoot() ? "dovecot" : System.getProperty("user.name");
        String config = """
                protocols = imap
                listen = 127.0.0.1
                ssl = no
                disable_plaintext_auth = no
                auth_mechanisms = plain login
                base_dir = DIR/run
                state_dir = DIR/state
                log_path = DIR/dovecot.log
                first_valid_uid = 1
                mail_location = maildir:DIR/home:LAYOUT=fs:INBOX=DIR/home/inbox
                namespace inbox {
                  inbox = yes
                  separator = /
                  mailbox Sent {
                    special_use = \\Sent
                  }
                }
                passdb {
                  driver = passwd-file
                  args = scheme=PLAIN username_format=%u DIR/passwd
                }
                userdb {
                  driver = static
                  args = uid=OWNER gid=OWNER home=DIR/home
                }
                service imap-login {
                  inet_listener imap {
                    address = 127.0.0.1
                    port = PORT
                  }
                  inet_listener imaps {
                    port = 0
                  }
                }
                service pop3-login {
                  inet_listener pop3 {
                    port = 0
                  }
                }
                """.replace("DIR", dir.toAbsolutePath().toString()).replace("PORT", Integer.toString(port))
                .replace("OWNER", owner);
        if (!isRoot()) {
            String user = System.getProperty("user.name");
            config += "default_internal_user = " + user + "\ndefault_login_user = " + user + "\n";
        }
        Files.writeString(dir.resolve("dovecot.conf"), config);
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed");
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
