package dev.replyclock.ingest.gmail;

import dev.replyclock.domain.FolderCheckpoint;
import dev.replyclock.domain.Lead;
import dev.replyclock.domain.MailMessage;
import dev.replyclock.ingest.Batches;
import dev.replyclock.ingest.IncrementalSource;
import dev.replyclock.poll.PollCycle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Gmail source against {@link FakeGmail}: first sync, history, resync, throttling, delegation errors. */
class GmailSourceTest {

    @TempDir
    Path dir;
    private GmailFixture fx;
    private FakeGmail gmail;

    @BeforeEach
    void start() throws Exception {
        fx = new GmailFixture(dir);
        gmail = fx.gmail;
    }

    @AfterEach
    void stop() {
        fx.close();
    }

    private PollCycle.Outcome poll(IncrementalSource source) {
        PollCycle.Outcome outcome = fx.cycle.poll("sales", source);
        assertFalse(outcome.failed(), outcome.error());
        return outcome;
    }

    /** Batches a poll hands over, without a store. */
    private static List<IncrementalSource.Batch> batches(GmailSource source, Map<String, FolderCheckpoint> checkpoints)
            throws IOException {
        return Batches.poll(source, checkpoints);
    }

    @Test
    void aFirstSyncListsEachLabelPageByPageThenLaterPollsAskTheHistory() throws Exception {
        for (int n = 1; n <= 5; n++) {
            fx.lead(n, "2024-02-27T08:1" + n + ":00Z");
        }
        fx.reply(1, "2024-02-27T09:40:00Z");
        long historyAtStart = gmail.historyId();
        Map<String, FolderCheckpoint> checkpoints = new HashMap<>();
        try (GmailSource source = fx.source(2)) {
            List<IncrementalSource.Batch> first = batches(source, checkpoints);
            assertEquals(List.of(2, 2, 1, 1), first.stream().map(b -> b.messages().size()).toList(),
                    "INBOX: 3 pages of at most 2, SENT: 1 page");
            assertTrue(first.get(0).checkpoint().cursor().startsWith("list " + historyAtStart + " "),
                    first.get(0).checkpoint().cursor());
            assertEquals("history " + historyAtStart, first.get(2).checkpoint().cursor());
            assertEquals("history " + historyAtStart, first.get(3).checkpoint().cursor());
            assertEquals(List.of(5L, 5L, 5L, 1L), first.stream().map(IncrementalSource.Batch::folderTotal).toList(),
                    "progress from the labels' messagesTotal");

            MailMessage newest = first.get(0).messages().get(0);
            assertEquals("lead-5@x.example", newest.id(), "listed newest first");
            assertEquals(List.of("buyer5@x.example"), newest.from());
            assertEquals("2024-02-27T08:15:00Z", newest.eventTime().toString(), "internalDate, not the Date header");
            assertTrue(newest.places().get(0).inboxFolder());
            MailMessage reply = first.get(3).messages().get(0);
            assertEquals(List.of("lead-1@x.example"), reply.references());
            String leadThread = first.get(2).messages().get(0).conversationHint();
            assertEquals(leadThread, reply.conversationHint(), "threadId is the conversation hint");
            assertFalse(reply.places().get(0).inboxFolder());

            int before = gmail.requests.size();
            List<IncrementalSource.Batch> again = batches(source, checkpoints);
            assertEquals(2, again.size(), "one empty history answer per label");
            assertTrue(again.stream().allMatch(b -> b.messages().isEmpty()));
            assertEquals(List.of("/gmail/v1/users/sales%40acme.example/history", "/gmail/v1/users/sales%40acme.example/history"),
                    gmail.requests.subList(before, gmail.requests.size()).stream().map(q -> q.replaceAll("\\?.*", "")).toList(),
                    "a quiet poll costs one request per label");
        }
        String batchPart = gmail.requests.stream().filter(q -> q.startsWith("batch> ")).findFirst().orElseThrow();
        assertTrue(batchPart.contains("format=metadata") && batchPart.contains("metadataHeaders=In-Reply-To")
                && batchPart.contains("metadataHeaders=X-Replyclock-Rep"), batchPart);
    }

    @Test
    void newMailBetweenPollsIsReadOnce() throws Exception {
        fx.lead(1, "2024-02-27T08:15:00Z");
        fx.lead(2, "2024-02-27T08:20:00Z");
        try (GmailSource source = fx.source(10)) {
            assertEquals(2, poll(source).newMessages());
            assertNull(fx.live.leads().get(0).firstResponse());

            fx.reply(1, "2024-02-27T09:40:00Z");
            fx.lead(3, "2024-02-27T10:00:00Z");
            long fetchedBefore = source.headerFetchCount();
            assertEquals(2, poll(source).newMessages(), "the reply and the new lead");
            assertEquals(2, source.headerFetchCount() - fetchedBefore, "headers fetched only for the new messages");
            assertEquals(0, poll(source).newMessages());

            assertEquals(3, fx.live.leads().size());
            Lead first = fx.live.leads().stream().filter(l -> l.leadMessageId().equals("lead-1@x.example"))
                    .findFirst().orElseThrow();
            assertEquals("reply-1@acme.example", first.firstResponse().messageId());
            assertEquals(4, fx.store.counts().messages());
            assertEquals(4, fx.store.counts().copies(), "every message stored once");
            assertEquals(fx.live.leads(), fx.store.leads());
        }
    }

    @Test
    void anExpiredHistoryIdListsTheLabelsAgainAndFetchesOnlyTheHeadersOfWhatWasNotReadYet() throws Exception {
        fx.lead(1, "2024-02-27T08:15:00Z");
        fx.reply(1, "2024-02-27T09:40:00Z");
        List<IncrementalSource.Batch> batches = new ArrayList<>();
        fx.cycle.addBatchListener((mailbox, batch) -> batches.add(batch));
        try (GmailSource source = fx.source(10)) {
            poll(source);
            List<Lead> before = fx.live.leads();
            gmail.expireHistory();
            fx.lead(2, "2024-02-27T10:00:00Z");
            batches.clear();
            long fetchedBefore = source.headerFetchCount();
            assertEquals(1, poll(source).newMessages(), "both labels listed again, only the new message read");
            assertEquals(1, source.headerFetchCount() - fetchedBefore, "the headers of the new message only");
            assertTrue(batches.stream().allMatch(IncrementalSource.Batch::folderReset), "both labels read again");
            assertEquals(3, fx.store.counts().messages());
            assertEquals(0, fx.store.counts().duplicates(), "nothing read twice");
            assertEquals(2, fx.live.leads().size());
            assertEquals(before.get(0), fx.live.leads().get(0), "no metric of the first lead changes");
            assertEquals("history " + gmail.historyId(), fx.store.checkpoint("sales", "INBOX").orElseThrow().cursor());
            assertEquals(0, poll(source).newMessages(), "the new history id is kept");
        }
        assertEquals(2, gmail.requests.stream().filter(q -> q.contains("/history?")).filter(q -> q.contains("labelId=INBOX"))
                .count(), "one answered 404, then one from the new id");
    }

    @Test
    void aMessageDeletedBetweenListingAndItsHeadersIsSkipped() throws Exception {
        String gone = fx.lead(1, "2024-02-27T08:15:00Z");
        fx.lead(2, "2024-02-27T08:20:00Z");
        gmail.fault("/messages/" + gone + "?", 404, null, "notFound");
        Map<String, FolderCheckpoint> checkpoints = new HashMap<>();
        try (GmailSource source = fx.source(10)) {
            List<IncrementalSource.Batch> batches = batches(source, checkpoints);
            assertEquals(List.of("lead-2@x.example"), batches.stream().flatMap(b -> b.messages().stream())
                    .map(MailMessage::id).toList());
        }
    }
}
