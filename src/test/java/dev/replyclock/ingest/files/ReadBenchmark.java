package dev.replyclock.ingest.files;

import dev.replyclock.domain.MailMessage;
import dev.replyclock.ingest.HeaderParser;
import dev.replyclock.ingest.MessageSink;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads the SpamAssassin corpus N times through {@link FilesSource} and prints messages/s per
 * round and the peak heap. Usage (after {@code .ci/prepare-corpus.sh} and {@code mvn test-compile}):
 * {@code java -cp target/classes:target/test-classes:<deps> dev.replyclock.ingest.files.ReadBenchmark [rounds] [corpus-data-dir]}
 */
public final class ReadBenchmark {

    public static void main(String[] args) throws IOException {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        Path data = Path.of(args.length > 1 ? args[1] : "target/corpus/spam-assassin/data");
        List<Path> folders;
        try (Stream<Path> s = Files.list(data)) {
            folders = s.filter(Files::isDirectory).sorted().toList();
        }
        HeaderParser parser = new HeaderParser("X-Replyclock-Rep");
        FilesSource source = new FilesSource("bench", folders, parser);
        double best = 0;
        for (int round = 1; round <= rounds; round++) {
            long[] counts = new long[3];
            long start = System.nanoTime();
            source.readAll(new MessageSink() {
                @Override
                public void fileRead() {
                    counts[0]++;
                }

                @Override
                public void message(MailMessage message) {
                    counts[1]++;
                }

                @Override
                public void unreadable(String where, String reason) {
                    counts[2]++;
                }
            });
            double seconds = (System.nanoTime() - start) / 1e9;
            double rate = counts[1] / seconds;
            best = Math.max(best, rate);
            System.out.printf("round %d: %d files, %d messages, %d unreadable in %.3f s = %.0f messages/s%n",
                    round, counts[0], counts[1], counts[2], seconds, rate);
        }
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        System.out.printf("best %.0f messages/s; peak heap (sum of pool peaks) %.1f MiB; max heap %.0f MiB%n",
                best, peak / 1048576.0, Runtime.getRuntime().maxMemory() / 1048576.0);
    }
}
