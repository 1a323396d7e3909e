package dev.replyclock.ingest.graph;

import dev.replyclock.domain.Lead;
import dev.replyclock.ingest.IncrementalSource;
import dev.replyclock.poll.PollCycle;
import dev.replyclock.store.StoredCounts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A Graph mailbox whose server misbehaves — throttling storms, expired delta state, 5xx, bodies cut short or not
 * JSON — polled by the service's own path into a real store. After the storm every message is stored once, and a
 * failed poll names mailbox, folder and cause, commits nothing of the broken response, and the next poll resumes.
 */
class GraphFaultTest {

    /** Leads in the inbox and replies in sentitems; with pages of 2 each folder is read in 2 pages. */
    private static final int LEADS = 4;
    private static final String SYNC_STATE_NOT_FOUND =
            "{\"error\":{\"code\":\"SyncStateNotFound\",\"message\":\"The sync state generation is no longer valid.\"}}";
    /** The second page of the first round of the inbox (the fake's skip tokens are from.to.offset; from is -1). */
    private static final String INBOX_PAGE_2 = "skiptoken=-1.";
    private static final String INBOX_DELTA = "/mailFolders/inbox/messages/delta";
    /** Short back-off without Retry-After, so that failing paths cost milliseconds. */
    private static final GraphRetry QUICK = new GraphRetry(4, 20);

    @TempDir
    Path dir;
    private GraphFixture fx;
    private FakeGraph graph;

    @BeforeEach
    void start() throws IOException {
        fx = new GraphFixture(dir);
        graph = fx.graph;
        for (int n = 1; n <= LEADS; n++) {
            fx.lead(n, "2024-02-27T08:1" + n + ":00Z");
            fx.reply(n, "2024-02-27T09:4" + n + ":00Z");
        }
    }

    @AfterEach
    void stop() {
        fx.close();
    }

    private static Map<String, String> retryAfter(String seconds) {
        return Map.of("Retry-After", seconds);
    }

    private void faults(int times, String match, int status, Map<String, String> headers, String body) {
        for (int k = 0; k < times; k++) {
            graph.fault(match, status, headers, body);
        }
    }

    private PollCycle.Outcome poll(GraphSource source) {
        PollCycle.Outcome outcome = fx.cycle.poll("sales", source);
        assertFalse(outcome.failed(), outcome.error());
        return outcome;
    }

    /** Every lead and reply stored exactly once (copies read again merge), every lead answered, and the store agrees with the analysis. */
    private void assertEverythingOnce() {
        assertEquals(2 * LEADS, fx.store.counts().messages());
        StoredCounts counts = fx.store.counts();
        assertEquals(2 * LEADS, counts.copies() - counts.duplicates(), "every copy read again merged: " + counts);
        assertEquals(List.of(), fx.store.rejected());
        List<Lead> leads = fx.live.leads();
        assertEquals(LEADS, leads.size());
        for (Lead lead : leads) {
            assertEquals(lead.leadMessageId().replace("lead-", "reply-").replace("x.example", "acme.example"),
                    lead.firstResponse().messageId());
        }
        assertEquals(leads, fx.store.leads());
        assertEquals(0, graph.pendingFaults(), "every scripted fault was met");
    }

    /**
     * Each fault answered with a Retry-After was followed by the next request for the same thing no earlier than
     * asked, as the fake's clock saw it.
     */
    private void assertRetryAfterHonoured() {
        for (FakeGraph.Answered a : graph.answered) {
            if (a.retryAfterSeconds() == 0) {
                continue;
            }
            String same = a.request().startsWith("POST /v1.0/$batch") ? "POST /v1.0/$batch" : a.request();
            int next = -1;
            for (int i = 0; i < graph.requests.size() && next < 0; i++) {
                if (graph.arrivals.get(i) > a.nanos() && graph.requests.get(i).startsWith(same)) {
                    next = i;
                }
            }
            assertTrue(next >= 0, "never asked again after " + a);
            long waitedMillis = (graph.arrivals.get(next) - a.nanos()) / 1_000_000;
            assertTrue(waitedMillis >= a.retryAfterSeconds() * 1000, a + " was retried after " + waitedMillis + " ms");
        }
    }

    @Test
    void aThrottlingStormOnDeltaPagesAndBatchRequestsOfBothFoldersIsWaitedOutAndCountsEveryMessageOnce() {
        String throttled = "{\"error\":{\"code\":\"ApplicationThrottled\",\"message\":\"too many requests\"}}";
        // More in a row than the SDK's middleware retries (3), so the source's own retry has to carry on.
        faults(5, INBOX_PAGE_2, 429, retryAfter("1"), throttled);
        faults(5, "/mailFolders/sentitems/messages/delta", 503, retryAfter("1"), "");
        faults(2, "$batch", 429, retryAfter("1"), throttled);
        graph.batchItemFaults(429, 429);
        try (GraphSource source = fx.source(2, GraphRetry.DEFAULT)) {
            assertEquals(2 * LEADS, poll(source).newMessages());
        }
        assertEquals(5 + 5 + 2 + 1, graph.answered.size(), "the storm as the fake answered it: " + graph.answered);
        assertRetryAfterHonoured();
        assertEverythingOnce();
    }

    @ParameterizedTest(name = "410 on {0}")
    @ValueSource(strings = {INBOX_DELTA, INBOX_PAGE_2})
    void anExpiredDeltaOnTheFirstPageOrMidPagingReadsTheFolderAgainWithoutCountingTwice(String where) {
        graph.fault(where, 410, Map.of(), SYNC_STATE_NOT_FOUND);
        List<IncrementalSource.Batch> batches = new ArrayList<>();
        fx.cycle.addBatchListener((mailbox, batch) -> batches.add(batch));
        try (GraphSource source = fx.source(2, QUICK)) {
            poll(source);
        }
        long initialRounds = graph.requests.stream().filter(r -> r.contains(INBOX_DELTA) && r.contains("select")).count();
        assertEquals(2, initialRounds, "the inbox round began again: " + graph.requests);
        assertTrue(batches.stream().filter(b -> b.checkpoint().folder().equals("inbox")).anyMatch(
                IncrementalSource.Batch::folderReset), "the re-read is marked as one");
        assertEverythingOnce();
    }

    @Test
    void anExpiredDeltaLinkOfALaterPollReadsBothFoldersAgainWithoutCountingTwice() {
        try (GraphSource source = fx.source(2, QUICK)) {
            poll(source);
            List<Lead> before = fx.live.leads();
            // Graph reports an expired sync state either as 410 Gone or as an error code on another status.
            // Faults go to the next matching request: the inbox asks first, then sentitems.
            graph.fault("deltatoken=", 400, Map.of(),
                    "{\"error\":{\"code\":\"resyncRequired\",\"message\":\"Resync required.\"}}");
            graph.fault("deltatoken=", 410, Map.of(), SYNC_STATE_NOT_FOUND);
            long fetched = graph.headerFetches.get();
            assertEquals(0, poll(source).newMessages(), "both folders listed again, every message already stored");
            assertEquals(0, graph.headerFetches.get() - fetched, "no header fetched again");
            assertEquals(before, fx.live.leads(), "the folders read again change nothing");
        }
        assertEverythingOnce();
    }

    @Test
    void aDeltaThatExpiresAgainWhileBeingReadAgainFailsThePollClearlyAndTheNextPollRecovers() {
        graph.fault(INBOX_DELTA, 410, Map.of(), SYNC_STATE_NOT_FOUND);
        graph.fault(INBOX_DELTA, 410, Map.of(), SYNC_STATE_NOT_FOUND);
        try (GraphSource source = fx.source(2, QUICK)) {
            PollCycle.Outcome failed = fx.cycle.poll("sales", source);
            assertTrue(failed.failed());
            assertTrue(failed.error().startsWith("mailbox sales folder inbox: Microsoft Graph request failed (HTTP 410"),
                    failed.error());
            assertEquals(0, fx.store.counts().messages());
            poll(source);
        }
        assertEverythingOnce();
    }

    @Test
    void transientServerErrorsOnPagesAndBatchesAreRetriedUntilTheSyncCompletes() {
        graph.fault(INBOX_DELTA, 500, Map.of(), "{\"error\":{\"code\":\"InternalServerError\",\"message\":\"oops\"}}");
        graph.fault(INBOX_DELTA, 502, Map.of(), "<html>Bad Gateway</html>");
        graph.fault(INBOX_DELTA, 504, retryAfter("0"), "");
        graph.fault(INBOX_PAGE_2, 502, Map.of(), "");
        graph.fault("$batch", 500, Map.of(), "");
        graph.fault("/mailFolders/sentitems/messages/delta", 503, retryAfter("0"), "");
        graph.batchItemFaults(500);
        try (GraphSource source = fx.source(2, QUICK)) {
            poll(source);
        }
        assertRetryAfterHonoured();
        assertEverythingOnce();
    }

    @ParameterizedTest(name = "persistent 500 on {0}")
    @CsvSource({INBOX_PAGE_2 + ", 2", "$batch, 0"})
    void aPersistentServerErrorFailsThePollNamingMailboxFolderAndStatusAndTheNextPollResumes(String where, int storedFirst) {
        faults(QUICK.attempts(), where, 500, Map.of(),
                "{\"error\":{\"code\":\"InternalServerError\",\"message\":\"Something went wrong.\"}}");
        try (GraphSource source = fx.source(2, QUICK)) {
            PollCycle.Outcome failed = fx.cycle.poll("sales", source);
            assertTrue(failed.failed());
            assertTrue(failed.error().startsWith("mailbox sales folder inbox: Microsoft Graph request failed (HTTP 500"),
                    failed.error());
            assertEquals(storedFirst, fx.store.counts().messages(), "only whole pages before the failure are stored");
            assertEquals(storedFirst == 0, fx.store.checkpoint("sales", "inbox").isEmpty());
            assertTrue(fx.store.checkpoint("sales", "sentitems").isEmpty(), "the poll stopped at the failing folder");

            int before = graph.requests.size();
            poll(source);
            String resumed = graph.requests.get(before);
            assertTrue(storedFirst == 0 ? resumed.contains("/mailFolders/inbox?") : resumed.contains(INBOX_PAGE_2),
                    "the next poll resumes at the checkpoint: " + resumed);
        }
        assertEverythingOnce();
    }

    @ParameterizedTest(name = "{0} on the inbox's second delta page")
    @EnumSource(FakeGraph.Mangle.class)
    void aHalfWrittenDeltaPageFailsThePollWithNothingOfItStoredAndTheNextPollRecovers(FakeGraph.Mangle how) {
        assertHalfWrittenResponseRecovers(INBOX_PAGE_2, how, 2);
    }

    @ParameterizedTest(name = "{0} on the first $batch")
    @EnumSource(FakeGraph.Mangle.class)
    void aHalfWrittenBatchResponseFailsThePollWithNothingOfItsPageStoredAndTheNextPollRecovers(FakeGraph.Mangle how) {
        assertHalfWrittenResponseRecovers("$batch", how, 0);
    }

    private void assertHalfWrittenResponseRecovers(String where, FakeGraph.Mangle how, int storedFirst) {
        graph.mangle(where, how);
        try (GraphSource source = fx.source(2, QUICK)) {
            PollCycle.Outcome failed = fx.cycle.poll("sales", source);
            assertTrue(failed.failed(), how + " was taken for a good response");
            assertTrue(failed.error().startsWith("mailbox sales folder inbox: could not read a "),
                    failed.error());
            assertTrue(failed.error().endsWith("nothing of it was stored, the next poll asks for it again"),
                    failed.error());
            assertEquals(storedFirst, fx.store.counts().messages(), "no partial page stored");
            assertEquals(List.of(), fx.store.rejected(), "nothing rejected for a transport fault");
            poll(source);
        }
        assertEverythingOnce();
    }
}
