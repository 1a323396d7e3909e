package dev.replyclock.app;

import dev.replyclock.config.Config;
import dev.replyclock.poll.PollCycle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.Console;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code replyclock sync --config FILE --once}: one poll cycle of every mailbox into the store, then exit. */
@Command(name = "sync", mixinStandardHelpOptions = true,
        description = "Poll every mailbox once into the store and exit (for cron and tests).",
        footerHeading = "%nExample:%n", footer = "  replyclock sync --config config.yaml --once")
final class SyncCommand implements Callable<Integer> {

    @Mixin
    ConfigOption configOption;

    @Option(names = "--once", required = true, description = "poll once and exit (the only mode; `run` polls on a schedule)")
    boolean once;

    @Override
    public Integer call() {
        Config config = configOption.load();
        try (Service service = Service.open(config, Clock.systemUTC())) {
            Console console = System.console();
            if (console != null) {
                service.cycle().onProgress(new ProgressBar(console));
            }
            List<PollCycle.Outcome> outcomes = service.pollAll();
            if (console != null) {
                console.writer().print("\r\033[K");
                console.flush();
            }
            for (PollCycle.Outcome o : outcomes) {
                System.out.printf(Locale.ROOT, "%s: %d new messages, %d rejected, %d ms%s%n", o.mailboxId(), o.newMessages(),
                        o.rejected(), o.millis(), o.failed() ? ", FAILED: " + o.error() : "");
            }
            return outcomes.stream().anyMatch(PollCycle.Outcome::failed) ? 1 : 0;
        }
    }

    /** A one-line progress bar for a terminal, redrawn at most ten times a second. */
    private static final class ProgressBar implements PollCycle.ProgressListener {
        private final Console console;
        private final dev.replyclock.poll.FolderRate folderRate = new dev.replyclock.poll.FolderRate();
        private long lastDraw;

        ProgressBar(Console console) {
            this.console = console;
        }

        @Override
        public void batchStored(String mailboxId, dev.replyclock.ingest.IncrementalSource.Batch batch) {
            long now = System.nanoTime();
            double rate = folderRate.perSecond(mailboxId, batch, now); // timed from this folder's first batch
            if (now - lastDraw < 100_000_000L || batch.folderTotal() <= 0) {
                return;
            }
            lastDraw = now;
            double fraction = Math.min(1.0, (double) batch.folderDone() / batch.folderTotal());
            int filled = (int) (fraction * 30);
            console.writer().printf(Locale.ROOT, "\r\033[K%s %s [%s%s] %d/%d %s msg/s", mailboxId, batch.checkpoint().folder(),
                    "#".repeat(filled), " ".repeat(30 - filled), batch.folderDone(), batch.folderTotal(),
                    Double.isNaN(rate) ? "?" : String.format(Locale.ROOT, "%.0f", rate));
            console.flush();
        }
    }
}
