package dev.replyclock.web.pages;

import dev.replyclock.domain.Lead;
import dev.replyclock.domain.Response;
import dev.replyclock.web.AuditData;
import dev.replyclock.web.Params;
import dev.replyclock.web.api.LeadsApi;
import dev.replyclock.web.api.RepsApi;
import dev.replyclock.web.auth.Access;
import dev.replyclock.web.auth.Principal;
import io.javalin.http.Context;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

/** The rep page (responses, sortable, with a distribution chart) and the lead timeline page. */
final class DetailPages {

    /** Upper bounds (business seconds) of the distribution chart's bars; the last bar takes the rest. */
    private static final long[] BUCKETS = {900, 3600, 2 * 3600, 4 * 3600, 8 * 3600, 24 * 3600};
    private static final String[] BUCKET_LABELS = {"≤15 m", "≤1 h", "≤2 h", "≤4 h", "≤8 h", "≤1 d", ">1 d"};

    /** Rows of the responses table; the chart and the figures use every response. */
    static final int MAX_ROWS = 500;

    private final AuditData data;
    private final LeadsApi leads;
    private final RepsApi reps;
    private final Clock clock;
    private final Access access;

    DetailPages(AuditData data, Access access, LeadsApi leads, RepsApi reps, Clock clock) {
        this.access = access;
        this.data = data;
        this.leads = leads;
        this.reps = reps;
        this.clock = clock;
    }

    String repsTable(Context ctx, Principal who, String team, Params.Window window, Instant now) {
        StringBuilder b = new StringBuilder("<h2>Reps</h2><table id=\"reps\" class=\"sortable\"><thead><tr>")
                .append("<th class=\"sortable\">Rep</th><th class=\"sortable\">First responses</th><th class=\"sortable\">Median</th>")
                .append("<th class=\"sortable\">p90</th><th class=\"sortable\">Compliance</th><th class=\"sortable\">Attempts per lead</th>")
                .append("<th class=\"sortable\">Waits closed</th></tr></thead><tbody>");
        for (AuditData.RepFigures f : data.reps(window, team::equals, now)) {
            var s = dev.replyclock.web.api.Output.stats(f.stats());
            b.append("<tr data-rep=\"").append(Html.esc(f.rep())).append("\"><td>")
                    .append(Html.link("/reps/" + Html.seg(f.rep()) + Pages.query(ctx), data.memberName(f.rep()))).append("</td>")
                    .append(Pages.num("first_responses", f.stats().answered()))
                    .append(sorted(s.get("median_business_seconds"), Html.seconds(s.get("median_business_seconds"))))
                    .append(sorted(s.get("p90_business_seconds"), Html.seconds(s.get("p90_business_seconds"))))
                    .append(sorted(s.get("compliance"), Html.percent(s.get("compliance"))))
                    .append(Pages.num("attempts_per_lead", Double.isNaN(f.attemptsPerLead()) ? "–" : Math.round(f.attemptsPerLead() * 100) / 100.0))
                    .append(Pages.num("waits_closed", f.waitsClosed())).append("</tr>");
        }
        return b.append("</tbody></table>").toString();
    }

    String leadsTable(Context ctx, List<Lead> list, Instant now) {
        StringBuilder b = new StringBuilder("<h2>Newest leads</h2><table id=\"leads\"><thead><tr><th>Lead</th><th>Party</th>")
                .append("<th>Started</th><th>First response</th><th>Rep</th><th>State</th></tr></thead><tbody>");
        for (Lead l : list) {
            String subject = data.subject(l.leadMessageId());
            Response r = l.firstResponse();
            b.append("<tr><td>").append(Html.link("/leads/" + Html.seg(l.leadMessageId()) + Pages.query(ctx),
                            subject.isEmpty() ? l.leadMessageId() : subject)).append("</td><td>").append(Html.esc(l.party()))
                    .append("</td><td>").append(Html.esc(Html.time(l.start(), data.zone(l.mailboxId())))).append("</td><td>")
                    .append(r == null ? "–" : Html.esc(Html.durations(r.businessSeconds(), r.wallSeconds()))).append("</td><td>")
                    .append(r == null ? "" : Html.esc(r.rep())).append("</td>").append(Pages.state(l.firstResponseState(now))).append("</tr>");
        }
        return b.append("</tbody></table>").toString();
    }

    void rep(Context ctx, Principal who, Pages pages) {
        Params p = new Params(ctx, "window", "from", "to");
        Instant now = p.now(clock);
        String rep = ctx.pathParam("rep");
        AuditData.RepFigures f = reps.figures(rep, who, p.window(now), now);
        Map<String, Object> s = dev.replyclock.web.api.Output.stats(f.stats());
        StringBuilder b = new StringBuilder("<dl id=\"figures\">");
        Pages.dd(b, "Team", f.team());
        Pages.dd(b, "First responses", f.stats().answered());
        Pages.dd(b, "Median", Html.seconds(s.get("median_business_seconds")) + " business");
        Pages.dd(b, "p90", Html.seconds(s.get("p90_business_seconds")) + " business");
        Pages.dd(b, "Compliance", Html.percent(s.get("compliance")));
        Pages.dd(b, "Attempts per lead", Double.isNaN(f.attemptsPerLead()) ? "–" : Math.round(f.attemptsPerLead() * 100) / 100.0);
        Pages.dd(b, "Waits closed", f.waitsClosed());
        b.append("</dl><h2>Distribution of business response times</h2>").append(chart(f.responses()));
        b.append("<h2>Responses</h2><table id=\"responses\"><thead><tr><th class=\"sortable\">Answered</th><th class=\"sortable\">Kind</th>")
                .append("<th class=\"sortable\">Lead or wait</th><th class=\"sortable\">Business</th><th class=\"sortable\">Wall</th>")
                .append("<th class=\"sortable\">State</th></tr></thead><tbody>");
        for (AuditData.RepResponse r : f.responses().subList(0, Math.min(MAX_ROWS, f.responses().size()))) {
            ZoneId zone = data.zone(r.mailbox());
            String subject = data.subject(r.leadOrWaitId());
            String target = r.lead() != null ? r.leadOrWaitId() : null;
            b.append("<tr><td data-sort=\"").append(r.response().at().getEpochSecond()).append("\">")
                    .append(Html.esc(Html.time(r.response().at(), zone))).append("</td><td>").append(Html.esc(r.kind().replace('_', ' ')))
                    .append("</td><td>").append(target == null ? Html.esc(subject.isEmpty() ? r.leadOrWaitId() : subject)
                            : Html.link("/leads/" + Html.seg(target) + Pages.query(ctx), subject.isEmpty() ? target : subject))
                    .append("</td><td data-sort=\"").append(r.response().businessSeconds()).append("\">")
                    .append(Html.esc(Html.dur(r.response().businessSeconds()))).append("</td><td data-sort=\"")
                    .append(r.response().wallSeconds()).append("\">").append(Html.esc(Html.dur(r.response().wallSeconds()))).append("</td>")
                    .append(r.lead() == null ? "<td>–</td>" : Pages.state(r.lead().firstResponseState(now))).append("</tr>");
        }
        b.append("</tbody></table>");
        if (f.responses().size() > MAX_ROWS) {
            b.append("<p>The newest ").append(MAX_ROWS).append(" of ").append(f.responses().size()).append(" responses; ")
                    .append(Html.link("/api/reps/" + Html.seg(rep) + "?format=csv", "all as CSV")).append(".</p>");
        }
        pages.send(ctx, who, "Rep " + data.memberName(rep), b.toString());
    }

    /** An inline SVG bar chart: how many responses fell in each business-time bucket. */
    private static String chart(List<AuditData.RepResponse> responses) {
        int[] counts = new int[BUCKET_LABELS.length];
        for (AuditData.RepResponse r : responses) {
            int i = 0;
            while (i < BUCKETS.length && r.response().businessSeconds() > BUCKETS[i]) {
                i++;
            }
            counts[i]++;
        }
        int max = 1;
        for (int c : counts) {
            max = Math.max(max, c);
        }
        StringBuilder b = new StringBuilder("<svg class=\"chart\" width=\"420\" height=\"150\" role=\"img\" aria-label=\"distribution\">");
        for (int i = 0; i < counts.length; i++) {
            int h = counts[i] * 100 / max;
            int x = 10 + i * 58;
            b.append("<rect x=\"").append(x).append("\" y=\"").append(115 - h).append("\" width=\"44\" height=\"").append(h)
                    .append("\"></rect><text x=\"").append(x).append("\" y=\"130\">").append(Html.esc(BUCKET_LABELS[i]))
                    .append("</text><text x=\"").append(x + 16).append("\" y=\"").append(110 - h).append("\">").append(counts[i]).append("</text>");
        }
        return b.append("</svg>").toString();
    }

    @SuppressWarnings("unchecked")
    void lead(Context ctx, Principal who, Pages pages) {
        Params p = new Params(ctx);
        Instant now = p.now(clock);
        Map<String, Object> t = leads.timeline(ctx.pathParam("id"), who, now);
        Lead lead = leads.lead(ctx.pathParam("id"), who);
        ZoneId zone = data.zone(lead.mailboxId());
        StringBuilder b = new StringBuilder("<dl id=\"figures\">");
        Pages.dd(b, "Lead message", lead.leadMessageId());
        Pages.dd(b, "Team / mailbox", lead.teamId() + " / " + lead.mailboxId());
        Pages.dd(b, "Party", lead.party());
        Pages.dd(b, "Started", Html.time(lead.start(), zone));
        Pages.dd(b, "Warning from", Html.time(lead.atRiskFrom(), zone));
        Pages.dd(b, "Deadline", Html.time(lead.deadline(), zone));
        Response r = lead.firstResponse();
        Pages.dd(b, "First response", r == null ? "none yet" : Html.durations(r.businessSeconds(), r.wallSeconds()) + " by " + r.rep());
        Pages.dd(b, "State", t.get("first_response_state") + (t.get("attempts_state") == null ? "" : ", attempts " + t.get("attempts")
                + " (" + t.get("attempts_state") + ")") + (lead.expired(now) ? "; expired: unanswered past its open horizon, "
                + "no longer counted as open and no alerts" : ""));
        b.append("</dl><h2>Messages</h2><table id=\"messages\"><thead><tr><th>Time</th><th>Direction</th><th>Author</th><th>Rep</th>")
                .append("<th>Role</th><th>Automated</th><th>Seen in</th><th>Subject</th></tr></thead><tbody>");
        for (Map<String, Object> m : (List<Map<String, Object>>) t.get("messages")) {
            Instant time = m.get("time") == null ? null : Instant.parse((String) m.get("time"));
            b.append("<tr><td>").append(Html.esc(Html.time(time, zone))).append("</td><td>").append(Html.esc(m.get("direction")))
                    .append("</td><td>").append(Html.esc(m.get("author"))).append("</td><td>").append(Html.esc(m.get("rep")))
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
        String subject = data.subject(lead.leadMessageId());
        pages.send(ctx, who, "Lead " + (subject.isEmpty() ? lead.leadMessageId() : subject), b.toString());
    }

    private static String sorted(Object value, String text) {
        return "<td data-sort=\"" + (value == null ? "" : Html.esc(value)) + "\">" + Html.esc(text) + "</td>";
    }
}
