package dev.replyclock.poll;

import dev.replyclock.MutableClock;
import dev.replyclock.SharedFiles;
import dev.replyclock.config.Config;
import dev.replyclock.config.ConfigLoader;
import dev.replyclock.config.MailboxConfig;
import dev.replyclock.config.SourceConfig;
import dev.replyclock.domain.FolderCheckpoint;
import dev.replyclock.domain.MailMessage;
import dev.replyclock.domain.Place;
import dev.replyclock.domain.SlaState;
import dev.replyclock.ingest.IncrementalSource;
import dev.replyclock.ingest.HeaderParser;
import dev.replyclock.ingest.files.FilesOnceSource;
import dev.replyclock.ingest.files.FilesSource;
import dev.replyclock.report.LiveAnalysis;
import dev.replyclock.report.ReportJson;
import dev.replyclock.store.StateTransition;
import dev.replyclock.store.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PollCycleTest {

    private static final Path SCENARIO = SharedFiles.scenarios().resolve("13-sla-states");

    private static PollCycle.Outcome pollAll(Config config, PollCycle cycle) {
        HeaderParser parser = new HeaderParser(config.attributionHeader());
        PollCycle.Outcome last = null;
        for (MailboxConfig m : config.mailboxes()) {
            last = cycle.poll(m.id(), new FilesOnceSource(m.id(), new FilesSource(m.id(), ((SourceConfig.Files) m.source()).paths(), parser)));
        }
        return last;
    }

    @Test
    void pollStoresWhatAnalyzeComputesAndARestartRestoresIt(@TempDir Path dir) throws IOException {
        Config config = ConfigLoader.load(SCENARIO.resolve("config.yaml"));
        Instant now = Instant.parse(Files.readString(SCENARIO.resolve("now")).strip());
        Clock clock = Clock.fixed(now, ZoneOffset.UTC);
        Object expectedLeads;
        try (Store store = Store.open(dir.resolve("replyclock.db"))) {
            LiveAnalysis live = new LiveAnalysis(config);
            PollCycle cycle = new PollCycle(store, live, clock);
            cycle.restore();
            PollCycle.Outcome outcome = pollAll(config, cycle);
            assertFalse(outcome.failed(), outcome.error());
            assertEquals(9, outcome.newMessages());
            expectedLeads = ReportJson.tree(live, now).get("leads");
            assertEquals(new com.fasterxml.jackson.databind.ObjectMapper().readTree(SCENARIO.resolve("expected.json").toFile()).get("leads").size(),
                    live.leads().size());
            assertEquals(live.leads(), store.leads(), "stored results are the live ones");
            assertEquals(live.waits(), store.waits());
            // A second poll of a files mailbox reads nothing again.
            assertEquals(0, pollAll(config, cycle).newMessages());
        }
        try (Store store = Store.open(dir.resolve("replyclock.db"))) {
            LiveAnalysis live = new LiveAnalysis(config);
            new PollCycle(store, live, clock).restore();
            assertEquals(expectedLeads, ReportJson.tree(live, now).get("leads"));
            assertEquals(9, live.counts().messages());
        }
    }

    @Test
    void aPollsResultsWrittenInPartsAreTheLiveOnes(@TempDir Path dir) throws IOException {
        Config config = ConfigLoader.load(SCENARIO.resolve("config.yaml"));
        Clock clock = Clock.fixed(Instant.parse("2024-02-28T14:45:00Z"), ZoneOffset.UTC);
        try (Store store = Store.open(dir.resolve("replyclock.db"))) {
            LiveAnalysis live = new LiveAnalysis(config);
            PollCycle cycle = new PollCycle(store, live, clock);
            cycle.saveResultsInPartsOf(2);
            long seqBefore = store.resultSeq();
            pollAll(config, cycle);
            assertTrue(live.leads().size() > 4, "more conversations than two parts");
            assertTrue(store.resultSeq() - seqBefore >= (live.leads().size() + 1) / 2, "one results transaction per part");
            assertEquals(live.leads(), store.leads());
            assertEquals(live.waits(), store.waits());
            assertTrue(differences(config, store).isEmpty(), "a restart would rewrite nothing");
        }
    }

    @Test
    void aMailboxCountsAsSyncedOnlyOnceWhatItsPollStoredIsAnalysedAndSaved(@TempDir Path dir) throws Exception {
        Config config = ConfigLoader.load(SCENARIO.resolve("config.yaml"));
        MailboxConfig mailbox = config.mailboxes().get(0);
        try (Store store = Store.open(dir.resolve("replyclock.db"))) {
            LiveAnalysis live = new LiveAnalysis(config);
            PollCycle cycle = new PollCycle(store, live, Clock.systemUTC());
            IncrementalSource source = new FilesOnceSource(mailbox.id(), new FilesSource(mailbox.id(),
                    ((SourceConfig.Files) mailbox.source()).paths(), new HeaderParser(config.attributionHeader())));
            Thread poller = new Thread(() -> cycle.poll(mailbox.id(), source));
            synchronized (cycle) { // the poll's analysis waits for this monitor once the source is read
                poller.start();
                while (poller.isAlive() && poller.getState() != Thread.State.BLOCKED) {
                    Thread.onSpinWait();
                }
                assertTrue(poller.isAlive(), "the poll reached its analysis");
                assertTrue(store.lastSync(mailbox.id()).isEmpty(),
                        "readiness and the last-sync gauge must not report the mailbox synced before its results exist");
            }
            poller.join();
            assertTrue(store.lastSync(mailbox.id()).orElseThrow().lastSuccess() != null);
            assertFalse(live.leads().isEmpty());
            assertEquals(live.leads(), store.leads());
        }
    }

    @Test
    void aRestartWritesOnlyTheResultsThatDifferFromTheStoredOnes(@TempDir Path dir) throws IOException {
        Config config = ConfigLoader.load(SCENARIO.resolve("config.yaml"));
        Clock clock = Clock.fixed(Instant.parse("2024-02-28T14:45:00Z"), ZoneOffset.UTC);
        try (Store store = Store.open(dir.resolve("replyclock.db"))) {
            LiveAnalysis live = new LiveAnalysis(config);
            pollAll(config, new PollCycle(store, live, clock));
            assertTrue(differences(config, store).isEmpty(), "results saved by the polls: nothing to rewrite");

            // Two stored results go wrong: one conversation's lead is lost, another's message is claimed by a bogus one.
            dev.replyclock.domain.Lead lost = live.leads().get(0);
            dev.replyclock.domain.Lead claimed = live.leads().get(1);
            MailMessage claimedMessage = live.conversationOf(claimed.leadMessageId()).orElseThrow().conversation().messages().get(0);
            store.replaceResults(java.util.Set.of(lost.conversationId()), List.of(), List.of(), List.of());
            store.replaceResults(java.util.Set.of(), List.of(new dev.replyclock.domain.Conversation("bogus", List.of(claimedMessage))),
                    List.of(), List.of());
            LiveAnalysis.Change change = differences(config, store);
            assertEquals(java.util.Set.of("bogus"), change.staleConversationIds());
            assertEquals(java.util.Set.of(lost.conversationId(), claimed.conversationId()),
                    change.results().stream().map(r -> r.conversation().id()).collect(java.util.stream.Collectors.toSet()));

            new PollCycle(store, new LiveAnalysis(config), clock).restore();
            assertEquals(live.leads(), store.leads(), "the restart rewrote what differed");
            assertEquals(live.waits(), store.waits());
            assertEquals(live.leads().size(), store.conversationMessageIds().keySet().stream()
                    .filter(id -> live.leads().stream().anyMatch(l -> l.conversationId().equals(id))).count());
            assertFalse(store.conversationMessageIds().containsKey("bogus"));
            assertTrue(differences(config, store).isEmpty());
        }
    }

    /** What a restart's fresh analysis of the stored messages would rewrite. */
    private static LiveAnalysis.Change differences(Config config, Store store) {
        return StoredResultsDiff.of(store, new LiveAnalysis(config).restore(store.loadMessages(), 0, 0, 0).results());
    }

    @Test
    void slaTickRecordsEachTransitionOnceWithTheInstantItHappened(@TempDir Path dir) throws IOException {
        Config config = ConfigLoader.load(SCENARIO.resolve("config.yaml"));
        MutableClock clock = new MutableClock(Instant.parse("2024-02-28T10:00:00Z"));
        try (Store store = Store.open(dir.resolve("replyclock.db"))) {
            LiveAnalysis live = new LiveAnalysis(config);
            PollCycle cycle = new PollCycle(store, live, clock);
            pollAll(config, cycle);
            SlaTicker ticker = new SlaTicker(store, live, clock);
            assertTrue(ticker.tick() > 0);
            assertEquals(0, ticker.tick(), "nothing changed, nothing recorded");
            // Lead R (start Wed 11:00 CET, deadline 16:00 CET, warning from 15:30 CET) goes at_risk, then breached.
            String r = "r-lead-5@mail.kunde-r.example";
            clock.set(Instant.parse("2024-02-28T14:45:00Z"));
            ticker.tick();
            clock.set(Instant.parse("2024-02-28T15:10:00Z"));
            ticker.tick();
            List<StateTransition> transitions = store.transitions(r).stream().filter(t -> t.kind().equals(Store.FIRST_RESPONSE)).toList();
            assertEquals(List.of(SlaState.PENDING, SlaState.AT_RISK, SlaState.BREACHED), transitions.stream().map(StateTransition::state).toList());
            assertEquals(Map.of(SlaState.AT_RISK, Instant.parse("2024-02-28T14:30:00Z"), SlaState.BREACHED, Instant.parse("2024-02-28T15:00:00Z")),
                    Map.of(transitions.get(1).state(), transitions.get(1).at(), transitions.get(2).state(), transitions.get(2).at()));
        }
    }

    @Test
    void aFailingSourceIsRecordedAndDoesNotThrow(@TempDir Path dir) {
        Config config = ConfigLoader.load(SCENARIO.resolve("config.yaml"));
        try (Store store = Store.open(dir.resolve("replyclock.db"))) {
            PollCycle cycle = new PollCycle(store, new LiveAnalysis(config), Clock.systemUTC());
            PollCycle.Outcome outcome = cycle.poll("sales-inbox", new dev.replyclock.ingest.IncrementalSource() {
                public PollSummary poll(CheckpointLookup c, BatchConsumer b) throws IOException {
                    throw new IOException("imap.acme.example:993 INBOX: connection refused");
                }
                public void close() { }
            });
            assertTrue(outcome.failed());
            assertEquals("imap.acme.example:993 INBOX: connection refused", store.lastSync("sales-inbox").orElseThrow().lastError());
        }
    }

    @Test
    void resultsTheStoreCouldNotWriteAreWrittenByTheNextPoll(@TempDir Path dir) {
        Config config = ConfigLoader.load(SCENARIO.resolve("config.yaml"));
        try (Store store = Store.open(dir.resolve("replyclock.db"))) {
            LiveAnalysis live = new LiveAnalysis(config);
            PollCycle cycle = new PollCycle(store, live, Clock.systemUTC());
            // One batch of 300 leads is committed; then the store gets no more room, so their results cannot be written.
            cycle.poll("sales-inbox", oneBatch(leads(300), () -> store.capPages(store.pageCount())));
            assertEquals(300, store.messageCount());
            assertEquals(300, live.leads().size(), "the analysis holds every stored message");
            assertEquals(List.of(), store.leads(), "no room for the results");

            store.capPages(Integer.MAX_VALUE);
            PollCycle.Outcome nothingNew = cycle.poll("sales-inbox", oneBatch(List.of(), () -> { }));
            assertFalse(nothingNew.failed(), nothingNew.error());
            assertEquals(live.leads(), store.leads(), "the next poll writes the results left unsaved");
            assertEquals(live.waits(), store.waits());
        }
    }

    /** Inbound leads of the sales mailbox, each from its own customer. */
    private static List<MailMessage> leads(int count) {
        List<MailMessage> list = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String from = "buyer" + i + "@customer" + i + ".example";
            list.add(new MailMessage("lead-" + i + "@customer" + i + ".example", List.of(), "Quote " + i, List.of(from), null,
                    List.of(), List.of("sales@acme.example"), List.of(), Instant.parse("2024-02-26T09:00:00Z").plusSeconds(60L * i),
                    null, null, 0, null, List.of(new Place("sales-inbox", "INBOX", true))));
        }
        return list;
    }

    /** A source that delivers one batch of INBOX (UIDs 1..n), then runs {@code afterCommit}. */
    private static IncrementalSource oneBatch(List<MailMessage> messages, Runnable afterCommit) {
        return new IncrementalSource() {
            public PollSummary poll(CheckpointLookup checkpoints, BatchConsumer consumer) throws IOException {
                if (!messages.isEmpty()) {
                    consumer.accept(new Batch(new FolderCheckpoint("sales-inbox", "INBOX", 1, messages.size()), messages, List.of(),
                            false, messages.size(), messages.size()));
                }
                afterCommit.run();
                return new PollSummary(List.of(new FolderSummary("INBOX", messages.size(), 0, 0)));
            }

            public void close() { }
        };
    }

    @Test
    void theProgressOfASecondFolderIsItsOwnRate(@TempDir Path dir) throws IOException {
        Config config = ConfigLoader.load(SCENARIO.resolve("config.yaml"));
        MutableClock clock = new MutableClock(Instant.parse("2024-02-28T14:45:00Z"));
        try (Store store = Store.open(dir.resolve("replyclock.db"))) {
            PollCycle.ProgressLog log = new PollCycle(store, new LiveAnalysis(config), clock).new ProgressLog("sales");
            long second = 1_000_000_000L;
            // INBOX: 299,500 messages in the 60 s after its first batch
            assertEquals(null, log.batch(batch("INBOX", 600_000, 500), 0));
            clock.advance(java.time.Duration.ofSeconds(60));
            assertEquals("mailbox sales: INBOX 300000/600000 messages (4992/s), about 1m left",
                    log.batch(batch("INBOX", 600_000, 300_000), 60 * second));
            // Sent, read from the 100th second: 40,000 in its first 10 s are 4,000 a second, whatever INBOX took
            assertEquals(null, log.batch(batch("Sent", 400_000, 500), 100 * second));
            clock.advance(java.time.Duration.ofSeconds(50));
            assertEquals("mailbox sales: Sent 40500/400000 messages (4000/s), about 1m29s left",
                    log.batch(batch("Sent", 400_000, 40_500), 110 * second));
            // no line more often than every 5 s, nor for a folder's last batch
            clock.advance(java.time.Duration.ofSeconds(1));
            assertEquals(null, log.batch(batch("Sent", 400_000, 50_000), 111 * second));
            clock.advance(java.time.Duration.ofSeconds(10));
            assertEquals(null, log.batch(batch("Sent", 400_000, 400_000), 121 * second));
        }
    }

    private static IncrementalSource.Batch batch(String folder, long total, long done) {
        return new IncrementalSource.Batch(new FolderCheckpoint("sales", folder, 1, done), List.of(), List.of(), false,
                total, done);
    }
}
