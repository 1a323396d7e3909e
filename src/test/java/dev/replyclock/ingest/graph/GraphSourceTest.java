package dev.replyclock.ingest.graph;

import dev.replyclock.config.Config;
import dev.replyclock.config.SourceConfig;
import dev.replyclock.domain.FolderCheckpoint;
import dev.replyclock.domain.Lead;
import dev.replyclock.domain.MailMessage;
import dev.replyclock.ingest.HeaderParser;
import dev.replyclock.ingest.Batches;
import dev.replyclock.ingest.IncrementalSource;
import dev.replyclock.poll.PollCycle;
import dev.replyclock.report.LiveAnalysis;
import dev.replyclock.store.Store;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Graph source against {@link FakeGraph}: paging, delta rounds, failures, and the service's store as consumer. */
class GraphSourceTest {

    private static final String USER = GraphFixture.USER;

    @TempDir
    Path dir;
    private FakeGraph graph;
    private Config config;
    private SourceConfig.Graph graphConfig;
    private Store store;
    private LiveAnalysis live;
    private PollCycle cycle;

    private GraphFixture fixture;

    @BeforeEach
    void start() throws Exception {
        fixture = new GraphFixture(dir);
        graph = fixture.graph;
        config = fixture.config;
        graphConfig = fixture.graphConfig;
        store = fixture.store;
        live = fixture.live;
        cycle = fixture.cycle;
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private GraphSource source(int pageSize) {
        return fixture.source(pageSize, FakeGraph.TOKEN);
    }

    private GraphSource source(int pageSize, String token) {
        return fixture.source(pageSize, token);
    }

    private String lead(int n, String time) {
        return fixture.lead(n, time);
    }

    private String reply(int n, String time) {
        return fixture.reply(n, time);
    }

    private PollCycle.Outcome poll(IncrementalSource source) {
        PollCycle.Outcome outcome = cycle.poll("sales", source);
        assertFalse(outcome.failed(), outcome.error());
        return outcome;
    }

    /** Batches a poll hands over, without a store. */
    private static List<IncrementalSource.Batch> batches(GraphSource source, Map<String, FolderCheckpoint> checkpoints)
            throws IOException {
        return Batches.poll(source, checkpoints);
    }

    @Test
    void pagesAreFollowedOneBatchEachThenTheDeltaLinkIsKeptAndAskedNext() throws Exception {
        for (int n = 1; n <= 5; n++) {
            lead(n, "2024-02-27T08:1" + n + ":00Z");
        }
        reply(1, "2024-02-27T09:40:00Z");
        Map<String, FolderCheckpoint> checkpoints = new java.util.HashMap<>();
        try (GraphSource source = source(2)) {
            List<IncrementalSource.Batch> first = batches(source, checkpoints);
            assertEquals(List.of(2, 2, 1, 1), first.stream().map(b -> b.messages().size()).toList(),
                    "inbox: 3 pages of at most 2, sentitems: 1 page");
            assertTrue(first.get(0).checkpoint().cursor().contains("$skiptoken="), first.get(0).checkpoint().cursor());
            assertTrue(first.get(2).checkpoint().cursor().contains("$deltatoken="), first.get(2).checkpoint().cursor());
            assertTrue(first.get(3).checkpoint().cursor().contains("$deltatoken="));
            assertEquals(List.of(5L, 5L, 5L, 1L), first.stream().map(IncrementalSource.Batch::folderTotal).toList(),
                    "progress from the folders' totalItemCount");
            assertEquals(List.of(2L, 4L, 5L, 1L), first.stream().map(IncrementalSource.Batch::folderDone).toList());

            MailMessage m = first.get(0).messages().get(0);
            assertEquals("lead-1@x.example", m.id());
            assertEquals(List.of("buyer1@x.example"), m.from());
            assertEquals(List.of(USER), m.to());
            assertEquals("Quote 1", m.subject());
            assertEquals("2024-02-27T08:11:00Z", m.eventTime().toString(), "receivedDateTime in the inbox");
            assertEquals("conv-Quote 1", m.conversationHint());
            assertTrue(m.places().get(0).inboxFolder());
            MailMessage r = first.get(3).messages().get(0);
            assertEquals(List.of("lead-1@x.example"), r.references(), "In-Reply-To from the fetched headers");
            assertFalse(r.places().get(0).inboxFolder());

            long before = graph.requestCount();
            List<IncrementalSource.Batch> again = batches(source, checkpoints);
            assertEquals(2, again.size(), "one empty delta page per folder");
            assertTrue(again.stream().allMatch(b -> b.messages().isEmpty()));
            assertEquals(2, graph.requestCount() - before, "a quiet poll costs one request per folder");
        }
        String firstDelta = graph.requests.stream().filter(q -> q.contains("/delta")).findFirst().orElseThrow();
        assertTrue(firstDelta.contains("$select=") || firstDelta.contains("%24select="), firstDelta);
        assertTrue(firstDelta.contains("sales%40acme.example") || firstDelta.contains("sales@acme.example"), firstDelta);
    }

    @Test
    void aLaterPollReadsNewAndUpdatedMessagesAndIgnoresRemovedOnes() throws Exception {
        String lead1 = lead(1, "2024-02-27T08:15:00Z");
        String lead2 = lead(2, "2024-02-27T08:20:00Z");
        try (GraphSource source = source(10)) {
            assertEquals(2, poll(source).newMessages());
            assertNull(live.leads().get(0).firstResponse());

            reply(1, "2024-02-27T09:40:00Z");
            lead(3, "2024-02-27T10:00:00Z");
            graph.touch(lead1);      // marked read: delta returns it again
            graph.remove(lead2);     // deleted: @removed
            PollCycle.Outcome second = poll(source);
            assertEquals(3, second.newMessages(), "the new lead, the updated lead (merged), the reply");
            assertEquals(0, second.rejected(), "the @removed entry is skipped, not read as an empty message");
            assertEquals(List.of(), store.rejected());
            assertEquals(0, poll(source).newMessages());

            assertEquals(3, live.leads().size(), "a removed message keeps its lead; nothing counted twice");
            Lead first = live.leads().stream().filter(l -> l.leadMessageId().equals("lead-1@x.example")).findFirst().orElseThrow();
            assertEquals("reply-1@acme.example", first.firstResponse().messageId());
            assertEquals(4, store.counts().messages());
            assertEquals(4, live.counts().messages());
            assertEquals(live.leads(), store.leads());
        }
    }

    @Test
    void tooManyRequestsIsRetriedAfterRetryAfter() throws Exception {
        lead(1, "2024-02-27T08:15:00Z");
        reply(1, "2024-02-27T09:40:00Z");
        graph.fault("/mailFolders/inbox/messages/delta", 429, Map.of("Retry-After", "2"),
                "{\"error\":{\"code\":\"ApplicationThrottled\",\"message\":\"too many requests\"}}");
        graph.batchItemFaults(429);
        try (GraphSource source = source(10)) {
            long started = System.nanoTime();
            assertEquals(2, poll(source).newMessages());
            long millis = (System.nanoTime() - started) / 1_000_000;
            assertTrue(millis >= 2000, "waited Retry-After: 2 (" + millis + " ms)");
            assertEquals(1, live.leads().size());
            assertEquals("reply-1@acme.example", live.leads().get(0).firstResponse().messageId(),
                    "the throttled $batch step was fetched again");
        }
        assertEquals(2, graph.requests.stream().filter(q -> q.contains("/mailFolders/inbox/messages/delta")).count());
    }

    @Test
    void anExpiredDeltaReadsTheFolderAgainWithoutCountingAnythingTwice() throws Exception {
        lead(1, "2024-02-27T08:15:00Z");
        reply(1, "2024-02-27T09:40:00Z");
        try (GraphSource source = source(10)) {
            poll(source);
            List<Lead> before = live.leads();
            graph.expireDeltaTokens();
            lead(2, "2024-02-27T10:00:00Z");
            Map<String, FolderCheckpoint> checkpoints = new java.util.HashMap<>();
            store.checkpoints("sales").forEach(c -> checkpoints.put(c.folder(), c));
            List<IncrementalSource.Batch> seen = new ArrayList<>();
            cycle.poll("sales", new IncrementalSource() {
                @Override
                public PollSummary poll(CheckpointLookup lookup, BatchConsumer consumer) throws IOException {
                    return source.poll(lookup, b -> {
                        seen.add(b);
                        consumer.accept(b);
                    });
                }

                @Override
                public void close() {
                }
            });
            assertTrue(seen.stream().allMatch(IncrementalSource.Batch::folderReset), "both folders read again");
            assertEquals(1, seen.stream().mapToInt(b -> b.messages().size()).sum(), "only the new lead: the stored"
                    + " messages are not handed over again");
            assertEquals(3, store.counts().messages());
            assertEquals(2, live.leads().size());
            assertEquals(before.get(0), live.leads().get(0), "the copies read again merge: no metric changes");
            assertTrue(graph.requests.stream().anyMatch(q -> q.contains("$deltatoken")));
            assertTrue(store.checkpoint("sales", "inbox").orElseThrow().cursor().contains("$deltatoken="));
        }
    }

    @Test
    void anExpiredDeltaFetchesHeadersOnlyForTheMessagesTheStoreDoesNotHold() throws Exception {
        for (int n = 1; n <= 300; n++) {
            lead(n, "2024-02-27T08:15:00Z");
            if (n % 3 == 0) {
                reply(n, "2024-02-27T09:40:00Z");
            }
        }
        try (GraphSource source = source(100)) {
            poll(source);
            assertEquals(400, graph.headerFetches.get(), "the first sync fetches every message's headers");
            List<Lead> before = live.leads();
            graph.expireDeltaTokens();
            lead(301, "2024-02-27T10:00:00Z");
            reply(1, "2024-02-27T10:30:00Z");
            long fetched = graph.headerFetches.get();
            PollCycle.Outcome resync = poll(source);
            assertEquals(2, graph.headerFetches.get() - fetched,
                    "after the 410 both folders are listed again, but headers are fetched for the 2 new messages only");
            assertEquals(2, resync.newMessages());
            assertEquals(402, store.counts().messages());
            assertEquals(402, store.counts().copies(), "nothing stored twice: the known copies were not handed over");
            assertEquals(301, live.leads().size());
            assertEquals(before.get(1), live.leads().get(1), "a lead the resync did not touch is unchanged");
            assertEquals("reply-1@acme.example", live.leads().stream().filter(l -> l.leadMessageId().equals("lead-1@x.example"))
                    .findFirst().orElseThrow().firstResponse().messageId(), "the new reply was read");
        }
    }

    @Test
    void unauthorisedIsAConfigurationErrorNamingMailboxAndPermission() throws Exception {
        lead(1, "2024-02-27T08:15:00Z");
        try (GraphSource source = source(10, "a-wrong-token")) {
            PollCycle.Outcome outcome = cycle.poll("sales", source);
            assertTrue(outcome.failed());
            assertTrue(outcome.error().contains("mailbox sales"), outcome.error());
            assertTrue(outcome.error().contains("Mail.Read"), outcome.error());
            assertTrue(outcome.error().contains("401"), outcome.error());
            assertFalse(outcome.error().contains("a-wrong-token"));
            assertFalse(outcome.error().contains("not-used-here"));
            assertEquals(1, graph.requestCount(), "reported once: the poll stops at the first refusal");
        }
        graph.fault("/mailFolders/inbox/messages/delta", 403, Map.of(),
                "{\"error\":{\"code\":\"ErrorAccessDenied\",\"message\":\"Access is denied.\"}}");
        try (GraphSource source = source(10)) {
            IOException e = assertThrows(IOException.class, () -> source.poll(f -> Optional.empty(), b -> { }));
            assertTrue(e.getMessage().contains("403 ErrorAccessDenied"), e.getMessage());
            assertTrue(e.getMessage().contains("RBAC for Applications"), e.getMessage());
        }
    }

    @Test
    void aCrashBetweenTwoPagesResumesWithoutLossOrDoubleCount() throws Exception {
        for (int n = 1; n <= 5; n++) {
            lead(n, "2024-02-27T08:1" + n + ":00Z");
            reply(n, "2024-02-27T09:4" + n + ":00Z");
        }
        try (GraphSource source = source(2)) {
            int[] batches = {0};
            PollCycle.Outcome crashed = cycle.poll("sales", new IncrementalSource() {
                @Override
                public PollSummary poll(CheckpointLookup lookup, BatchConsumer consumer) throws IOException {
                    return source.poll(lookup, b -> {
                        if (++batches[0] == 2) {
                            throw new IOException("simulated crash before the second page is stored");
                        }
                        consumer.accept(b);
                    });
                }

                @Override
                public void close() {
                }
            });
            assertTrue(crashed.failed());
            assertEquals(2, store.counts().messages(), "only the first page is stored");
            FolderCheckpoint cp = store.checkpoint("sales", "inbox").orElseThrow();
            assertTrue(cp.cursor().contains("$skiptoken="), cp.cursor());

            poll(source);
            assertEquals(10, store.counts().messages());
            assertEquals(10, store.counts().copies(), "every message stored exactly once");
            assertEquals(5, live.leads().size());
            assertTrue(live.leads().stream().allMatch(l -> l.firstResponse() != null));
            assertEquals(live.leads(), store.leads());
        }
    }

    @Test
    void aMissingFolderIsAClearError() throws Exception {
        graph.fault("/mailFolders/archive", 404, Map.of(),
                "{\"error\":{\"code\":\"ErrorInvalidIdMalformed\",\"message\":\"Id is malformed.\"}}");
        SourceConfig.Graph withArchive = new SourceConfig.Graph(graphConfig.tenant(), graphConfig.clientId(),
                graphConfig.clientSecret(), USER, List.of("archive"), "global", graph.baseUrl(), graph.baseUrl());
        try (GraphSource source = new GraphSource("sales", withArchive, new HeaderParser(null), FakeGraph.tokens(FakeGraph.TOKEN), 10)) {
            IOException e = assertThrows(IOException.class, () -> source.poll(f -> Optional.empty(), b -> { }));
            assertEquals("mailbox sales: folder archive not found in sales@acme.example (use a well-known name such as"
                    + " inbox or sentitems, or a folder id)", e.getMessage());
        }
    }

    @Test
    void aMessageWhoseHeadersAreRefusedIsReadFromItsFieldsAlone() throws Exception {
        reply(1, "2024-02-27T09:40:00Z");
        graph.batchItemFaults(400);
        Map<String, FolderCheckpoint> checkpoints = new java.util.HashMap<>();
        try (GraphSource source = source(10)) {
            List<MailMessage> all = batches(source, checkpoints).stream().flatMap(b -> b.messages().stream()).toList();
            assertEquals(1, all.size());
            assertEquals("reply-1@acme.example", all.get(0).id());
            assertEquals(List.of(), all.get(0).references(), "no In-Reply-To without its headers");
            assertEquals("Re: Quote 1", all.get(0).subject());
        }
    }

    @Test
    void eventTimeIsReceivedForInboundAndSentForOutbound() throws Exception {
        var in = FakeGraph.message("in@x.example", "buyer@x.example", USER, "Quote", "2024-02-27T08:00:00Z");
        in.put("receivedDateTime", "2024-02-27T08:00:30Z");
        graph.add("inbox", in, List.of());
        var out = FakeGraph.message("out@acme.example", "alice@acme.example", "buyer@x.example", "Re: Quote", "2024-02-27T09:00:00Z");
        out.put("receivedDateTime", "2024-02-27T09:00:02Z");
        graph.add("sentitems", out, List.of());
        var archivedOwn = FakeGraph.message("own@acme.example", USER, "buyer@x.example", "Re: Quote", "2024-02-27T10:00:00Z");
        archivedOwn.put("receivedDateTime", "2024-02-27T10:00:05Z");
        graph.add("archive", archivedOwn, List.of());
        var archivedIn = FakeGraph.message("in2@x.example", "buyer@x.example", USER, "Re: Quote", "2024-02-27T11:00:00Z");
        archivedIn.put("receivedDateTime", "2024-02-27T11:00:07Z");
        graph.add("archive", archivedIn, List.of());
        SourceConfig.Graph three = new SourceConfig.Graph("contoso", "app-id", "x", USER, List.of("inbox", "sentitems", "archive"),
                "global", graph.baseUrl(), graph.baseUrl());
        try (GraphSource source = new GraphSource("sales", three, new HeaderParser(null), FakeGraph.tokens(FakeGraph.TOKEN), 10)) {
            Map<String, String> times = new java.util.HashMap<>();
            source.poll(f -> Optional.empty(), b -> b.messages().forEach(m -> times.put(m.id(), m.eventTime().toString())));
            assertEquals(Map.of("in@x.example", "2024-02-27T08:00:30Z", "out@acme.example", "2024-02-27T09:00:00Z",
                    "own@acme.example", "2024-02-27T10:00:00Z", "in2@x.example", "2024-02-27T11:00:07Z"), times);
        }
    }

    @Test
    void draftsAndAutomationSignsAreReadLikeHeaderBlocks() throws Exception {
        var draft = FakeGraph.message("draft-1@acme.example", "alice@acme.example", "x@y.example", "Draft", "2024-02-27T08:00:00Z");
        draft.put("isDraft", true);
        graph.add("sentitems", draft, List.of());
        graph.add("inbox", FakeGraph.message("ooo-1@x.example", "buyer@x.example", USER, "Out of office: Quote",
                "2024-02-27T08:00:00Z"), FakeGraph.headers("Auto-Submitted", "auto-replied", "X-Auto-Response-Suppress", "All"));
        Map<String, FolderCheckpoint> checkpoints = new java.util.HashMap<>();
        try (GraphSource source = source(10)) {
            List<IncrementalSource.Batch> batches = batches(source, checkpoints);
            List<MailMessage> all = batches.stream().flatMap(b -> b.messages().stream()).toList();
            assertEquals(1, all.size(), "the draft is ignored");
            MailMessage ooo = all.get(0);
            assertTrue(ooo.hasSign(dev.replyclock.domain.AutomationSign.AUTO_SUBMITTED));
            assertTrue(ooo.hasSign(dev.replyclock.domain.AutomationSign.X_AUTO_RESPONSE_SUPPRESS));
            assertNotNull(ooo.eventTime());
        }
    }

    @Test
    void aTenThousandMessageFirstSyncCountsItsRequests() throws Exception {
        for (int n = 1; n <= 10_000; n++) {
            graph.add("inbox", FakeGraph.message("m-" + n + "@x.example", "buyer@x.example", USER, "Quote " + n,
                    "2024-02-27T08:15:00Z"), FakeGraph.headers("Date", "Tue, 27 Feb 2024 08:15:00 +0000"));
        }
        Map<String, FolderCheckpoint> checkpoints = new java.util.HashMap<>();
        try (GraphSource source = source(GraphSource.DEFAULT_PAGE_SIZE)) {
            long started = System.nanoTime();
            List<IncrementalSource.Batch> batches = batches(source, checkpoints);
            long millis = (System.nanoTime() - started) / 1_000_000;
            assertEquals(10_000, batches.stream().mapToInt(b -> b.messages().size()).sum());
            long delta = graph.requests.stream().filter(q -> q.contains("/delta")).count();
            long batch = graph.requests.stream().filter(q -> q.contains("$batch")).count();
            System.out.printf("graph first sync of 10000 messages (page size %d): %d requests (%d delta pages, %d $batch)"
                    + " in %d ms; source counted %d%n", GraphSource.DEFAULT_PAGE_SIZE, graph.requestCount(), delta, batch,
                    millis, source.requestCount());
            assertEquals(100 + 1, delta, "100 inbox pages + 1 (empty) sentitems page");
            assertEquals(500, batch, "20 header fetches per $batch");
            assertEquals(graph.requestCount(), source.requestCount());
            assertEquals(2 + 101 + 500, graph.requestCount(), "one folder request per folder, delta pages, $batch");
        }
    }
}
