package dev.replyclock.poll;

import dev.replyclock.bench.GenerateMaildir;
import dev.replyclock.config.Config;
import dev.replyclock.config.ConfigLoader;
import dev.replyclock.figures.Figures;
import dev.replyclock.metrics.ReplyclockMetrics;
import dev.replyclock.domain.FolderCheckpoint;
import dev.replyclock.domain.MailMessage;
import dev.replyclock.domain.Place;
import dev.replyclock.ingest.IncrementalSource;
import dev.replyclock.report.LiveAnalysis;
import dev.replyclock.store.Store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * What one new message costs the service when the store already holds many, and what starting on such a store costs.
 * Not a test: two processes, so that the second one's memory is that of a service starting on the store:
 * <pre>
 * java -Xmx4g -cp target/classes:target/test-classes:$(cat target/cp.txt) dev.replyclock.poll.IncrementalIngestBenchmark build 1000000 DIR
 * java -cp ... dev.replyclock.poll.IncrementalIngestBenchmark measure 1000000 200 DIR
 * </pre>
 * {@code build} stores N generated messages spread over about four years (conversations every 0-630 s) and analyses
 * them once, writing every result (a store left by an earlier run is reused). {@code measure} starts as the service does
 * (store opening and migration, the read model loaded from the results tables, the live analysis restored from the
 * conversations active inside the horizon, the first metrics refresh), then times polls that each find one new message
 * (checkpoint lookup, commit, analysis of what it touches, results replaced), alone, with the SLA tick that follows every
 * poll, and with the metrics refresh that follows every tick; half the new messages are replies to random stored leads,
 * most of them older than the horizon (their conversation is brought back from the store). Prints one line per figure.
 */
public final class IncrementalIngestBenchmark {

    private static final String[] REPS = GenerateMaildir.REPS;
    private static final Place INBOX = new Place("sales", "INBOX", true);
    private static final Place SENT = new Place("sales", "Sent", false);
    private static final Instant START = Instant.parse("2021-01-01T00:00:00Z");
    /** Conversations start every 0-630 s: 400,000 of them (1M messages) take about four years. */
    private static final int GAP_SECONDS = 630;

    public static void main(String[] args) throws Exception {
        if (args.length < 1 || !(args[0].equals("build") || args[0].equals("measure"))) {
            System.err.println("usage: IncrementalIngestBenchmark build N DIR | measure N SAMPLES DIR");
            System.exit(2);
        }
        int stored = Integer.parseInt(args[1]);
        Path dir = Path.of(args[args.length - 1]);
        Files.createDirectories(dir);
        GenerateMaildir.writeConfig(dir); // the same mailbox, team and SLA as the generated maildirs
        Config config = ConfigLoader.load(dir.resolve("config.yaml"));
        Path file = dir.resolve("store-" + stored + ".db");
        Path meta = dir.resolve("store-" + stored + ".conversations");
        if (args[0].equals("build")) {
            build(config, file, meta, stored);
        } else {
            measure(config, file, meta, stored, Integer.parseInt(args[2]));
        }
    }

    private static void build(Config config, Path file, Path meta, int stored) throws Exception {
        try (Store store = Store.open(file)) {
            if (store.messageCount() >= stored && Files.exists(meta)) {
                System.out.printf(Locale.ROOT, "# store %s already holds %d messages%n", file, store.messageCount());
                return;
            }
            Random random = new Random(7);
            List<MailMessage> history = history(stored, random);
            long t = System.nanoTime();
            int batch = 5_000;
            for (int from = 0; from < history.size(); from += batch) {
                int to = Math.min(history.size(), from + batch);
                store.commitBatch(new FolderCheckpoint("sales", "INBOX", 1, to), history.subList(from, to), List.of());
            }
            System.out.printf(Locale.ROOT, "# stored %d messages in %.1f s%n", history.size(), (System.nanoTime() - t) / 1e9);
            Instant last = history.get(history.size() - 1).eventTime();
            long conversations = history.stream().filter(m -> m.id().startsWith("lead-")).count();
            history = null;
            t = System.nanoTime();
            new PollCycle(store, new LiveAnalysis(config), Clock.fixed(last, ZoneOffset.UTC)).restore(); // every result, once
            System.out.printf(Locale.ROOT, "# analysed and stored every result in %.1f s%n", (System.nanoTime() - t) / 1e9);
            Files.writeString(meta, conversations + " " + last + " " + store.leads().size() + "\n");
        }
    }

    private static void measure(Config config, Path file, Path meta, int stored, int samples) throws Exception {
        String[] m = Files.readString(meta).trim().split(" ");
        long conversations = Long.parseLong(m[0]);
        String leadsStored = m.length > 2 ? m[2] : "?"; // counted by build: counting here would load them all
        Instant now = Instant.parse(m[1]).plusSeconds(3_600);
        Clock clock = Clock.fixed(now, ZoneOffset.UTC);
        long t0 = System.nanoTime();
        try (Store store = Store.open(file)) {
            long opened = System.nanoTime();
            LiveAnalysis live = new LiveAnalysis(config);
            ReadModel readModel = new ReadModel(config, store, clock);
            live.onChange(readModel::apply);
            readModel.load();
            long loaded = System.nanoTime();
            PollCycle cycle = new PollCycle(store, live, clock);
            cycle.restoreOnDemand();
            long restored = System.nanoTime();
            Figures figures = new Figures(readModel, live::conversationOf, mailbox -> java.util.Optional.empty());
            ReplyclockMetrics metrics = new ReplyclockMetrics(config, "bench");
            metrics.refresh(figures, now);
            long ready = System.nanoTime();
            long rss = rssMb("VmRSS");
            long peak = rssMb("VmHWM");
            System.gc();
            long heap = usedHeapMb();
            long messages = store.messageCount();
            System.out.printf(Locale.ROOT, "startup stored=%d messages_in_memory=%d memory_pct=%.1f leads_in_memory=%d "
                            + "leads_stored=%s total_s=%.2f open_s=%.2f read_model_s=%.2f restore_s=%.2f first_metrics_s=%.2f "
                            + "rss_mb=%d peak_rss_mb=%d heap_after_gc_mb=%d%n", messages, live.messageCount(),
                    100.0 * live.messageCount() / messages, readModel.leadsThatMayChange().size(), leadsStored,
                    (ready - t0) / 1e9, (opened - t0) / 1e9, (loaded - opened) / 1e9, (restored - loaded) / 1e9,
                    (ready - restored) / 1e9, rss, peak, heap);

            NewMail mail = new NewMail(conversations, now, new Random(11));
            long before = store.messageCount();
            measure(cycle, store, mail, samples / 4, null, null, now); // warm-up
            print("incremental.one_message", stored, measure(cycle, store, mail, samples, null, null, now));
            SlaTicker ticker = new SlaTicker(store, readModel, clock);
            long firstTick = System.nanoTime();
            ticker.tick(); // records every lead's current state once; later ticks write only changes
            System.out.printf(Locale.ROOT, "sla.first_tick stored=%d leads_in_memory=%d s=%.2f%n", stored, readModel.leadsThatMayChange().size(),
                    (System.nanoTime() - firstTick) / 1e9);
            print("incremental.one_message_and_sla_tick", stored, measure(cycle, store, mail, samples, ticker, null, now));
            print("incremental.one_message_sla_tick_and_metrics", stored,
                    measure(cycle, store, mail, samples, ticker, () -> metrics.refresh(figures, now), now));
            long[] refresh = new long[50];
            for (int i = 0; i < refresh.length; i++) {
                long t = System.nanoTime();
                metrics.refresh(figures, now);
                refresh[i] = System.nanoTime() - t;
            }
            print("metrics.refresh leads_stored=" + leadsStored, stored, refresh);
            long[] reads = new long[50];
            for (int i = 0; i < reads.length; i++) {
                long t = System.nanoTime();
                readModel.refresh();
                reads[i] = System.nanoTime() - t;
            }
            print("read_model.refresh_nothing_new", stored, reads);
            long added = store.messageCount() - before;
            rss = rssMb("VmRSS");
            peak = rssMb("VmHWM");
            System.gc();
            heap = usedHeapMb();
            System.out.printf(Locale.ROOT, "after stored=%d new=%d messages_in_memory=%d leads_in_memory=%d rss_mb=%d "
                            + "peak_rss_mb=%d heap_after_gc_mb=%d%n", before + added, added, live.messageCount(),
                    readModel.leadsThatMayChange().size(), rss, peak, heap);
            if (added != mail.count()) {
                throw new IllegalStateException(mail.count() + " new messages polled but " + added + " stored");
            }
            // A service polls every minute or so and is idle between: what its memory settles to then
            // (-Dbench.idleSeconds=N; the JVM flags under test, e.g. G1PeriodicGCInterval, decide it).
            long idleSeconds = Long.getLong("bench.idleSeconds", 0);
            if (idleSeconds > 0) {
                Thread.sleep(idleSeconds * 1000);
                System.out.printf(Locale.ROOT, "idle seconds=%d rss_mb=%d heap_committed_mb=%d%n", idleSeconds,
                        rssMb("VmRSS"), Runtime.getRuntime().totalMemory() >> 20);
            }
        }
    }

    private static long rssMb(String field) throws java.io.IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
            }
        }
        return -1;
    }

    private static long usedHeapMb() {
        Runtime r = Runtime.getRuntime();
        return (r.totalMemory() - r.freeMemory()) >> 20;
    }

    /** Times {@code n} polls that each find one new message: alternately a new lead and a message of a stored conversation. */
    private static long[] measure(PollCycle cycle, Store store, NewMail mail, int n, SlaTicker tickerOrNull,
                                  Runnable afterTick, Instant now) {
        long[] nanos = new long[n];
        for (int i = 0; i < n; i++) {
            MailMessage next = mail.next(i % 2 == 0);
            long t = System.nanoTime();
            PollCycle.Outcome outcome = cycle.poll("sales", oneMessage(store, next));
            if (tickerOrNull != null) {
                tickerOrNull.tick();
            }
            if (afterTick != null) {
                afterTick.run();
            }
            nanos[i] = System.nanoTime() - t;
            if (outcome.failed() || outcome.newMessages() != 1) {
                throw new IllegalStateException("poll " + i + ": " + outcome);
            }
        }
        return nanos;
    }

    private static void print(String figure, int stored, long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        System.out.printf(Locale.ROOT, "%s stored=%d samples=%d p50_ms=%.2f p99_ms=%.2f max_ms=%.2f%n", figure, stored,
                sorted.length, sorted[sorted.length / 2] / 1e6, sorted[(int) Math.ceil(sorted.length * 0.99) - 1] / 1e6,
                sorted[sorted.length - 1] / 1e6);
    }

    /** A source holding one new message in INBOX or Sent, past that folder's checkpoint. */
    private static IncrementalSource oneMessage(Store store, MailMessage message) {
        return new IncrementalSource() {
            @Override
            public PollSummary poll(CheckpointLookup checkpoints, BatchConsumer consumer) throws java.io.IOException {
                String folder = message.places().get(0).folder();
                long uid = checkpoints.get(folder).map(FolderCheckpoint::lastUid).orElse(0L) + 1;
                consumer.accept(new Batch(new FolderCheckpoint("sales", folder, 1, uid), List.of(message), List.of(), false, 1, 1));
                return new PollSummary(List.of(new FolderSummary(folder, 1, 0, 0)));
            }

            @Override
            public void close() {
            }
        };
    }

    /** Conversations as {@code GenerateMaildir} writes them: a lead, then 0-3 messages alternating rep and customer. */
    private static List<MailMessage> history(int total, Random random) {
        List<MailMessage> list = new ArrayList<>(total);
        Instant time = START;
        for (long conversation = 1; list.size() < total; conversation++) {
            time = time.plusSeconds(random.nextInt(GAP_SECONDS));
            String party = "buyer" + random.nextInt(50_000) + "@customer" + random.nextInt(5_000) + ".example";
            String subject = "Question about offer " + conversation;
            String previous = "lead-" + conversation + "@customer.example";
            list.add(message(previous, null, subject, party, "sales@acme.example", time, INBOX));
            Instant t = time;
            for (int i = 0, replies = random.nextInt(4); i < replies && list.size() < total; i++) {
                t = t.plusSeconds(600 + random.nextInt(20_000));
                boolean ours = i % 2 == 0;
                String rep = REPS[random.nextInt(REPS.length)] + "@acme.example";
                String id = (ours ? "reply-" : "follow-") + conversation + "-" + i + (ours ? "@acme.example" : "@customer.example");
                list.add(message(id, previous, "Re: " + subject, ours ? rep : party, ours ? party : "sales@acme.example", t,
                        ours ? SENT : INBOX));
                previous = id;
            }
        }
        return list;
    }

    private static MailMessage message(String id, String inReplyTo, String subject, String from, String to, Instant at, Place place) {
        List<String> refs = inReplyTo == null ? List.of() : List.of(inReplyTo);
        return new MailMessage(id, refs, subject, List.of(from), null, List.of(), List.of(to), List.of(), at, null, null, 0,
                null, List.of(place));
    }

    /** New mail after the history: new leads, and rep answers to random stored leads (of any age). */
    private static final class NewMail {
        private final long conversations;
        private final Random random;
        /** Makes ids unique across runs that reuse a store. */
        private final String run = Long.toString(System.currentTimeMillis(), 36);
        private Instant time;
        private int n;

        NewMail(long conversations, Instant now, Random random) {
            this.conversations = conversations;
            this.random = random;
            this.time = now.minusSeconds(1_800);
        }

        int count() {
            return n;
        }

        MailMessage next(boolean newLead) {
            n++;
            time = time.plusMillis(100);
            if (newLead) {
                String party = "new" + n + "@prospect" + n + ".example";
                return message("new-lead-" + run + "-" + n + "@prospect.example", null, "New question " + n, party, "sales@acme.example", time, INBOX);
            }
            long conversation = 1 + (long) (random.nextDouble() * conversations);
            return message("late-reply-" + run + "-" + n + "@acme.example", "lead-" + conversation + "@customer.example",
                    "Re: Question about offer " + conversation, REPS[n % REPS.length] + "@acme.example",
                    "buyer@customer.example", time, SENT);
        }
    }

    private IncrementalIngestBenchmark() {
    }
}
