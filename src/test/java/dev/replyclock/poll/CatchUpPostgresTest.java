package dev.replyclock.poll;

import dev.replyclock.config.Config;
import dev.replyclock.config.ConfigLoader;
import dev.replyclock.domain.Disposition;
import dev.replyclock.domain.FolderCheckpoint;
import dev.replyclock.domain.Lead;
import dev.replyclock.domain.MailMessage;
import dev.replyclock.domain.Place;
import dev.replyclock.ingest.IncrementalSource;
import dev.replyclock.it.pg.PostgresServer;
import dev.replyclock.report.LiveAnalysis;
import dev.replyclock.report.ReportJson;
import dev.replyclock.store.AdvisoryLock;
import dev.replyclock.store.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Two instances (two stores, two live analyses, two cluster locks) on one PostgreSQL database: a conversation that
 * spans their mailboxes is analysed from every message whichever instance stored it; a copy that adds a place, and a
 * disposition set on the other instance, reach this one by catching up; both then give the same report, reading
 * counts included.
 */
class CatchUpPostgresTest {

    private static final Instant T = Instant.parse("2024-03-04T09:00:00Z");
    private static final Instant NOW = T.plusSeconds(86_400);
    private static final Place SALES_INBOX = new Place("sales", "INBOX", true);
    private static final Place SUPPORT_INBOX = new Place("support", "INBOX", true);
    private static final Place SUPPORT_SENT = new Place("support", "Sent", false);

    @TempDir
    Path dir;

    @Test
    void aConversationAcrossInstancesIsAnalysedWholeAndBothInstancesAgree() throws Exception {
        PostgresServer.Database db = PostgresServer.shared().newDatabase();
        Config config = config();
        try (Instance a = new Instance(db, config); Instance b = new Instance(db, config)) {
            MailMessage lead = message("l1@buyer.example", List.of(), "Quote", "buyer@buyer.example",
                    "sales@acme.example", T, SALES_INBOX);
            MailMessage reply = message("r1@acme.example", List.of("l1@buyer.example"), "Re: Quote",
                    "alice@acme.example", "buyer@buyer.example", T.plusSeconds(3_600), SUPPORT_SENT);

            a.poll("sales", "INBOX", 1, lead);
            b.poll("support", "Sent", 1, reply); // B catches up the lead before analysing its reply
            Lead answered = only(b.live.leads());
            assertNotNull(answered.firstResponse(), "B analysed the reply with the lead A stored");
            assertEquals(answered, only(b.store.leads()), "and stored that result");

            a.cycle.catchUp();
            assertEquals(b.report(), a.report(), "A caught up: the same report");

            // a copy of the lead in support's INBOX: a new place of a stored message, stored by B
            b.poll("support", "INBOX", 1, message("l1@buyer.example", List.of(), "Quote", "buyer@buyer.example",
                    "sales@acme.example", T, SUPPORT_INBOX));
            a.cycle.catchUp();
            assertEquals(List.of(SALES_INBOX, SUPPORT_INBOX),
                    a.live.conversationOf("l1@buyer.example").orElseThrow().conversation().messages().stream()
                            .filter(m -> m.id().equals("l1@buyer.example")).findFirst().orElseThrow().places());
            assertEquals(b.report(), a.report(), "A has the new place and the copies B read");

            // a disposition set on B applies on A after catching up
            b.dispositions.set(new Disposition("l1@buyer.example", Disposition.Kind.NOT_A_LEAD, "vendor", null, null,
                    null, "anna", NOW));
            a.cycle.catchUp();
            assertEquals(b.report(), a.report(), "A applies B's disposition");
        }
    }

    private static Lead only(List<Lead> leads) {
        assertEquals(1, leads.size(), leads.toString());
        return leads.get(0);
    }

    /** One instance: its store connection, live analysis, cycle and lock. */
    private static final class Instance implements AutoCloseable {
        final Store store;
        final LiveAnalysis live;
        final PollCycle cycle;
        final LeadDispositions dispositions;
        final AdvisoryLock lock;

        Instance(PostgresServer.Database db, Config config) {
            store = Store.openPostgres(db.url(), db.user(), db.password());
            live = new LiveAnalysis(config);
            lock = new AdvisoryLock(db.url(), db.user(), db.password(), AdvisoryLock.WRITE);
            cycle = new PollCycle(store, live, Clock.fixed(NOW, java.time.ZoneOffset.UTC), ClusterLock.across(lock));
            dispositions = new LeadDispositions(store, live, cycle, () -> { });
            dispositions.restore();
            cycle.restore();
        }

        void poll(String mailbox, String folder, long uid, MailMessage... messages) {
            PollCycle.Outcome outcome = cycle.poll(mailbox, new OneBatch(new FolderCheckpoint(mailbox, folder, 1, uid),
                    List.of(messages)));
            assertNull(outcome.error(), outcome.error());
        }

        String report() throws IOException {
            return ReportJson.toJson(live, NOW);
        }

        @Override
        public void close() {
            lock.close();
            store.close();
        }
    }

    /** A source that hands over one batch. */
    private record OneBatch(FolderCheckpoint checkpoint, List<MailMessage> messages) implements IncrementalSource {
        @Override
        public PollSummary poll(CheckpointLookup checkpoints, BatchConsumer consumer) throws IOException {
            consumer.accept(new Batch(checkpoint, messages, List.of(), false, messages.size(), messages.size()));
            return new PollSummary(List.of());
        }

        @Override
        public void close() {
        }
    }

    private static MailMessage message(String id, List<String> refs, String subject, String from, String to,
                                       Instant at, Place place) {
        return new MailMessage(id, refs, subject, List.of(from), null, List.of(), List.of(to), List.of(), at, null, null,
                0, null, List.of(place));
    }

    private Config config() throws IOException {
        Path file = Files.writeString(dir.resolve("config.yaml"), """
                internal_domains: [acme.example]
                calendars: {utc: {zone: UTC, hours: 24x7}}
                sla_policies: {sales: {first_response: 4h, warn_before: 30m}}
                teams: {sales: {members: [{id: alice, name: Alice, addresses: [alice@acme.example]}]}}
                mailboxes:
                  - {id: sales, address: sales@acme.example, team: sales, sla: sales, calendar: utc,
                     source: {type: files, paths: [mail]}}
                  - {id: support, address: support@acme.example, team: sales, sla: sales, calendar: utc,
                     source: {type: files, paths: [mail]}}
                store: {path: unused.db}
                """);
        Files.createDirectories(dir.resolve("mail"));
        return ConfigLoader.load(file);
    }
}
