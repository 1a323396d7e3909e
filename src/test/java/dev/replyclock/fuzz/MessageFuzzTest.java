package dev.replyclock.fuzz;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.replyclock.config.Config;
import dev.replyclock.SalesConfig;
import dev.replyclock.domain.MailMessage;
import dev.replyclock.domain.Place;
import dev.replyclock.domain.RejectedMessage;
import dev.replyclock.ingest.HeaderParser;
import dev.replyclock.ingest.UnreadableMessageException;
import dev.replyclock.ingest.files.FilesOnceSource;
import dev.replyclock.ingest.files.FilesSource;
import dev.replyclock.metrics.ReplyclockMetrics;
import dev.replyclock.metrics.Samples;
import dev.replyclock.poll.PollCycle;
import dev.replyclock.poll.ReadModel;
import dev.replyclock.poll.Restarted;
import dev.replyclock.report.LiveAnalysis;
import dev.replyclock.report.ReportCsv;
import dev.replyclock.report.ReportJson;
import dev.replyclock.report.ReportTable;
import dev.replyclock.store.Store;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Mutated real messages (SpamAssassin corpus, scenario mail) fed to the header parser and through the whole engine:
 * nothing throws, every input is stored or rejected with a reason, the rejected counter says how many, and the
 * report renders. Bounded and repeatable: {@code -Dreplyclock.fuzz.seed=N}, {@code -Dreplyclock.fuzz.iterations=N}
 * (parser) and {@code -Dreplyclock.fuzz.files=N} (engine) override the defaults; every failure names the seed.
 */
class MessageFuzzTest {

    private static final long SEED = FuzzInputs.SEED;
    private static final int ITERATIONS = Integer.getInteger("replyclock.fuzz.iterations", 20_000);
    private static final int FILES = Integer.getInteger("replyclock.fuzz.files", 2_000);
    private static final Instant NOW = Instant.parse("2024-03-01T12:00:00Z");
    /** SPEC: years outside 1900-2200 count as undated (a day of slack either side for the zone). */
    private static final Instant EARLIEST = Instant.parse("1899-12-31T00:00:00Z");
    private static final Instant LATEST = Instant.parse("2201-01-02T00:00:00Z");

    private static List<byte[]> originals;

    @BeforeAll
    static void loadOriginals() throws IOException {
        originals = FuzzInputs.originals();
        System.out.printf("fuzz: seed %d, %d originals, %d parser iterations, %d engine files%n", SEED,
                originals.size(), ITERATIONS, FILES);
    }

    private static MailMutator.Mutant mutant(MailMutator mutator, long seed, int i) {
        return FuzzInputs.mutant(mutator, originals, seed, i);
    }

    private static String repeat(long seed, int i, MailMutator.Mutant m) {
        return FuzzInputs.repeat(seed, i, m);
    }

    @Test
    void theHeaderParserReadsOrRejectsWithAReasonEveryMutatedMessage() {
        HeaderParser parser = new HeaderParser("X-Replyclock-Rep");
        MailMutator mutator = new MailMutator();
        Place place = new Place("fuzz", "inbox", true);
        int read = 0;
        int rejected = 0;
        for (int i = 0; i < ITERATIONS; i++) {
            MailMutator.Mutant m = mutant(mutator, SEED, i);
            try {
                MailMessage message = parser.parse(m.bytes(), place, null);
                assertFalse(message.id() == null || message.id().isBlank(), "a message without an id: " + repeat(SEED, i, m));
                Instant t = message.eventTime();
                assertTrue(t == null || (t.isAfter(EARLIEST) && t.isBefore(LATEST)),
                        "event time " + t + " is outside 1900-2200 and not undated: " + repeat(SEED, i, m));
                read++;
            } catch (UnreadableMessageException e) {
                assertFalse(e.reason() == null || e.reason().isBlank(), "a rejection without a reason: " + repeat(SEED, i, m));
                rejected++;
            } catch (RuntimeException | StackOverflowError e) {
                throw new AssertionError("the parser threw on " + repeat(SEED, i, m), e);
            }
        }
        System.out.printf("fuzz parser: %d read, %d rejected%n", read, rejected);
        assertEquals(ITERATIONS, read + rejected);
        assertTrue(read > 0 && rejected > 0, "both outcomes occur: " + read + " read, " + rejected + " rejected");
    }

    /** A metamorphic check: the same headers with CRLF, LF, CR-only or mixed line ends read the same. */
    @Test
    void crLfLfCrOnlyOrMixedLineEndsReadTheSame() {
        HeaderParser parser = new HeaderParser("X-Replyclock-Rep");
        Random random = new Random(SEED);
        int read = 0;
        for (int i = 0; i < originals.size(); i++) {
            String lf = new String(originals.get(i), StandardCharsets.ISO_8859_1).replace("\r\n", "\n").replace('\r', '\n');
            MailMessage expected = readOrNull(parser, lf);
            read += expected == null ? 0 : 1;
            StringBuilder mixed = new StringBuilder(lf.length() + 1000);
            boolean loneCr = false;
            for (char c : lf.toCharArray()) {
                // After a lone CR an LF would join it into one CRLF (one line end where two were meant).
                String end = loneCr ? new String[] {"\r", "\r\n"}[random.nextInt(2)]
                        : new String[] {"\n", "\r", "\r\n"}[random.nextInt(3)];
                mixed.append(c != '\n' ? String.valueOf(c) : end);
                loneCr = c == '\n' && end.equals("\r");
            }
            for (String variant : List.of(lf.replace("\n", "\r\n"), lf.replace('\n', '\r'), mixed.toString())) {
                assertEquals(expected, readOrNull(parser, variant), "original " + i + " with other line ends, seed " + SEED);
            }
        }
        assertTrue(read > originals.size() / 2, "most originals are mail: " + read);
    }

    private static MailMessage readOrNull(HeaderParser parser, String latin1) {
        try {
            return parser.parse(latin1.getBytes(StandardCharsets.ISO_8859_1), new Place("fuzz", "inbox", true), null);
        } catch (UnreadableMessageException e) {
            return null;
        }
    }

    @Test
    void theWholeEngineStoresOrRejectsEveryMutatedFileCountsRejectionsAndStillReports(@TempDir Path dir)
            throws IOException {
        MailMutator mutator = new MailMutator();
        Path inbox = Files.createDirectories(dir.resolve("mail/inbox/cur"));
        Path sent = Files.createDirectories(dir.resolve("mail/sent/cur"));
        for (int i = 0; i < FILES; i++) {
            MailMutator.Mutant m = mutant(mutator, SEED ^ 0x5eed, i);
            Files.write((i % 3 == 2 ? sent : inbox).resolve(String.format("%06d.fuzz:2,S", i)), m.bytes());
        }
        Config config = SalesConfig.write(dir, "{type: files, paths: [" + dir.resolve("mail/inbox") + ", "
                + dir.resolve("mail/sent") + "]}");
        String context = "seed " + (SEED ^ 0x5eed) + " (-Dreplyclock.fuzz.seed=" + SEED + ")";
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        HeaderParser parser = new HeaderParser(config.attributionHeader());
        try (Store store = Store.open(dir.resolve("replyclock.db"));
             ReplyclockMetrics metrics = new ReplyclockMetrics(config, "fuzz")) {
            LiveAnalysis live = new LiveAnalysis(config);
            PollCycle cycle = new PollCycle(store, live, clock);
            cycle.addBatchListener((mailbox, batch) -> metrics.batchStored(mailbox, batch.checkpoint().folder(),
                    batch.messages().size(), batch.rejected()));
            PollCycle.Outcome outcome = cycle.poll("sales", new FilesOnceSource("sales",
                    new FilesSource("sales", List.of(dir.resolve("mail/inbox"), dir.resolve("mail/sent")), parser)));
            assertFalse(outcome.failed(), context + ": " + outcome.error());
            System.out.printf("fuzz engine: %d files, %d stored, %d rejected in %d ms%n", FILES, outcome.newMessages(),
                    outcome.rejected(), outcome.millis());

            assertEquals(FILES, outcome.newMessages() + outcome.rejected(), context + ": every file stored or rejected");
            List<RejectedMessage> rejected = store.rejected();
            assertEquals(outcome.rejected(), rejected.size(), context);
            for (RejectedMessage r : rejected) {
                assertFalse(r.reason() == null || r.reason().isBlank(), context + ": no reason for " + r.where());
                assertTrue(r.where() != null && r.where().contains(".fuzz"), context + ": where " + r.where());
            }
            assertTrue(outcome.newMessages() > 0 && outcome.rejected() > 0, context + ": both outcomes occur");

            metrics.refresh(new dev.replyclock.figures.Figures(live), NOW);
            Samples scrape = Samples.parse(metrics.scrape(null).body());
            double counted = scrape.named("replyclock_messages_rejected_total").stream()
                    .mapToDouble(Samples.Sample::value).sum();
            assertEquals(outcome.rejected(), (long) counted, context + ": replyclock_messages_rejected_total");
            scrape.named("replyclock_messages_rejected_total").forEach(r ->
                    System.out.printf("fuzz engine: rejected %s: %.0f%n", r.labels().get("reason"), r.value()));

            String json = ReportJson.toJson(live, NOW);
            assertNotNull(new ObjectMapper().readTree(json).get("leads"), context);
            StringWriter csv = new StringWriter();
            ReportCsv.write(live, NOW, csv);
            StringWriter table = new StringWriter();
            ReportTable.write(live, NOW, table);
            assertFalse(csv.toString().isEmpty() || table.toString().isEmpty(), context);

            // after a restart the views read the stored results (the read model); the live analysis holds only the
            // conversations inside the horizon, and this mail is older
            ReadModel served = Restarted.results(config, store, clock);
            assertEquals(live.leads(), served.leads(), context + ": a restart reads back what was stored");
            assertEquals(json, ReportJson.toJson(served, NOW), context + ": the same report after a restart");
        } catch (RuntimeException e) {
            fail(context + ": " + e, e);
        }
    }
}
