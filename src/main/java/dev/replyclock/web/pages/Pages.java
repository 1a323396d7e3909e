package dev.replyclock.web.pages;

import dev.replyclock.domain.Lead;
import dev.replyclock.domain.SlaState;
import dev.replyclock.figures.Directory;
import dev.replyclock.figures.Figures;
import dev.replyclock.figures.MonthVolume;
import dev.replyclock.figures.OpenNow;
import dev.replyclock.figures.Period;
import dev.replyclock.figures.PeriodFigures;
import dev.replyclock.figures.QueueEntry;
import dev.replyclock.figures.RepFigures;
import dev.replyclock.figures.WorstWait;
import dev.replyclock.web.ApiError;
import dev.replyclock.web.AuditData;
import dev.replyclock.web.Params;
import dev.replyclock.web.api.LeadsApi;
import dev.replyclock.web.api.RepsApi;
import dev.replyclock.web.auth.Access;
import dev.replyclock.web.auth.Principal;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.function.Predicate;

/**
 * Server-rendered pages: overview and team; the rep and lead pages are in {@link DetailPages}, the wall in
 * {@link WallPage}. Every figure is read from {@link Figures} and named with its period; pages only format.
 */
public final class Pages {

    /** The default period of the pages. */
    static final String DEFAULT_PERIOD = "30d";
    static final int QUEUE_ROWS = 25;
    static final int WORST_ROWS = 10;

    private final Figures figures;
    private final Directory directory;
    private final Access access;
    private final DetailPages details;
    private final WallPage wall;
    private final Clock clock;

    public Pages(AuditData data, Access access, LeadsApi leads, RepsApi reps, Clock clock) {
        this.figures = data.figures();
        this.directory = figures.directory();
        this.access = access;
        this.details = new DetailPages(data, access, leads, reps, clock);
        this.wall = new WallPage(figures, access, clock);
        this.clock = clock;
    }

    void send(Context ctx, Principal who, String title, String body) {
        ctx.html(Html.page(title, who, access.csrfToken(ctx), access.enabled(), body));
    }

    /** A rep as this principal may see them: by name, or a pseudonym for viewers under {@code rep_names: pseudonymous}. */
    String repName(String rep, Principal who) {
        String label = AuditData.repLabel(rep, who, access);
        return label != null && !label.equals(rep) ? label : directory.memberName(rep);
    }

    /** Needs an answer (with a team filter), teams, worst waits, trends, speed to lead, arrivals. */
    public void overview(Context ctx, Principal who) {
        Params p = new Params(ctx, "period", "window", "from", "to", "team");
        Instant now = p.now(clock);
        Period period = p.period(now, directory.homeZone(), DEFAULT_PERIOD);
        String team = p.string("team");
        if (team != null && !directory.isTeam(team)) {
            throw ApiError.badParameter("team", "unknown team '" + team + "'");
        }
        Predicate<String> shown = t -> team == null || team.equals(t);
        StringBuilder b = new StringBuilder(Links.selector(ctx, period, "team"));
        if (who.auditsAny()) {
            b.append(needsAnswer(ctx, who, team, now));
        }
        b.append("<h2>Teams ").append(Html.periodNote(period)).append("</h2><table id=\"teams\" class=\"sortable-table\"><thead><tr>")
                .append("<th>Team</th><th>Leads</th><th>Answered</th><th>Median first response</th><th>p90</th><th>Compliance</th>")
                .append("<th>Pending now</th><th>At risk now</th><th>Breached, open now</th></tr></thead><tbody>");
        for (String t : directory.teams()) {
            PeriodFigures f = figures.team(t, period, now);
            OpenNow open = figures.teamOpen(t, now);
            b.append("<tr data-team=\"").append(Html.esc(t)).append("\"><td>")
                    .append(who.audits(t) ? Html.link("/teams/" + Html.seg(t) + Links.query(ctx), t) : Html.esc(t)).append("</td>")
                    .append(num("leads", f.stats().leads())).append(num("answered", f.stats().answered()))
                    .append(cell("median", Html.durations(f.stats().medianBusinessSeconds(), f.wallMedian())))
                    .append(cell("p90", Html.seconds(f.stats().p90BusinessSeconds())))
                    .append(Html.complianceCell("compliance", f.stats().compliance(), directory.complianceTarget(t)))
                    .append(num("open_pending", open.pending())).append(num("open_at_risk", open.atRisk()))
                    .append(num("open_breached", open.breached())).append("</tr>");
        }
        b.append("</tbody></table><p>").append(Html.link(Links.csv(ctx, "/api/teams"), "Download these figures as CSV")).append("</p>");
        OpenNow open = figures.open(t -> true, now);
        b.append("<h2>Open leads now</h2><p id=\"open\"><span class=\"state-pending\">pending ").append(open.pending())
                .append("</span> · <span class=\"state-at_risk\">at risk ").append(open.atRisk())
                .append("</span> · <span class=\"state-breached\">breached ").append(open.breached()).append("</span></p>");
        if (who.auditsAny()) {
            b.append(worstWaits(ctx, who, shown, now));
        }
        b.append("<h2>Trends</h2><div class=\"trends\">");
        for (String t : directory.teams()) {
            if (shown.test(t)) {
                b.append(Charts.trend("trend-" + t, "Team " + t, figures.teamTrend(t, now), directory.firstResponseTarget(t),
                        directory.complianceTarget(t)));
            }
        }
        b.append("</div><h2>Speed to lead ").append(Html.periodNote(period)).append("</h2>")
                .append(Charts.speed(figures.speedToLead(shown, period, now)))
                .append("<h2>Lead arrivals</h2>").append(Charts.heatmap(figures.heatmap(team, shown, period)));
        send(ctx, who, "Overview", b.toString());
    }

    /** The answer-now queue: pending and at-risk leads by deadline, then the overdue ones. */
    private String needsAnswer(Context ctx, Principal who, String team, Instant now) {
        List<QueueEntry> queue = figures.answerNow(t -> who.audits(t) && (team == null || team.equals(t)), now, QUEUE_ROWS);
        StringBuilder b = new StringBuilder("<section id=\"needs-answer\"><h2>Needs an answer <span class=\"period\">(now)</span></h2>")
                .append("<form method=\"get\" class=\"team-filter\"><label>Team <select name=\"team\"><option value=\"\">All teams</option>");
        for (String t : directory.teams()) {
            if (who.audits(t)) {
                b.append("<option value=\"").append(Html.esc(t)).append('"').append(t.equals(team) ? " selected" : "").append('>')
                        .append(Html.esc(t)).append("</option>");
            }
        }
        b.append("</select></label>");
        for (String name : Links.CARRIED) {
            String v = ctx.queryParam(name);
            if (v != null && !v.isEmpty()) {
                b.append("<input type=\"hidden\" name=\"").append(name).append("\" value=\"").append(Html.esc(v)).append("\">");
            }
        }
        b.append(" <button type=\"submit\">Filter</button></form>");
        if (queue.isEmpty()) {
            return b.append("<p id=\"queue-empty\">Nothing waits for a first response.</p></section>").toString();
        }
        b.append("<table id=\"queue\"><thead><tr><th>Business time left</th><th>Deadline</th><th>State</th><th>Party</th>")
                .append("<th>Subject</th><th>Mailbox</th><th>Team</th></tr></thead><tbody>");
        for (QueueEntry q : queue) {
            Lead l = q.lead();
            String subject = figures.subject(l.leadMessageId());
            b.append("<tr data-lead=\"").append(Html.esc(l.leadMessageId())).append("\"><td class=\"left\" data-seconds=\"")
                    .append(q.businessSecondsLeft()).append("\">").append(Html.esc(left(q))).append("</td><td>")
                    .append(Html.esc(Html.clock(l.deadline(), q.deadline().getZone()))).append("</td>").append(state(q.state()))
                    .append("<td>").append(Html.esc(l.party())).append("</td><td>")
                    .append(Html.link("/leads/" + Html.seg(l.leadMessageId()) + Links.nowOnly(ctx), subject.isEmpty() ? l.leadMessageId() : subject))
                    .append("</td><td>").append(Html.esc(l.mailboxId())).append("</td><td>")
                    .append(Html.link("/teams/" + Html.seg(l.teamId()) + Links.query(ctx), l.teamId())).append("</td></tr>");
        }
        return b.append("</tbody></table></section>").toString();
    }

    /** {@code 42 m left} or {@code overdue 1 h 5 m} (business time). */
    static String left(QueueEntry q) {
        return q.overdue() ? "overdue " + Html.dur(-q.businessSecondsLeft()) : Html.dur(q.businessSecondsLeft()) + " left";
    }

    private String worstWaits(Context ctx, Principal who, Predicate<String> shown, Instant now) {
        StringBuilder b = new StringBuilder("<h2>Worst waits <span class=\"period\">(open now, longest business wait first)</span></h2>")
                .append("<table id=\"worst\"><thead><tr><th>Lead</th><th>Team</th><th>Party</th><th>Started</th><th>Waiting</th>")
                .append("<th>State</th></tr></thead><tbody>");
        for (WorstWait w : figures.worstWaits(t -> who.audits(t) && shown.test(t), now, WORST_ROWS)) {
            Lead l = w.lead();
            String subject = figures.subject(l.leadMessageId());
            b.append("<tr><td>").append(Html.link("/leads/" + Html.seg(l.leadMessageId()) + Links.nowOnly(ctx),
                            subject.isEmpty() ? l.leadMessageId() : subject)).append("</td><td>").append(Html.esc(l.teamId()))
                    .append("</td><td>").append(Html.esc(l.party())).append("</td><td>")
                    .append(Html.esc(Html.time(l.start(), directory.zone(l.mailboxId())))).append("</td><td data-seconds=\"")
                    .append(w.businessSeconds()).append("\">").append(Html.esc(Html.durations(w.businessSeconds(), w.wallSeconds())))
                    .append("</td>").append(state(w.state())).append("</tr>");
        }
        return b.append("</tbody></table>").toString();
    }

    /** A team's figures of the period, open work now, month volume, trend, speed, arrivals, reps and newest leads. */
    public void team(Context ctx, Principal who) {
        Params p = new Params(ctx, "period", "window", "from", "to", "month");
        Instant now = p.now(clock);
        String team = ctx.pathParam("team");
        if (!directory.isTeam(team)) {
            throw ApiError.notFound("no team '" + team + "'");
        }
        Period period = p.period(now, directory.teamZone(team), DEFAULT_PERIOD);
        PeriodFigures f = figures.team(team, period, now);
        OpenNow open = figures.teamOpen(team, now);
        YearMonth month = p.month("month");
        MonthVolume v = figures.volume(team, month == null ? figures.currentMonth(team, now) : month, now);
        StringBuilder b = new StringBuilder(Links.selector(ctx, period, "month"));
        b.append("<h2>Figures ").append(Html.periodNote(period)).append("</h2><dl id=\"figures\">");
        dd(b, "Leads", f.stats().leads());
        dd(b, "Answered", f.stats().answered());
        dd(b, "Median first response", Html.durations(f.stats().medianBusinessSeconds(), f.wallMedian()));
        dd(b, "p90 first response", Html.seconds(f.stats().p90BusinessSeconds()) + " business");
        b.append("<dt>Compliance</dt><dd class=\"c-").append(Html.complianceClass(f.stats().compliance(), directory.complianceTarget(team))).append("\">")
                .append(Html.esc(Html.percent(f.stats().compliance()))).append(" (target ")
                .append(Html.esc(Html.percent(directory.complianceTarget(team)))).append(")</dd>");
        dd(b, "Attempts compliance", Html.percent(f.attemptsCompliance()));
        b.append("</dl><h2>Now</h2><dl id=\"now\">");
        dd(b, "Open: pending / at risk / breached", open.pending() + " / " + open.atRisk() + " / " + open.breached());
        dd(b, "Breached today", figures.breachedToday(team, now));
        dd(b, "Waits without a reply", open.waits());
        dd(b, "Oldest open lead", open.oldest() == null ? "–" : Html.dur(open.oldestBusinessSeconds()) + " business");
        b.append("</dl><h2>Volume <span class=\"period\">(").append(Html.esc(v.month())).append(")</span></h2><dl id=\"volume\">");
        dd(b, "Leads in " + v.month(), v.leads() + (v.perRep() == null ? "" : " (" + Math.round(v.perRep() * 100) / 100.0
                + " per rep" + (v.target() == null ? "" : ", target " + v.target()) + ")"));
        b.append("</dl><p>").append(Html.link(Links.csv(ctx, "/api/teams/" + Html.seg(team)), "Download the team's figures as CSV"));
        if (who.audits(team)) {
            b.append(" · ").append(Html.link(Links.csv(ctx, "/api/reps") + "&team=" + Html.seg(team), "the reps' figures as CSV"));
        }
        b.append("</p><h2>Trend</h2>").append(Charts.trend("trend-" + team, "Team " + team, figures.teamTrend(team, now),
                        directory.firstResponseTarget(team), directory.complianceTarget(team)))
                .append("<h2>Speed to lead ").append(Html.periodNote(period)).append("</h2>")
                .append(Charts.speed(figures.speedToLead(team::equals, period, now)))
                .append("<h2>Lead arrivals</h2>").append(Charts.heatmap(figures.heatmap(team, team::equals, period)));
        if (who.audits(team)) {
            b.append(repsTable(ctx, who, team, period, now));
            List<Lead> newest = figures.leadsNewestFirst().stream().filter(l -> team.equals(l.teamId()) && period.contains(l.start()))
                    .limit(50).toList();
            b.append(details.leadsTable(ctx, who, newest, period, now));
        }
        send(ctx, who, "Team " + team, b.toString());
    }

    private String repsTable(Context ctx, Principal who, String team, Period period, Instant now) {
        StringBuilder b = new StringBuilder("<h2>Reps ").append(Html.periodNote(period)).append("</h2><table id=\"reps\"><thead><tr>")
                .append("<th class=\"sortable\">Rep</th><th class=\"sortable\">First responses</th><th class=\"sortable\">Median</th>")
                .append("<th class=\"sortable\">p90</th><th class=\"sortable\">Compliance</th><th class=\"sortable\">Attempts per lead</th>")
                .append("<th class=\"sortable\">Waits closed</th></tr></thead><tbody>");
        for (RepFigures f : figures.reps(period, team::equals, now)) {
            b.append("<tr data-rep=\"").append(Html.esc(f.rep())).append("\"><td>")
                    .append(Html.link("/reps/" + Html.seg(f.rep()) + Links.query(ctx), repName(f.rep(), who))).append("</td>")
                    .append(num("first_responses", f.firstResponses()))
                    .append(sorted(f.stats().medianBusinessSeconds(), Html.durations(f.stats().medianBusinessSeconds(), f.wallMedian())))
                    .append(sorted(f.stats().p90BusinessSeconds(), Html.seconds(f.stats().p90BusinessSeconds())))
                    .append(Html.complianceCell("compliance", f.stats().compliance(), directory.complianceTarget(team)))
                    .append(num("attempts_per_lead", f.attemptsPerLead().isEmpty() ? "–" : Math.round(f.attemptsPerLead().getAsDouble() * 100) / 100.0))
                    .append(num("waits_closed", f.waitsClosed())).append("</tr>");
        }
        return b.append("</tbody></table>").toString();
    }

    public void rep(Context ctx, Principal who) {
        details.rep(ctx, who, this);
    }

    public void lead(Context ctx, Principal who) {
        details.lead(ctx, who, this);
    }

    public void wall(Context ctx, Principal who) {
        wall.show(ctx, who, this);
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

    static String num(String name, Object value) {
        return "<td class=\"num\" data-field=\"" + name + "\">" + Html.esc(value) + "</td>";
    }

    static String cell(String name, String text) {
        return "<td data-field=\"" + name + "\">" + Html.esc(text) + "</td>";
    }

    static String sorted(java.util.OptionalLong value, String text) {
        return "<td data-sort=\"" + (value.isEmpty() ? "" : value.getAsLong()) + "\">" + Html.esc(text) + "</td>";
    }

    static String state(SlaState s) {
        return s == null ? "<td>–</td>" : "<td class=\"state-" + s.label() + "\">" + Html.esc(s.label().replace('_', ' ')) + "</td>";
    }

    static void dd(StringBuilder b, String term, Object value) {
        b.append("<dt>").append(Html.esc(term)).append("</dt><dd>").append(Html.esc(value)).append("</dd>");
    }
}
