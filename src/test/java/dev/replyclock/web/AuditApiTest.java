package dev.replyclock.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.replyclock.domain.Lead;
import dev.replyclock.report.LeadStats;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static dev.replyclock.web.AuditFixture.ADMIN_TOKEN;
import static dev.replyclock.web.AuditFixture.SALES_TOKEN;
import static dev.replyclock.web.AuditFixture.VIEWER_TOKEN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AuditApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path dir;
    static AuditFixture f;

    @BeforeAll
    static void start() throws IOException {
        f = new AuditFixture(dir, true);
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    private static JsonNode json(String path, String token) throws IOException {
        HttpResponse<String> r = f.get(path, token);
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        return JSON.readTree(r.body());
    }

    private static List<String> ids(JsonNode leads) {
        List<String> ids = new ArrayList<>();
        leads.forEach(l -> ids.add(l.get("lead_message_id").asText()));
        return ids;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Test
    void leadsAreNewestFirstAndFilterable() throws IOException {
        List<String> expected = f.live.leads().stream()
                .sorted(Comparator.comparing(Lead::start).thenComparing(Lead::leadMessageId).reversed()) // ties: id descending
                .map(Lead::leadMessageId).toList();
        JsonNode all = json("/api/leads", ADMIN_TOKEN);
        assertEquals(expected, ids(all.get("leads")));
        assertEquals(8, expected.size());
        assertNull(all.get("next_cursor").textValue());
        JsonNode first = all.get("leads").get(0);
        assertEquals(AuditFixture.XSS_LEAD, first.get("lead_message_id").asText());
        assertTrue(first.has("conversation_id") && first.has("first_response_state") && first.has("deadline"));

        assertEquals(List.of(AuditFixture.MARKETING_LEAD), ids(json("/api/leads?team=marketing", ADMIN_TOKEN).get("leads")));
        assertEquals(List.of(AuditFixture.MARKETING_LEAD), ids(json("/api/leads?mailbox=marketing-inbox", ADMIN_TOKEN).get("leads")));
        assertEquals(List.of("n-lead-4@mail.kunde-n.example", "b-lead-2@mail.kunde-b.example", "x-lead-1@mail.kunde-x.example"),
                ids(json("/api/leads?team=sales&state=breached", ADMIN_TOKEN).get("leads")));
        assertEquals(List.of("x-lead-1@mail.kunde-x.example"), ids(json("/api/leads?rep=alice", ADMIN_TOKEN).get("leads")));
        assertEquals(List.of("r-lead-5@mail.kunde-r.example"), ids(json("/api/leads?state=at_risk", ADMIN_TOKEN).get("leads")));
        assertEquals(List.of(AuditFixture.MARKETING_LEAD, "b-lead-2@mail.kunde-b.example"), // same start: id descending
                ids(json("/api/leads?from=2024-02-27T08:00:00Z&to=2024-02-27T10:00:00Z", ADMIN_TOKEN).get("leads")));
    }

    @Test
    void cursorPagesThroughEveryLeadOnce() throws IOException {
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = json("/api/leads?limit=3" + (cursor == null ? "" : "&cursor=" + enc(cursor)), ADMIN_TOKEN);
            seen.addAll(ids(page.get("leads")));
            cursor = page.get("next_cursor").textValue();
            pages++;
        } while (cursor != null);
        assertEquals(3, pages);
        assertEquals(ids(json("/api/leads", ADMIN_TOKEN).get("leads")), seen);
    }

    @Test
    void listsComeAsCsvWithNeutralisedCells() throws IOException {
        HttpResponse<String> r = f.get("/api/leads?format=csv&team=sales", ADMIN_TOKEN);
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/csv"));
        String[] lines = r.body().split("\r\n");
        assertEquals(String.join(",", dev.replyclock.web.api.LeadsApi.CSV_HEADER), lines[0]);
        assertEquals(8, lines.length);
        assertTrue(lines[1].startsWith(AuditFixture.XSS_LEAD + ","));
        String timeline = f.get("/api/leads/" + enc(AuditFixture.MARKETING_LEAD) + "?format=csv", ADMIN_TOKEN).body();
        assertTrue(timeline.contains(",\"'=SUM(1+1) Broschüre, bitte\"\r\n"), timeline);
        for (String path : List.of("/api/reps?format=csv", "/api/reps/alice?format=csv", "/api/teams?format=csv",
                "/api/teams/sales?format=csv&month=2024-02")) {
            HttpResponse<String> csv = f.get(path, ADMIN_TOKEN);
            assertEquals(200, csv.statusCode(), path);
            assertTrue(csv.body().split("\r\n").length >= 2, path);
        }
    }

    @Test
    void timelineHasEveryMessageDeadlineAndStateChanges() throws IOException {
        JsonNode t = json("/api/leads/" + enc("r-lead-5@mail.kunde-r.example"), ADMIN_TOKEN);
        assertEquals("at_risk", t.get("first_response_state").asText());
        assertEquals("2024-02-28T15:00:00Z", t.get("deadline").asText());
        assertEquals("2024-02-28T14:30:00Z", t.get("at_risk_from").asText());
        assertEquals("Europe/Berlin", t.get("zone").asText());
        JsonNode lead = t.get("messages").get(0);
        assertEquals("lead", lead.get("role").asText());
        assertEquals("inbound", lead.get("direction").asText());
        assertTrue(lead.get("seen_in").get(0).asText().startsWith("sales-inbox/"));
        List<String> states = new ArrayList<>();
        t.get("transitions").forEach(x -> states.add(x.get("kind").asText() + ":" + x.get("state").asText()));
        assertTrue(states.contains("first_response:at_risk"), states.toString());

        JsonNode answered = json("/api/leads/" + enc("m-lead-3@mail.kunde-m2.example"), ADMIN_TOKEN);
        boolean hasFirst = false;
        for (JsonNode m : answered.get("messages")) {
            if ("first_response".equals(m.get("role").asText(null))) {
                hasFirst = true;
                assertEquals("outbound", m.get("direction").asText());
                assertEquals("carol", m.get("rep").asText());
            }
        }
        assertTrue(hasFirst);
        JsonNode xss = json("/api/leads/" + enc(AuditFixture.XSS_LEAD), ADMIN_TOKEN);
        assertEquals(AuditFixture.XSS_SUBJECT, xss.get("messages").get(0).get("subject").asText());
        assertEquals(404, f.get("/api/leads/nobody@nowhere.example", ADMIN_TOKEN).statusCode());
    }

    @Test
    void repAndTeamFiguresAreThoseOfLeadStats() throws IOException {
        List<Lead> sales = f.live.leads().stream().filter(l -> l.teamId().equals("sales")).toList();
        LeadStats team = LeadStats.of(sales, AuditFixture.NOW);
        JsonNode teams = json("/api/teams", VIEWER_TOKEN).get("teams");
        assertEquals("sales", teams.get(0).get("team").asText());
        assertEquals(team.leads(), teams.get(0).get("leads").asInt());
        assertEquals(team.medianBusinessSeconds().getAsLong(), teams.get(0).get("median_business_seconds").asLong());
        assertEquals(team.p90BusinessSeconds().getAsLong(), teams.get(0).get("p90_business_seconds").asLong());
        assertEquals(team.compliance().getAsDouble(), teams.get(0).get("compliance").asDouble(), 1e-4);
        assertEquals(1, teams.get(1).get("leads").asInt());
        assertTrue(teams.get(1).get("median_business_seconds").isNull(), "no answered lead: no median, never 0");

        JsonNode month = json("/api/teams/sales?month=2024-02", VIEWER_TOKEN).get("volume");
        assertEquals(7, month.get("month_leads").asInt());
        assertEquals(2.33, month.get("leads_per_rep").asDouble(), 1e-9);
        assertEquals(100, month.get("leads_per_rep_per_month").asInt());
        assertEquals(0, json("/api/teams/sales?month=2024-03", VIEWER_TOKEN).get("volume").get("month_leads").asInt());

        List<Lead> carols = sales.stream().filter(l -> l.firstResponse() != null && l.firstResponse().rep().equals("carol")).toList();
        LeadStats carol = LeadStats.of(carols, AuditFixture.NOW);
        JsonNode rep = json("/api/reps/carol", SALES_TOKEN);
        assertEquals(carol.answered(), rep.get("first_responses").asInt());
        assertEquals(carol.medianBusinessSeconds().getAsLong(), rep.get("median_business_seconds").asLong());
        assertEquals(carol.compliance().getAsDouble(), rep.get("compliance").asDouble(), 1e-4);
        assertTrue(rep.get("responses").size() >= carol.answered());
        JsonNode reps = json("/api/reps?team=sales", SALES_TOKEN).get("reps");
        List<String> names = new ArrayList<>();
        reps.forEach(r -> names.add(r.get("rep").asText()));
        assertEquals(List.of("alice", "bob", "carol"), names.subList(0, 3));
        assertEquals(0, json("/api/reps?team=sales&window=1d", SALES_TOKEN).get("reps").get(0).get("first_responses").asInt());
    }

    @Test
    void rolesLimitWhatEachPrincipalSees() throws IOException {
        assertEquals(401, f.get("/api/leads", null).statusCode());
        assertEquals(401, f.get("/api/leads", "wrong-token").statusCode());
        assertEquals(403, f.get("/api/leads?team=marketing", SALES_TOKEN).statusCode());
        assertEquals(403, f.get("/api/leads/" + enc(AuditFixture.MARKETING_LEAD), SALES_TOKEN).statusCode());
        assertEquals(403, f.get("/api/reps/mia", SALES_TOKEN).statusCode());
        assertEquals(403, f.get("/api/reps?team=marketing", SALES_TOKEN).statusCode());
        assertEquals(403, f.get("/api/report", SALES_TOKEN).statusCode());
        assertEquals(7, json("/api/leads", SALES_TOKEN).get("leads").size(), "a sales manager sees the sales leads only");
        assertEquals(200, f.get("/api/teams/marketing", SALES_TOKEN).statusCode(), "aggregates are open to every role");
        assertEquals(403, f.get("/api/leads", VIEWER_TOKEN).statusCode());
        assertEquals(403, f.get("/api/reps", VIEWER_TOKEN).statusCode());
        assertEquals(200, f.get("/api/teams", VIEWER_TOKEN).statusCode());
        assertEquals(200, f.get("/api/report", ADMIN_TOKEN).statusCode());
        assertEquals(200, f.get("/healthz", null).statusCode());
        assertEquals(200, f.get("/readyz", null).statusCode());
        HttpResponse<String> page = f.get("/", null);
        assertEquals(302, page.statusCode());
        assertEquals("/login?next=%2F", page.headers().firstValue("Location").orElseThrow());
    }

    @Test
    void badParametersAre400NamingTheParameter() throws IOException {
        for (String[] c : new String[][]{
                {"/api/leads?colour=red", "colour"}, {"/api/leads?state=late", "state"}, {"/api/leads?limit=0", "limit"},
                {"/api/leads?limit=abc", "limit"}, {"/api/leads?cursor=%25%25", "cursor"}, {"/api/leads?team=nope", "team"},
                {"/api/leads?from=yesterday", "from"}, {"/api/reps?window=7x", "window"}, {"/api/teams/sales?month=2024-13", "month"},
                {"/api/teams?format=xml", "format"}, {"/api/leads?team=sales&team=marketing", "team"},
                {"/api/reps?window=7d&from=2024-01-01T00:00:00Z", "window"}, {"/api/leads/x@y?limit=3", "limit"}}) {
            HttpResponse<String> r = f.get(c[0], ADMIN_TOKEN);
            assertEquals(400, r.statusCode(), c[0] + ": " + r.body());
            JsonNode body = JSON.readTree(r.body());
            assertEquals(c[1], body.get("parameter").asText(), c[0]);
            assertTrue(body.get("error").asText().startsWith(c[1] + ": "), body.toString());
        }
    }
}
