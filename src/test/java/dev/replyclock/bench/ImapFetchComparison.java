package dev.replyclock.bench;

import dev.replyclock.config.ConfigLoader;
import dev.replyclock.config.SourceConfig;
import dev.replyclock.ingest.HeaderParser;
import dev.replyclock.ingest.imap.ImapSource;
import dev.replyclock.it.DovecotServer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Header fetch of a generated mailbox (the corpus of {@link GenerateMaildir}, INBOX and Sent) from one local Dovecot,
 * by Replyclock's IMAP source (fetch and header parsing, no store) and by another client, the same number of rounds
 * each, alternating so both see a warm Dovecot. The other client is a command run with IMAP_HOST, IMAP_PORT,
 * IMAP_USER, IMAP_PASSWORD, IMAP_FIELDS (the fields Replyclock fetches) and IMAP_BATCH in its environment; it prints
 * its own figure line. Dovecot and its mail are removed at the end.
 *
 * <pre>java -cp target/classes:target/test-classes:$(cat target/cp.txt) dev.replyclock.bench.ImapFetchComparison
 *     MESSAGES ROUNDS python3 bench/imap_headers.py</pre>
 */
public final class ImapFetchComparison {

    /** The seconds in a client's {@code imap_fetch} line. */
    private static final java.util.regex.Pattern REPORTED_SECONDS =
            java.util.regex.Pattern.compile("^imap_fetch .*\\bseconds=([0-9.]+)");

    public static void main(String[] args) throws Exception {
        int messages = Integer.parseInt(args[0]);
        int rounds = Integer.parseInt(args[1]);
        List<String> other = List.of(args).subList(2, args.length);
        Path dir = DovecotServer.workDirectory("compare-" + messages);
        try (DovecotServer dovecot = DovecotServer.in(dir.resolve("dovecot"))) {
            GenerateMaildir.main(new String[] {dovecot.home().toString(), Integer.toString(messages)});
            deleteTree(dovecot.folder("Sent")); // GenerateMaildir writes sent/; Dovecot's Sent folder is Sent/
            Files.move(dovecot.home().resolve("sent"), dovecot.folder("Sent"));
            Files.delete(dovecot.home().resolve("config.yaml"));
            dovecot.start();
            SourceConfig.Imap imap = (SourceConfig.Imap) ConfigLoader.load(Files.writeString(dir.resolve("config.yaml"), """
                    internal_domains: [acme.example]
                    calendars: {utc: {zone: UTC, hours: 24x7}}
                    sla_policies: {sales: {first_response: 4h}}
                    teams: {sales: {members: []}}
                    mailboxes:
                      - {id: sales, address: sales@acme.example, team: sales, sla: sales, calendar: utc, source: SOURCE}
                    """.replace("SOURCE", dovecot.sourceYaml("")))).mailboxes().get(0).source();
            for (int round = 1; round <= rounds; round++) {
                replyclockFetch(imap, round);
                if (!other.isEmpty()) {
                    otherClient(other, dovecot, imap.batchSize());
                }
            }
        } finally {
            deleteTree(dir);
        }
    }

    private static void replyclockFetch(SourceConfig.Imap imap, int round) throws Exception {
        AtomicLong fetched = new AtomicLong();
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long cpu = os.getProcessCpuTime();
        long started = System.nanoTime();
        try (ImapSource source = new ImapSource("sales", imap, new HeaderParser(null), null, null)) {
            source.poll(folder -> Optional.empty(), batch -> fetched.addAndGet(batch.messages().size() + batch.rejected().size()));
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf(Locale.ROOT, "imap_fetch tool=replyclock round=%d messages=%d seconds=%.2f messages_per_s=%.0f "
                + "process_cpu_s=%.2f%n", round, fetched.get(), seconds, fetched.get() / seconds,
                (os.getProcessCpuTime() - cpu) / 1e9);
    }

    /** Runs another client against the Dovecot with the product's header fields; it prints its own imap_fetch line. */
    public static void otherClient(List<String> command, DovecotServer dovecot, int batch) throws Exception {
        otherClient(command, dovecot, batch, ImapSource.fetchedFields(null));
    }

    /**
     * The other client asking for {@code fields}: those Replyclock's source asks for ({@link ImapSource#fetchedFields}).
     * Its output passes through; returns the seconds its {@code imap_fetch} line reports (its own clock, from connecting
     * to logging out: the interpreter's start is not in it), NaN when it printed none.
     */
    public static double otherClient(List<String> command, DovecotServer dovecot, int batch, List<String> fields)
            throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().put("IMAP_HOST", "127.0.0.1");
        pb.environment().put("IMAP_PORT", Integer.toString(dovecot.port()));
        pb.environment().put("IMAP_USER", DovecotServer.USER);
        pb.environment().put("IMAP_PASSWORD", DovecotServer.PASSWORD);
        pb.environment().put("IMAP_FIELDS", String.join(" ", fields));
        pb.environment().put("IMAP_BATCH", Integer.toString(batch));
        Process process = pb.start();
        double seconds = Double.NaN;
        try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream(),
                java.nio.charset.StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                System.out.println(line);
                java.util.regex.Matcher m = REPORTED_SECONDS.matcher(line);
                if (m.find()) {
                    seconds = Double.parseDouble(m.group(1));
                }
            }
        }
        int exit = process.waitFor();
        if (exit != 0) {
            throw new IllegalStateException(command + " exited with " + exit);
        }
        return seconds;
    }

    private static void deleteTree(Path path) throws java.io.IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
