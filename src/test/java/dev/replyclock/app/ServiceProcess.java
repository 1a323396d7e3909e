package dev.replyclock.app;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * {@code replyclock run --config FILE} as a real process on the bundled example mailbox, its store and port under a
 * test's folder; {@link #close} sends SIGTERM and waits for exit code 0. Start a second one on the same folder to
 * restart the service.
 */
public final class ServiceProcess implements AutoCloseable {

    private final Process process;
    private final Path log;
    public final String base;

    private ServiceProcess(Process process, Path log, String base) {
        this.process = process;
        this.log = log;
        this.base = base;
    }

    /** A free port for {@link #configYaml}. */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** The example configuration with its mail, a store in {@code dir}, this port and {@code extra} YAML appended. */
    public static String configYaml(Path dir, int port, String extra) throws IOException {
        Path examples = Path.of("examples").toAbsolutePath();
        return Files.readString(examples.resolve("config.yaml"))
                .replace("paths: [mail/inbox, mail/sent]", "paths: [" + examples.resolve("mail/inbox") + ", " + examples.resolve("mail/sent") + "]")
                + "store: {path: " + dir.resolve("replyclock.db") + "}\nhttp: {port: " + port + "}\npoll_interval: 1s\n" + extra;
    }

    /** Starts the service on this configuration and waits until {@code /readyz} answers 200 (60 s at most). */
    public static ServiceProcess start(Path dir, int port, String configYaml) throws Exception {
        Path configFile = Files.writeString(dir.resolve("config.yaml"), configYaml);
        Path log = Files.createTempFile(dir, "run", ".log");
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.replyclock.app.Main", "run", "--config", configFile.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        ServiceProcess service = new ServiceProcess(process, log, "http://127.0.0.1:" + port);
        try {
            service.awaitReady();
        } catch (Exception | Error e) {
            process.destroyForcibly();
            throw e;
        }
        return service;
    }

    private void awaitReady() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String last = "none";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("service exited: " + log());
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/readyz")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
                last = r.statusCode() + " " + r.body();
            } catch (IOException notListeningYet) {
                last = notListeningYet.toString();
            }
            Thread.sleep(100);
        }
        throw new AssertionError(base + "/readyz never answered 200; last " + last + "\n" + log());
    }

    /** The process id (e.g. to find which instance runs a job). */
    public long pid() {
        return process.pid();
    }

    /** SIGKILL: no shutdown hook, nothing finished or released by the process itself. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return e.toString();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy(); // SIGTERM
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the service did not stop within 30 s: " + log());
        }
        if (process.exitValue() != 0) {
            throw new AssertionError("the service exited " + process.exitValue() + ": " + log());
        }
    }
}
