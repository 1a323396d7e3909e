package dev.replyclock.web.pages;

import dev.replyclock.domain.Lead;
import dev.replyclock.domain.Response;
import dev.replyclock.figures.Directory;
import dev.replyclock.figures.Figures;
import dev.replyclock.figures.Period;
import dev.replyclock.figures.RepFigures;
import dev.replyclock.web.AuditData;
import dev.replyclock.web.Params;
import dev.replyclock.web.api.LeadsApi;
import dev.replyclock.web.api.RepsApi;
import dev.replyclock.web.auth.Access;
import dev.replyclock.web.auth.Principal;
import io.javalin.http.Context;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

/** The rep page (figures, trend, speed to lead, responses) and the lead timeline page. */
final class DetailPages {

    /** Rows of the responses table; the figures use every response. */
    static final int MAX_ROWS = 500;

    private final AuditData data;
    private final Figures figures;
    private final Directory directory;
    private final LeadsApi leads;
    private final RepsApi reps;
    private final Clock clock;
    private final Access access;

    DetailPages(AuditData data, Access access, LeadsApi leads, RepsApi reps, Clock clock) {
        this.access = access;
        this.data = data;
        this.figures = data.figures();
        this.directory = figures.directory();
        this.leads = leads;
        this.reps = reps;
        this.clock = clock;
    }

    String leadsTable(Context ctx, Principal who, List<Lead> list, Period period, Instant now) {
        StringBuilder b = new StringBuilder("<h2>Newest leads ").append(Html.periodNote(period))
                .append("</h2><table id=\"leads\"><thead><tr><th>Lead</th><th>Party</th><th>Started</th><th>First response</th>")
                .append("<th>Rep</th><th>State</th></tr></thead><tbody>");
        for (Lead l : list) {
            String subject = figures.subject(l.leadMessageId());
            Response r = l.firstResponse();
            b.append("<tr><td>").append(Html.link("/leads/" + Html.seg(l.leadMessageId()) + Links.nowOnly(ctx),
                            subject.isEmpty() ? l.leadMessageId() : subject)).append("</td><td>").append(Html.esc(l.party()))
                    .append("</td><td>").append(Html.esc(Html.time(l.start(), directory.zone(l.mailboxId())))).append("</td><td>")
                    .append(r == null ? "–" : Html.esc(Html.durations(r.businessSeconds(), r.wallSeconds()))).append("</td><td>")
                    .append(r == null ? "" : Html.link("/reps/" + Html.seg(r.rep()) + Links.query(ctx), directory.memberName(r.rep())))
                    .append("</td>").append(Pages.state(l.firstResponseState(now))).append("</tr>");
        }
        return b.append("</tbody></table>").toString();
    }

    void rep(Context ctx, Principal who, Pages pages) {
        Params p = new Params(ctx, "period", "window", "from", "to");
        Instant now = p.now(clock);
        String rep = ctx.pathParam("rep");
        Period period = reps.period(p, rep, now);
        RepFigures f = reps.figures(rep, who, period, now);
        StringBuilder b = new StringBuilder(Links.selector(ctx, period));
        b.append("<h2>Figures ").append(Html.periodNote(period)).append("</h2><dl id=\"figures\"><dt>Team</dt><dd>")
                .append(f.team() == null ? "–" : Html.link("/teams/" + Html.seg(f.team()) + Links.query(ctx), f.team())).append("</dd>");
        Pages.dd(b, "First responses", f.firstResponses());
        Pages.dd(b, "Median", Html.durations(f.stats().medianBusinessSeconds(), f.wallMedian()));
        Pages.dd(b, "p90", Html.seconds(f.stats().p90BusinessSeconds()) + " business");
        b.append("<dt>Compliance</dt><dd class=\"c-").append(Html.complianceClass(f.stats().compliance(), directory.complianceTarget(f.team()))).append("\">")
                .append(Html.esc(Html.percent(f.stats().compliance()))).append("</dd>");
        Pages.dd(b, "Attempts per lead", f.attemptsPerLead().isEmpty() ? "–" : Math.round(f.attemptsPerLead().getAsDouble() * 100) / 100.0);
        Pages.dd(b, "Replies closing waits", f.waitsClosed());
        b.append("</dl><h2>Speed to lead ").append(Html.periodNote(period)).append(": the ").append(f.firstResponses())
                .append(" first responses</h2>").append(Charts.speed(figures.repSpeedToLead(rep, who::audits, period, now)))
                .append("<h2>Trend</h2>").append(Charts.trend("trend-rep", pages.repName(rep, who), figures.repTrend(rep, who::audits, now),
                        f.team() == null ? null : directory.firstResponseTarget(f.team()), directory.complianceTarget(f.team())));
        b.append("<h2>Responses ").append(Html.periodNote(period)).append("</h2><table id=\"responses\"><thead><tr>")
                .append("<th class=\"sortable\">Answered</th><th class=\"sortable\">Kind</th><th class=\"sortable\">Lead or wait</th>")
                .append("<th class=\"sortable\">Business</th><th class=\"sortable\">Wall</th><th class=\"sortable\">State</th></tr></thead><tbody>");
        for (RepFigures.RepResponse r : f.responses().subList(0, Math.min(MAX_ROWS, f.responses().size()))) {
            ZoneId zone = directory.zone(r.mailbox());
            String subject = figures.subject(r.id());
            String target = r.lead() != null ? r.id() : null;
            b.append("<tr><td data-sort=\"").append(r.response().at().getEpochSecond()).append("\">")
                    .append(Html.esc(Html.time(r.response().at(), zone))).append("</td><td>").append(Html.esc(r.kind().replace('_', ' ')))
                    .append("</td><td>").append(target == null ? Html.esc(subject.isEmpty() ? r.id() : subject)
                            : Html.link("/leads/" + Html.seg(target) + Links.nowOnly(ctx), subject.isEmpty() ? target : subject))
                    .append("</td><td data-sort=\"").append(r.response().businessSeconds()).append("\">")
                    .append(Html.esc(Html.dur(r.response().businessSeconds()))).append("</td><td data-sort=\"")
                    .append(r.response().wallSeconds()).append("\">").append(Html.esc(Html.dur(r.response().wallSeconds()))).append("</td>")
                    .append(r.lead() == null ? "<td>–</td>" : Pages.state(r.lead().firstResponseState(now))).append("</tr>");
        }
        b.append("</tbody></table>");
        String csv = Links.csv(ctx, "/api/reps/" + Html.seg(rep));
        if (f.responses().size() > MAX_ROWS) {
            b.append("<p>The newest ").append(MAX_ROWS).append(" of ").append(f.responses().size()).append(" responses; ")
                    .append(Html.link(csv, "all as CSV")).append(".</p>");
        } else {
            b.append("<p>").append(Html.link(csv, "Download the responses as CSV")).append("</p>");
        }
        pages.send(ctx, who, "Rep " + pages.repName(rep, who), b.toString());
    }

    @SuppressWarnings("unchecked")
    void lead(Context ctx, Principal who, Pages pages) {
        Params p = new Params(ctx);
        Instant now = p.now(clock);
        Map<String, Object> t = leads.timeline(ctx.pathParam("id"), who, now);
        Lead lead = leads.lead(ctx.pathParam("id"), who);
        ZoneId zone = directory.zone(lead.mailboxId());
        StringBuilder b = new StringBuilder("<dl id=\"figures\">");
        Pages.dd(b, "Lead message", lead.leadMessageId());
        b.append("<dt>Team / mailbox</dt><dd>").append(Html.link("/teams/" + Html.seg(lead.teamId()) + Links.nowOnly(ctx), lead.teamId()))
                .append(" / ").append(Html.esc(lead.mailboxId())).append("</dd>");
        Pages.dd(b, "Party", lead.party());
        Pages.dd(b, "Started", Html.time(lead.start(), zone));
        Pages.dd(b, "Warning from", Html.time(lead.atRiskFrom(), zone));
        Pages.dd(b, "Deadline", Html.time(lead.deadline(), zone));
        Response r = lead.firstResponse();
        b.append("<dt>First response</dt><dd id=\"first-response\">");
        if (r == null) {
            b.append("none yet, waiting ").append(Html.esc(Html.durations(figures.waited(lead, now).toSeconds(),
                    Duration.between(lead.start(), now).getSeconds())));
        } else {
            b.append(Html.esc(Html.durations(r.businessSeconds(), r.wallSeconds()))).append(" by ").append(repLink(ctx, who, pages, r.rep()));
        }
        b.append("</dd>");
        Pages.dd(b, "State", t.get("first_response_state") + (t.get("attempts_state") == null ? "" : ", attempts " + t.get("attempts")
                + " (" + t.get("attempts_state") + ")") + (lead.expired(now) ? "; expired: unanswered past its open horizon, "
                + "no longer counted as open and no alerts" : ""));
        b.append("</dl><h2>Messages</h2><table id=\"messages\"><thead><tr><th>Time</th><th>Direction</th><th>Author</th><th>Rep</th>")
                .append("<th>Role</th><th>Automated</th><th>Seen in</th><th>Subject</th></tr></thead><tbody>");
        for (Map<String, Object> m : (List<Map<String, Object>>) t.get("messages")) {
            Instant time = m.get("time") == null ? null : Instant.parse((String) m.get("time"));
            String rep = (String) m.get("rep");
            b.append("<tr><td>").append(Html.esc(Html.time(time, zone))).append("</td><td>").append(Html.esc(m.get("direction")))
                    .append("</td><td>").append(Html.esc(m.get("author"))).append("</td><td>").append(rep == null ? "" : repLink(ctx, who, pages, rep))
                    .append("</td><td>").append(Html.esc(m.get("role"))).append("</td><td>")
                    .append(Boolean.TRUE.equals(m.get("automated")) ? "yes: " + Html.esc(String.join(", ", (List<String>) m.get("automated_why"))) : "no")
                    .append("</td><td>").append(Html.esc(String.join(", ", (List<String>) m.get("seen_in")))).append("</td><td class=\"subject\">")
                    .append(Html.esc(m.get("subject"))).append("</td></tr>");
        }
        b.append("</tbody></table><h2>State changes</h2><table id=\"transitions\"><thead><tr><th>Kind</th><th>State</th><th>At</th></tr></thead><tbody>");
        for (Map<String, Object> tr : (List<Map<String, Object>>) t.get("transitions")) {
            b.append("<tr><td>").append(Html.esc(tr.get("kind"))).append("</td><td>").append(Html.esc(tr.get("state"))).append("</td><td>")
                    .append(Html.esc(Html.time(Instant.parse((String) tr.get("at")), zone))).append("</td></tr>");
        }
        b.append("</tbody></table>");
        b.append(DispositionSection.render(t, lead, who, access.csrfToken(ctx), data, zone, now));
        String subject = figures.subject(lead.leadMessageId());
        pages.send(ctx, who, "Lead " + (subject.isEmpty() ? lead.leadMessageId() : subject), b.toString());
    }

    /** A member linked to their page, by name; anyone else as written. */
    private String repLink(Context ctx, Principal who, Pages pages, String rep) {
        return directory.isMember(rep) ? Html.link("/reps/" + Html.seg(rep) + Links.nowOnly(ctx), pages.repName(rep, who)) : Html.esc(rep);
    }
}
