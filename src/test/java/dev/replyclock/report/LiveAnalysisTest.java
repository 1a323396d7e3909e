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
        String[] subjects = {"Pricing", "Undelivered Mail Returned to Sender", "Quote", "Out of office"};
        Instant start = Instant.parse("2025-03-03T08:00:00Z");
        for (long seed = 1; seed <= 20; seed++) {
            List<MailMessage> copies = generatedMail(new Random(seed), 0, 300, start,
                    random -> subjects[random.nextInt(subjects.length)]);
            assertSameAsBatch(config, copies, start.plus(java.time.Duration.ofDays(100)), seed);
        }
    }

    /** A store holding nothing: what leaves memory is gone, as if it had never been read. */
    private static final Archive EMPTY_STORE = new Archive() {
        @Override
        public java.util.Set<String> linkedTo(java.util.Collection<String> messageIds, java.util.Collection<String> keys) {
            return java.util.Set.of();
        }

        @Override
        public java.util.Map<String, List<MailMessage>> messages(java.util.Collection<String> conversationIds) {
            return java.util.Map.of();
        }
    };

    /**
     * Conversations older than the horizon leave memory one by one when few do, and by indexing again what stays when
     * most do (a first sync of a long history): either way the analysis is then in the state of one that only ever held
     * the conversations kept, and threads later mail the same (subject fallback candidates, link keys, counts).
     */
    @Test
    void evictingFewOrMostConversationsLeavesWhatAnAnalysisOfTheKeptOnesHolds(@org.junit.jupiter.api.io.TempDir Path dir)
            throws IOException {
        Config config = dev.replyclock.poll.HorizonTest.config(dir);
        Instant start = Instant.parse("2025-03-03T08:00:00Z");
        List<MailMessage> history = manyConversations(new Random(3), 0, 400, start);
        List<MailMessage> later = manyConversations(new Random(4), 400, 120, start.plus(java.time.Duration.ofDays(80)));
        for (int days : new int[]{5, 45, 60, 85}) { // a few, under half, over half, nearly all of the conversations evicted
            Instant cutoff = start.plus(java.time.Duration.ofDays(days));
            LiveAnalysis live = new LiveAnalysis(config);
            live.useArchive(EMPTY_STORE); // evicting needs a store to keep what leaves memory
            live.add(history);
            int evicted = live.evictInactiveBefore(cutoff);
            List<MailMessage> kept = new ArrayList<>();
            for (MailMessage m : history) {
                if (live.conversationOf(m.id()).isPresent()) {
                    kept.add(m);
                }
            }
            LiveAnalysis fresh = new LiveAnalysis(config);
            fresh.add(kept);
            String context = days + " days: " + evicted + " conversations evicted";
            assertSameState(fresh, live, start, context);
            live.add(later);
            fresh.add(later);
            assertSameState(fresh, live, start, context + ", then later mail");
        }
    }

    private static void assertSameState(LiveAnalysis expected, LiveAnalysis actual, Instant now, String context) {
        assertEquals(ReportJson.tree(expected, now).get("leads"), ReportJson.tree(actual, now).get("leads"), context);
        assertEquals(ReportJson.tree(expected, now).get("waits"), ReportJson.tree(actual, now).get("waits"), context);
        Counts e = expected.counts();
        Counts a = actual.counts();
        assertEquals(List.of(e.messages(), e.undated(), e.automated(), e.conversations()),
                List.of(a.messages(), a.undated(), a.automated(), a.conversations()), context);
        assertEquals(expected.messageCount(), actual.messageCount(), context);
        assertEquals(expected.indexes(), actual.indexes(), context);
    }

    /**
     * {@code count} messages from {@code first} on, over 90 days, in many small conversations: subjects of their own
     * mostly, some shared (bounces, out of office), replies, fallbacks.
     */
    private static List<MailMessage> manyConversations(Random random, int first, int count, Instant start) {
        String[] shared = {"Undelivered Mail Returned to Sender", "Out of office"};
        return generatedMail(random, first, count, start,
                r -> r.nextInt(10) == 0 ? shared[r.nextInt(shared.length)] : "Topic " + r.nextInt(count));
    }

    /**
     * {@code count} messages of a sales mailbox from {@code first} on, over 90 days: replies to earlier ones or to
     * unknown ones, from alice or from a few buyers, one in 30 undated, a reply or forward prefix on some subjects.
     */
    private static List<MailMessage> generatedMail(Random random, int first, int count, Instant start,
                                                   java.util.function.Function<Random, String> subject) {
        dev.replyclock.domain.Place inbox = new dev.replyclock.domain.Place("sales", "INBOX", true);
        String[] prefixes = {"", "", "Re: ", "AW: ", "Fwd: "};
        List<MailMessage> copies = new ArrayList<>();
        for (int i = first; i < first + count; i++) {
            String id = "m" + i + "@x.example";
            List<String> refs = switch (random.nextInt(4)) {
                case 0 -> i == 0 ? List.of() : List.of("m" + random.nextInt(i) + "@x.example");
                case 1 -> List.of("unknown" + random.nextInt(50) + "@x.example");
                default -> List.of();
            };
            boolean ours = random.nextInt(3) == 0;
            String party = "buyer" + random.nextInt(6) + "@cust.example";
            Instant at = random.nextInt(30) == 0 ? null : start.plus(java.time.Duration.ofMinutes(random.nextInt(90 * 24 * 60)));
            String prefix = prefixes[random.nextInt(prefixes.length)];
            copies.add(new MailMessage(id, refs, prefix + subject.apply(random),
                    List.of(ours ? "alice@acme.example" : party), null, List.of(), List.of(ours ? party : "sales@acme.example"),
                    List.of(), at, null, null, 0, null, List.of(inbox)));
        }
        return copies;
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
        // conversations that grew keep their index entries and index only their new messages: the indexes equal those
        // of an analysis that read the same copies at once (in the same order: a message's first copy gives its headers)
        LiveAnalysis once = new LiveAnalysis(config);
        once.add(shuffled);
        assertEquals(once.indexes(), live.indexes(), context);
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
