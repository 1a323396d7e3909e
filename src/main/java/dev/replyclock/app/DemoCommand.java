package dev.replyclock.app;

import at.favre.lib.crypto.bcrypt.BCrypt;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.replyclock.config.Config;
import dev.replyclock.config.ConfigLoader;
import dev.replyclock.demo.DemoClock;
import dev.replyclock.demo.DemoWorld;
import dev.replyclock.demo.MailSimulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code replyclock demo}: the whole service on simulated mail, no account needed. An embedded GreenMail IMAP/SMTP
 * server holds Acme's {@code sales@} and {@code marketing@} mailboxes with 30 days of history; new leads keep coming
 * and reps answer some of them, on a clock that runs {@code --speed} times faster than real time, so leads go at
 * risk and breach while you watch (alerts go to the log).
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the service on simulated live mail (embedded IMAP server, 30 days of "
        + "history, new leads every few seconds); prints the URLs and a login.",
        footerHeading = "%nExample:%n", footer = "  replyclock demo --for 5m --seed 7 --port 0")
final class DemoCommand implements Callable<Integer> {

    /** Not a static field: picocli instantiates every command at start-up, and logging is set up on first use (--debug). */
    private static Logger log() {
        return LoggerFactory.getLogger(DemoCommand.class);
    }

    @Option(names = "--seed", defaultValue = "1", description = "the same seed gives the same mail (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--for", paramLabel = "DURATION", description = "stop after this long, e.g. 20s or 5m (default: until Ctrl-C)")
    String runFor;

    @Option(names = "--port", defaultValue = "9465", description = "HTTP port; 0 picks a free one (default ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "address the HTTP server listens on "
            + "(default ${DEFAULT-VALUE}; 0.0.0.0 in a container)")
    String host;

    @Option(names = "--speed", defaultValue = "60", description = "how much faster than real time the demo clock runs "
            + "(default ${DEFAULT-VALUE}: a minute per second; 1 = real time)")
    double speed;

    @Option(names = "--lead-every", paramLabel = "DURATION", defaultValue = "3s",
            description = "mean real time between two new leads (default ${DEFAULT-VALUE})")
    String leadEvery;

    @Option(names = "--dir", paramLabel = "DIR", description = "where the config and the SQLite file go (default: a new temporary folder, deleted at exit)")
    Path dir;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        long t0 = System.nanoTime();
        PrintWriter out = spec.commandLine().getOut();
        Duration limit = runFor == null ? null : parse(runFor, "--for");
        Duration gap = parse(leadEvery, "--lead-every");
        if (!(speed > 0) || speed > 100_000) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--speed: expected a number from 0 (excluded) to 100000");
        }
        int httpPort = port == 0 ? freePort() : port;
        Ports.requireFree(host, httpPort, "--port");
        boolean temporary = dir == null;
        Path work = temporary ? Files.createTempDirectory("replyclock-demo") : Files.createDirectories(dir);

        GreenMail greenMail = new GreenMail(new ServerSetup[]{
                new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_IMAP),
                new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP)});
        greenMail.start();
        ScheduledExecutorService live = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "demo-mail");
            t.setDaemon(true);
            return t;
        });
        try {
            DemoClock clock = new DemoClock(Instant.now().truncatedTo(ChronoUnit.SECONDS), speed);
            Instant origin = clock.instant();
            MailSimulator mail = new MailSimulator(greenMail, DemoWorld.boxes(), DemoWorld.ZONE,
                    Duration.ofNanos((long) (gap.toNanos() * speed)), seed, DemoWorld.IMAP_PASSWORD);
            mail.backfill(origin, Duration.ofDays(30));
            MailSimulator.Counts history = mail.counts();

            String hash = BCrypt.withDefaults().hashToString(8, DemoWorld.PASSWORD.toCharArray());
            String yaml = DemoWorld.configYaml(greenMail.getImap().getPort(), httpPort, work.resolve("replyclock.db"),
                    DemoWorld.holiday(origin), hash, sha256(DemoWorld.TOKEN));
            Path configFile = Files.writeString(work.resolve("demo-config.yaml"), yaml);
            Config config = ConfigLoader.load(configFile);

            CountDownLatch stop = new CountDownLatch(1);
            Signal.handle(new Signal("TERM"), s -> stop.countDown());
            Signal.handle(new Signal("INT"), s -> stop.countDown());
            try (RunCommand.Running running = RunCommand.start(config, clock, host)) {
                String base = "http://localhost:" + running.http().port();
                long firstPage = firstPage(base + "/login", t0);
                long sinceLaunch = ProcessHandle.current().info().startInstant()
                        .map(launch -> Duration.between(launch, Instant.now()).toMillis()).orElse(firstPage);
                live.scheduleWithFixedDelay(() -> {
                    try {
                        mail.advance(clock.instant());
                    } catch (RuntimeException e) {
                        log().warn("demo mail: {}", e.getMessage());
                    }
                }, 200, 200, TimeUnit.MILLISECONDS);
                out.printf("%n  Replyclock demo (seed %d) — %d leads of 30 days in sales@ and marketing@acme.example, "
                                + "new ones every ~%s; the clock runs %sx (SLA sales: 1h, at risk 20m before)%n",
                        seed, history.leads(), leadEvery, fmt(speed));
                out.printf("  First page served %d ms after start (%d ms after the JVM was launched).%n", firstPage, sinceLaunch);
                out.printf("  Audit:    %s/            (log in as %s / %s)%n", base, DemoWorld.USER, DemoWorld.PASSWORD);
                out.printf("  Wall:     %s/wall%n", base);
                out.printf("  API:      curl -H 'Authorization: Bearer %s' %s/api/leads%n", DemoWorld.TOKEN, base);
                out.printf("  Metrics:  %s/metrics%n", base);
                out.printf("  IMAP:     127.0.0.1:%d (users sales@ / marketing@acme.example, password %s)%n",
                        greenMail.getImap().getPort(), DemoWorld.IMAP_PASSWORD);
                out.printf("  Config:   %s%n  Alerts go to the log (replyclock.alerts). %s%n%n", configFile,
                        limit == null ? "Ctrl-C stops." : "Stops after " + runFor + ".");
                out.flush();
                log().info("demo: first page served {} ms after start, {} ms after launch", firstPage, sinceLaunch);
                if (limit == null) {
                    stop.await();
                } else {
                    stop.await(limit.toMillis(), TimeUnit.MILLISECONDS);
                }
                live.shutdownNow();
                MailSimulator.Counts all = mail.counts();
                out.printf("  Demo over: %d leads arrived live (%d answers, %d follow-ups, %d automated messages in all); "
                                + "demo time %s → %s%n", all.leads() - history.leads(), all.answers(), all.followUps(),
                        all.automated(), origin, clock.instant().truncatedTo(ChronoUnit.SECONDS));
                out.flush();
            }
        } finally {
            live.shutdownNow();
            greenMail.stop();
            if (temporary) {
                delete(work);
            }
        }
        return 0;
    }

    /** Milliseconds from {@code t0} until {@code url} answered 200 (the HTTP server is already listening). */
    private static long firstPage(String url, long t0) throws InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        for (int i = 0; i < 100; i++) {
            try {
                HttpResponse<Void> r = client.send(HttpRequest.newBuilder(URI.create(url)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    break;
                }
            } catch (IOException notYet) {
                // retry
            }
            Thread.sleep(50);
        }
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    }

    private Duration parse(String text, String option) {
        try {
            return dev.replyclock.config.Durations.parse(text);
        } catch (RuntimeException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    option + ": expected a duration like 20s, 5m or 1h, got '" + text + "'");
        }
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static void delete(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            log().debug("cannot delete {}: {}", root, e.toString());
        }
    }
}
