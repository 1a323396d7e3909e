package dev.replyclock.report;

import dev.replyclock.Scenarios;
import dev.replyclock.SharedFiles;
import dev.replyclock.config.Config;
import dev.replyclock.config.ConfigLoader;
import dev.replyclock.config.MailboxConfig;
import dev.replyclock.config.SourceConfig;
import dev.replyclock.domain.MailMessage;
import dev.replyclock.ingest.HeaderParser;
import dev.replyclock.ingest.MessageSink;
import dev.replyclock.ingest.files.FilesSource;
import dev.replyclock.thread.MessageSet;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Mail arriving in any order and any batches gives exactly what one batch over all of it gives. */
class LiveAnalysisTest {

    @TestFactory
    Stream<DynamicTest> everyScenarioInRandomBatchesEqualsTheBatchAnalysis() throws IOException {
        List<Path> folders = Scenarios.folders();
        return folders.stream().map(folder -> DynamicTest.dynamicTest(folder.getFileName().toString(), () -> {
            Config config = ConfigLoader.load(folder.resolve("config.yaml"));
            Instant now = Instant.parse(Files.readString(folder.resolve("now")).strip());
            List<MailMessage> copies = read(config);
            for (long seed = 1; seed <= 10; seed++) {
                assertSameAsBatch(config, copies, now, seed);
            }
        }));
    }

    @Test
    void theSpamAssassinCorpusInRandomBatchesEqualsTheBatchAnalysis() throws IOException {
        Config config = ConfigLoader.load(SharedFiles.spamAssassinFolders().get(0).getParent().getParent().resolve("config.yaml"));
        List<MailMessage> copies = read(config);
        assertEquals(6046, copies.size());
        assertSameAsBatch(config, copies, Instant.parse("2002-12-31T00:00:00Z"), 7);
    }

    /**
     * Few subjects shared by many conversations, some messages taking the subject fallback (a reply prefix, no
     * references), others only sharing the subject (references, or no prefix like a bounce): only a candidate's subject
     * links conversations, and the analysis that recomputes less still equals the batch one in any batches.
     */
    @Test
    void sharedSubjectsWithAndWithoutFallbackCandidatesInRandomBatchesEqualTheBatchAnalysis(
            @org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        // a sales mailbox of acme.example with alice, as in the horizon tests
        Config config = dev.replyclock.poll.HorizonTest.config(dir);
        dev.replyclock.domain.Place inbox = new dev.replyclock.domain.Place("sales", "INBOX", true);
        String[] subjects = {"Pricing", "Undelivered Mail Returned to Sender", "Quote", "Out of office"};
        String[] prefixes = {"", "", "Re: ", "AW: ", "Fwd: "};
        Instant start = Instant.parse("2025-03-03T08:00:00Z");
        for (long seed = 1; seed <= 20; seed++) {
            Random random = new Random(seed);
            List<MailMessage> copies = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                String id = "m" + i + "@x.example";
                List<String> refs = switch (random.nextInt(4)) {
                    case 0 -> i == 0 ? List.of() : List.of("m" + random.nextInt(i) + "@x.example");
                    case 1 -> List.of("unknown" + random.nextInt(50) + "@x.example");
                    default -> List.of();
                };
                boolean ours = random.nextInt(3) == 0;
                String party = "buyer" + random.nextInt(6) + "@cust.example";
                Instant at = random.nextInt(30) == 0 ? null : start.plus(java.time.Duration.ofMinutes(random.nextInt(90 * 24 * 60)));
                copies.add(new MailMessage(id, refs, prefixes[random.nextInt(prefixes.length)] + subjects[random.nextInt(subjects.length)],
                        List.of(ours ? "alice@acme.example" : party), null, List.of(), List.of(ours ? party : "sales@acme.example"),
                        List.of(), at, null, null, 0, null, List.of(inbox)));
            }
            assertSameAsBatch(config, copies, start.plus(java.time.Duration.ofDays(100)), seed);
        }
    }

    private static void assertSameAsBatch(Config config, List<MailMessage> copies, Instant now, long seed) {
        MessageSet all = new MessageSet();
        copies.forEach(all::add);
        Analysis batch = Analysis.of(config, all);

        Random random = new Random(seed);
        List<MailMessage> shuffled = new ArrayList<>(copies);
        Collections.shuffle(shuffled, random);
        LiveAnalysis live = new LiveAnalysis(config);
        int i = 0;
        while (i < shuffled.size()) {
            int n = 1 + random.nextInt(Math.max(1, shuffled.size() / 4));
            live.add(shuffled.subList(i, Math.min(shuffled.size(), i + n)));
            i += n;
        }
        String context = "seed " + seed;
        assertEquals(ReportJson.tree(batch, now).get("leads"), ReportJson.tree(live, now).get("leads"), context);
        assertEquals(ReportJson.tree(batch, now).get("waits"), ReportJson.tree(live, now).get("waits"), context);
        Counts b = batch.counts();
        Counts l = live.counts();
        assertEquals(List.of(b.messages(), b.duplicates(), b.undated(), b.automated(), b.conversations()),
                List.of(l.messages(), l.duplicates(), l.undated(), l.automated(), l.conversations()), context);
    }

    static List<MailMessage> read(Config config) throws IOException {
        List<MailMessage> copies = new ArrayList<>();
        HeaderParser parser = new HeaderParser(config.attributionHeader());
        for (MailboxConfig mailbox : config.mailboxes()) {
            new FilesSource(mailbox.id(), ((SourceConfig.Files) mailbox.source()).paths(), parser).readAll(new MessageSink() {
                public void fileRead() { }
                public void message(MailMessage message) { copies.add(message); }
                public void unreadable(String where, String reason) { }
            });
        }
        return copies;
    }
}
