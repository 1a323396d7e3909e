package dev.replyclock.poll;

import dev.replyclock.config.Config;
import dev.replyclock.config.ConfigLoader;
import dev.replyclock.domain.FolderCheckpoint;
import dev.replyclock.domain.MailMessage;
import dev.replyclock.domain.Place;
import dev.replyclock.ingest.IncrementalSource;
import dev.replyclock.report.Analysis;
import dev.replyclock.report.LiveAnalysis;
import dev.replyclock.store.Store;
import dev.replyclock.thread.MessageSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The in-memory horizon (issue 17): conversations older than it stay in the store, and late messages that link to
 * them by a reference, a referenced-only id, a Thread-Index root or the subject fallback still thread as a batch
 * analysis of every message does; the views' read model and the store agree with it, also after a restart.
 */
public class HorizonTest {

    private static final Instant NOW = Instant.parse("2025-06-02T10:00:00Z");
    private static final Place INBOX = new Place("sales", "INBOX", true);
    private static final Place SENT = new Place("sales", "Sent", false);

    public static Config config(Path dir) throws IOException {
        Files.writeString(dir.resolve("config.yaml"), """
                internal_domains: [acme.example]
                horizon: 60d
                calendars:
                  berlin: {zone: Europe/Berlin, hours: {mon-fri: ["09:00-17:00"]}}
                sla_policies:
                  sales: {first_response: 4h, attempts: {count: 2, within: 14d, until_reply: true}}
                teams:
                  sales:
                    members:
                      - {id: alice, addresses: [alice@acme.example]}
                mailboxes:
                  - {id: sales, address: sales@acme.example, team: sales, sla: sales, calendar: berlin,
                     source: {type: files, paths: [inbox]}}
                """);
        return ConfigLoader.load(dir.resolve("config.yaml"));
    }

    static MailMessage message(String id, List<String> refs, String subject, String from, String to, Instant at,
                               String threadIndexRoot, Place place) {
        return new MailMessage(id, refs, subject, List.of(from), null, List.of(), List.of(to), List.of(), at,
                threadIndexRoot, null, 0, null, List.of(place));
    }

    static Instant daysAgo(double days) {
        return NOW.minus(Duration.ofMinutes((long) (days * 24 * 60)));
    }

    /** Old conversations (outside a 60-day horizon) and a recent one. */
    static List<MailMessage> history() {
        return List.of(
                message("a1@cust.example", List.of(), "Pricing", "x@cust.example", "sales@acme.example", daysAgo(200), null, INBOX),
                message("a2@acme.example", List.of("a1@cust.example"), "Re: Pricing", "alice@acme.example", "x@cust.example",
                        daysAgo(199.9), null, SENT),
                message("b1@cust2.example", List.of(), "Demo request", "y@cust2.example", "sales@acme.example", daysAgo(150), null, INBOX),
                message("e1@cust3.example", List.of(), "Contract", "z@cust3.example", "sales@acme.example", daysAgo(120),
                        "TI-ROOT-E", INBOX),
                message("f2@cust4.example", List.of("f1@acme.example"), "Re: Offer", "w@cust4.example", "sales@acme.example",
                        daysAgo(100), null, INBOX),
                message("c1@cust5.example", List.of(), "Question", "v@cust5.example", "sales@acme.example", daysAgo(5), null, INBOX));
    }

    /** Late mail that links to each old conversation in another way. */
    static List<MailMessage> late() {
        return List.of(
                // a reference to a stored message of an old conversation
                message("a3@cust.example", List.of("a2@acme.example"), "Re: Pricing", "x@cust.example", "sales@acme.example",
                        daysAgo(0.1), null, INBOX),
                // no reference: the subject fallback, to a conversation whose newest message is 1 day older
                message("b2@acme.example", List.of(), "RE: Demo request", "alice@acme.example", "y@cust2.example",
                        daysAgo(149), null, SENT),
                // the same Thread-Index root
                message("e2@acme.example", List.of(), "Your contract", "alice@acme.example", "z@cust3.example", daysAgo(0.2),
                        "TI-ROOT-E", SENT),
                // the message an old stored message referenced, arriving late
                message("f1@acme.example", List.of(), "Offer", "alice@acme.example", "w@cust4.example", daysAgo(101), null, SENT));
    }

    private static IncrementalSource source(List<MailMessage> messages) {
        return new IncrementalSource() {
            @Override
            public PollSummary poll(CheckpointLookup checkpoints, BatchConsumer consumer) throws IOException {
                long uid = checkpoints.get("INBOX").map(FolderCheckpoint::lastUid).orElse(0L) + messages.size();
                consumer.accept(new Batch(new FolderCheckpoint("sales", "INBOX", 1, uid), messages, List.of(), false,
                        messages.size(), messages.size()));
                return new PollSummary(List.of(new FolderSummary("INBOX", messages.size(), 0, 0)));
            }

            @Override
            public void close() {
            }
        };
    }

    private static Analysis batch(Config config, List<MailMessage> messages) {
        MessageSet set = new MessageSet();
        messages.forEach(set::add);
        return Analysis.of(config, set);
    }

    @Test
    void lateMessagesToConversationsOlderThanTheHorizonThreadAsABatchOfEverything(@TempDir Path dir) throws IOException {
        lateMessages(dir, false);
    }

    @Test
    void startingOnTheStoredResultsLoadsConversationsOnlyWhenAMessageLinksToThem(@TempDir Path dir) throws IOException {
        lateMessages(dir, true);
    }

    private void lateMessages(Path dir, boolean onDemand) throws IOException {
        Config config = config(dir);
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        List<MailMessage> all = new ArrayList<>(history());
        all.addAll(late());
        Analysis expected = batch(config, all);
        assertEquals(4, expected.leads().size(), "a, b, e and c are leads (f starts with our message)");

        Path file = dir.resolve("replyclock.db");
        try (Store store = Store.open(file)) { // the history, analysed by an earlier run
            PollCycle first = new PollCycle(store, new LiveAnalysis(config), clock);
            first.restoreOnDemand();
            assertFalse(first.poll("sales", source(history())).failed());
        }
        try (Store store = Store.open(file)) {
            LiveAnalysis live = new LiveAnalysis(config);
            ReadModel readModel = new ReadModel(config, store, clock);
            live.onChange(readModel::apply);
            readModel.load();
            PollCycle cycle = new PollCycle(store, live, clock);
            if (onDemand) {
                cycle.restoreOnDemand();
                assertEquals(0, live.messageCount(), "the stored results are current: nothing is analysed");
            } else {
                cycle.restore();
                assertEquals(1, live.messageCount(), "only the conversation active inside the horizon is in memory");
            }
            assertEquals(batch(config, history()).leads(), readModel.leads(), "the views read every stored lead");
            assertTrue(live.conversationOf("a1@cust.example").isPresent(), "an old timeline is read on demand");

            assertFalse(cycle.poll("sales", source(late())).failed());
            assertEquals(expected.leads(), readModel.leads());
            assertEquals(expected.waits(), readModel.waits());
            assertEquals(expected.leads(), store.leads(), "the stored results are those of the batch");
            assertEquals(expected.waits(), store.waits());
            assertEquals(expected.counts().messages(), readModel.counts().messages());
            assertEquals(expected.counts().conversations(), readModel.counts().conversations());
            assertTrue(live.messageCount() < all.size(), "conversations still older than the horizon left memory again");
        }
        try (Store store = Store.open(file)) { // a restart reads the same
            ReadModel readModel = new ReadModel(config, store, clock);
            readModel.load();
            new PollCycle(store, new LiveAnalysis(config), clock).restoreOnDemand();
            assertEquals(expected.leads(), readModel.leads());
            assertEquals(expected.waits(), readModel.waits());
        }
    }

    @Test
    void refreshReadsWhatAnotherProcessWroteToTheStore(@TempDir Path dir) throws IOException {
        Config config = config(dir);
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        Path file = dir.resolve("replyclock.db");
        try (Store writer = Store.open(file); Store reader = Store.open(file)) {
            PollCycle cycle = new PollCycle(writer, new LiveAnalysis(config), clock);
            cycle.restore();
            assertFalse(cycle.poll("sales", source(history())).failed());
            ReadModel readModel = new ReadModel(config, reader, clock);
            readModel.load();
            assertEquals(writer.leads(), readModel.leads());
            assertEquals(0, readModel.refresh(), "nothing changed since the load");

            // a3 answers nothing new but joins conversation a; f1 merges into f; b2 joins b by subject
            assertFalse(cycle.poll("sales", source(late())).failed());
            assertTrue(readModel.refresh() > 0);
            assertEquals(writer.leads(), readModel.leads());
            assertEquals(writer.waits(), readModel.waits());
            assertEquals(0, readModel.refresh());
        }
    }
}
