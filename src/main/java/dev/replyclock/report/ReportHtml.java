package dev.replyclock.report;

import dev.replyclock.domain.Lead;
import dev.replyclock.domain.SlaState;

import java.io.PrintWriter;
import java.io.Writer;
import java.time.Instant;

/**
 * The report as one self-contained HTML file (styles inline, no script, nothing fetched) to send to a manager: the
 * tables of {@link ReportTable}. Every value from mail or configuration is escaped.
 */
public final class ReportHtml {

    private static final String STYLE = """
            body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}
            table{border-collapse:collapse;margin:1em 0}
            th,td{border-bottom:1px solid #ddd;padding:.25em .6em;text-align:left}
            td.n{text-align:right;font-variant-numeric:tabular-nums}
            tr.rep td:first-child{padding-left:1.8em}
            .met{color:#176d2c}.at_risk{color:#9a6700}.breached{color:#b42318;font-weight:600}
            caption{text-align:left;font-weight:600}
            """;

    private ReportHtml() {
    }

    public static void write(Results analysis, Instant now, Writer writer) {
        PrintWriter out = new PrintWriter(writer);
        Counts c = analysis.counts();
        String at = ReportJson.instant(now);
        out.println("<!DOCTYPE html>");
        out.println("<html lang=\"en\"><head><meta charset=\"utf-8\">");
        out.println("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        out.println("<title>Replyclock report at " + esc(at) + "</title>");
        out.println("<style>" + STYLE + "</style></head><body>");
        out.println("<h1>Replyclock report at " + esc(at) + "</h1>");
        out.printf("<p>%d files, %d unreadable, %d messages (%d duplicate copies merged), %d undated, %d automated, "
                        + "%d conversations</p>%n", c.files(), c.unreadable(), c.messages(), c.duplicates(), c.undated(),
                c.automated(), c.conversations());

        out.println("<table><caption>First response in business time (median and p90 over answered leads; "
                + "compliance = met / (met + breached))</caption>");
        out.println("<tr><th>team / rep</th><th>leads</th><th>median</th><th>p90</th><th>compliance</th>"
                + "<th>pending</th><th>at risk</th><th>breached*</th></tr>");
        for (ReportTable.Summary row : ReportTable.summary(analysis, now)) {
            LeadStats s = row.stats();
            out.println((row.rep() ? "<tr class=\"rep\">" : "<tr>") + cell(row.name()) + num(s.leads())
                    + num(ReportTable.duration(s.medianBusinessSeconds())) + num(ReportTable.duration(s.p90BusinessSeconds()))
                    + num(ReportTable.percent(s.compliance())) + num(s.open(SlaState.PENDING))
                    + num(s.open(SlaState.AT_RISK)) + num(s.open(SlaState.BREACHED)) + "</tr>");
        }
        out.println("</table><p>* breached without any response yet</p>");

        out.println("<table><caption>Leads</caption>");
        out.println("<tr><th>start</th><th>mailbox</th><th>party</th><th>rep</th><th>business</th><th>state</th>"
                + "<th>attempts</th><th>attempts state</th></tr>");
        for (Lead lead : analysis.leads()) {
            boolean answered = lead.firstResponse() != null;
            SlaState state = lead.firstResponseState(now);
            SlaState attempts = lead.attemptsState(now);
            out.println("<tr>" + cell(ReportJson.instant(lead.start())) + cell(lead.mailboxId()) + cell(lead.party())
                    + cell(answered ? lead.firstResponse().rep() : "-")
                    + num(answered ? ReportTable.duration(lead.firstResponse().businessSeconds()) : "-")
                    + "<td class=\"" + state.label() + "\">" + esc(state.label()) + "</td>" + num(lead.attempts())
                    + cell(attempts == null ? "-" : attempts.label()) + "</tr>");
        }
        out.println("</table></body></html>");
        out.flush();
    }

    private static String cell(String text) {
        return "<td>" + esc(text) + "</td>";
    }

    private static String num(Object value) {
        return "<td class=\"n\">" + esc(String.valueOf(value)) + "</td>";
    }

    /** Text and attribute values alike. */
    static String esc(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            switch (ch) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(ch);
            }
        }
        return out.toString();
    }
}
