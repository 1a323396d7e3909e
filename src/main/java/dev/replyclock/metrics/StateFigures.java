package dev.replyclock.metrics;

import dev.replyclock.config.CalendarConfig;
import dev.replyclock.config.Config;
import dev.replyclock.config.MailboxConfig;
import dev.replyclock.config.SlaPolicy;
import dev.replyclock.config.TeamConfig;
import dev.replyclock.domain.Lead;
import dev.replyclock.domain.SlaState;
import dev.replyclock.domain.Wait;
import dev.replyclock.report.LeadStats;
import dev.replyclock.report.Results;
import dev.replyclock.sla.BusinessCalendar;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.UnaryOperator;

/**
 * The state and window figures of one instant, computed from {@link Results} with {@link LeadStats} (SPEC
 * section 10): windows {@code [now - d, now)} on the lead's start, nearest-rank percentiles over answered leads,
 * compliance = met / (met + breached). Counts are always present (0 is a count); a percentile or ratio with no
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

    static final Map<String, Duration> WINDOWS = windows();

    private static final List<SlaState> OPEN_STATES = List.of(SlaState.PENDING, SlaState.AT_RISK, SlaState.BREACHED);

    private final Config config;
    private final UnaryOperator<String> repLabel;
    private final Map<String, BusinessCalendar> calendars;
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

    /** @param calendars business calendars by name, built once (see {@link #calendars(Config)}) */
    StateFigures(Config config, UnaryOperator<String> repLabel, Map<String, BusinessCalendar> calendars) {
        this.config = config;
        this.repLabel = repLabel;
        this.calendars = calendars;
    }

    static Map<String, BusinessCalendar> calendars(Config config) {
        Map<String, BusinessCalendar> out = new HashMap<>();
        config.calendars().forEach((name, calendar) -> out.put(name, new BusinessCalendar(calendar)));
        return out;
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

    /** Rows per metric name; names without rows are absent from the scrape. */
    Map<String, List<Point>> compute(Results results, Instant now) {
        List<Lead> leads = results.leads();
        List<Wait> waits = results.waits();
        Map<String, List<Lead>> leadsByMailbox = new HashMap<>();
        for (Lead lead : leads) {
            leadsByMailbox.computeIfAbsent(lead.mailboxId(), k -> new ArrayList<>()).add(lead);
        }
        Map<String, List<Wait>> waitsByMailbox = new HashMap<>();
        for (Wait wait : waits) {
            waitsByMailbox.computeIfAbsent(wait.mailboxId(), k -> new ArrayList<>()).add(wait);
        }
        for (MailboxConfig mailbox : config.leadMailboxes()) {
            Tags mt = Tags.of("mailbox", mailbox.id(), "team", mailbox.team());
            List<Lead> mine = leadsByMailbox.getOrDefault(mailbox.id(), List.of());
            List<Wait> myWaits = waitsByMailbox.getOrDefault(mailbox.id(), List.of());
            openFigures(mailbox, mt, mine, myWaits, now);
            for (Map.Entry<String, Duration> w : WINDOWS.entrySet()) {
                Instant from = now.minus(w.getValue());
                windowFigures(mt.and("window", w.getKey()), inWindow(mine, from, now), myWaits, from, now);
            }
        }
        repFigures(leads, now);
        monthFigures(leads, now);
        return rows;
    }

    private void openFigures(MailboxConfig mailbox, Tags mt, List<Lead> leads, List<Wait> waits, Instant now) {
        LeadStats all = LeadStats.of(leads, now);
        for (SlaState state : OPEN_STATES) {
            add(LEADS_OPEN, mt.and("state", state.label()), all.open(state));
        }
        Lead oldest = null;
        for (Lead lead : leads) {
            if (lead.open(now) && lead.start().isBefore(now)
                    && (oldest == null || lead.start().isBefore(oldest.start()))) {
                oldest = lead;
            }
        }
        if (oldest != null) {
            BusinessCalendar calendar = calendars.get(mailbox.calendar());
            if (calendar != null) {
                add(OLDEST_BUSINESS, mt, calendar.businessSeconds(oldest.start(), now));
            }
            add(OLDEST_START, mt, oldest.start().getEpochSecond());
        }
        add(WAITS_OPEN, mt, waits.stream().filter(w -> w.waiting(now)).count());
    }

    private void windowFigures(Tags wt, List<Lead> leads, List<Wait> waits, Instant from, Instant now) {
        LeadStats stats = LeadStats.of(leads, now);
        add(WINDOW_LEADS, wt, stats.leads());
        quantiles(WINDOW_FIRST, wt, stats.medianBusinessSeconds(), stats.p90BusinessSeconds());
        stats.compliance().ifPresent(c -> add(WINDOW_COMPLIANCE, wt, c));
        int met = 0;
        int breached = 0;
        for (Lead lead : leads) {
            SlaState s = lead.attemptsState(now);
            if (s == SlaState.MET) {
                met++;
            } else if (s == SlaState.BREACHED) {
                breached++;
            }
        }
        if (met + breached > 0) {
            add(WINDOW_ATTEMPTS, wt, (double) met / (met + breached));
        }
        long[] replies = waits.stream()
                .filter(w -> w.closedBy() != null && !w.opened().isBefore(from) && w.opened().isBefore(now))
                .mapToLong(w -> w.closedBy().businessSeconds()).sorted().toArray();
        quantiles(WINDOW_REPLY, wt, LeadStats.nearestRank(replies, 0.5), LeadStats.nearestRank(replies, 0.9));
    }

    /** Per team and rep: the leads that rep first-responded to (members always listed, {@code other} when it has any). */
    private void repFigures(List<Lead> leads, Instant now) {
        for (Map.Entry<String, Duration> w : WINDOWS.entrySet()) {
            Instant from = now.minus(w.getValue());
            Map<String, Map<String, List<Lead>>> byTeamRep = new LinkedHashMap<>();
            for (TeamConfig team : config.teams().values()) {
                Map<String, List<Lead>> reps = new LinkedHashMap<>();
                team.members().forEach(m -> reps.put(m.id(), new ArrayList<>()));
                byTeamRep.put(team.id(), reps);
            }
            for (Lead lead : inWindow(leads, from, now)) {
                if (lead.firstResponse() != null) {
                    byTeamRep.computeIfAbsent(lead.teamId(), k -> new LinkedHashMap<>())
                            .computeIfAbsent(repLabel.apply(lead.firstResponse().rep()), k -> new ArrayList<>())
                            .add(lead);
                }
            }
            byTeamRep.forEach((team, reps) -> reps.forEach((rep, repLeads) -> {
                Tags rt = Tags.of("team", team, "rep", rep, "window", w.getKey());
                LeadStats stats = LeadStats.of(repLeads, now);
                add(REP_RESPONSES, rt, stats.answered());
                quantiles(REP_FIRST, rt, stats.medianBusinessSeconds(), stats.p90BusinessSeconds());
                stats.compliance().ifPresent(c -> add(REP_COMPLIANCE, rt, c));
            }));
        }
    }

    /** Month to date per team, each lead's month taken in its mailbox's calendar zone. */
    private void monthFigures(List<Lead> leads, Instant now) {
        Map<String, ZoneId> zoneOfMailbox = new HashMap<>();
        Map<String, Integer> targetOfTeam = new HashMap<>();
        for (MailboxConfig mailbox : config.mailboxes()) {
            CalendarConfig calendar = config.calendars().get(mailbox.calendar());
            zoneOfMailbox.put(mailbox.id(), calendar == null ? ZoneId.of("UTC") : calendar.zone());
            SlaPolicy policy = config.slaPolicies().get(mailbox.sla());
            if (policy != null && policy.leadsPerRepPerMonth() != null) {
                targetOfTeam.putIfAbsent(mailbox.team(), policy.leadsPerRepPerMonth());
            }
        }
        Map<String, Integer> counts = new LinkedHashMap<>();
        config.teams().keySet().forEach(t -> counts.put(t, 0));
        for (Lead lead : leads) {
            ZoneId zone = zoneOfMailbox.getOrDefault(lead.mailboxId(), ZoneId.of("UTC"));
            Instant monthStart = ZonedDateTime.ofInstant(now, zone).toLocalDate().withDayOfMonth(1)
                    .atStartOfDay(zone).toInstant();
            if (!lead.start().isBefore(monthStart) && lead.start().isBefore(now)) {
                counts.merge(lead.teamId(), 1, Integer::sum);
            }
        }
        counts.forEach((team, count) -> {
            Tags tt = Tags.of("team", team);
            add(MONTH_LEADS, tt, count);
            TeamConfig teamConfig = config.teams().get(team);
            int members = teamConfig == null ? 0 : teamConfig.members().size();
            if (members > 0) {
                add(MONTH_PER_REP, tt, (double) count / members);
            }
            Integer target = targetOfTeam.get(team);
            if (target != null) {
                add(MONTH_TARGET, tt, target);
            }
        });
    }

    private void quantiles(String name, Tags tags, OptionalLong p50, OptionalLong p90) {
        p50.ifPresent(v -> add(name, tags.and("quantile", "0.5"), v));
        p90.ifPresent(v -> add(name, tags.and("quantile", "0.9"), v));
    }

    private static List<Lead> inWindow(List<Lead> leads, Instant from, Instant to) {
        List<Lead> out = new ArrayList<>();
        for (Lead lead : leads) {
            if (!lead.start().isBefore(from) && lead.start().isBefore(to)) {
                out.add(lead);
            }
        }
        return out;
    }

    private void add(String name, Tags tags, Number value) {
        rows.computeIfAbsent(name, k -> new ArrayList<>()).add(new Point(tags.pairs(), value.doubleValue()));
    }

    private static Map<String, Duration> windows() {
        Map<String, Duration> w = new LinkedHashMap<>();
        w.put("1d", Duration.ofDays(1));
        w.put("7d", Duration.ofDays(7));
        w.put("30d", Duration.ofDays(30));
        return w;
    }
}
