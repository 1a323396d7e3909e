package dev.replyclock.report;

import dev.replyclock.domain.Lead;
import dev.replyclock.domain.SlaState;

import java.io.PrintWriter;
import java.io.Writer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.TreeMap;

/** A summary for a person reading a terminal: per team and rep, then every lead. */
public final class ReportTable {

    private static final String SUMMARY_ROW = "%-22s %6s %9s %9s %11s %8s %8s %9s%n";

    private ReportTable() {
    }

    public static void write(Results analysis, Instant now, Writer writer) {
        PrintWriter out = new PrintWriter(writer);
        Counts c = analysis.counts();
        out.printf("Replyclock report at %s%n", ReportJson.instant(now));
        out.printf("%d files, %d unreadable, %d messages (%d duplicate copies merged), %d undated, %d automated, %d conversations%n%n",
                c.files(), c.unreadable(), c.messages(), c.duplicates(), c.undated(), c.automated(), c.conversations());

        out.println("First response in business time (median and p90 over answered leads; compliance = met / (met + breached))");
        out.printf(SUMMARY_ROW, "team / rep", "leads", "median", "p90", "compliance", "pending", "at risk", "breached*");
        for (Summary row : summary(analysis, now)) {
            summaryRow(out, row.rep() ? "  " + row.name() : row.name(), row.stats());
        }
        out.println("(* breached without any response yet)");
        out.println();

        out.println("Leads");
        // Padded by hand, not with printf: printf per lead was a third of writing a big report.
        StringBuilder row = new StringBuilder(128);
        out.append(leadRow(row, "start", "mailbox", "party", "rep", "business", "state", "attempts", "att.state")).println();
        for (Lead lead : analysis.leads()) {
            boolean answered = lead.firstResponse() != null;
            SlaState attempts = lead.attemptsState(now);
            out.append(leadRow(row, ReportJson.instant(lead.start()), lead.mailboxId(), truncate(lead.party(), 28),
                    answered ? truncate(lead.firstResponse().rep(), 12) : "-",
                    answered ? duration(lead.firstResponse().businessSeconds()) : "-",
                    lead.firstResponseState(now).label(), Integer.toString(lead.attempts()),
                    attempts == null ? "-" : attempts.label())).println();
        }
        out.flush();
    }

    /** A row of the first-response summary: a team, followed by its reps ({@code rep}). */
    record Summary(String name, boolean rep, LeadStats stats) {
    }

    /** Every team of the configuration (also without leads) in its order, each followed by its reps by name. */
    static List<Summary> summary(Results analysis, Instant now) {
        Map<String, List<Lead>> byTeam = new LinkedHashMap<>();
        analysis.config().teams().keySet().forEach(t -> byTeam.put(t, new ArrayList<>()));
        analysis.leads().forEach(l -> byTeam.computeIfAbsent(l.teamId(), k -> new ArrayList<>()).add(l));
        List<Summary> rows = new ArrayList<>();
        byTeam.forEach((team, leads) -> {
            rows.add(new Summary(team, false, LeadStats.of(leads, now)));
            Map<String, List<Lead>> byRep = new TreeMap<>();
            leads.stream().filter(l -> l.firstResponse() != null)
                    .forEach(l -> byRep.computeIfAbsent(l.firstResponse().rep(), k -> new ArrayList<>()).add(l));
            byRep.forEach((rep, repLeads) -> rows.add(new Summary(rep, true, LeadStats.of(repLeads, now))));
        });
        return rows;
    }

    private static void summaryRow(PrintWriter out, String name, LeadStats s) {
        out.printf(SUMMARY_ROW, truncate(name, 22), s.leads(), duration(s.medianBusinessSeconds()),
                duration(s.p90BusinessSeconds()), percent(s.compliance()), s.open(SlaState.PENDING),
                s.open(SlaState.AT_RISK), s.open(SlaState.BREACHED));
    }

    static String duration(OptionalLong seconds) {
        return seconds.isPresent() ? duration(seconds.getAsLong()) : "-";
    }

    /** Compact human duration: {@code 45s}, {@code 12m}, {@code 3h05m}, {@code 2d04h}. */
    static String duration(long seconds) {
        if (seconds < 60) {
            return seconds + "s";
        }
        long minutes = seconds / 60;
        if (minutes < 60) {
            return minutes + "m";
        }
        long hours = minutes / 60;
        if (hours < 24) {
            return String.format(Locale.ROOT, "%dh%02dm", hours, minutes % 60);
        }
        return String.format(Locale.ROOT, "%dd%02dh", hours / 24, hours % 24);
    }

    static String percent(OptionalDouble ratio) {
        return ratio.isPresent() ? String.format(Locale.ROOT, "%.1f%%", ratio.getAsDouble() * 100) : "-";
    }

    /** One row of the leads table, the columns of {@code "%-20s %-14s %-28s %-12s %9s %-10s %8s %-9s"}. */
    private static StringBuilder leadRow(StringBuilder row, String start, String mailbox, String party, String rep,
                                         String business, String state, String attempts, String attemptsState) {
        row.setLength(0);
        left(row, start, 20);
        left(row, mailbox, 14);
        left(row, party, 28);
        left(row, rep, 12);
        right(row, business, 9);
        left(row, state, 10);
        right(row, attempts, 8);
        column(row, attemptsState, 9);
        return row;
    }

    /** {@code %-Ns} followed by the column separator. */
    private static void left(StringBuilder row, String s, int width) {
        column(row, s, width);
        row.append(' ');
    }

    /** {@code %-Ns}. */
    private static void column(StringBuilder row, String s, int width) {
        int end = row.length() + Math.max(width, s.length());
        row.append(s);
        pad(row, end);
    }

    /** {@code %Ns} followed by the column separator. */
    private static void right(StringBuilder row, String s, int width) {
        pad(row, row.length() + width - s.length());
        row.append(s).append(' ');
    }

    private static void pad(StringBuilder row, int toLength) {
        while (row.length() < toLength) {
            row.append(' ');
        }
    }

    private static String truncate(String s, int width) {
        return s.length() <= width ? s : s.substring(0, width - 1) + "…";
    }
}
