package dev.replyclock.web.pages;

import dev.replyclock.config.AccessConfig;
import dev.replyclock.config.TeamConfig;
import dev.replyclock.domain.Lead;
import dev.replyclock.web.AuditData;
import dev.replyclock.web.auth.Principal;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

/**
 * The lead page's disposition part (SPEC section 14): what stands, the audit trail, and for a manager of the lead's
 * team or an admin the form to set or withdraw one (CSRF token included).
 */
final class DispositionSection {

    private DispositionSection() {
    }

    @SuppressWarnings("unchecked")
    static String render(Map<String, Object> timeline, Lead lead, Principal who, String csrf, AuditData data, ZoneId zone,
                         Instant now) {
        StringBuilder b = new StringBuilder("<h2>Disposition</h2><div id=\"disposition\">");
        Map<String, Object> standing = (Map<String, Object>) timeline.get("disposition");
        if (standing == null) {
            b.append("<p>None: the figures are as computed from the mail.</p>");
        } else {
            b.append("<p class=\"disposition\"><strong>").append(Html.esc(label(standing.get("kind")))).append("</strong>: ")
                    .append(Html.esc(standing.get("reason")));
            if (standing.get("at") != null) {
                b.append(" — at ").append(Html.esc(Html.time(Instant.parse((String) standing.get("at")), zone)))
                        .append(" by ").append(Html.esc(data.directory().memberName((String) standing.get("rep"))));
            }
            if (standing.get("note") != null) {
                b.append("<br>Note: ").append(Html.esc(standing.get("note")));
            }
            b.append("<br><small>set by ").append(Html.esc(standing.get("set_by"))).append(", ")
                    .append(Html.esc(Html.time(Instant.parse((String) standing.get("set_at")), zone))).append("</small></p>");
        }
        boolean mayChange = who.role() != AccessConfig.Role.VIEWER && who.audits(lead.teamId());
        if (mayChange) {
            form(b, lead, standing != null, csrf, data, zone, now);
        }
        List<Map<String, Object>> history = (List<Map<String, Object>>) timeline.get("disposition_history");
        if (!history.isEmpty()) {
            b.append("<table id=\"disposition-history\"><thead><tr><th>When</th><th>Who</th><th>Change</th><th>Kind</th>")
                    .append("<th>Reason</th><th>Note</th><th>Handled at</th><th>Rep</th></tr></thead><tbody>");
            for (Map<String, Object> h : history) {
                b.append("<tr><td>").append(Html.esc(Html.time(Instant.parse((String) h.get("when")), zone))).append("</td><td>")
                        .append(Html.esc(h.get("by"))).append("</td><td>").append(Html.esc(h.get("action"))).append("</td><td>")
                        .append(Html.esc(label(h.get("kind")))).append("</td><td>").append(Html.esc(h.get("reason")))
                        .append("</td><td>").append(Html.esc(h.get("note"))).append("</td><td>")
                        .append(h.get("at") == null ? "" : Html.esc(Html.time(Instant.parse((String) h.get("at")), zone)))
                        .append("</td><td>").append(Html.esc(h.get("rep"))).append("</td></tr>");
            }
            b.append("</tbody></table>");
        }
        return b.append("</div>").toString();
    }

    private static void form(StringBuilder b, Lead lead, boolean standing, String csrf, AuditData data, ZoneId zone,
                             Instant now) {
        String action = "/leads/" + Html.seg(lead.leadMessageId()) + "/disposition";
        b.append("<form method=\"post\" action=\"").append(Html.esc(action)).append("\" class=\"disposition-form\">")
                .append("<input type=\"hidden\" name=\"csrf\" value=\"").append(Html.esc(csrf)).append("\">")
                .append("<label>Kind <select name=\"kind\"><option value=\"handled_elsewhere\">handled elsewhere (phone, chat, CRM)</option>")
                .append("<option value=\"not_a_lead\">not a lead</option></select></label> ")
                .append("<label>Reason <input name=\"reason\" required maxlength=\"2000\"></label> ")
                .append("<label>Note <input name=\"note\" maxlength=\"2000\"></label> ")
                .append("<label>Handled at (UTC, ISO-8601; empty = now) <input name=\"at\" placeholder=\"")
                .append(Html.esc(dev.replyclock.report.ReportJson.instant(now))).append("\"></label> ")
                .append("<label>Rep <select name=\"rep\"><option value=\"\">unattributed</option>");
        TeamConfig team = data.config().teams().get(lead.teamId());
        if (team != null) {
            for (TeamConfig.Member m : team.members()) {
                b.append("<option value=\"").append(Html.esc(m.id())).append("\">").append(Html.esc(m.name() == null ? m.id() : m.name()))
                        .append("</option>");
            }
        }
        b.append("</select></label> <button type=\"submit\">Set disposition</button></form>");
        if (standing) {
            b.append("<form method=\"post\" action=\"").append(Html.esc(action + "/withdraw")).append("\">")
                    .append("<input type=\"hidden\" name=\"csrf\" value=\"").append(Html.esc(csrf)).append("\">")
                    .append("<button type=\"submit\">Withdraw disposition</button></form>");
        }
    }

    private static String label(Object kind) {
        return kind == null ? "" : ((String) kind).replace('_', ' ');
    }
}
