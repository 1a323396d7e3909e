package dev.replyclock.report;

import dev.replyclock.SharedFiles;
import dev.replyclock.config.Config;
import dev.replyclock.config.ConfigLoader;
import dev.replyclock.domain.Disposition;
import dev.replyclock.domain.Lead;
import dev.replyclock.domain.Response;
import dev.replyclock.domain.Wait;
import dev.replyclock.sla.MessageFacts;
import dev.replyclock.sla.Roster;
import dev.replyclock.thread.MessageSet;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SPEC section 14 in the engine: which exclusion rule made a message automated, and dispositions set and withdrawn. */
class DispositionAnalysisTest {

    static final Instant SET_AT = Instant.parse("2024-03-05T14:00:00Z");

    @Test
    void theTimelineNamesTheExclusionRuleThatMatched() throws IOException {
        Config config = config("22-exclusions-and-reply-only");
        LiveAnalysis live = new LiveAnalysis(config);
        live.add(LiveAnalysisTest.read(config));
        Roster roster = new Roster(config);
        assertEquals(List.of("exclude[0] (from \"*@vendor-pitch.example\")"), why(live, "seo-123@vendor-pitch.example", roster));
        assertEquals(List.of("exclude[1] (subject \"^(Bewerbung|Application)\\b\")"), why(live, "app-77@mail.example", roster));
        assertEquals(List.of(), why(live, "k1@kunde.example", roster));
    }

    @Test
    void handledElsewhereIsAnAttemptUnlessAnEmailCameEarlierAndWithdrawingRestoresTheBatchFigures() throws IOException {
        Config config = config("21-bare-reference-tokens");
        LiveAnalysis live = new LiveAnalysis(config);
        live.add(LiveAnalysisTest.read(config));
        List<Lead> computed = live.leads();
        List<Wait> computedWaits = live.waits();

        // Dieter's lead (Mon 09:10 CET, unanswered) was called back at 10:10 CET by Alice.
        String dieter = "87a1b2c3d4.fsf@lang-werk.example";
        live.dispose(dieter, handled(dieter, Instant.parse("2024-03-04T09:10:00Z"), "alice"));
        Lead lead = lead(live, dieter);
        assertEquals(new Response(Response.handledElsewhereId(dieter), Instant.parse("2024-03-04T09:10:00Z"), "alice", 3600, 3600),
                lead.firstResponse());
        assertEquals("met", lead.firstResponseState(SET_AT).label());
        assertEquals(1, lead.attempts());
        assertEquals(Disposition.Kind.HANDLED_ELSEWHERE, lead.disposition());
        Wait wait = live.waits().stream().filter(w -> w.messageId().equals(dieter)).findFirst().orElseThrow();
        assertEquals(lead.firstResponse(), wait.closedBy(), "the call closed the wait");

        // Petra was answered by email at 11:00 CET; a call noted at 12:00 changes no figure.
        String petra = "87e5f6a7b8.fsf@sand-labs.example";
        Lead before = lead(live, petra);
        live.dispose(petra, handled(petra, Instant.parse("2024-03-04T11:00:00Z"), "bob"));
        Lead after = lead(live, petra);
        assertEquals(before.firstResponse(), after.firstResponse());
        assertEquals(before.attempts(), after.attempts());
        assertEquals(Disposition.Kind.HANDLED_ELSEWHERE, after.disposition(), "it stands (no alerts) all the same");

        // Not a lead: the lead and its waits leave every figure; the conversation still shows it (to withdraw it).
        live.dispose(dieter, new Disposition(dieter, Disposition.Kind.NOT_A_LEAD, "vendor", null, null, null, "anna", SET_AT));
        assertEquals(List.of(petra), live.leads().stream().map(Lead::leadMessageId).toList());
        assertTrue(live.waits().stream().noneMatch(w -> w.messageId().equals(dieter)));
        assertEquals(dieter, live.conversationOf(dieter).orElseThrow().dismissed().leadMessageId());

        live.dispose(dieter, null);
        live.dispose(petra, null);
        assertEquals(computed, live.leads());
        assertEquals(computedWaits, live.waits());
        MessageSet all = new MessageSet();
        LiveAnalysisTest.read(config).forEach(all::add);
        assertEquals(Analysis.of(config, all).leads(), live.leads(), "withdrawn, the live figures equal analyze's");
        assertNull(lead(live, dieter).disposition());
    }

    private static Disposition handled(String lead, Instant at, String rep) {
        return new Disposition(lead, Disposition.Kind.HANDLED_ELSEWHERE, "called back", null, at, rep, "anna", SET_AT);
    }

    private static Lead lead(LiveAnalysis live, String id) {
        return live.leads().stream().filter(l -> l.leadMessageId().equals(id)).findFirst().orElseThrow();
    }

    private static List<String> why(LiveAnalysis live, String messageId, Roster roster) {
        MessageFacts facts = live.conversationOf(messageId).orElseThrow().facts().stream()
                .filter(f -> f.message().id().equals(messageId)).findFirst().orElseThrow();
        return facts.automatedWhy(roster);
    }

    private static Config config(String scenario) {
        Path folder = SharedFiles.scenarios().resolve(scenario);
        return ConfigLoader.load(folder.resolve("config.yaml"));
    }
}
