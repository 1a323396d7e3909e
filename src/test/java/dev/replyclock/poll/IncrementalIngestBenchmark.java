package dev.replyclock.poll;

import dev.replyclock.bench.GenerateMaildir;
import dev.replyclock.config.Config;
import dev.replyclock.config.ConfigLoader;
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
 * What one new message costs the service when the store already holds many: a poll that finds one new message
 * (checkpoint lookup, commit with its checkpoint, analysis of the conversations it touches, their results replaced
 * in the store, sync status), and the same followed by the SLA tick that {@code Service.poll} runs after each poll.
 * Not a test: {@code java -Xmx4g -cp target/classes:target/test-classes:$(cat target/cp.txt)
 * dev.replyclock.poll.IncrementalIngestBenchmark [stored=1000000] [samples=200] [dir]}. A store holding at least that many
 * messages, left in {@code dir} by an earlier run, is reused (building 1M takes a few minutes). Prints one line per figure.
 */
public final class IncrementalIngestBenchmark {

    private static final String[] REPS = GenerateMaildir.REPS;
    private static final Place INBOX = new Place("sales", "INBOX", true);
    private static final Place SENT = new Place("sales", "Sent", false);
    private static final Instant START = Instant.parse("2024-01-01T00:00:00Z");

    public static void main(String[] args) throws Exception {
        int stored = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int samples = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        Path dir = args.length > 2 ? Path.of(args[2]) : Files.createTempDirectory("replyclock-incremental");
        GenerateMaildir.writeConfig(dir); // the same mailbox, team and SLA as the generated maildirs
        Config config = ConfigLoader.load(dir.resolve("config.yaml"));
        Random random = new Random(7);
        List<MailMessage> history = history(stored, random);
        Instant now = history.get(history.size() - 1).eventTime().plusSeconds(3_600);
        Clock clock = Clock.fixed(now, ZoneOffset.UTC);

        Path file = dir.resolve("store-" + stored + ".db");
        try (Store store = Store.open(file)) {
            long t0 = System.nanoTime();
            if (store.messageCount() < stored) { // a store left by an earlier run holds its history and the mail it added
                build(store, history);
            }
            LiveAnalysis live = new LiveAnalysis(config);
            PollCycle cycle = new PollCycle(store, live, clock);
            cycle.restore();
            System.out.printf(Locale.ROOT, "# store %s: %d messages, %d leads, ready in %.1f s%n", file, store.messageCount(),
                    live.leads().size(), (System.nanoTime() - t0) / 1e9);

            long before = store.messageCount();
            NewMail mail = new NewMail(history, now, random);
            measure(cycle, store, mail, samples / 4, null); // warm-up
            print("incremental.one_message", stored, measure(cycle, store, mail, samples, null));
            SlaTicker ticker = new SlaTicker(store, live, clock);
            long firstTick = System.nanoTime();
            ticker.tick(); // records every lead's current state once; later ticks write only changes
            System.out.printf(Locale.ROOT, "# first SLA tick (every lead) in %.1f s%n", (System.nanoTime() - firstTick) / 1e9);
            // The first tick evaluated every lead; the measured ones evaluate the changed leads and those due.
            print("incremental.one_message_and_sla_tick", stored, measure(cycle, store, mail, samples, ticker));
            long added = store.messageCount() - before;
            System.out.printf(Locale.ROOT, "# after: %d messages (%d new), %d leads; integrity_check %s%n", before + added,
                    added, live.leads().size(), store.integrityCheck());
            if (added != mail.count()) {
                throw new IllegalStateException(mail.count() + " new messages polled but " + added + " stored");
            }
        }
    }

    /** Times {@code n} polls that each find one new message: alternately a new lead and a message of a stored conversation. */
    private static long[] measure(PollCycle cycle, Store store, NewMail mail, int n, SlaTicker tickerOrNull) {
        long[] nanos = new long[n];
        for (int i = 0; i < n; i++) {
            MailMessage next = mail.next(i % 2 == 0);
            long t = System.nanoTime();
            PollCycle.Outcome outcome = cycle.poll("sales", oneMessage(store, next));
            if (tickerOrNull != null) {
                tickerOrNull.tick();
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

    private static void build(Store store, List<MailMessage> history) {
        long t = System.nanoTime();
        int batch = 5_000;
        for (int from = 0; from < history.size(); from += batch) {
            int to = Math.min(history.size(), from + batch);
            store.commitBatch(new FolderCheckpoint("sales", "INBOX", 1, to), history.subList(from, to), List.of());
        }
        System.out.printf(Locale.ROOT, "# stored %d messages in %.1f s%n", history.size(), (System.nanoTime() - t) / 1e9);
    }

    /** Conversations as {@code GenerateMaildir} writes them: a lead, then 0-3 messages alternating rep and customer. */
    private static List<MailMessage> history(int total, Random random) {
        List<MailMessage> list = new ArrayList<>(total);
        Instant time = START;
        for (long conversation = 1; list.size() < total; conversation++) {
            time = time.plusSeconds(random.nextInt(120));
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

    /** New mail after the history: new leads, and rep answers to random stored leads. */
    private static final class NewMail {
        private final List<MailMessage> history;
        private final Random random;
        /** Makes ids unique across runs that reuse a store. */
        private final String run = Long.toString(System.currentTimeMillis(), 36);
        private Instant time;
        private int n;

        NewMail(List<MailMessage> history, Instant now, Random random) {
            this.history = history;
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
            MailMessage lead;
            do {
                lead = history.get(random.nextInt(history.size()));
            } while (!lead.id().startsWith("lead-"));
            return message("late-reply-" + run + "-" + n + "@acme.example", lead.id(), "Re: " + lead.subject(),
                    REPS[n % REPS.length] + "@acme.example", lead.from().get(0), time, SENT);
        }
    }

    private IncrementalIngestBenchmark() {
    }
}
