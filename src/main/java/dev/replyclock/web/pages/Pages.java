package dev.replyclock.web.pages;

import dev.replyclock.domain.Lead;
import dev.replyclock.domain.SlaState;
import dev.replyclock.web.AuditData;
import dev.replyclock.web.Params;
import dev.replyclock.web.api.LeadsApi;
import dev.replyclock.web.api.RepsApi;
import dev.replyclock.web.api.TeamsApi;
import dev.replyclock.web.auth.Access;
import dev.replyclock.web.auth.Principal;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** Server-rendered pages: overview, team, wall; the rep and lead pages are in {@link DetailPages}. */
public final class Pages {

    private final AuditData data;
    private final Access access;
    private final TeamsApi teams;
    private final DetailPages details;
    private final Clock clock;

    public Pages(AuditData data, Access access, LeadsApi leads, RepsApi reps, TeamsApi teams, Clock clock) {
        this.data = data;
        this.access = access;
        this.teams = teams;
        this.details = new DetailPages(data, access, leads, reps, clock);
        this.clock = clock;
    }

    void send(Context ctx, Principal who, String title, String body) {
        ctx.html(Html.page(title, who, access.csrfToken(ctx), access.enabled(), body));
    }

    /** Teams (aggregates for every role), open leads by state, and for auditors the worst waits. */
    public void overview(Context ctx, Principal who) {
        Params p = new Params(ctx, "window", "from", "to");
        Instant now = p.now(clock);
        Params.Window window = p.window(now);
        StringBuilder b = new StringBuilder();
        b.append("<h2>Teams</h2><table id=\"teams\"><thead><tr><th>Team</th><th>Leads</th><th>Answered</th><th>Median</th>")
                .append("<th>p90</th><th>Compliance</th><th>Pending</th><th>At risk</th><th>Breached</th></tr></thead><tbody>");
        int[] open = new int[3];
        for (String team : data.config().teams().keySet()) {
            Map<String, Object> t = teams.aggregate(team, window, now);
            open[0] += (int) t.get("open_pending");
            open[1] += (int) t.get("open_at_risk");
            open[2] += (int) t.get("open_breached");
            b.append("<tr data-team=\"").append(Html.esc(team)).append("\"><td>")
                    .append(who.audits(team) ? Html.link("/teams/" + Html.seg(team) + query(ctx), team) : Html.esc(team))
                    .append("</td>").append(num("leads", t.get("leads"))).append(num("answered", t.get("answered")))
                    .append(cell("median", Html.seconds(t.get("median_business_seconds"))))
                    .append(cell("p90", Html.seconds(t.get("p90_business_seconds"))))
                    .append(cell("compliance", Html.percent(t.get("compliance"))))
                    .append(num("open_pending", t.get("open_pending"))).append(num("open_at_risk", t.get("open_at_risk")))
                    .append(num("open_breached", t.get("open_breached"))).append("</tr>");
        }
        b.append("</tbody></table><h2>Open leads by state</h2><p id=\"open\">")
                .append("<span class=\"state-pending\">pending ").append(open[0]).append("</span> · ")
                .append("<span class=\"state-at_risk\">at risk ").append(open[1]).append("</span> · ")
                .append("<span class=\"state-breached\">breached ").append(open[2]).append("</span></p>");
        if (who.auditsAny()) {
            List<Lead> worst = data.leads(l -> who.audits(l.teamId()) && l.open(now) && window.contains(l.start())).stream()
                    .sorted(Comparator.comparing(Lead::start).thenComparing(Lead::leadMessageId)).limit(15).toList();
            b.append("<h2>Worst waits</h2><table id=\"worst\"><thead><tr><th>Lead</th><th>Team</th><th>Party</th>")
                    .append("<th>Started</th><th>Waiting</th><th>State</th></tr></thead><tbody>");
            for (Lead l : worst) {
                String subject = data.subject(l.leadMessageId());
                b.append("<tr><td>").append(Html.link("/leads/" + Html.seg(l.leadMessageId()) + query(ctx),
                                subject.isEmpty() ? l.leadMessageId() : subject)).append("</td><td>").append(Html.esc(l.teamId()))
                        .append("</td><td>").append(Html.esc(l.party())).append("</td><td>")
                        .append(Html.esc(Html.time(l.start(), data.zone(l.mailboxId())))).append("</td><td>")
                        .append(Html.esc(Html.dur(Duration.between(l.start(), now).getSeconds()))).append(" wall</td>")
                        .append(state(l.firstResponseState(now))).append("</tr>");
            }
            b.append("</tbody></table>");
        }
        send(ctx, who, "Overview", b.toString());
    }

    /** A team's figures, month volume, reps and newest leads (auditors of the team only see reps and leads). */
    public void team(Context ctx, Principal who) {
        Params p = new Params(ctx, "window", "from", "to", "month");
        Instant now = p.now(clock);
        String team = ctx.pathParam("team");
        if (!data.config().teams().containsKey(team)) {
            throw dev.replyclock.web.ApiError.notFound("no team '" + team + "'");
        }
        Params.Window window = p.window(now);
        Map<String, Object> t = teams.aggregate(team, window, now);
        YearMonth month = p.month("month");
        Map<String, Object> v = teams.volume(team, month == null ? YearMonth.from(now.atZone(data.teamZone(team))) : month);
        StringBuilder b = new StringBuilder("<dl id=\"figures\">");
        dd(b, "Leads", t.get("leads"));
        dd(b, "Answered", t.get("answered"));
        dd(b, "Median first response", Html.seconds(t.get("median_business_seconds")) + " business");
        dd(b, "p90 first response", Html.seconds(t.get("p90_business_seconds")) + " business");
        dd(b, "Compliance", Html.percent(t.get("compliance")));
        dd(b, "Open: pending / at risk / breached", t.get("open_pending") + " / " + t.get("open_at_risk") + " / " + t.get("open_breached"));
        dd(b, "Leads in " + v.get("month"), v.get("month_leads") + (v.get("leads_per_rep") == null ? "" : " (" + v.get("leads_per_rep")
                + " per rep" + (v.get("leads_per_rep_per_month") == null ? "" : ", target " + v.get("leads_per_rep_per_month")) + ")"));
        b.append("</dl>");
        if (who.audits(team)) {
            b.append(details.repsTable(ctx, who, team, window, now));
            List<Lead> newest = data.leadsNewestFirst().stream().filter(l -> team.equals(l.teamId()) && window.contains(l.start()))
                    .limit(50).toList();
            b.append(details.leadsTable(ctx, newest, now));
        }
        send(ctx, who, "Team " + team, b.toString());
    }

    public void rep(Context ctx, Principal who) {
        details.rep(ctx, who, this);
    }

    public void lead(Context ctx, Principal who) {
        details.lead(ctx, who, this);
    }

    /** For a TV: refreshes every 30 s; per team the open leads and figures of the last 7 days. */
    public void wall(Context ctx, Principal who) {
        Params p = new Params(ctx);
        Instant now = p.now(clock);
        Params.Window week = new Params.Window(now.minus(Duration.ofDays(7)), now, "7d");
        StringBuilder b = new StringBuilder("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta http-equiv=\"refresh\" content=\"30\"><title>Replyclock wall</title>")
                .append("<link rel=\"stylesheet\" href=\"/static/app.css\"></head><body class=\"wall\"><main><div class=\"tiles\">");
        for (String team : data.config().teams().keySet()) {
            Map<String, Object> t = teams.aggregate(team, week, now);
            b.append("<div class=\"tile\" data-team=\"").append(Html.esc(team)).append("\"><div>").append(Html.esc(team))
                    .append("</div><div class=\"big state-breached\">").append(t.get("open_breached")).append("</div><div>breached, ")
                    .append(t.get("open_at_risk")).append(" at risk, ").append(t.get("open_pending")).append(" pending</div><div>7 d: median ")
                    .append(Html.esc(Html.seconds(t.get("median_business_seconds")))).append(", compliance ")
                    .append(Html.esc(Html.percent(t.get("compliance")))).append("</div></div>");
        }
        b.append("</div><h2>First responses, last 7 days</h2><table><thead><tr><th>Rep</th><th>Team</th><th>Answered</th>")
                .append("<th>Median</th></tr></thead><tbody>");
        for (AuditData.RepFigures f : data.reps(week, x -> true, now)) {
            if (f.stats().answered() > 0) {
                b.append("<tr><td>").append(Html.esc(AuditData.repLabel(f.rep(), who, access))).append("</td><td>")
                        .append(Html.esc(f.team())).append("</td><td class=\"num\">").append(f.stats().answered())
                        .append("</td><td>").append(Html.esc(f.stats().medianBusinessSeconds().isPresent()
                                ? Html.dur(f.stats().medianBusinessSeconds().getAsLong()) : "–")).append("</td></tr>");
            }
        }
        b.append("</tbody></table><p>Updated ").append(Html.esc(Html.time(now, data.config().mailboxes().isEmpty() ? java.time.ZoneOffset.UTC
                : data.zone(data.config().mailboxes().get(0).id())))).append("</p></main></body></html>");
        ctx.html(b.toString());
    }

    public void logout(Context ctx, Principal who) {
        access.logout(ctx);
        ctx.redirect("/login");
    }

    public static void asset(Context ctx, String name, String type) throws IOException {
        try (InputStream in = Pages.class.getResourceAsStream("/web/" + name)) {
            ctx.contentType(type + "; charset=utf-8").header("Cache-Control", "max-age=300").result(in.readAllBytes());
        }
    }

    /** {@code ?now=...} carried over to links, so that a page at a fixed instant links to the same instant. */
    static String query(Context ctx) {
        String now = ctx.queryParam("now");
        return now == null ? "" : "?now=" + java.net.URLEncoder.encode(now, java.nio.charset.StandardCharsets.UTF_8);
    }

    static String num(String name, Object value) {
        return "<td class=\"num\" data-field=\"" + name + "\">" + Html.esc(value) + "</td>";
    }

    static String cell(String name, String text) {
        return "<td data-field=\"" + name + "\">" + Html.esc(text) + "</td>";
    }

    static String state(SlaState s) {
        return s == null ? "<td>–</td>" : "<td class=\"state-" + s.label() + "\">" + Html.esc(s.label().replace('_', ' ')) + "</td>";
    }

    static void dd(StringBuilder b, String term, Object value) {
        b.append("<dt>").append(Html.esc(term)).append("</dt><dd>").append(Html.esc(value)).append("</dd>");
    }
}
