package dev.replyclock.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.replyclock.alert.AlertComposer;
import dev.replyclock.alert.DigestMessage;
import dev.replyclock.config.MailboxConfig;
import dev.replyclock.figures.Figures;
import dev.replyclock.figures.OpenNow;
import dev.replyclock.figures.Period;
import dev.replyclock.figures.PeriodFigures;
import dev.replyclock.figures.RepFigures;
import dev.replyclock.figures.WorstWait;
import dev.replyclock.metrics.Samples;
import dev.replyclock.report.LeadStats;
import dev.replyclock.web.pages.Html;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads each figure the way a user meets it — {@code /api/teams} (JSON and CSV), {@code /api/reps}, {@code /metrics},
 * the overview, team and rep pages, the wall and the digest — and collects every one that differs from the query
 * layer's value. A view that computed a figure its own way shows up here.
 */
final class FigureViews {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, Integer> WINDOWS = Map.of("1d", 1, "7d", 7, "30d", 30);

    private final Figures figures;
    private final String base;
    private final String token;
    private final Instant now;
    private final AlertComposer composer;
    private final HttpClient http = HttpClient.newHttpClient();
    final List<String> differences = new ArrayList<>();
    int compared;

    FigureViews(Figures figures, AlertComposer composer, String base, String token, Instant now) {
        this.figures = figures;
        this.composer = composer;
        this.base = base;
        this.token = token;
        this.now = now;
    }

    /** The periods compared, by their query: every named one and a custom range. */
    List<String> periods() {
        return List.of("period=all", "period=7d", "period=30d", "period=today", "period=month", "period=last_month",
                "from=" + now.minus(Duration.ofDays(10)) + "&to=" + now.minus(Duration.ofDays(2)));
    }

    Period period(String query, String team) {
        if (query.startsWith("from=")) {
            String[] parts = query.split("&");
            return Period.between(Instant.parse(parts[0].substring(5)), Instant.parse(parts[1].substring(3)),
                    figures.directory().teamZone(team));
        }
        return Period.named(query.substring("period=".length()), now, team == null ? figures.directory().homeZone()
                : figures.directory().teamZone(team));
    }

    void all() {
        for (String q : periods()) {
            teamsApi(q);
            teamCsv(q);
            repsApi(q);
            overview(q);
            for (String team : figures.directory().teams()) {
                teamPage(team, q);
            }
        }
        repPages();
        metrics();
        wall();
        digest();
    }

    // ------------------------------------------------------------------------------------------ the API

    private void teamsApi(String q) {
        JsonNode body = json("/api/teams?" + q);
        for (JsonNode row : body.get("teams")) {
            String team = row.get("team").asText();
            Period p = period(q, null);
            PeriodFigures f = figures.team(team, p, now);
            OpenNow open = figures.teamOpen(team, now);
            String where = "/api/teams?" + q + " " + team;
            stats(where, row, f.stats());
            same(where + " attempts_compliance", ratio(f.attemptsCompliance()), number(row.get("attempts_compliance")));
            same(where + " open_pending", open.pending(), row.get("open_pending").asInt());
            same(where + " open_at_risk", open.atRisk(), row.get("open_at_risk").asInt());
            same(where + " open_breached", open.breached(), row.get("open_breached").asInt());
            same(where + " waits_open", open.waits(), row.get("waits_open").asInt());
            same(where + " breached_today", figures.breachedToday(team, now), row.get("breached_today").asInt());
        }
    }

    private void teamCsv(String q) {
        for (String team : figures.directory().teams()) {
            String[] lines = get("/api/teams/" + team + "?format=csv&" + q).split("\r\n");
            List<String> header = List.of(lines[0].split(","));
            String[] cells = lines[1].split(",", -1);
            LeadStats s = figures.team(team, period(q, team), now).stats();
            String where = "/api/teams/" + team + " csv " + q;
            same(where + " leads", String.valueOf(s.leads()), cells[header.indexOf("leads")]);
            same(where + " compliance", s.compliance().isEmpty() ? "" : String.valueOf(ratio(s.compliance())),
                    cells[header.indexOf("compliance")]);
        }
    }

    private void repsApi(String q) {
        JsonNode body = json("/api/reps?" + q);
        List<RepFigures> expected = figures.reps(period(q, null), t -> true, now);
        same("/api/reps?" + q + " rows", expected.size(), body.get("reps").size());
        for (int i = 0; i < Math.min(expected.size(), body.get("reps").size()); i++) {
            RepFigures f = expected.get(i);
            JsonNode row = body.get("reps").get(i);
            String where = "/api/reps?" + q + " " + f.rep();
            same(where + " rep", f.rep(), row.get("rep").asText());
            same(where + " first_responses", f.firstResponses(), row.get("first_responses").asInt());
            same(where + " median", seconds(f.stats().medianBusinessSeconds()), number(row.get("median_business_seconds")));
            same(where + " compliance", ratio(f.stats().compliance()), number(row.get("compliance")));
            same(where + " waits_closed", f.waitsClosed(), row.get("waits_closed").asInt());
        }
    }

    private void stats(String where, JsonNode row, LeadStats s) {
        same(where + " leads", s.leads(), row.get("leads").asInt());
        same(where + " answered", s.answered(), row.get("answered").asInt());
        same(where + " median", seconds(s.medianBusinessSeconds()), number(row.get("median_business_seconds")));
        same(where + " p90", seconds(s.p90BusinessSeconds()), number(row.get("p90_business_seconds")));
        same(where + " compliance", ratio(s.compliance()), number(row.get("compliance")));
    }

    // ---------------------------------------------------------------------------------------- the pages

    private void overview(String q) {
        String page = get("/?" + q);
        for (String team : figures.directory().teams()) {
            String row = element(page, "tr data-team=\"" + team + "\"", "</tr>");
            LeadStats s = figures.team(team, period(q, null), now).stats();
            OpenNow open = figures.teamOpen(team, now);
            String where = "overview ?" + q + " " + team;
            same(where + " leads", String.valueOf(s.leads()), field(row, "leads"));
            same(where + " answered", String.valueOf(s.answered()), field(row, "answered"));
            same(where + " compliance", Html.percent(s.compliance()), field(row, "compliance"));
            same(where + " open_at_risk", String.valueOf(open.atRisk()), field(row, "open_at_risk"));
            same(where + " open_breached", String.valueOf(open.breached()), field(row, "open_breached"));
        }
        List<WorstWait> worst = figures.worstWaits(t -> true, now, 10);
        String table = element(page, "table id=\"worst\"", "</table>");
        List<String> shown = new ArrayList<>();
        Matcher m = Pattern.compile("data-seconds=\"(-?[0-9]+)\"").matcher(table);
        while (m.find()) {
            shown.add(m.group(1));
        }
        same("overview worst waits (business seconds, in order)", worst.stream().map(w -> String.valueOf(w.businessSeconds())).toList(), shown);
    }

    private void teamPage(String team, String q) {
        String page = get("/teams/" + team + "?" + q);
        for (RepFigures f : figures.reps(period(q, team), team::equals, now)) {
            String row = element(page, "tr data-rep=\"" + f.rep() + "\"", "</tr>");
            String where = "team page " + team + " ?" + q + " " + f.rep();
            same(where + " first_responses", String.valueOf(f.firstResponses()), field(row, "first_responses"));
            same(where + " compliance", Html.percent(f.stats().compliance()), field(row, "compliance"));
        }
    }

    private void repPages() {
        for (RepFigures f : figures.reps(period("period=30d", null), t -> true, now)) {
            if (f.firstResponses() == 0) {
                continue;
            }
            String page = get("/reps/" + URLEncoder.encode(f.rep(), StandardCharsets.UTF_8) + "?period=30d");
            String where = "rep page " + f.rep();
            same(where + " first responses", String.valueOf(f.firstResponses()),
                    element(page, "dt>First responses</dt><dd", "</dd>").replaceAll("^.*>", ""));
            int bars = 0;
            Matcher m = Pattern.compile("data-field=\"business\" data-count=\"([0-9]+)\"").matcher(element(page, "table id=\"speed\"", "</table>"));
            while (m.find()) {
                bars += Integer.parseInt(m.group(1));
            }
            same(where + " speed-to-lead total", f.firstResponses(), bars);
        }
    }

    private void wall() {
        String page = get("/wall");
        Period week = Period.lastDays(7, now);
        for (String team : figures.directory().teams()) {
            String tiles = element(page, "div class=\"team\" data-team=\"" + team + "\"", "</div></div></div>");
            String where = "wall " + team;
            same(where + " at risk", String.valueOf(figures.teamOpen(team, now).atRisk()), tile(tiles, "at_risk"));
            same(where + " breached today", String.valueOf(figures.breachedToday(team, now)), tile(tiles, "breached_today"));
            same(where + " compliance 7d", Html.wholePercent(figures.team(team, week, now).stats().compliance()), tile(tiles, "compliance"));
            same(where + " median 7d", Html.seconds(figures.team(team, week, now).stats().medianBusinessSeconds()), tile(tiles, "median"));
        }
        for (RepFigures f : figures.reps(week, t -> true, now)) {
            if (f.firstResponses() == 0 && !f.member()) {
                continue;
            }
            String row = element(page, "tr data-rep=\"" + Html.esc(f.rep()) + "\"", "</tr>");
            same("wall rep " + f.rep() + " compliance", Html.percent(f.stats().compliance()), field(row, "compliance"));
            same("wall rep " + f.rep() + " answered", String.valueOf(f.firstResponses()),
                    row.replaceAll("(?s).*<td class=\"num\">([0-9]+)</td>.*", "$1"));
        }
    }

    // --------------------------------------------------------------------------------- metrics, digest

    private void metrics() {
        Samples s = Samples.parse(get("/metrics"));
        for (MailboxConfig m : figures.directory().leadMailboxes()) {
            String[] mt = {"mailbox", m.id(), "team", m.team()};
            OpenNow open = figures.mailboxOpen(m.id(), now);
            same("metrics leads_open pending " + m.id(), (double) open.pending(), s.get("replyclock_leads_open", with(mt, "state", "pending")));
            same("metrics leads_open at_risk " + m.id(), (double) open.atRisk(), s.get("replyclock_leads_open", with(mt, "state", "at_risk")));
            same("metrics leads_open breached " + m.id(), (double) open.breached(), s.get("replyclock_leads_open", with(mt, "state", "breached")));
            same("metrics waits_open " + m.id(), (double) open.waits(), s.get("replyclock_waits_open", mt));
            for (Map.Entry<String, Integer> w : WINDOWS.entrySet()) {
                PeriodFigures f = figures.mailbox(m.id(), Period.lastDays(w.getValue(), now), now);
                String[] wt = with(mt, "window", w.getKey());
                String where = "metrics " + m.id() + " " + w.getKey();
                same(where + " leads", (double) f.stats().leads(), s.get("replyclock_window_leads", wt));
                same(where + " compliance", f.stats().compliance().isEmpty() ? null : f.stats().compliance().getAsDouble(),
                        s.value("replyclock_window_first_response_compliance_ratio", wt).orElse(null));
                same(where + " median", seconds(f.stats().medianBusinessSeconds()) == null ? null
                                : (double) f.stats().medianBusinessSeconds().getAsLong(),
                        s.value("replyclock_window_first_response_business_seconds", with(wt, "quantile", "0.5")).orElse(null));
            }
        }
        for (Map.Entry<String, Integer> w : WINDOWS.entrySet()) {
            for (RepFigures f : figures.reps(Period.lastDays(w.getValue(), now), t -> true, now)) {
                if (f.member()) {
                    same("metrics rep " + f.rep() + " " + w.getKey(), (double) f.firstResponses(),
                            s.get("replyclock_rep_window_first_responses", "team", f.team(), "rep", f.rep(), "window", w.getKey()));
                }
            }
        }
        for (String team : figures.directory().teams()) {
            same("metrics month " + team, (double) figures.volume(team, figures.currentMonth(team, now), now).leads(),
                    s.get("replyclock_leads_month_to_date", "team", team));
        }
    }

    private void digest() {
        for (String team : figures.directory().teams()) {
            DigestMessage d = composer.digest(team, LocalDate.ofInstant(now, figures.directory().teamZone(team)), now);
            Period p = new Period(now.minus(d.window()), now, "digest", "digest");
            LeadStats s = figures.team(team, p, now).stats();
            String where = "digest " + team;
            same(where + " leads", s.leads(), d.stats().leads());
            same(where + " compliance", s.compliance(), d.stats().compliance());
            same(where + " median", s.medianBusinessSeconds(), d.stats().medianBusinessSeconds());
            same(where + " worst waits", figures.worstWaits(team::equals, now, d.worstWaits().size() + 1).stream()
                    .limit(d.worstWaits().size()).map(w -> Duration.ofSeconds(w.businessSeconds())).toList(),
                    d.worstWaits().stream().map(DigestMessage.Wait::waited).toList());
            same(where + " reps", figures.reps(p, team::equals, now).stream().filter(f -> f.firstResponses() > 0)
                    .map(f -> f.firstResponses()).sorted().toList(), d.reps().stream().map(r -> r.stats().answered()).sorted().toList());
        }
    }

    // ---------------------------------------------------------------------------------------- helpers

    private void same(String what, Object expected, Object actual) {
        compared++;
        if (!Objects.equals(expected, actual)) {
            differences.add(what + ": query layer " + expected + ", view " + actual);
        }
    }

    private static String[] with(String[] base, String... more) {
        String[] out = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, out, base.length, more.length);
        return out;
    }

    private static Double ratio(OptionalDouble r) {
        return r.isPresent() ? Math.round(r.getAsDouble() * 10000) / 10000.0 : null;
    }

    private static Long seconds(OptionalLong s) {
        return s.isPresent() ? s.getAsLong() : null;
    }

    private static Object number(JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        return n.isIntegralNumber() ? (Object) n.asLong() : (Object) n.asDouble();
    }

    private static String element(String page, String start, String end) {
        int i = page.indexOf(start);
        if (i < 0) {
            return "(missing " + start + ")";
        }
        int j = page.indexOf(end, i);
        return page.substring(i, j < 0 ? page.length() : j);
    }

    /** The text of the cell {@code data-field="name"} in a row, unescaped of the few entities a figure can hold. */
    private static String field(String row, String name) {
        Matcher m = Pattern.compile("data-field=\"" + name + "\"[^>]*>([^<]*)<").matcher(row);
        return m.find() ? m.group(1).replace("&amp;", "&") : "(missing " + name + ")";
    }

    private static String tile(String tiles, String name) {
        Matcher m = Pattern.compile("data-field=\"" + name + "\"><div class=\"big\">([^<]*)<").matcher(tiles);
        return m.find() ? m.group(1) : "(missing tile " + name + ")";
    }

    private JsonNode json(String path) {
        try {
            return JSON.readTree(get(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String get(String path) {
        String sep = path.contains("?") ? "&" : "?";
        String url = base + path + (path.equals("/metrics") ? "" : sep + "now=" + now);
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new AssertionError(url + ": " + r.statusCode() + " " + r.body());
            }
            return r.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
