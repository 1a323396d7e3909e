package dev.replyclock.report;

import dev.replyclock.domain.Lead;
import dev.replyclock.domain.Response;
import dev.replyclock.domain.SlaState;

import java.io.IOException;
import java.io.Writer;
import java.time.Instant;
import java.util.List;

/** One CSV row per lead (RFC 4180 quoting), cells neutralised against spreadsheet formulas. */
public final class ReportCsv {

    static final List<String> HEADER = List.of("lead_message_id", "mailbox", "team", "party", "start",
            "first_response_message_id", "first_response_at", "rep", "business_seconds", "wall_seconds",
            "first_response_state", "attempts", "attempts_state");

    private ReportCsv() {
    }

    public static void write(Results analysis, Instant now, Writer out) throws IOException {
        row(out, HEADER);
        for (Lead lead : analysis.leads()) {
            Response r = lead.firstResponse();
            SlaState attempts = lead.attemptsState(now);
            row(out, List.of(lead.leadMessageId(), lead.mailboxId(), lead.teamId(), lead.party(),
                    ReportJson.instant(lead.start()),
                    r == null ? "" : r.messageId(), r == null ? "" : ReportJson.instant(r.at()),
                    r == null ? "" : r.rep(), r == null ? "" : Long.toString(r.businessSeconds()),
                    r == null ? "" : Long.toString(r.wallSeconds()), lead.firstResponseState(now).label(),
                    Integer.toString(lead.attempts()), attempts == null ? "" : attempts.label()));
        }
        out.flush();
    }

    static void row(Writer out, List<String> cells) throws IOException {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.write(cell(cells.get(i)));
        }
        out.write("\r\n");
    }

    /**
     * A cell that a spreadsheet would read as a formula ({@code = + - @}, or a tab or carriage return first)
     * gets a leading apostrophe; cells with commas, quotes or line breaks are quoted.
     */
    public static String cell(String value) {
        String v = value == null ? "" : value;
        if (!v.isEmpty() && "=+-@\t\r".indexOf(v.charAt(0)) >= 0) {
            v = "'" + v;
        }
        if (v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0) {
            v = '"' + v.replace("\"", "\"\"") + '"';
        }
        return v;
    }
}
