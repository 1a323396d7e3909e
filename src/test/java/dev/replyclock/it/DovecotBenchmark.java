package dev.replyclock.it;

import dev.replyclock.bench.GenerateMaildir;
import dev.replyclock.config.Config;
import dev.replyclock.config.ConfigLoader;
import dev.replyclock.config.SourceConfig;
import dev.replyclock.ingest.HeaderParser;
import dev.replyclock.ingest.imap.ImapSource;
import dev.replyclock.poll.PollCycle;
import dev.replyclock.report.LiveAnalysis;
import dev.replyclock.store.Store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Figures for the live service against a real Dovecot, one line each: the first header sync (messages/s end to
 * end, store and analysis included; once in this JVM's first run of that code, once more as a mailbox added to a
 * running service, each beside Python's rounds of the same fetch), the cost of a poll with nothing new, and of a poll
 * that finds one new message, for a generated mailbox of N messages.
 *
 * <pre>java -cp target/classes:target/test-classes:$(cat target/cp.txt) dev.replyclock.it.DovecotBenchmark 100000</pre>
 */
public final class DovecotBenchmark {

    private static final int IDLE_POLLS = 200;
    private static final java.util.List<String> PYTHON = java.util.List.of("python3", "bench/imap_headers.py");
    private static final int NEW_MESSAGE_POLLS = 20;

    public static void main(String[] args) throws Exception {
        int messages = Integer.parseInt(args[0]);
        Path dir = DovecotServer.workDirectory("bench-" + messages);
        try (DovecotServer dovecot = DovecotServer.in(dir.resolve("dovecot"))) {
            GenerateMaildir.main(new String[] {dovecot.home().toString(), Integer.toString(messages)});
            // GenerateMaildir writes inbox/ and sent/; Dovecot's special-use Sent folder is Sent/.
            deleteTree(dovecot.folder("Sent"));
            Files.move(dovecot.home().resolve("sent"), dovecot.folder("Sent"));
            Files.move(dovecot.home().resolve("config.yaml"), dir.resolve("generated.yaml"));
            dovecot.start();

            Path config = Files.writeString(dir.resolve("config.yaml"), Files.readString(dir.resolve("generated.yaml"))
                    .replace("source: {type: files, paths: [inbox, sent]}", "source: " + dovecot.sourceYaml(""))
                    + "store: {path: " + dir.resolve("replyclock.db") + "}\n");
            Config c = ConfigLoader.load(config);
            String mailbox = c.mailboxes().get(0).id();
            try (Store store = Store.open(c.store().path());
                 ImapSource source = new ImapSource(mailbox, (SourceConfig.Imap) c.mailboxes().get(0).source(),
                         new HeaderParser(c.attributionHeader()), c.attributionHeader(), null)) {
                LiveAnalysis live = new LiveAnalysis(c);
                PollCycle cycle = new PollCycle(store, live, Clock.systemUTC());
                cycle.restoreOnDemand(); // as the service starts: the store is the archive of what leaves the horizon
                // The same header fields by Python's imaplib from the same Dovecot, before and after. The first read of a
                // folder also builds Dovecot's index and cache (at 100,000 that round took 7.5-15 s, the next 4.8-7.7 s):
                // a round to build them comes first, so that both measured rounds and the sync find them built, as a
                // mail server in use has them.
                // the script asks for the fields the source asks for, the attribution header included: a field no
                // client asked for before is not in Dovecot's cache (the first read of X-Replyclock-Rep alone cost the
                // server 2.3-2.6 CPU-s at 100,000 messages)
                List<String> fields = ImapSource.fetchedFields(c.attributionHeader());
                otherClient("warm-up", messages, dovecot, fields);
                double before = otherClient("before", messages, dovecot, fields);
                double cold = initialSync("imap.initial_sync", messages, c, store, source, cycle);
                double after = otherClient("after", messages, dovecot, fields);
                double warm;
                // a mailbox added to a running service: the same first sync in this JVM, whose code has run once now (a
                // store, an analysis and connections of their own), against the script's rounds around it
                try (Store warmStore = Store.open(dir.resolve("replyclock-warm.db"));
                     ImapSource warmSource = new ImapSource(mailbox, (SourceConfig.Imap) c.mailboxes().get(0).source(),
                             new HeaderParser(c.attributionHeader()), c.attributionHeader(), null)) {
                    PollCycle warmCycle = new PollCycle(warmStore, new LiveAnalysis(c), Clock.systemUTC());
                    warmCycle.restoreOnDemand();
                    warm = initialSync("imap.initial_sync_warm", messages, c, warmStore, warmSource, warmCycle);
                }
                double afterWarm = otherClient("after-warm", messages, dovecot, fields);
                System.out.printf(Locale.ROOT, "imap.initial_sync_vs_script size=%d before=%.2f after=%.2f "
                        + "warm_before=%.2f warm_after=%.2f (the script's round over the sync's time, the rounds around "
                        + "each sync; the target is at least 1)%n", messages, before / cold, after / cold, after / warm,
                        afterWarm / warm);
                long[] idle = new long[IDLE_POLLS];
                for (int i = 0; i < idle.length; i++) {
                    long t = System.nanoTime();
                    PollCycle.Outcome again = cycle.poll(mailbox, source);
                    idle[i] = System.nanoTime() - t;
                    if (again.failed() || again.newMessages() != 0) {
                        throw new IllegalStateException("a poll with nothing new: " + again);
                    }
                }
                print("imap.empty_poll_ms", messages, idle,
                        "(PollCycle: a NOOP each to INBOX and Sent, kept selected, and the store's sync record)");
                long[] sourceOnly = new long[IDLE_POLLS];
                for (int i = 0; i < sourceOnly.length; i++) {
                    long t = System.nanoTime();
                    long read = source.poll(folder -> store.checkpoint(mailbox, folder), batch -> { }).newMessages();
                    sourceOnly[i] = System.nanoTime() - t;
                    if (read != 0) {
                        throw new IllegalStateException("a poll with nothing new read " + read);
                    }
                }
                print("imap.empty_poll_source_ms", messages, sourceOnly, "(ImapSource alone: the 2 NOOP round trips)");
                long[] one = new long[NEW_MESSAGE_POLLS];
                for (int i = 0; i < one.length; i++) {
                    // as a mail delivery agent does: into new/, which Dovecot scans alone when only it changed
                    Files.write(dovecot.folder("INBOX").resolve("new").resolve("bench-new-" + i), newLead(i));
                    long t = System.nanoTime();
                    PollCycle.Outcome again = cycle.poll(mailbox, source);
                    one[i] = System.nanoTime() - t;
                    if (again.failed() || again.newMessages() != 1) {
                        throw new IllegalStateException("a poll after one new message: " + again);
                    }
                }
                print("imap.new_message_poll_ms", messages, one, "(one new lead in INBOX: fetched, stored, analysed)");
                System.out.printf(Locale.ROOT, "imap.store_mb size=%d value=%.1f%n", messages,
                        Files.size(c.store().path()) / 1048576.0);
            }
        }
    }

    /**
     * One first sync of the folders into an empty store, timed end to end, with its CPU and where its time went; checks
     * that the live analysis, saved batch by batch, equals one batch analysis of what was stored.
     */
    private static double initialSync(String figure, int messages, Config c, Store store, ImapSource source,
                                      PollCycle cycle) throws Exception {
        String mailbox = c.mailboxes().get(0).id();
        long[] consuming = new long[3]; // nanoseconds in the consumer; when it last returned; when it was first called
        dev.replyclock.ingest.IncrementalSource timed = new dev.replyclock.ingest.IncrementalSource() {
            @Override
            public PollSummary poll(CheckpointLookup checkpoints, BatchConsumer consumer) throws java.io.IOException {
                return source.poll(checkpoints, batch -> {
                    long t = System.nanoTime();
                    if (consuming[2] == 0) {
                        consuming[2] = t;
                    }
                    consumer.accept(batch);
                    consuming[1] = System.nanoTime();
                    consuming[0] += consuming[1] - t;
                });
            }

            @Override
            public void close() {
            }
        };
        CpuUse cpuBefore = CpuUse.now();
        long started = System.nanoTime();
        PollCycle.Outcome first = cycle.poll(mailbox, timed);
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.println(CpuUse.now().since(cpuBefore).line(figure + "_cpu", messages));
        double afterLast = (started + (long) (seconds * 1e9) - consuming[1]) / 1e9;
        System.out.printf(Locale.ROOT, "%s_parts size=%d consumer_s=%.2f (batches stored) "
                + "after_last_batch_s=%.2f (the last analysis, results saved) waiting_s=%.2f (for the server, "
                + "and its reading and parsing not overlapped by the consumer; of it first_batch_s=%.2f before the "
                + "first batch: connecting, logging in, opening the folder, its first window)%n", figure, messages,
                consuming[0] / 1e9, afterLast, seconds - consuming[0] / 1e9 - afterLast,
                (consuming[2] - started) / 1e9);
        if (first.failed()) {
            throw new IllegalStateException(first.error());
        }
        System.out.printf(Locale.ROOT, "%s size=%d messages_per_s=%.0f seconds=%.2f leads=%d "
                + "(store and analysis included)%n", figure, first.newMessages(), first.newMessages() / seconds, seconds,
                store.leads().size());
        // the live analysis, saved batch by batch, equals one batch analysis of what was stored
        dev.replyclock.thread.MessageSet all = new dev.replyclock.thread.MessageSet();
        store.loadMessages().forEach(all::add);
        int batchLeads = dev.replyclock.report.Analysis.of(c, all).leads().size();
        if (batchLeads != store.leads().size()) {
            throw new IllegalStateException("stored leads " + store.leads().size() + ", batch analysis " + batchLeads);
        }
        return seconds;
    }

    /**
     * Python's round, with the CPU time the hypervisor took from this machine meanwhile (steal): on a shared host it
     * moves both sides' figures by tens of percent between runs minutes apart. And Dovecot's CPU for the round. Returns
     * the seconds the script reports (its own clock: without the interpreter's start).
     */
    private static double otherClient(String round, int size, DovecotServer dovecot, List<String> fields) throws Exception {
        double steal = stealSeconds();
        double server = dovecotCpu();
        long started = System.nanoTime();
        double reported = dev.replyclock.bench.ImapFetchComparison.otherClient(PYTHON, dovecot, 500, fields);
        double seconds = (System.nanoTime() - started) / 1e9;
        double stolen = stealSeconds() - steal;
        System.out.printf(Locale.ROOT, "imap_fetch_python size=%d round=%s steal_s=%.2f steal_share=%.2f dovecot_s=%.2f (CPU "
                + "time the hypervisor took from this machine's cores during the round; Dovecot's CPU for it)%n", size,
                round, stolen, stolen / (seconds * Runtime.getRuntime().availableProcessors()), dovecotCpu() - server);
        return reported;
    }

    /**
     * CPU seconds of Dovecot's processes: the live {@code imap} processes and what the {@code dovecot} master reaped
     * of its ended children (a client's process ends with its connection); 0 elsewhere.
     */
    private static double dovecotCpu() {
        double seconds = 0;
        for (Map.Entry<String, String[]> p : processStats(java.util.Set.of("imap", "dovecot")).entrySet()) {
            String[] f = p.getValue();
            seconds += f[0].equals("imap")
                    ? (Long.parseLong(f[12]) + Long.parseLong(f[13])) / 100.0   // utime, stime
                    : (Long.parseLong(f[14]) + Long.parseLong(f[15])) / 100.0;  // cutime, cstime
        }
        return seconds;
    }

    /**
     * {@code /proc/PID/stat} of the processes named one of {@code names}, by pid: the name first, then the fields after
     * it (so {@code proc(5)}'s field n is at index n - 2); empty elsewhere.
     */
    static Map<String, String[]> processStats(java.util.Set<String> names) {
        Map<String, String[]> byPid = new java.util.HashMap<>();
        try (var dirs = Files.list(Path.of("/proc"))) {
            for (Path d : dirs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    String stat = Files.readString(d.resolve("stat"));
                    int close = stat.lastIndexOf(')');
                    String name = stat.substring(stat.indexOf('(') + 1, close);
                    if (names.contains(name)) {
                        byPid.put(d.getFileName().toString(), (name + " " + stat.substring(close + 2)).split(" "));
                    }
                } catch (java.io.IOException | RuntimeException gone) {
                    // the process ended meanwhile
                }
            }
        } catch (java.io.IOException e) {
            return Map.of();
        }
        return byPid;
    }

    /** CPU seconds stolen from this machine by the hypervisor since boot, all cores ({@code /proc/stat}); 0 elsewhere. */
    private static double stealSeconds() {
        try {
            String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            return cpu.length > 8 ? Long.parseLong(cpu[8]) / 100.0 : 0;
        } catch (java.io.IOException | RuntimeException e) {
            return 0;
        }
    }

    /** CPU seconds of this process, its threads by name, the JIT compilers and the collector (JMX). */
    record CpuUse(double process, Map<String, Double> threads, double jit, double gc, Map<String, Double> imapByPid,
                  double steal) {
        static CpuUse now() {
            var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
            var mx = java.lang.management.ManagementFactory.getThreadMXBean();
            Map<String, Double> threads = new java.util.TreeMap<>();
            for (java.lang.management.ThreadInfo info : mx.getThreadInfo(mx.getAllThreadIds())) {
                if (info != null) {
                    long cpu = mx.getThreadCpuTime(info.getThreadId());
                    if (cpu > 0) {
                        threads.merge(info.getThreadName().replaceAll("-\\d+$", ""), cpu / 1e9, Double::sum);
                    }
                }
            }
            double gc = java.lang.management.ManagementFactory.getGarbageCollectorMXBeans().stream()
                    .mapToLong(java.lang.management.GarbageCollectorMXBean::getCollectionTime).sum() / 1e3;
            return new CpuUse(os.getProcessCpuTime() / 1e9, threads,
                    java.lang.management.ManagementFactory.getCompilationMXBean().getTotalCompilationTime() / 1e3, gc,
                    imapProcesses(), stealSeconds());
        }

        /** CPU seconds of each Dovecot {@code imap} process (one per connection) by pid, from /proc. */
        private static Map<String, Double> imapProcesses() {
            Map<String, Double> byPid = new java.util.HashMap<>();
            processStats(java.util.Set.of("imap")).forEach((pid, f) ->
                    byPid.put(pid, (Long.parseLong(f[12]) + Long.parseLong(f[13])) / 100.0));
            return byPid;
        }

        CpuUse since(CpuUse before) {
            Map<String, Double> t = new java.util.TreeMap<>();
            threads.forEach((name, s) -> t.put(name, s - before.threads.getOrDefault(name, 0.0)));
            Map<String, Double> imap = new java.util.HashMap<>();
            imapByPid.forEach((pid, s) -> imap.put(pid, s - before.imapByPid.getOrDefault(pid, 0.0)));
            return new CpuUse(process - before.process, t, jit - before.jit, gc - before.gc, imap, steal - before.steal);
        }

        String line(String figure, int size) {
            StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
                    "%s size=%d process_s=%.2f jit_s=%.2f gc_pause_s=%.2f dovecot_imap_s=%.2f steal_s=%.2f", figure, size,
                    process, jit, gc, imapByPid.values().stream().mapToDouble(Double::doubleValue).sum(), steal));
            threads.forEach((name, s) -> {
                if (s >= 0.05) {
                    b.append(String.format(Locale.ROOT, " thread[%s]=%.2f", name.replace(' ', '_'), s));
                }
            });
            return b.append(" (CPU seconds during the sync; jit_s is compiler time, not CPU)").toString();
        }
    }

    private static void print(String figure, int size, long[] nanos, String what) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        System.out.printf(Locale.ROOT, "%s size=%d median=%.1f p99=%.1f max=%.1f polls=%d %s%n", figure, size,
                sorted[sorted.length / 2] / 1e6, sorted[(int) Math.ceil(sorted.length * 0.99) - 1] / 1e6,
                sorted[sorted.length - 1] / 1e6, sorted.length, what);
    }

    private static byte[] newLead(int i) {
        return ("Message-ID: <bench-new-" + i + "@buyer.example>\r\nFrom: Buyer <buyer-new-" + i + "@buyer.example>\r\n"
                + "To: sales@acme.example\r\nSubject: New question " + i + "\r\nDate: " + DateTimeFormatter.RFC_1123_DATE_TIME
                .format(ZonedDateTime.now(ZoneOffset.UTC)) + "\r\n\r\nbody\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static void deleteTree(Path path) throws java.io.IOException {
        try (var walk = Files.walk(path)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
