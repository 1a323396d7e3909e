package dev.replyclock.app;

import dev.replyclock.config.Config;
import dev.replyclock.report.Analysis;
import dev.replyclock.report.ReportCsv;
import dev.replyclock.report.ReportHtml;
import dev.replyclock.report.ReportJson;
import dev.replyclock.report.ReportTable;
import dev.replyclock.thread.MessageSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code replyclock analyze}: reads every mailbox once and prints the SPEC section 12 report. */
@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = "Read every mailbox once (files, IMAP, Graph, Gmail), in memory without a store, and print the report.",
        footerHeading = "%nExamples:%n", footer = {"  replyclock analyze --config config.yaml --format table",
                "  replyclock analyze --config config.yaml --format html > report.html"})
final class AnalyzeCommand implements Callable<Integer> {

    enum Format { JSON, TABLE, CSV, HTML }

    @Mixin
    ConfigOption configOption;

    @Option(names = "--now", paramLabel = "INSTANT", description = "evaluate states at this instant (ISO-8601, default: now)")
    Instant now;

    /** What shell completion offers for {@code --format}: the names as people type them. */
    static final class FormatNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(Format.values()).map(f -> f.name().toLowerCase(Locale.ROOT)).iterator();
        }
    }

    @Option(names = "--format", defaultValue = "json", paramLabel = "FORMAT", completionCandidates = FormatNames.class,
            description = "json, table, csv or html (one self-contained file; default: ${DEFAULT-VALUE})")
    Format format;

    @Option(names = "--stats", description = "print files/s, messages/s, wall ms and peak heap to stderr")
    boolean stats;

    @Override
    public Integer call() throws IOException {
        long started = System.nanoTime();
        HeapWatch heap = stats ? new HeapWatch() : null;
        Config config = configOption.load();
        Instant at = now != null ? now : Instant.now();
        MailReader reader = new MailReader(config, System.err);
        MessageSet messages = reader.readAll();
        long read = System.nanoTime();
        Analysis analysis = Analysis.of(config, messages);
        Writer out = new OutputStreamWriter(System.out, StandardCharsets.UTF_8);
        switch (format) {
            case JSON -> ReportJson.write(analysis, at, out);
            case TABLE -> ReportTable.write(analysis, at, out);
            case CSV -> ReportCsv.write(analysis, at, out);
            case HTML -> ReportHtml.write(analysis, at, out);
        }
        out.flush();
        if (stats) {
            printStats(messages, started, read, System.nanoTime(), heap);
        }
        // The report is printed either way; cron learns from the exit code that it misses mail.
        for (String path : reader.unreadablePaths()) {
            System.err.println("analyze: the report is incomplete: configured path " + path);
        }
        return reader.unreadablePaths().isEmpty() ? 0 : 1;
    }

    private static void printStats(MessageSet messages, long started, long read, long done, HeapWatch heap) {
        double readSeconds = (read - started) / 1e9;
        long copies = messages.size() + messages.duplicates();
        System.err.printf(Locale.ROOT,
                "stats: %d files, %d messages read in %.0f ms (%.0f files/s, %.0f messages/s); analysis %.0f ms; wall %.0f ms; "
                        + "peak heap %.1f MB live after GC (%.1f MB max heap)%n",
                messages.files(), copies, readSeconds * 1000, messages.files() / readSeconds, copies / readSeconds,
                (done - read) / 1e6, (done - started) / 1e6, heap.peakLiveBytes() / 1048576.0,
                Runtime.getRuntime().maxMemory() / 1048576.0);
    }
}
