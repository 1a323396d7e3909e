package dev.replyclock.metrics;

import dev.replyclock.config.MailboxConfig;
import dev.replyclock.domain.SlaState;
import dev.replyclock.figures.Figures;
import dev.replyclock.figures.MonthVolume;
import dev.replyclock.figures.OpenNow;
import dev.replyclock.figures.Period;
import dev.replyclock.figures.PeriodFigures;
import dev.replyclock.figures.RepFigures;
import dev.replyclock.report.LeadStats;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The state and window figures of one instant as Prometheus rows, each read from the query layer ({@link Figures}):
 * windows {@code [now - d, now)} on the lead's start. Counts are always present (0 is a count); a percentile or ratio with no
 * data is absent, never 0.
 */
final class StateFigures {

    static final String LEADS_OPEN = "replyclock.leads.open";
    static final String OLDEST_BUSINESS = "replyclock.oldest.open.lead.business.seconds";
    static final String OLDEST_START = "replyclock.oldest.open.lead.start.timestamp.seconds";
    static final String WAITS_OPEN = "replyclock.waits.open";
    static final String WINDOW_LEADS = "replyclock.window.leads";
    static final String WINDOW_FIRST = "replyclock.window.first.response.business.seconds";
    static final String WINDOW_COMPLIANCE = "replyclock.window.first.response.compliance.ratio";
    static final String WINDOW_ATTEMPTS = "replyclock.window.attempts.compliance.ratio";
    static final String WINDOW_REPLY = "replyclock.window.reply.business.seconds";
    static final String REP_RESPONSES = "replyclock.rep.window.first.responses";
    static final String REP_FIRST = "replyclock.rep.window.first.response.business.seconds";
    static final String REP_COMPLIANCE = "replyclock.rep.window.first.response.compliance.ratio";
    static final String MONTH_LEADS = "replyclock.leads.month.to.date";
    static final String MONTH_PER_REP = "replyclock.leads.per.rep.month.to.date";
    static final String MONTH_TARGET = "replyclock.leads.per.rep.month.target";

    static final List<String> NAMES = List.of(LEADS_OPEN, OLDEST_BUSINESS, OLDEST_START, WAITS_OPEN, WINDOW_LEADS,
            WINDOW_FIRST, WINDOW_COMPLIANCE, WINDOW_ATTEMPTS, WINDOW_REPLY, REP_RESPONSES, REP_FIRST, REP_COMPLIANCE,
            MONTH_LEADS, MONTH_PER_REP, MONTH_TARGET);

    /** The windows of the window figures, in days. */
    static final Map<String, Integer> WINDOWS = new java.util.LinkedHashMap<>();

    static {
        WINDOWS.put("1d", 1);
        WINDOWS.put("7d", 7);
        WINDOWS.put("30d", 30);
    }

    private final Map<String, List<Point>> rows = new HashMap<>();

    /** One sample: label pairs (name, value, name, value, ...) and its value. */
    record Point(String[] labels, double value) {
    }

    /** Label pairs, immutable; {@link #and} returns a longer copy. */
    record Tags(String... pairs) {
        static Tags of(String... pairs) {
            return new Tags(pairs);
        }

        Tags and(String name, String value) {
            String[] longer = java.util.Arrays.copyOf(pairs, pairs.length + 2);
            longer[pairs.length] = name;
            longer[pairs.length + 1] = value;
            return new Tags(longer);
        }
    }

    static String description(String name) {
        return switch (name) {
            case LEADS_OPEN -> "Leads without a first response, by SLA state";
            case OLDEST_BUSINESS -> "Business seconds the oldest unanswered lead has waited";
            case OLDEST_START -> "Start of the oldest unanswered lead (Unix seconds)";
            case WAITS_OPEN -> "Customer waits without a reply";
            case WINDOW_LEADS -> "Leads started in the window";
            case WINDOW_FIRST -> "First response in business seconds over answered leads of the window (nearest rank)";
            case WINDOW_COMPLIANCE -> "First-response compliance met/(met+breached) of the window's leads";
            case WINDOW_ATTEMPTS -> "Attempts compliance met/(met+breached) of the window's leads";
            case WINDOW_REPLY -> "Reply business seconds over closed waits opened in the window (nearest rank)";
            case REP_RESPONSES -> "First responses the rep made to leads started in the window";
            case REP_FIRST -> "The rep's first response in business seconds (nearest rank)";
            case REP_COMPLIANCE -> "The rep's first-response compliance met/(met+breached)";
            case MONTH_LEADS -> "Leads started this calendar month (lead mailbox calendar zone)";
            case MONTH_PER_REP -> "Leads this month per team member";
            case MONTH_TARGET -> "Marketing target: leads per rep per month (leads_per_rep_per_month)";
            default -> name;
        };
    }

    /** Rows per metric name, each read from the query layer; names without rows are absent from the scrape. */
    Map<String, List<Point>> compute(Figures figures, Instant now) {
        for (MailboxConfig mailbox : figures.directory().leadMailboxes()) {
            Tags mt = Tags.of("mailbox", mailbox.id(), "team", mailbox.team());
            openFigures(figures.mailboxOpen(mailbox.id(), now), mt);
            for (Map.Entry<String, Integer> w : WINDOWS.entrySet()) {
                windowFigures(mt.and("window", w.getKey()), figures.mailbox(mailbox.id(), Period.lastDays(w.getValue(), now), now));
            }
        }
        for (Map.Entry<String, Integer> w : WINDOWS.entrySet()) {
            repFigures(figures, w.getKey(), Period.lastDays(w.getValue(), now), now);
        }
        for (String team : figures.directory().teams()) {
            monthFigures(team, figures.volume(team, figures.currentMonth(team, now), now));
        }
        return rows;
    }

    private void openFigures(OpenNow open, Tags mt) {
        add(LEADS_OPEN, mt.and("state", SlaState.PENDING.label()), open.pending());
        add(LEADS_OPEN, mt.and("state", SlaState.AT_RISK.label()), open.atRisk());
        add(LEADS_OPEN, mt.and("state", SlaState.BREACHED.label()), open.breached());
        if (open.oldest() != null) {
            add(OLDEST_BUSINESS, mt, open.oldestBusinessSeconds());
            add(OLDEST_START, mt, open.oldest().start().getEpochSecond());
        }
        add(WAITS_OPEN, mt, open.waits());
    }

    private void windowFigures(Tags wt, PeriodFigures f) {
        LeadStats stats = f.stats();
        add(WINDOW_LEADS, wt, stats.leads());
        quantiles(WINDOW_FIRST, wt, stats.medianBusinessSeconds(), stats.p90BusinessSeconds());
        stats.compliance().ifPresent(c -> add(WINDOW_COMPLIANCE, wt, c));
        f.attemptsCompliance().ifPresent(c -> add(WINDOW_ATTEMPTS, wt, c));
        quantiles(WINDOW_REPLY, wt, f.replyMedian(), f.replyP90());
    }

    /** Per member (always listed, under their team); per team {@code other} for everyone else, when it has any. */
    private void repFigures(Figures figures, String window, Period period, Instant now) {
        for (RepFigures f : figures.reps(period, team -> true, now)) {
            if (f.member()) {
                repRow(Tags.of("team", f.team(), "rep", f.rep(), "window", window), f.stats());
            }
        }
        for (String team : figures.directory().teams()) {
            LeadStats others = figures.nonMembers(team, period, now);
            if (others.answered() > 0) {
                repRow(Tags.of("team", team, "rep", "other", "window", window), others);
            }
        }
    }

    private void repRow(Tags rt, LeadStats stats) {
        add(REP_RESPONSES, rt, stats.answered());
        quantiles(REP_FIRST, rt, stats.medianBusinessSeconds(), stats.p90BusinessSeconds());
        stats.compliance().ifPresent(c -> add(REP_COMPLIANCE, rt, c));
    }

    private void monthFigures(String team, MonthVolume v) {
        Tags tt = Tags.of("team", team);
        add(MONTH_LEADS, tt, v.leads());
        if (v.perRep() != null) {
            add(MONTH_PER_REP, tt, v.perRep());
        }
        if (v.target() != null) {
            add(MONTH_TARGET, tt, v.target());
        }
    }

    private void quantiles(String name, Tags tags, OptionalLong p50, OptionalLong p90) {
        p50.ifPresent(v -> add(name, tags.and("quantile", "0.5"), v));
        p90.ifPresent(v -> add(name, tags.and("quantile", "0.9"), v));
    }

    private void add(String name, Tags tags, Number value) {
        rows.computeIfAbsent(name, k -> new ArrayList<>()).add(new Point(tags.pairs(), value.doubleValue()));
    }
}
