package dev.replyclock.store;

import dev.replyclock.domain.RejectedMessage;
import dev.replyclock.domain.AutomationSign;
import dev.replyclock.domain.Conversation;
import dev.replyclock.domain.FolderCheckpoint;
import dev.replyclock.domain.Lead;
import dev.replyclock.domain.MailMessage;
import dev.replyclock.domain.Place;
import dev.replyclock.domain.Response;
import dev.replyclock.domain.SlaState;
import dev.replyclock.domain.Wait;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The store suite, run on both backends: {@link SqliteStoreTest} and {@link PostgresStoreTest} (which add the tests
 * that only make sense on their database).
 */
abstract class StoreTest {

    static final Place INBOX = new Place("sales", "INBOX", true);
    static final Place SENT = new Place("sales", "Sent", false);
    static final Place OTHER_INBOX = new Place("support", "INBOX", true);


    static MailMessage msg(String id, String time, String subject, Place... places) {
        return new MailMessage(id, List.of("parent@x.example"), subject, List.of("kunde@firma.example"), null,
                List.of(), List.of("sales@acme.example"), List.of(), time == null ? null : Instant.parse(time),
                null, null, 0, null, List.of(places));
    }

    static FolderCheckpoint cp(Place place, long uid) {
        return new FolderCheckpoint(place.mailboxId(), place.folder(), 7, uid);
    }

    /** Opens the store under test: the same database on every call within one test, a fresh one per test. */
    abstract Store open();

    // ------------------------------------------------------------------------------------------ round trips

    @Test
    void messagesRoundTripExactlyInInsertionOrder() {
        MailMessage full = new MailMessage("full@x.example",
                List.of("a@x.example", "b@x.example", "c@x.example"),
                "Angebot für Größe XL – 😀 日本語 \"quoted\" 'single' \\ back",
                List.of("klaus@firma.example", "second@firma.example"),
                "assistant@firma.example",
                List.of("reply@firma.example"),
                List.of("sales@acme.example", "bob@acme.example"),
                List.of("cc1@acme.example", "cc2@acme.example", "cc3@acme.example"),
                Instant.parse("2024-02-26T09:00:00.123Z"),
                "01d2c3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2",
                "AAQkAGI2conversation",
                AutomationSign.AUTO_SUBMITTED.bit() | AutomationSign.LIST_ID.bit() | AutomationSign.AUTOMATED_SUBJECT.bit(),
                "Alice Example",
                List.of(INBOX, SENT, OTHER_INBOX));
        MailMessage sparse = new MailMessage("synthetic-0123abcd", List.of(), "", List.of(), null, List.of(),
                List.of(), List.of(), null, null, null, 0, null, List.of(SENT));
        MailMessage nullLists = new MailMessage("nulls@x.example", null, null, null, null, null, null, null,
                Instant.EPOCH, null, null, -1, "", List.of());
        MailMessage earlier = msg("zzz-first@x.example", "2020-01-01T00:00:00Z", "inserted first", INBOX);

        try (Store store = open()) {
            store.commitBatch(cp(INBOX, 1), List.of(earlier), List.of());
            CommitResult r = store.commitBatch(cp(INBOX, 4), List.of(full, sparse, nullLists), List.of());
            assertEquals(List.of("full@x.example", "synthetic-0123abcd", "nulls@x.example"), r.newIds());
            assertEquals(List.of(), r.changedIds());
            assertEquals(0, r.duplicates());
            assertEquals(List.of(earlier, full, sparse, nullLists), store.loadMessages());
            assertEquals(4, store.messageCount());
        }
        try (Store store = open()) {
            assertEquals(List.of(earlier, full, sparse, nullLists), store.loadMessages());
        }
    }

    @Test
    void unstorableListsAreRefusedAndNothingIsStored() {
        MailMessage newline = new MailMessage("n@x", List.of("a\nb"), "", List.of(), null, List.of(), List.of(),
                List.of(), null, null, null, 0, null, List.of(INBOX));
        MailMessage oneEmpty = new MailMessage("e@x", List.of(), "", List.of(""), null, List.of(), List.of(),
                List.of(), null, null, null, 0, null, List.of(INBOX));
        try (Store store = open()) {
            MailMessage ok = msg("ok@x", "2024-01-01T00:00:00Z", "ok", INBOX);
            assertThrows(IllegalArgumentException.class,
                    () -> store.commitBatch(cp(INBOX, 2), List.of(ok, newline), List.of()));
            assertThrows(IllegalArgumentException.class,
                    () -> store.commitBatch(cp(INBOX, 2), List.of(ok, oneEmpty), List.of()));
            assertEquals(0, store.messageCount());
            assertEquals(Optional.empty(), store.checkpoint("sales", "INBOX"));
        }
    }

    @Test
    void leadsAndWaitsRoundTripExactly() {
        MailMessage a = msg("a@x", "2024-02-26T09:00:00Z", "Angebot", INBOX);
        MailMessage b = msg("b@x", "2024-02-26T11:00:00Z", "Re: Angebot", SENT);
        MailMessage c = msg("c@x", "2024-02-27T09:00:00Z", "Anfrage", INBOX);
        Lead answered = new Lead("a@x", "a@x", "sales", "team-de", "klaus@firma.example",
                Instant.parse("2024-02-26T09:00:00Z"), Instant.parse("2024-02-26T13:00:00Z"),
                Instant.parse("2024-02-26T12:00:00Z"),
                new Response("b@x", Instant.parse("2024-02-26T11:00:00Z"), "alice", 7200, 7200),
                3, Instant.parse("2024-03-04T09:00:00Z"), true);
        Lead unanswered = new Lead("c@x", "c@x", "sales", null, null,
                Instant.parse("2024-02-27T09:00:00Z"), Instant.parse("2024-02-27T13:00:00.5Z"),
                Instant.parse("2024-02-27T12:00:00Z"), null, 0, null, false);
        Wait closed = new Wait("a@x", "a@x", "sales", "team-de", Instant.parse("2024-02-26T09:00:00Z"),
                new Response("b@x", Instant.parse("2024-02-26T11:00:00Z"), Response.UNATTRIBUTED, 0, 7200));
        Wait open = new Wait("c@x", "c@x", "sales", null, Instant.parse("2024-02-27T09:00:00Z"), null);
        try (Store store = open()) {
            store.commitBatch(cp(INBOX, 3), List.of(a, b, c), List.of());
            store.replaceResults(List.of(),
                    List.of(Conversation.of(List.of(b, a)), Conversation.of(List.of(c))),
                    List.of(unanswered, answered), List.of(open, closed));
            assertEquals(List.of(answered, unanswered), store.leads());
            assertEquals(List.of(closed, open), store.waits());
            assertEquals(Map.of("a@x", List.of("a@x", "b@x"), "c@x", List.of("c@x")), store.conversationMessageIds());
            assertEquals(Map.of("b@x", "a@x"), store.conversationsOf(List.of("b@x", "unknown@x")));
        }
        try (Store store = open()) {
            assertEquals(List.of(answered, unanswered), store.leads());
            assertEquals(List.of(closed, open), store.waits());
        }
    }

    // ------------------------------------------------------------------------------------------- merging

    @Test
    void duplicatesMergeAcrossBatchesAndCommitResultSaysWhatChanged() {
        MailMessage first = msg("m@x", "2024-02-26T10:00:00Z", "Original subject", INBOX);
        MailMessage other = msg("o@x", "2024-02-26T08:00:00Z", "Other", INBOX);
        try (Store store = open()) {
            CommitResult r1 = store.commitBatch(cp(INBOX, 2), List.of(first, other), List.of());
            assertEquals(List.of("m@x", "o@x"), r1.newIds());

            // Same place, later time: a duplicate that changes nothing.
            MailMessage sameAgain = msg("m@x", "2024-02-26T11:00:00Z", "Changed subject", INBOX);
            CommitResult r2 = store.commitBatch(cp(INBOX, 3), List.of(sameAgain), List.of());
            assertEquals(List.of(), r2.newIds());
            assertEquals(List.of(), r2.changedIds());
            assertEquals(1, r2.duplicates());
            assertFalse(r2.changedAnything());

            // A copy in Sent with an earlier time, then one in another mailbox within the same batch, plus a new one.
            MailMessage sentCopy = msg("m@x", "2024-02-26T09:30:00Z", "Sent subject", SENT);
            MailMessage otherMailbox = msg("m@x", "2024-02-26T09:45:00Z", "Third subject", OTHER_INBOX);
            MailMessage fresh = msg("n@x", "2024-02-26T12:00:00Z", "New", SENT);
            MailMessage freshAgain = msg("n@x", "2024-02-26T11:00:00Z", "New again", INBOX);
            CommitResult r3 = store.commitBatch(cp(SENT, 10), List.of(sentCopy, fresh, otherMailbox, freshAgain),
                    List.of());
            assertEquals(List.of("n@x"), r3.newIds());
            assertEquals(List.of("m@x"), r3.changedIds());
            assertEquals(4, r3.copies());
            assertEquals(3, r3.duplicates());
            assertEquals(List.of("n@x", "m@x"), r3.touchedIds());

            // Only a new place (no time change) also counts as a change.
            MailMessage otherInSent = msg("o@x", "2024-02-26T08:00:00Z", "Other", SENT);
            CommitResult r4 = store.commitBatch(cp(SENT, 11), List.of(otherInSent), List.of());
            assertEquals(List.of("o@x"), r4.changedIds());

            // An undated stored copy gains a time from a dated copy.
            MailMessage undated = msg("u@x", null, "Undated", INBOX);
            store.commitBatch(cp(INBOX, 12), List.of(undated), List.of());
            CommitResult r5 = store.commitBatch(cp(INBOX, 13), List.of(msg("u@x", "2024-01-01T00:00:00Z", "x", INBOX)),
                    List.of());
            assertEquals(List.of("u@x"), r5.changedIds());

            List<MailMessage> loaded = store.loadMessages();
            MailMessage expectedM = first.mergedWith(sameAgain).mergedWith(sentCopy).mergedWith(otherMailbox);
            MailMessage expectedO = other.mergedWith(otherInSent);
            MailMessage expectedN = fresh.mergedWith(freshAgain);
            MailMessage expectedU = undated.mergedWith(msg("u@x", "2024-01-01T00:00:00Z", "x", INBOX));
            assertEquals(List.of(expectedM, expectedO, expectedN, expectedU), loaded);
            MailMessage m = loaded.get(0);
            assertEquals("Original subject", m.subject());
            assertEquals(Instant.parse("2024-02-26T09:30:00Z"), m.eventTime());
            assertEquals(List.of(INBOX, SENT, OTHER_INBOX), m.places());
            assertEquals(Instant.parse("2024-02-26T11:00:00Z"), loaded.get(2).eventTime());
            assertEquals(List.of(SENT, INBOX), loaded.get(2).places());

            // copies: 2 + 1 + 4 + 1 + 1 + 1; duplicates: 0 + 1 + 3 + 1 + 0 + 1
            assertEquals(new StoredCounts(10, 0, 4, 6), store.counts());
        }
    }

    @Test
    void rejectedItemsAreRecordedOncePerLocation() {
        try (Store store = open()) {
            store.commitBatch(cp(INBOX, 5), List.of(msg("a@x", "2024-01-01T00:00:00Z", "a", INBOX)),
                    List.of(new RejectedMessage("sales", "INBOX", "uid 3", "no Date and no Message-ID"),
                            new RejectedMessage("sales", "INBOX", "uid 4", "not RFC 5322")));
            store.commitBatch(cp(INBOX, 6), List.of(),
                    List.of(new RejectedMessage("sales", "INBOX", "uid 4", "still not RFC 5322")));
            assertEquals(List.of(new RejectedMessage("sales", "INBOX", "uid 3", "no Date and no Message-ID"),
                    new RejectedMessage("sales", "INBOX", "uid 4", "still not RFC 5322")), store.rejected());
            assertEquals(new StoredCounts(1, 2, 1, 0), store.counts());
        }
    }

    // ------------------------------------------------------------------------------------------- atomicity

    @Test
    void aBatchThatFailsMidwayStoresNothing() {
        try (Store store = open()) {
            MailMessage known = msg("known@x", "2024-02-26T10:00:00Z", "Known", INBOX);
            store.commitBatch(cp(INBOX, 1), List.of(known), List.of());

            MailMessage nullId = new MailMessage(null, List.of(), "", List.of(), null, List.of(), List.of(),
                    List.of(), null, null, null, 0, null, List.of(INBOX));
            List<MailMessage> batch = List.of(
                    msg("new1@x", "2024-02-26T11:00:00Z", "New 1", SENT),
                    msg("known@x", "2024-02-26T09:00:00Z", "Known earlier", SENT),
                    msg("new2@x", "2024-02-26T12:00:00Z", "New 2", SENT),
                    nullId,
                    msg("new3@x", "2024-02-26T13:00:00Z", "New 3", SENT));
            StoreException e = assertThrows(StoreException.class, () -> store.commitBatch(cp(SENT, 99), batch,
                    List.of(new RejectedMessage("sales", "Sent", "uid 50", "broken"))));
            assertTrue(e.getMessage().toUpperCase(java.util.Locale.ROOT).replace('-', ' ').contains("NOT NULL"), e.getMessage());

            assertEquals(List.of(known), store.loadMessages());
            assertEquals(Optional.empty(), store.checkpoint("sales", "Sent"));
            assertEquals(new StoredCounts(1, 0, 1, 0), store.counts());

            // The store still works afterwards and keeps insertion order.
            store.commitBatch(cp(SENT, 99), batch.subList(0, 3), List.of());
            assertEquals(List.of("known@x", "new1@x", "new2@x"), store.loadMessages().stream().map(MailMessage::id).toList());
        }
    }

    @Test
    void anInjectedFailureBeforeTheCheckpointRollsBackMergesToo() {
        try (Store store = open()) {
            MailMessage known = msg("known@x", "2024-02-26T10:00:00Z", "Known", INBOX);
            store.commitBatch(cp(INBOX, 1), List.of(known), List.of());
            store.beforeCheckpointWrite = () -> {
                throw new IllegalStateException("injected");
            };
            assertThrows(IllegalStateException.class, () -> store.commitBatch(cp(INBOX, 2),
                    List.of(msg("known@x", "2024-02-26T08:00:00Z", "x", SENT), msg("new@x", null, "y", INBOX)),
                    List.of(new RejectedMessage("sales", "INBOX", "uid 2", "broken"))));
            store.beforeCheckpointWrite = null;
            assertEquals(List.of(known), store.loadMessages());
            assertEquals(Optional.of(cp(INBOX, 1)), store.checkpoint("sales", "INBOX"));
            assertEquals(List.of(), store.rejected());
            assertEquals(new StoredCounts(1, 0, 1, 0), store.counts());
        }
    }

    // ----------------------------------------------------------------------------------------- checkpoints

    @Test
    void checkpointsAreUpsertedAndReset() {
        try (Store store = open()) {
            assertEquals(Optional.empty(), store.checkpoint("sales", "INBOX"));
            store.commitBatch(new FolderCheckpoint("sales", "INBOX", 7, 100), List.of(), List.of());
            store.commitBatch(new FolderCheckpoint("sales", "INBOX", 7, 250), List.of(), List.of());
            store.commitBatch(new FolderCheckpoint("sales", "Archive", 3, 9), List.of(), List.of());
            store.commitBatch(new FolderCheckpoint("support", "INBOX", 1, 1), List.of(), List.of());
            assertEquals(Optional.of(new FolderCheckpoint("sales", "INBOX", 7, 250)), store.checkpoint("sales", "INBOX"));
            assertEquals(List.of(new FolderCheckpoint("sales", "Archive", 3, 9),
                    new FolderCheckpoint("sales", "INBOX", 7, 250)), store.checkpoints("sales"));

            store.commitBatch(cp(INBOX, 251), List.of(msg("a@x", "2024-01-01T00:00:00Z", "a", INBOX)), List.of());
            store.resetCheckpoint("sales", "INBOX", 8);
            store.resetCheckpoint("sales", "New", 5);
            assertEquals(Optional.of(new FolderCheckpoint("sales", "INBOX", 8, 0)), store.checkpoint("sales", "INBOX"));
            assertEquals(Optional.of(new FolderCheckpoint("sales", "New", 5, 0)), store.checkpoint("sales", "New"));
            assertEquals(1, store.messageCount());
        }
    }

    @Test
    void aCursorIsStoredWithItsCheckpointReplacedAndClearedByAReset() {
        String delta = "https://graph.microsoft.com/v1.0/users/sales/mailFolders/inbox/messages/delta?$deltatoken=abc%40d";
        try (Store store = open()) {
            store.commitBatch(new FolderCheckpoint("sales", "inbox", 0, 0, "https://next/1"), List.of(), List.of());
            assertEquals(Optional.of(new FolderCheckpoint("sales", "inbox", 0, 0, "https://next/1")),
                    store.checkpoint("sales", "inbox"));
            store.commitBatch(new FolderCheckpoint("sales", "inbox", 0, 0, delta), List.of(), List.of());
            assertEquals(Optional.of(new FolderCheckpoint("sales", "inbox", 0, 0, delta)), store.checkpoint("sales", "inbox"));
            assertEquals(List.of(new FolderCheckpoint("sales", "inbox", 0, 0, delta)), store.checkpoints("sales"));
            store.commitBatch(new FolderCheckpoint("sales", "inbox", 0, 0), List.of(), List.of());
            assertEquals(Optional.of(new FolderCheckpoint("sales", "inbox", 0, 0, null)), store.checkpoint("sales", "inbox"));
            store.commitBatch(new FolderCheckpoint("sales", "inbox", 0, 0, delta), List.of(), List.of());
            store.resetCheckpoint("sales", "inbox", 1);
            assertEquals(Optional.of(new FolderCheckpoint("sales", "inbox", 1, 0)), store.checkpoint("sales", "inbox"));
        }
    }

    // ------------------------------------------------------------------------------------------- results

    @Test
    void replaceResultsRemovesStaleRows() {
        MailMessage a = msg("a@x", "2024-02-26T09:00:00Z", "A", INBOX);
        MailMessage b = msg("b@x", "2024-02-26T10:00:00Z", "B", INBOX);
        MailMessage c = msg("c@x", "2024-02-26T11:00:00Z", "Re: A", SENT);
        MailMessage d = msg("d@x", "2024-02-26T12:00:00Z", "D", INBOX);
        try (Store store = open()) {
            store.commitBatch(cp(INBOX, 4), List.of(a, b, c, d), List.of());
            store.replaceResults(List.of(),
                    List.of(Conversation.of(List.of(a)), Conversation.of(List.of(b)), Conversation.of(List.of(d))),
                    List.of(lead(a), lead(b), lead(d)), List.of(waitOf(a), waitOf(b), waitOf(d)));
            assertEquals(3, store.leads().size());

            // c threads a and b together: the caller names a as stale; b is found stale because its message moved.
            store.replaceResults(Set.of("a@x"), List.of(Conversation.of(List.of(a, b, c))),
                    List.of(lead(a)), List.of(waitOf(a)));
            assertEquals(List.of("a@x", "d@x"), store.leads().stream().map(Lead::leadMessageId).toList());
            assertEquals(List.of("a@x", "d@x"), store.waits().stream().map(Wait::messageId).toList());
            assertEquals(Map.of("a@x", List.of("a@x", "b@x", "c@x"), "d@x", List.of("d@x")),
                    store.conversationMessageIds());

            // d is no longer a conversation at all: stale ids alone delete it.
            store.replaceResults(List.of("d@x"), List.of(), List.of(), List.of());
            assertEquals(List.of("a@x"), store.leads().stream().map(Lead::leadMessageId).toList());
            assertEquals(Set.of("a@x"), store.conversationMessageIds().keySet());

            // A failing replacement (a lead of an unknown conversation) keeps the previous results.
            assertThrows(StoreException.class, () -> store.replaceResults(List.of("a@x"), List.of(),
                    List.of(lead(d)), List.of()));
            assertEquals(List.of("a@x"), store.leads().stream().map(Lead::leadMessageId).toList());
        }
    }

    /**
     * What a reader of the store (the read model, another instance) learns since a change number: the conversations
     * written, and the stored ones removed. A stale id that was never stored is not listed (no reader ever saw it), and a
     * conversation written again leaves the removed list.
     */
    @Test
    void theChangesSinceListStoredConversationsRemovedAndNotOnesNeverStored() {
        MailMessage a = msg("a@x", "2024-02-26T09:00:00Z", "A", INBOX);
        MailMessage b = msg("b@x", "2024-02-26T10:00:00Z", "B", INBOX);
        MailMessage c = msg("c@x", "2024-02-26T11:00:00Z", "Re: A", SENT);
        try (Store store = open()) {
            store.commitBatch(cp(INBOX, 3), List.of(a, b, c), List.of());
            store.replaceResults(List.of("never@x"), List.of(Conversation.of(List.of(a)), Conversation.of(List.of(b))),
                    List.of(lead(a), lead(b)), List.of());
            ResultChanges.Since first = store.resultChangesSince(0);
            assertEquals(Set.of("a@x", "b@x"), first.conversationIds());

            // c joins a and b under a's id: b was stored, so it is listed as removed; "gone@x" never was
            store.replaceResults(Set.of("b@x", "gone@x"), List.of(Conversation.of(List.of(a, b, c))),
                    List.of(lead(a)), List.of());
            ResultChanges.Since second = store.resultChangesSince(first.seq());
            assertEquals(Set.of("a@x", "b@x"), second.conversationIds());
            assertEquals(List.of("a@x"), second.leads().stream().map(Lead::leadMessageId).toList());

            // b written again: it leaves the removed list, and a change reader sees it written
            store.replaceResults(Set.of("a@x"), List.of(Conversation.of(List.of(a, c)), Conversation.of(List.of(b))),
                    List.of(lead(a), lead(b)), List.of());
            ResultChanges.Since third = store.resultChangesSince(second.seq());
            assertEquals(Set.of("a@x", "b@x"), third.conversationIds());
            assertEquals(List.of("a@x", "b@x"), third.leads().stream().map(Lead::leadMessageId).sorted().toList());
            assertEquals("0", store.pragma("SELECT COUNT(*) FROM conversation_removed"));

            // a removed for good: listed once, with nothing written
            store.replaceResults(Set.of("a@x"), List.of(), List.of(), List.of());
            ResultChanges.Since fourth = store.resultChangesSince(third.seq());
            assertEquals(Set.of("a@x"), fourth.conversationIds());
            assertEquals(List.of(), fourth.leads());
            assertEquals("1", store.pragma("SELECT COUNT(*) FROM conversation_removed"));
        }
    }

    static Lead lead(MailMessage m) {
        return new Lead(m.id(), m.id(), "sales", "team", "p@x", m.eventTime(), m.eventTime().plusSeconds(3600),
                m.eventTime().plusSeconds(1800), null, 0, null, false);
    }

    static Wait waitOf(MailMessage m) {
        return new Wait(m.id(), m.id(), "sales", "team", m.eventTime(), null);
    }

    // ------------------------------------------------------------------------------------ state and sync

    @Test
    void recordStateRecordsOnlyChanges() {
        Instant t0 = Instant.parse("2024-02-26T09:00:00Z");
        try (Store store = open()) {
            assertTrue(store.recordState("a@x", Store.FIRST_RESPONSE, SlaState.PENDING, t0));
            assertFalse(store.recordState("a@x", Store.FIRST_RESPONSE, SlaState.PENDING, t0.plusSeconds(60)));
            assertTrue(store.recordState("a@x", Store.ATTEMPTS, SlaState.PENDING, t0.plusSeconds(60)));
            assertTrue(store.recordState("a@x", Store.FIRST_RESPONSE, SlaState.AT_RISK, t0.plusSeconds(120)));
            assertFalse(store.recordState("a@x", Store.FIRST_RESPONSE, SlaState.AT_RISK, t0.plusSeconds(180)));
            assertTrue(store.recordState("a@x", Store.FIRST_RESPONSE, SlaState.BREACHED, t0.plusSeconds(240)));
            assertTrue(store.recordState("b@x", Store.FIRST_RESPONSE, SlaState.MET, t0));
            assertTrue(store.recordState("a@x", Store.ATTEMPTS, SlaState.MET, t0.plusSeconds(300)));
            assertThrows(IllegalArgumentException.class,
                    () -> store.recordState("a@x", "other", SlaState.MET, t0));

            assertEquals(List.of(
                    new StateTransition("a@x", Store.FIRST_RESPONSE, SlaState.PENDING, t0),
                    new StateTransition("a@x", Store.ATTEMPTS, SlaState.PENDING, t0.plusSeconds(60)),
                    new StateTransition("a@x", Store.FIRST_RESPONSE, SlaState.AT_RISK, t0.plusSeconds(120)),
                    new StateTransition("a@x", Store.FIRST_RESPONSE, SlaState.BREACHED, t0.plusSeconds(240)),
                    new StateTransition("a@x", Store.ATTEMPTS, SlaState.MET, t0.plusSeconds(300))),
                    store.transitions("a@x"));
            assertEquals(Optional.of(SlaState.BREACHED), store.latestState("a@x", Store.FIRST_RESPONSE));
            assertEquals(Optional.empty(), store.latestState("c@x", Store.ATTEMPTS));
            assertEquals(Map.of("a@x", SlaState.BREACHED, "b@x", SlaState.MET), store.latestStates(Store.FIRST_RESPONSE));
            assertEquals(Map.of("a@x", SlaState.MET), store.latestStates(Store.ATTEMPTS));
        }
        try (Store store = open()) {
            assertFalse(store.recordState("a@x", Store.FIRST_RESPONSE, SlaState.BREACHED, t0.plusSeconds(999)));
            assertEquals(5, store.transitions("a@x").size());
        }
    }

    @Test
    void syncStatusKeepsLastSuccessAndLastError() {
        Instant t0 = Instant.parse("2024-02-26T09:00:00Z");
        try (Store store = open()) {
            assertEquals(Optional.empty(), store.lastSync("sales"));
            store.recordSync("sales", t0, null);
            assertEquals(Optional.of(new SyncStatus("sales", t0, t0, null, null)), store.lastSync("sales"));
            store.recordSync("sales", t0.plusSeconds(60), "connection refused");
            SyncStatus failing = store.lastSync("sales").orElseThrow();
            assertEquals(new SyncStatus("sales", t0.plusSeconds(60), t0, "connection refused", t0.plusSeconds(60)), failing);
            assertTrue(failing.failing());
            store.recordSync("sales", t0.plusSeconds(120), null);
            SyncStatus recovered = store.lastSync("sales").orElseThrow();
            assertEquals(new SyncStatus("sales", t0.plusSeconds(120), t0.plusSeconds(120), "connection refused",
                    t0.plusSeconds(60)), recovered);
            assertFalse(recovered.failing());
            store.recordSync("support", t0, "auth failed");
            assertNull(store.lastSync("support").orElseThrow().lastSuccess());
        }
    }

    @Test
    void listEncodingDistinguishesNullEmptyAndEmptyElements() {
        assertNull(MessageRows.join(null, "f", "id"));
        assertEquals("", MessageRows.join(List.of(), "f", "id"));
        assertEquals("a\n", MessageRows.join(Arrays.asList("a", ""), "f", "id"));
        assertEquals(List.of("a", ""), MessageRows.split("a\n"));
        assertEquals(List.of("", "b"), MessageRows.split("\nb"));
        assertEquals(List.of(), MessageRows.split(""));
        assertNull(MessageRows.split(null));
    }
}
