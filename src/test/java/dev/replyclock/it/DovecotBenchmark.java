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
import java.time.Clock;
import java.util.Arrays;
import java.util.Locale;

/**
 * Figures for the live service against a real Dovecot: the first header sync (messages/s end to end,
 * store and analysis included) and the cost of a poll with nothing new, for a generated mailbox.
 *
 * <pre>java -cp target/classes:target/test-classes:$(cat target/cp.txt) dev.replyclock.it.DovecotBenchmark 100000</pre>
 */
public final class DovecotBenchmark {

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
                long started = System.nanoTime();
                PollCycle.Outcome first = cycle.poll(mailbox, source);
                double seconds = (System.nanoTime() - started) / 1e9;
                if (first.failed()) {
                    throw new IllegalStateException(first.error());
                }
                long[] idle = new long[9];
                for (int i = 0; i < idle.length; i++) {
                    long t = System.nanoTime();
                    PollCycle.Outcome again = cycle.poll(mailbox, source);
                    idle[i] = (System.nanoTime() - t) / 1000;
                    if (again.newMessages() != 0) {
                        throw new IllegalStateException("a poll with nothing new read " + again.newMessages());
                    }
                }
                Arrays.sort(idle);
                System.out.printf(Locale.ROOT, "dovecot %d messages: first sync %.1f s = %.0f messages/s (store + analysis included, "
                                + "%d leads); poll with nothing new: median %.1f ms, max %.1f ms (INBOX + Sent); store %.1f MB%n",
                        first.newMessages(), seconds, first.newMessages() / seconds, live.leads().size(),
                        idle[idle.length / 2] / 1000.0, idle[idle.length - 1] / 1000.0, Files.size(c.store().path()) / 1048576.0);
            }
        }
    }

    private static void deleteTree(Path path) throws java.io.IOException {
        try (var walk = Files.walk(path)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
