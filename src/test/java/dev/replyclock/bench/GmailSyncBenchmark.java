package dev.replyclock.bench;

import dev.replyclock.ingest.gmail.FakeGmail;
import dev.replyclock.ingest.gmail.GmailFixture;
import dev.replyclock.ingest.gmail.GmailSource;
import dev.replyclock.poll.PollCycle;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;

/**
 * A first Gmail sync of MESSAGES messages (INBOX, a reply in SENT for every fourth lead) from the local fake Gmail
 * through the service's poll cycle into a new SQLite store (token, profile, labels, messages.list pages, batches of
 * headers, commits, analysis), then a quiet poll; ROUNDS times, each on a new store, printing messages/s per round.
 *
 * <pre>java -cp target/classes:target/test-classes:$(cat target/cp.txt) dev.replyclock.bench.GmailSyncBenchmark 10000 3</pre>
 */
public final class GmailSyncBenchmark {

    public static void main(String[] args) throws Exception {
        int messages = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        for (int round = 1; round <= rounds; round++) {
            Path dir = Files.createTempDirectory("gmail-bench");
            try (GmailFixture fx = new GmailFixture(dir)) {
                FakeGmail gmail = fx.gmail;
                int leads = 0;
                for (int n = 1; gmail.messageCount() < messages; n++) {
                    fx.lead(n, Instant.parse("2024-02-01T08:00:00Z").plusSeconds(97L * n).toString());
                    leads++;
                    if (n % 4 == 0 && gmail.messageCount() < messages) {
                        fx.reply(n, Instant.parse("2024-02-01T09:00:00Z").plusSeconds(97L * n).toString());
                    }
                }
                try (GmailSource source = GmailSource.create("sales", fx.gmailConfig,
                        new dev.replyclock.ingest.HeaderParser(fx.config.attributionHeader()), fx.config.attributionHeader())) {
                    long started = System.nanoTime();
                    PollCycle.Outcome first = fx.cycle.poll("sales", source);
                    long millis = (System.nanoTime() - started) / 1_000_000;
                    if (first.failed()) {
                        throw new IllegalStateException(first.error());
                    }
                    long requests = source.requestCount();
                    long quietStart = System.nanoTime();
                    PollCycle.Outcome quiet = fx.cycle.poll("sales", source);
                    double quietMillis = (System.nanoTime() - quietStart) / 1e6;
                    System.out.printf(Locale.ROOT, "gmail.first_sync round %d: %d messages (%d leads) in %d ms = %.0f messages/s;"
                                    + " %d API requests (+ token); stored %d; quiet poll %.1f ms, %d new%n", round, first.newMessages(),
                            leads, millis, first.newMessages() * 1000.0 / millis, requests, fx.store.counts().messages(),
                            quietMillis, quiet.newMessages());
                }
            }
            try (var walk = Files.walk(dir)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
