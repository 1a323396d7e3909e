package dev.replyclock.poll;

import dev.replyclock.MutableClock;
import dev.replyclock.SharedFiles;
import dev.replyclock.config.Config;
import dev.replyclock.config.ConfigLoader;
import dev.replyclock.domain.FolderCheckpoint;
import dev.replyclock.domain.Lead;
import dev.replyclock.domain.MailMessage;
import dev.replyclock.domain.Place;
import dev.replyclock.domain.Response;
import dev.replyclock.domain.SlaState;
import dev.replyclock.domain.Wait;
import dev.replyclock.ingest.IncrementalSource;
import dev.replyclock.report.Counts;
import dev.replyclock.report.LiveAnalysis;
import dev.replyclock.report.Results;
import dev.replyclock.store.StateTransition;
import dev.replyclock.store.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The SLA tick that evaluates only changed and due leads records exactly what evaluating every lead records. */
class SlaTickerScheduleTest {

    private static final Config CONFIG = ConfigLoader.load(SharedFiles.scenarios().resolve("13-sla-states/config.yaml"));
    private static final Instant MONDAY = Instant.parse("2024-02-26T06:00:00Z");
    private static final Place INBOX = new Place("sales-inbox", "INBOX", true);
    private static final Place SENT = new Place("sales-inbox", "Sent", false);

    /** The same analysis, read as results that cannot tell of changes: the ticker evaluates every lead each tick. */
    private record Unwatched(Results delegate) implements Results {
        public Config config() {
            return delegate.config();
        }

        public Counts counts() {
            return delegate.counts();
        }

        public List<Lead> leads() {
            return delegate.leads();
        }

        public List<Wait> waits() {
            return delegate.waits();
        }
    }

    @Test
    void ticksOfChangedAndDueLeadsRecordWhatTicksOfEveryLeadRecord(@TempDir Path dir) {
        List<MailMessage> mail = mail(new Random(11), 80);
        MutableClock clock = new MutableClock(MONDAY);
        try (Store scheduled = Store.open(dir.resolve("scheduled.db")); Store full = Store.open(dir.resolve("full.db"))) {
            LiveAnalysis liveScheduled = new LiveAnalysis(CONFIG);
            LiveAnalysis liveFull = new LiveAnalysis(CONFIG);
            PollCycle cycleScheduled = new PollCycle(scheduled, liveScheduled, clock);
            PollCycle cycleFull = new PollCycle(full, liveFull, clock);
            SlaTicker scheduledTicker = new SlaTicker(scheduled, liveScheduled, clock);
            SlaTicker fullTicker = new SlaTicker(full, new Unwatched(liveFull), clock);
            int delivered = 0;
            int ticks = 0;
            // 17-minute steps over three weeks: past every deadline and attempts window, mail arriving in between.
            for (Instant end = MONDAY.plus(Duration.ofDays(21)); clock.instant().isBefore(end); clock.advance(Duration.ofMinutes(17))) {
                int from = delivered;
                while (delivered < mail.size() && !mail.get(delivered).eventTime().isAfter(clock.instant())) {
                    delivered++;
                }
                if (delivered > from) {
                    List<MailMessage> batch = mail.subList(from, delivered);
                    cycleScheduled.poll("sales-inbox", batch(batch, delivered));
                    cycleFull.poll("sales-inbox", batch(batch, delivered));
                }
                assertEquals(fullTicker.tick(), scheduledTicker.tick(), "transitions recorded at " + clock.instant());
                ticks++;
            }
            assertEquals(mail.size(), delivered);
            assertTrue(ticks > 1_000);
            Set<SlaState> firstResponseStates = EnumSet.noneOf(SlaState.class);
            Set<SlaState> attemptsStates = EnumSet.noneOf(SlaState.class);
            for (Lead lead : liveFull.leads()) {
                List<StateTransition> expected = full.transitions(lead.leadMessageId());
                assertEquals(expected, scheduled.transitions(lead.leadMessageId()), lead.leadMessageId());
                expected.forEach(t -> (t.kind().equals(Store.FIRST_RESPONSE) ? firstResponseStates : attemptsStates).add(t.state()));
            }
            assertEquals(EnumSet.allOf(SlaState.class), firstResponseStates, "every first-response state was reached");
            assertEquals(EnumSet.of(SlaState.PENDING, SlaState.MET, SlaState.BREACHED), attemptsStates);
            assertEquals(0, new SlaTicker(scheduled, liveScheduled, clock).tick(), "a restarted ticker finds every state recorded");
        }
    }

    @Test
    void aTickAfterTimePassesEvaluatesExactlyTheDueLeads() {
        Instant t0 = Instant.parse("2024-03-04T08:00:00Z");
        Lead early = lead("early", t0.plusSeconds(600), t0.plusSeconds(1_200), null, t0.plus(Duration.ofDays(14)), false);
        Lead late = lead("late", t0.plusSeconds(3_000), t0.plusSeconds(3_600), null, null, false);
        Lead answered = lead("answered", t0.plusSeconds(60), t0.plusSeconds(120),
                new Response("r@acme.example", t0, "alice", 0, 0), t0.plus(Duration.ofDays(14)), true);
        LeadSchedule schedule = new LeadSchedule();
        schedule.replaceAll(List.of(late, answered, early));

        List<Lead> first = schedule.toEvaluate(t0);
        assertEquals(List.of("answered", "early", "late"), ids(first), "everything once, in lead order");
        first.forEach(l -> schedule.evaluated(l, t0));
        assertEquals(List.of(), schedule.toEvaluate(t0.plusSeconds(599)));

        List<Lead> atEarlyWarning = schedule.toEvaluate(t0.plusSeconds(600));
        assertEquals(List.of("early"), ids(atEarlyWarning));
        atEarlyWarning.forEach(l -> schedule.evaluated(l, t0.plusSeconds(600)));
        // Past both of early's steps and late's warning: one evaluation each; the answered lead never steps again.
        List<Lead> later = schedule.toEvaluate(t0.plusSeconds(3_300));
        assertEquals(List.of("early", "late"), ids(later));
        later.forEach(l -> schedule.evaluated(l, t0.plusSeconds(3_300)));
        assertEquals(List.of(), schedule.toEvaluate(t0.plusSeconds(3_599)));
        assertEquals(List.of("late"), ids(schedule.toEvaluate(t0.plusSeconds(3_600))), "late's deadline");
        schedule.evaluated(late, t0.plusSeconds(3_600));
        assertEquals(List.of("early"), ids(schedule.toEvaluate(t0.plus(Duration.ofDays(14)))), "early's attempts window");
    }

    @Test
    void changedLeadsAreEvaluatedAndLeadsOfStaleConversationsDropped() {
        Instant t0 = Instant.parse("2024-03-04T08:00:00Z");
        Lead a = lead("a", t0.plusSeconds(600), t0.plusSeconds(1_200), null, null, false);
        Lead b = lead("b", t0.plusSeconds(700), t0.plusSeconds(1_300), null, null, false);
        LeadSchedule schedule = new LeadSchedule();
        schedule.replaceAll(List.of(a, b));
        schedule.toEvaluate(t0).forEach(l -> schedule.evaluated(l, t0));

        Lead answeredA = lead("a", a.atRiskFrom(), a.deadline(), new Response("r@acme.example", t0, "alice", 0, 0), null, false);
        schedule.update(Set.of("conversation-a", "conversation-b"), List.of(answeredA));
        assertEquals(List.of(answeredA), schedule.toEvaluate(t0.plusSeconds(1)), "the recomputed lead, not the stale one");
        schedule.evaluated(answeredA, t0.plusSeconds(1));
        assertEquals(1, schedule.size(), "b's conversation is gone");
        assertEquals(List.of(), schedule.toEvaluate(t0.plus(Duration.ofDays(1))), "nothing left that time can change");
        assertNull(LeadSchedule.nextStep(answeredA, t0), "answered and no attempts part: no step left");
    }

    private static Lead lead(String id, Instant atRiskFrom, Instant deadline, Response answer, Instant windowEnd, boolean met) {
        return new Lead(id, "conversation-" + id, "sales-inbox", "sales", "buyer@customer.example", atRiskFrom.minusSeconds(3_600),
                deadline, atRiskFrom, answer, 0, windowEnd, met);
    }

    private static List<String> ids(List<Lead> leads) {
        return leads.stream().map(Lead::leadMessageId).toList();
    }

    /**
     * Leads spread over a week, day and night; each answered by reps after a random delay with 0-6 follow-ups, or never,
     * some answered only by the customer writing again; sorted by time.
     */
    private static List<MailMessage> mail(Random random, int leads) {
        List<MailMessage> list = new ArrayList<>();
        for (int i = 0; i < leads; i++) {
            Instant at = MONDAY.plusSeconds(random.nextInt(7 * 24 * 3_600));
            String customer = "buyer" + i + "@customer" + i + ".example";
            String lead = "lead-" + i + "@customer" + i + ".example";
            list.add(message(lead, null, "Quote " + i, customer, "sales@acme.example", at, INBOX));
            Instant t = at;
            for (int r = 0, replies = random.nextInt(8) - 1; r < replies; r++) {
                t = t.plusSeconds(600 + random.nextInt(3 * 24 * 3_600));
                boolean ours = r != 3 || random.nextBoolean();
                list.add(message("reply-" + i + "-" + r + (ours ? "@acme.example" : "@customer.example"), lead, "Re: Quote " + i,
                        ours ? "alice@acme.example" : customer, ours ? customer : "sales@acme.example", t, ours ? SENT : INBOX));
            }
        }
        list.sort(Comparator.comparing(MailMessage::eventTime));
        return list;
    }

    private static MailMessage message(String id, String inReplyTo, String subject, String from, String to, Instant at, Place place) {
        return new MailMessage(id, inReplyTo == null ? List.of() : List.of(inReplyTo), subject, List.of(from), null, List.of(),
                List.of(to), List.of(), at, null, null, 0, null, List.of(place));
    }

    private static IncrementalSource batch(List<MailMessage> messages, long lastUid) {
        return new IncrementalSource() {
            public PollSummary poll(CheckpointLookup checkpoints, BatchConsumer consumer) throws java.io.IOException {
                consumer.accept(new Batch(new FolderCheckpoint("sales-inbox", "INBOX", 1, lastUid), List.copyOf(messages),
                        List.of(), false, messages.size(), messages.size()));
                return new PollSummary(List.of(new FolderSummary("INBOX", messages.size(), 0, 0)));
            }

            public void close() {
            }
        };
    }
}
