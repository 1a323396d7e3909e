package dev.replyclock.web.pages;

import dev.replyclock.domain.Lead;
import dev.replyclock.figures.Directory;
import dev.replyclock.figures.Figures;
import dev.replyclock.figures.Freshness;
import dev.replyclock.figures.OpenNow;
import dev.replyclock.figures.Period;
import dev.replyclock.figures.PeriodFigures;
import dev.replyclock.figures.QueueEntry;
import dev.replyclock.figures.RepFigures;
import dev.replyclock.web.AuditData;
import dev.replyclock.web.Params;
import dev.replyclock.web.auth.Access;
import dev.replyclock.web.auth.Principal;
import io.javalin.http.Context;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalDouble;

/**
 * {@code /wall}: for an office TV (1920×1080, read from 5 m). Per team four large tiles (at risk now, breached
 * today, compliance and median of the last 7 days against their targets), the answer-now queue with business time
 * left, the reps by name with compliance, and when each mailbox last synced; a full-width banner when any mailbox
 * has not synced for three poll intervals. {@code ?fragment=1} gives only the content, which the page's script
 * fetches every {@link #REFRESH_SECONDS} s and swaps in without a visible reload.
 */
final class WallPage {

    static final int REFRESH_SECONDS = 15;
    static final int QUEUE_ROWS = 7;

    private final Figures figures;
    private final Directory directory;
    private final Access access;
    private final Clock clock;

    WallPage(Figures figures, Access access, Clock clock) {
        this.figures = figures;
        this.access = access;
        this.directory = figures.directory();
        this.clock = clock;
    }

    void show(Context ctx, Principal who, Pages pages) {
        Params p = new Params(ctx, "fragment");
        Instant now = p.now(clock);
        String content = content(who, pages, now);
        if ("1".equals(p.string("fragment"))) {
            ctx.html(content);
            return;
        }
        ctx.html("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Replyclock wall</title>"
                + "<meta name=\"viewport\" content=\"width=1920\"><link rel=\"stylesheet\" href=\"/static/app.css\">"
                + "<script src=\"/static/app.js\" defer></script></head><body class=\"wall\"><main id=\"wall\" data-refresh=\""
                + REFRESH_SECONDS + "\">" + content + "</main></body></html>");
    }

    private String content(Principal who, Pages pages, Instant now) {
        Period week = Period.lastDays(7, now);
        StringBuilder b = new StringBuilder();
        Freshness fresh = figures.freshness(now);
        if (fresh.anyStale()) {
            b.append("<div id=\"stale\" role=\"alert\">Figures are stale: ");
            boolean first = true;
            for (Freshness.MailboxSync m : fresh.mailboxes()) {
                if (m.stale()) {
                    b.append(first ? "" : "; ").append(Html.esc(m.address())).append(m.lastSuccess() == null ? " has never synced"
                            : " last synced " + Html.esc(Html.dur(Duration.between(m.lastSuccess(), now).getSeconds())) + " ago");
                    first = false;
                }
            }
            b.append(" (over ").append(Html.esc(Html.dur(fresh.staleAfter().getSeconds()))).append(" without a sync)</div>");
        }
        b.append("<div class=\"wall-grid\" data-now=\"").append(now).append("\"><section class=\"wall-teams\">");
        for (String team : directory.teams()) {
            b.append(teamTiles(team, week, now));
        }
        b.append("</section><section class=\"wall-queue\"><h2>Needs an answer</h2>").append(queue(who, now)).append("</section>")
                .append("<section class=\"wall-reps\"><h2>Reps <span class=\"period\">(last 7 days)</span></h2>").append(reps(who, pages, week, now))
                .append("</section><section class=\"wall-sync\"><h2>Last successful sync</h2><ul>");
        for (Freshness.MailboxSync m : fresh.mailboxes()) {
            b.append("<li data-mailbox=\"").append(Html.esc(m.mailbox())).append("\" class=\"").append(m.stale() ? "bad" : "good")
                    .append("\">").append(Html.esc(m.address())).append(": ").append(m.lastSuccess() == null ? "never"
                            : Html.esc(Html.clock(m.lastSuccess(), directory.zone(m.mailbox())))).append("</li>");
        }
        return b.append("</ul></section></div>").toString();
    }

    private String teamTiles(String team, Period week, Instant now) {
        OpenNow open = figures.teamOpen(team, now);
        PeriodFigures f = figures.team(team, week, now);
        Duration target = directory.firstResponseTarget(team);
        OptionalDouble compliance = f.stats().compliance();
        boolean medianOk = f.stats().medianBusinessSeconds().isEmpty() || target == null
                || f.stats().medianBusinessSeconds().getAsLong() <= target.getSeconds();
        StringBuilder b = new StringBuilder("<div class=\"team\" data-team=\"").append(Html.esc(team)).append("\"><h2>")
                .append(Html.esc(team)).append("</h2><div class=\"tiles\">");
        tile(b, "at_risk", open.atRisk() > 0 ? "near" : "good", Integer.toString(open.atRisk()), "at risk now", "");
        int breached = figures.breachedToday(team, now);
        tile(b, "breached_today", breached > 0 ? "bad" : "good", Integer.toString(breached), "breached today", "");
        tile(b, "compliance", Html.complianceClass(compliance, directory.complianceTarget(team)), Html.wholePercent(compliance), "compliance, 7 days",
                "target " + Html.wholePercent(OptionalDouble.of(directory.complianceTarget(team))));
        tile(b, "median", f.stats().medianBusinessSeconds().isEmpty() ? "none" : medianOk ? "good" : "bad",
                Html.seconds(f.stats().medianBusinessSeconds()), "median first response, 7 days, business time",
                (f.wallMedian().isEmpty() ? "" : Html.dur(f.wallMedian().getAsLong()) + " wall-clock · ")
                        + (target == null ? "" : "target " + Html.dur(target.getSeconds())));
        return b.append("</div></div>").toString();
    }

    private static void tile(StringBuilder b, String field, String tone, String value, String label, String note) {
        b.append("<div class=\"tile c-").append(tone).append("\" data-field=\"").append(field).append("\"><div class=\"big\">")
                .append(Html.esc(value)).append("</div><div class=\"label\">").append(Html.esc(label)).append("</div>");
        if (!note.isEmpty()) {
            b.append("<div class=\"note\">").append(Html.esc(note)).append("</div>");
        }
        b.append("</div>");
    }

    private String queue(Principal who, Instant now) {
        var queue = figures.answerNow(t -> true, now, QUEUE_ROWS);
        if (queue.isEmpty()) {
            return "<p class=\"calm\">Nothing waits for a first response.</p>";
        }
        StringBuilder b = new StringBuilder("<table id=\"wall-queue\"><thead><tr><th>Left</th><th>Team</th><th>Lead</th>")
                .append("<th>Deadline</th></tr></thead><tbody>");
        for (QueueEntry q : queue) {
            Lead l = q.lead();
            String subject = who.audits(l.teamId()) ? figures.subject(l.leadMessageId()) : "";
            b.append("<tr data-lead=\"").append(Html.esc(l.leadMessageId())).append("\" class=\"state-").append(q.state().label())
                    .append("\"><td class=\"countdown\" data-seconds=\"").append(q.businessSecondsLeft()).append("\">")
                    .append(Html.esc(Pages.left(q))).append("</td><td>").append(Html.esc(l.teamId())).append("</td><td class=\"subject\">")
                    .append(Html.esc(subject.isEmpty() ? l.mailboxId() : truncate(subject, 48))).append("</td><td>")
                    .append(Html.esc(Html.clock(l.deadline(), q.deadline().getZone()))).append("</td></tr>");
        }
        return b.append("</tbody></table>").toString();
    }

    private String reps(Principal who, Pages pages, Period week, Instant now) {
        StringBuilder b = new StringBuilder("<table id=\"wall-reps\"><thead><tr><th>Rep</th><th>Team</th><th>Answered</th>")
                .append("<th>Median</th><th>Compliance</th></tr></thead><tbody>");
        for (RepFigures f : figures.reps(week, t -> true, now)) {
            if (f.firstResponses() == 0 && !f.member()) {
                continue;
            }
            b.append("<tr data-rep=\"").append(Html.esc(AuditData.repLabel(f.rep(), who, access))).append("\"><td>").append(Html.esc(pages.repName(f.rep(), who)))
                    .append("</td><td>").append(Html.esc(f.team())).append("</td><td class=\"num\">").append(f.firstResponses())
                    .append("</td><td>").append(Html.esc(Html.seconds(f.stats().medianBusinessSeconds()))).append("</td>")
                    .append(Html.complianceCell("compliance", f.stats().compliance(), directory.complianceTarget(f.team()))).append("</tr>");
        }
        return b.append("</tbody></table>").toString();
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
