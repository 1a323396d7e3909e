package dev.replyclock.figures;

import dev.replyclock.config.Config;
import dev.replyclock.config.ConfigLoader;
import dev.replyclock.domain.Lead;
import dev.replyclock.domain.Response;
import dev.replyclock.domain.SlaState;
import dev.replyclock.domain.Wait;
import dev.replyclock.report.Counts;
import dev.replyclock.report.Results;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The query layer's own definitions: queue order, open horizon, speed-to-lead edges, heatmap zone, weeks, periods. */
class FiguresTest {

    private static final String CONFIG = """
            internal_domains: [acme.example]
            calendars:
              berlin: {zone: Europe/Berlin, hours: {mon-fri: ["09:00-17:00"]}}
            sla_policies:
              sales: {first_response: 1h, warn_before: 20m}
            teams:
              sales: {members: [{id: alice, name: Alice Adler, addresses: [alice@acme.example]}]}
            mailboxes:
              - {id: sales, address: sales@acme.example, team: sales, sla: sales, calendar: berlin, source: {type: files, paths: [x]}}
            """;
    /** Wednesday 6 March 2024, 14:00 in Berlin (CET). */
    private static final Instant NOW = Instant.parse("2024-03-06T13:00:00Z");

    private static Figures figures(Path dir, List<Lead> leads) throws Exception {
        Config config = ConfigLoader.load(Files.writeString(dir.resolve("config.yaml"), CONFIG));
        return new Figures(new Results() {
            public Config config() { return config; }
            public Counts counts() { return null; }
            public List<Lead> leads() { return leads; }
            public List<Wait> waits() { return List.of(); }
        });
    }

    private static Lead lead(String id, Instant start, Instant deadline, Response response, Instant openUntil) {
        return new Lead(id, "c-" + id, "sales", "sales", id + "@customer.example", start, deadline, deadline.minusSeconds(1200),
                response, response == null ? 0 : 1, null, false, openUntil, null);
    }

    private static Response answer(Instant start, long business, long wall) {
        return new Response("re-" + business, start.plusSeconds(wall), "alice", business, wall);
    }

    @Test
    void theQueueIsDueLeadsByDeadlineThenOverdueOnesWithinTheOpenHorizon(@TempDir Path dir) throws Exception {
        Lead later = lead("later", NOW.minusSeconds(600), NOW.plusSeconds(3000), null, null);
        Lead atRisk = lead("at-risk", NOW.minusSeconds(3000), NOW.plusSeconds(600), null, null);
        Lead overdue = lead("overdue", NOW.minusSeconds(9000), NOW.minusSeconds(5400), null, NOW.plusSeconds(86400));
        Lead expired = lead("expired", NOW.minusSeconds(90000), NOW.minusSeconds(86400), null, NOW.minusSeconds(1));
        Lead answered = lead("answered", NOW.minusSeconds(900), NOW.plusSeconds(2700), answer(NOW.minusSeconds(900), 300, 300), null);
        Figures f = figures(dir, List.of(expired, overdue, atRisk, later, answered));

        List<QueueEntry> queue = f.answerNow(t -> true, NOW, 10);
        assertEquals(List.of("at-risk", "later", "overdue"), queue.stream().map(q -> q.lead().leadMessageId()).toList());
        assertEquals(SlaState.AT_RISK, queue.get(0).state());
        assertEquals(600, queue.get(0).businessSecondsLeft(), "open hours: 10 minutes of business time left");
        assertEquals(-5400, queue.get(2).businessSecondsLeft(), "1 h 30 m overdue, all of it in open hours");
        assertEquals("Europe/Berlin", queue.get(0).deadline().getZone().getId());

        OpenNow open = f.teamOpen("sales", NOW);
        assertEquals(List.of(1, 1, 1), List.of(open.pending(), open.atRisk(), open.breached()), "the expired lead is not open");
        assertEquals("overdue", open.oldest().leadMessageId());
        assertEquals(List.of("overdue", "at-risk", "later"),
                f.worstWaits(t -> true, NOW, 10).stream().map(w -> w.lead().leadMessageId()).toList(), "longest business wait first");
    }

    @Test
    void speedToLeadBucketsIncludeTheirUpperEdgeWithWallTimeBeside(@TempDir Path dir) throws Exception {
        Instant start = NOW.minusSeconds(200_000);
        Figures f = figures(dir, List.of(
                lead("a", start, start.plusSeconds(3600), answer(start, 300, 300), null),
                lead("b", start.plusSeconds(1), start.plusSeconds(3600), answer(start.plusSeconds(1), 301, 90_000), null),
                lead("c", start.plusSeconds(2), start.plusSeconds(3600), answer(start.plusSeconds(2), 86_400, 86_400), null),
                lead("d", start.plusSeconds(3), start.plusSeconds(3600), answer(start.plusSeconds(3), 86_401, 100_000), null),
                lead("e", start.plusSeconds(4), start.plusSeconds(3600), null, null)));
        SpeedToLead s = f.speedToLead(t -> true, Period.all(), NOW);
        assertArrayEquals(new int[]{1, 1, 0, 0, 1, 1}, s.business());
        assertArrayEquals(new int[]{1, 0, 0, 0, 1, 2}, s.wall());
        assertEquals(1, s.unanswered());
        assertEquals(4, s.answered());
    }

    @Test
    void arrivalsFallInTheCalendarsZoneWithClosedHoursMarked(@TempDir Path dir) throws Exception {
        Instant saturday = Instant.parse("2024-03-02T07:30:00Z"); // Saturday 08:30 CET
        Instant tuesday = Instant.parse("2024-03-05T09:10:00Z"); // Tuesday 10:10 CET
        Figures f = figures(dir, List.of(lead("s", saturday, saturday.plusSeconds(99_999), null, null),
                lead("t", tuesday, tuesday.plusSeconds(3600), null, null)));
        Heatmap h = f.heatmap("sales", t -> true, Period.all());
        assertEquals(1, h.counts()[5][8]);
        assertFalse(h.open()[5][8]);
        assertEquals(1, h.counts()[1][10]);
        assertTrue(h.open()[1][10] && h.open()[1][9] && !h.open()[1][17] && !h.open()[1][8]);
        assertEquals(1, h.outsideHours());
    }

    @Test
    void trendsAreTwelveMondayWeeksAndPeriodsFollowTheCalendarZone(@TempDir Path dir) throws Exception {
        Instant thisWeek = Instant.parse("2024-03-04T08:00:00Z"); // Monday 09:00 CET
        Instant sundayNight = Instant.parse("2024-03-03T22:30:00Z"); // Sunday 23:30 CET: the week before
        Figures f = figures(dir, List.of(lead("w", thisWeek, thisWeek.plusSeconds(3600), answer(thisWeek, 600, 600), null),
                lead("s", sundayNight, sundayNight.plusSeconds(99_999), null, null)));
        List<WeekPoint> weeks = f.teamTrend("sales", NOW);
        assertEquals(12, weeks.size());
        assertEquals(LocalDate.parse("2024-03-04"), weeks.get(11).monday());
        assertEquals(1, weeks.get(11).stats().leads());
        assertEquals(600, weeks.get(11).stats().medianBusinessSeconds().getAsLong());
        assertEquals(1, weeks.get(10).stats().leads());

        Period lastMonth = Period.named("last_month", NOW, f.directory().teamZone("sales"));
        assertEquals(Instant.parse("2024-01-31T23:00:00Z"), lastMonth.from());
        assertEquals(Instant.parse("2024-02-29T23:00:00Z"), lastMonth.to());
        assertEquals(Instant.parse("2024-03-05T23:00:00Z"), Period.named("today", NOW, f.directory().teamZone("sales")).from());
        assertEquals(1, f.team("sales", Period.named("7d", NOW, f.directory().teamZone("sales")), NOW).stats().answered());
    }
}
