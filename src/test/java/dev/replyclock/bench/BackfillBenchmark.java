package dev.replyclock.bench;

import dev.replyclock.config.Config;
import dev.replyclock.config.ConfigLoader;
import dev.replyclock.config.SourceConfig;
import dev.replyclock.domain.FolderCheckpoint;
import dev.replyclock.domain.MailMessage;
import dev.replyclock.domain.RejectedMessage;
import dev.replyclock.ingest.HeaderParser;
import dev.replyclock.ingest.IncrementalSource;
import dev.replyclock.ingest.MessageSink;
import dev.replyclock.ingest.files.FilesSource;
import dev.replyclock.poll.PollCycle;
import dev.replyclock.report.LiveAnalysis;
import dev.replyclock.store.Store;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the first sync of a mailbox costs on Replyclock's side alone: the messages of a generated maildir (read and
 * parsed before the clock starts) handed to the poll cycle in batches of 500, as the IMAP source hands them, into a
 * fresh SQLite store — commits, analysis and results — with no server in the way. Prints wall and CPU seconds per run.
 *
 * <pre>java -cp target/classes:target/test-classes:$(cat target/cp.txt) dev.replyclock.bench.BackfillBenchmark DIR RUNS</pre>
 * where DIR holds a {@link GenerateMaildir} corpus (its config.yaml).
 */
public final class BackfillBenchmark {

    private static final int BATCH = 500;

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Config config = ConfigLoader.load(dir.resolve("config.yaml"));
        String mailbox = config.mailboxes().get(0).id();
        SourceConfig.Files files = (SourceConfig.Files) config.mailboxes().get(0).source();
        List<MailMessage> messages = new ArrayList<>();
        new FilesSource(mailbox, files.paths(), new HeaderParser(config.attributionHeader())).readAll(new MessageSink() {
            @Override
            public void fileRead() {
            }

            @Override
            public void message(MailMessage message) {
                messages.add(message);
            }

            @Override
            public void unreadable(String where, String reason) {
            }
        });
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        var threads = ManagementFactory.getThreadMXBean();
        for (int run = 1; run <= runs; run++) {
            Path storeFile = Files.createTempFile("backfill", ".db");
            Files.delete(storeFile);
            try (Store store = Store.open(storeFile)) {
                PollCycle cycle = new PollCycle(store, new LiveAnalysis(config), Clock.systemUTC());
                cycle.restoreOnDemand();
                long cpu = os.getProcessCpuTime();
                long mainCpu = threads.getCurrentThreadCpuTime();
                long started = System.nanoTime();
                InMemorySource source = new InMemorySource(mailbox, messages, new long[1]);
                PollCycle.Outcome outcome = cycle.poll(mailbox, source);
                long ended = System.nanoTime();
                double wall = (ended - started) / 1e9;
                if (outcome.failed()) {
                    throw new IllegalStateException(outcome.error());
                }
                System.out.printf(Locale.ROOT, "backfill run=%d messages=%d wall_s=%.2f messages_per_s=%.0f "
                                + "after_last_batch_s=%.2f process_cpu_s=%.2f poll_thread_cpu_s=%.2f leads=%d store_mb=%.1f "
                                + "load=%s%n", run, outcome.newMessages(), wall, outcome.newMessages() / wall,
                        (ended - source.lastBatchConsumed()[0]) / 1e9, (os.getProcessCpuTime() - cpu) / 1e9,
                        (threads.getCurrentThreadCpuTime() - mainCpu) / 1e9, store.leads().size(),
                        Files.size(storeFile) / 1048576.0, Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
            } finally {
                for (String suffix : new String[] {"", "-wal", "-shm"}) {
                    Files.deleteIfExists(Path.of(storeFile + suffix));
                }
            }
        }
    }

    /**
     * The messages in batches of 500, each with its checkpoint, as a source that read them hands them over; notes when
     * the consumer returned from the last one (what follows is the poll's last analysis and its results write).
     */
    private record InMemorySource(String mailbox, List<MailMessage> messages, long[] lastBatchConsumed)
            implements IncrementalSource {
        @Override
        public PollSummary poll(CheckpointLookup checkpoints, BatchConsumer consumer) throws java.io.IOException {
            for (int from = 0; from < messages.size(); from += BATCH) {
                int to = Math.min(messages.size(), from + BATCH);
                consumer.accept(new Batch(new FolderCheckpoint(mailbox, "INBOX", 1, to), List.copyOf(messages.subList(from, to)),
                        List.<RejectedMessage>of(), from == 0, messages.size(), to));
                lastBatchConsumed[0] = System.nanoTime();
            }
            return new PollSummary(List.of(new FolderSummary("INBOX", messages.size(), 0, 0)));
        }

        @Override
        public void close() {
        }
    }
}
