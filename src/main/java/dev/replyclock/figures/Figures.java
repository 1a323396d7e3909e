package dev.replyclock.figures;

import dev.replyclock.config.Config;
import dev.replyclock.domain.Lead;
import dev.replyclock.domain.Response;
import dev.replyclock.domain.SlaState;
import dev.replyclock.domain.Wait;
import dev.replyclock.report.LeadStats;
import dev.replyclock.report.LeadsById;
import dev.replyclock.report.Results;
import dev.replyclock.sla.Attribution;
import dev.replyclock.sla.BusinessCalendar;
import dev.replyclock.sla.ConversationAnalyzer;
import dev.replyclock.sla.MessageFacts;
import dev.replyclock.sla.Roster;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.function.Predicate;

/**
 * The query layer every view reads (pages, JSON/CSV API, {@code /metrics}, the wall, alerts, the digest): each
 * figure is defined here once, with its period, over the one {@link Results} computation. Percentiles and
 * compliance are those of {@link LeadStats} (SPEC section 10). Figures of "now" (open leads, waits, the queue)
 * do not depend on a period; figures of a period take the leads that started in it.
 */
public final class Figures {

    /** The analysed conversation holding a message, for timelines and subjects. */
    @FunctionalInterface
    public interface Conversations {
        Optional<ConversationAnalyzer.Result> of(String messageId);
    }

    /** The end of a mailbox's last successful sync. */
    @FunctionalInterface
    public interface SyncTimes {
        Optional<Instant> lastSuccess(String mailboxId);
    }

    /** Newest first: start descending, then lead message id descending. */
    public static final Comparator<Lead> NEWEST_FIRST =
            Comparator.comparing(Lead::start).thenComparing(Lead::leadMessageId).reversed();
    public static final int TREND_WEEKS = 12;

    private final Results results;
    private final Directory directory;
    private final Conversations conversations;
    private final SyncTimes syncs;
    private final Roster roster;
    private final Attribution attribution;
    private final Distributions distributions;
    private List<Lead> indexedFrom;
    private List<Lead> newestFirst;
    private Map<String, Lead> byId;

    public Figures(Results results) {
        this(results, id -> Optional.empty(), mailbox -> Optional.empty());
    }

    public Figures(Results results, Conversations conversations, SyncTimes syncs) {
        this.results = results;
        this.directory = new Directory(results.config());
        this.conversations = conversations;
        this.syncs = syncs;
        this.roster = new Roster(results.config());
        this.attribution = new Attribution(roster);
        this.distributions = new Distributions(this);
    }

    public Config config() {
        return results.config();
    }

    public Directory directory() {
        return directory;
    }

    // ------------------------------------------------------------------------------------------- leads

    /** Every lead, oldest first (SPEC section 12 order). */
    public List<Lead> leads() {
        return results.leads();
    }

    /** The leads that started in {@code [from, to)} (a null bound is open), oldest first. */
    List<Lead> leadsStartedIn(Instant from, Instant to) {
        return results.leadsStartedIn(from, to);
    }

    /** Every lead, newest first (kept until the results change). */
    public synchronized List<Lead> leadsNewestFirst() {
        index();
        if (newestFirst == null) {
            List<Lead> copy = new ArrayList<>(indexedFrom);
            copy.sort(NEWEST_FIRST);
            newestFirst = List.copyOf(copy);
        }
        return newestFirst;
    }

    /** The lead with this message id, also one dismissed as not a lead (its page shows the disposition). */
    public Optional<Lead> lead(String id) {
        Lead lead = results instanceof LeadsById byMessageId ? byMessageId.lead(id).orElse(null) : indexed(id);
        if (lead != null) {
            return Optional.of(lead);
        }
        return conversations.of(id).map(ConversationAnalyzer.Result::dismissed).filter(l -> l.leadMessageId().equals(id));
    }

    private synchronized Lead indexed(String id) {
        index();
        if (byId == null) {
            byId = new HashMap<>();
            indexedFrom.forEach(l -> byId.put(l.leadMessageId(), l));
        }
        return byId.get(id);
    }

    private void index() {
        List<Lead> leads = results.leads();
        if (leads != indexedFrom) {
            indexedFrom = leads;
            newestFirst = null;
            byId = null;
        }
    }

    /**
     * Whether a lead is open at {@code now}: started, still without a first response, and within its open horizon
     * (SPEC section 14; an expired lead is not open). Open leads are what the open figures, the queue, the worst
     * waits and the oldest wait count.
     */
    public static boolean open(Lead lead, Instant now) {
        return lead.open(now) && !lead.start().isAfter(now);
    }

    // --------------------------------------------------------------------------------- period figures

    /** A team's figures over the leads that started in the period and the waits opened in it. */
    public PeriodFigures team(String team, Period period, Instant now) {
        return periodFigures(l -> team.equals(l.teamId()), w -> team.equals(w.teamId()), period, now);
    }

    public PeriodFigures mailbox(String mailbox, Period period, Instant now) {
        return periodFigures(l -> mailbox.equals(l.mailboxId()), w -> mailbox.equals(w.mailboxId()), period, now);
    }

    private PeriodFigures periodFigures(Predicate<Lead> leadFilter, Predicate<Wait> waitFilter, Period period, Instant now) {
        List<Lead> leads = new ArrayList<>();
        int met = 0;
        int breached = 0;
        for (Lead l : results.leadsStartedIn(period.from(), period.to())) {
            if (leadFilter.test(l) && period.contains(l.start())) {
                leads.add(l);
                SlaState s = l.attemptsState(now);
                met += s == SlaState.MET ? 1 : 0;
                breached += s == SlaState.BREACHED ? 1 : 0;
            }
        }
        long[] replies = results.waitsOpenedIn(period.from(), period.to()).stream()
                .filter(w -> w.closedBy() != null && waitFilter.test(w) && period.contains(w.opened()))
                .mapToLong(w -> w.closedBy().businessSeconds()).sorted().toArray();
        OptionalDouble attempts = met + breached == 0 ? OptionalDouble.empty() : OptionalDouble.of((double) met / (met + breached));
        return new PeriodFigures(period, LeadStats.of(leads, now), wallMedian(leads), attempts, LeadStats.nearestRank(replies, 0.5),
                LeadStats.nearestRank(replies, 0.9));
    }

    /** Nearest-rank median of the wall-clock seconds to the first response, over the answered leads. */
    static OptionalLong wallMedian(List<Lead> leads) {
        return LeadStats.nearestRank(leads.stream().filter(l -> l.firstResponse() != null)
                .mapToLong(l -> l.firstResponse().wallSeconds()).sorted().toArray(), 0.5);
    }

    /** Open work of the teams that pass, at {@code now}. */
    public OpenNow open(Predicate<String> teams, Instant now) {
        return openNow(l -> teams.test(l.teamId()), w -> teams.test(w.teamId()), now);
    }

    public OpenNow teamOpen(String team, Instant now) {
        return open(team::equals, now);
    }

    public OpenNow mailboxOpen(String mailbox, Instant now) {
        return openNow(l -> mailbox.equals(l.mailboxId()), w -> mailbox.equals(w.mailboxId()), now);
    }

    private OpenNow openNow(Predicate<Lead> leadFilter, Predicate<Wait> waitFilter, Instant now) {
        int[] byState = new int[SlaState.values().length];
        Lead oldest = null;
        for (Lead l : results.unansweredAt(now)) {
            if (leadFilter.test(l) && open(l, now)) {
                byState[l.firstResponseState(now).ordinal()]++;
                if (oldest == null || l.start().isBefore(oldest.start())) {
                    oldest = l;
                }
            }
        }
        int waits = 0;
        for (Wait w : results.unclosedAt(now)) {
            waits += w.waiting(now) && waitFilter.test(w) && !w.opened().isAfter(now) ? 1 : 0;
        }
        long oldestSeconds = oldest == null ? 0 : businessSeconds(oldest.mailboxId(), oldest.start(), now);
        return new OpenNow(byState[SlaState.PENDING.ordinal()], byState[SlaState.AT_RISK.ordinal()],
                byState[SlaState.BREACHED.ordinal()], waits, oldest, oldestSeconds);
    }

    /** Leads of the team whose first-response deadline fell today (team calendar's zone) and was missed. */
    public int breachedToday(String team, Instant now) {
        Instant midnight = LocalDate.ofInstant(now, directory.teamZone(team)).atStartOfDay(directory.teamZone(team)).toInstant();
        int n = 0;
        for (Lead l : results.leads()) {
            if (team.equals(l.teamId()) && !l.deadline().isBefore(midnight) && !l.deadline().isAfter(now)
                    && l.firstResponseState(now) == SlaState.BREACHED) {
                n++;
            }
        }
        return n;
    }

    /** The month that is current in the team calendar's zone. */
    public YearMonth currentMonth(String team, Instant now) {
        return YearMonth.from(now.atZone(directory.teamZone(team)));
    }

    /** Leads that started in the month (each in its mailbox calendar's zone) and before {@code now}. */
    public MonthVolume volume(String team, YearMonth month, Instant now) {
        int count = 0;
        // Calendar zones are within a day of UTC: the month's leads are among those started a day around it.
        Instant around = month.atDay(1).atStartOfDay(ZoneId.of("UTC")).toInstant().minus(Duration.ofDays(1));
        Instant after = month.plusMonths(1).atDay(1).atStartOfDay(ZoneId.of("UTC")).toInstant().plus(Duration.ofDays(1));
        for (Lead l : results.leadsStartedIn(around, after)) {
            if (team.equals(l.teamId()) && l.start().isBefore(now)) {
                ZoneId zone = directory.zone(l.mailboxId());
                if (!l.start().isBefore(month.atDay(1).atStartOfDay(zone).toInstant())
                        && l.start().isBefore(month.plusMonths(1).atDay(1).atStartOfDay(zone).toInstant())) {
                    count++;
                }
            }
        }
        int members = directory.memberCount(team);
        Double perRep = members == 0 ? null : (double) count / members;
        return new MonthVolume(team, month, count, members, perRep, directory.leadsPerRepTarget(team));
    }

    // -------------------------------------------------------------------------------------------- reps

    /**
     * Per rep over the period, counting the leads and waits of teams that pass: members of those teams (also with
     * nothing yet, in configuration order), then everyone else who responded there.
     */
    public List<RepFigures> reps(Period period, Predicate<String> teams, Instant now) {
        Map<String, List<RepFigures.RepResponse>> byRep = new LinkedHashMap<>();
        Map<String, String> teamOf = new HashMap<>();
        for (String team : directory.teams()) {
            if (teams.test(team)) {
                directory.members(team).forEach(m -> byRep.computeIfAbsent(m.id(), k -> new ArrayList<>()));
            }
        }
        for (Lead l : results.leadsStartedIn(period.from(), period.to())) {
            if (l.firstResponse() != null && period.contains(l.start()) && teams.test(l.teamId())) {
                add(byRep, teamOf, l.firstResponse().rep(), new RepFigures.RepResponse(RepFigures.RepResponse.FIRST_RESPONSE,
                        l.teamId(), l.mailboxId(), l.leadMessageId(), l.conversationId(), l.start(), l.firstResponse(), l));
            }
        }
        for (Wait w : results.waitsOpenedIn(period.from(), period.to())) {
            if (w.closedBy() != null && period.contains(w.opened()) && teams.test(w.teamId())) {
                add(byRep, teamOf, w.closedBy().rep(), new RepFigures.RepResponse(RepFigures.RepResponse.WAIT,
                        w.teamId(), w.mailboxId(), w.messageId(), w.conversationId(), w.opened(), w.closedBy(), null));
            }
        }
        List<RepFigures> out = new ArrayList<>(byRep.size());
        byRep.forEach((rep, own) -> out.add(repFigures(rep, directory.memberTeam(rep) != null ? directory.memberTeam(rep)
                : teamOf.get(rep), own, period, now)));
        return out;
    }

    private static void add(Map<String, List<RepFigures.RepResponse>> byRep, Map<String, String> teamOf, String rep,
                            RepFigures.RepResponse r) {
        byRep.computeIfAbsent(rep, k -> new ArrayList<>()).add(r);
        teamOf.put(rep, r.team());
    }

    /** One rep (a member, or anyone who responded in the teams that pass); empty for nobody. */
    public Optional<RepFigures> rep(String rep, Period period, Predicate<String> teams, Instant now) {
        return reps(period, teams, now).stream().filter(f -> f.rep().equals(rep))
                .filter(f -> f.member() || !f.responses().isEmpty()).findFirst();
    }

    /** The leads of a team in the period answered first by someone who is not a configured member. */
    public LeadStats nonMembers(String team, Period period, Instant now) {
        List<Lead> leads = new ArrayList<>();
        for (Lead l : results.leadsStartedIn(period.from(), period.to())) {
            if (team.equals(l.teamId()) && l.firstResponse() != null && period.contains(l.start())
                    && !directory.isMember(l.firstResponse().rep())) {
                leads.add(l);
            }
        }
        return LeadStats.of(leads, now);
    }

    private RepFigures repFigures(String rep, String team, List<RepFigures.RepResponse> own, Period period, Instant now) {
        own.sort(Comparator.comparing((RepFigures.RepResponse r) -> r.response().at()).thenComparing(RepFigures.RepResponse::id).reversed());
        List<Lead> leads = new ArrayList<>();
        long attempts = 0;
        for (RepFigures.RepResponse r : own) {
            if (r.lead() != null) {
                leads.add(r.lead());
                attempts += r.lead().attempts();
            }
        }
        OptionalDouble perLead = leads.isEmpty() ? OptionalDouble.empty() : OptionalDouble.of((double) attempts / leads.size());
        return new RepFigures(rep, directory.memberName(rep), team, directory.isMember(rep), period, LeadStats.of(leads, now),
                wallMedian(leads), perLead, own.size() - leads.size(), List.copyOf(own));
    }

    // ------------------------------------------------------------------------------------------ queues

    /**
     * The answer-now queue of the teams that pass: open leads pending or at risk by deadline, then the overdue ones
     * (open and breached) by deadline; at most {@code limit}.
     */
    public List<QueueEntry> answerNow(Predicate<String> teams, Instant now, int limit) {
        List<Lead> due = new ArrayList<>();
        List<Lead> overdue = new ArrayList<>();
        for (Lead l : results.unansweredAt(now)) {
            if (teams.test(l.teamId()) && open(l, now)) {
                (l.firstResponseState(now) == SlaState.BREACHED ? overdue : due).add(l);
            }
        }
        Comparator<Lead> byDeadline = Comparator.comparing(Lead::deadline).thenComparing(Lead::leadMessageId);
        due.sort(byDeadline);
        overdue.sort(byDeadline);
        due.addAll(overdue);
        List<QueueEntry> out = new ArrayList<>();
        for (Lead l : due.subList(0, Math.min(limit, due.size()))) {
            SlaState state = l.firstResponseState(now);
            long left = state == SlaState.BREACHED ? -businessSeconds(l.mailboxId(), l.deadline(), now)
                    : businessSeconds(l.mailboxId(), now, l.deadline());
            out.add(new QueueEntry(l, state, left, l.deadline().atZone(directory.zone(l.mailboxId()))));
        }
        return out;
    }

    /** Open leads of the teams that pass, longest business wait first (then longest wall wait); at most {@code limit}. */
    public List<WorstWait> worstWaits(Predicate<String> teams, Instant now, int limit) {
        List<WorstWait> all = new ArrayList<>();
        for (Lead l : results.unansweredAt(now)) {
            if (teams.test(l.teamId()) && open(l, now)) {
                all.add(new WorstWait(l, l.firstResponseState(now), businessSeconds(l.mailboxId(), l.start(), now),
                        Duration.between(l.start(), now).getSeconds()));
            }
        }
        all.sort(Comparator.comparingLong(WorstWait::businessSeconds).thenComparingLong(WorstWait::wallSeconds).reversed()
                .thenComparing(w -> w.lead().leadMessageId()));
        return List.copyOf(all.subList(0, Math.min(limit, all.size())));
    }

    // ----------------------------------------------------------------------------------- distributions

    public List<WeekPoint> teamTrend(String team, Instant now) {
        return distributions.trend(l -> team.equals(l.teamId()), directory.teamZone(team), now);
    }

    public List<WeekPoint> repTrend(String rep, Predicate<String> teams, Instant now) {
        String team = directory.memberTeam(rep);
        return distributions.trend(l -> teams.test(l.teamId()) && l.firstResponse() != null && rep.equals(l.firstResponse().rep()),
                team == null ? directory.homeZone() : directory.teamZone(team), now);
    }

    /** Speed to lead of the leads of the teams that pass, started in the period (and by {@code now}). */
    public SpeedToLead speedToLead(Predicate<String> teams, Period period, Instant now) {
        return distributions.speed(l -> teams.test(l.teamId()), period, now);
    }

    /** Speed to lead of the leads a rep answered first (no unanswered ones: those have no rep). */
    public SpeedToLead repSpeedToLead(String rep, Predicate<String> teams, Period period, Instant now) {
        return distributions.speed(l -> teams.test(l.teamId()) && l.firstResponse() != null
                && rep.equals(l.firstResponse().rep()), period, now);
    }

    /** Arrivals of a team's leads (all teams that pass when {@code team} is null) in its calendar's zone. */
    public Heatmap heatmap(String team, Predicate<String> teams, Period period) {
        String home = team != null ? team : directory.teams().stream().filter(teams).findFirst().orElse(null);
        return distributions.heatmap(l -> team == null ? teams.test(l.teamId()) : team.equals(l.teamId()),
                home == null ? directory.homeZone() : directory.teamZone(home), home == null ? null : directory.teamHours(home), period);
    }

    // ------------------------------------------------------------------------------------ freshness etc.

    public Freshness freshness(Instant now) {
        Duration staleAfter = directory.staleAfter();
        List<Freshness.MailboxSync> out = new ArrayList<>();
        for (var m : directory.mailboxes()) {
            Instant last = syncs.lastSuccess(m.id()).orElse(null);
            out.add(new Freshness.MailboxSync(m.id(), m.address(), last, last == null || last.plus(staleAfter).isBefore(now)));
        }
        return new Freshness(now, staleAfter, out);
    }

    /** Business seconds between two instants in a mailbox's calendar (wall seconds without a calendar). */
    public long businessSeconds(String mailboxId, Instant from, Instant to) {
        BusinessCalendar calendar = directory.calendar(mailboxId);
        return calendar == null ? Duration.between(from, to).getSeconds() : calendar.businessSeconds(from, to);
    }

    /** How long the lead waited in business time: until its first response, or until {@code now} while open. */
    public Duration waited(Lead lead, Instant now) {
        Instant until = lead.firstResponse() != null ? lead.firstResponse().at() : now;
        return Duration.ofSeconds(businessSeconds(lead.mailboxId(), lead.start(), until));
    }

    /** The decoded subject of a message in an analysed conversation, or "". */
    public String subject(String messageId) {
        return conversations.of(messageId).flatMap(r -> r.conversation().messages().stream()
                .filter(m -> m.id().equals(messageId)).findFirst()).map(m -> m.subject()).orElse("");
    }

    /** The messages of the lead's conversation with the engine's reading of each (rep, role, why automated). */
    public List<TimelineMessage> timeline(Lead lead) {
        ConversationAnalyzer.Result conversation = conversations.of(lead.leadMessageId()).orElse(null);
        if (conversation == null) {
            return List.of();
        }
        Response first = lead.firstResponse();
        List<TimelineMessage> out = new ArrayList<>();
        for (MessageFacts f : conversation.facts()) {
            String id = f.message().id();
            boolean isFirst = first != null && first.messageId().equals(id);
            String rep = isFirst ? first.rep() : f.outbound() ? attribution.rep(f) : null;
            String role = id.equals(lead.leadMessageId()) ? "lead" : isFirst ? "first_response" : null;
            out.add(new TimelineMessage(f.message(), f.outbound(), f.author(), f.party(), rep, role, f.automated(),
                    f.automatedWhy(roster)));
        }
        out.sort(Comparator.comparing((TimelineMessage m) -> m.message().eventTime(), Comparator.nullsLast(Comparator.naturalOrder()))
                .thenComparing(m -> m.message().id()));
        return out;
    }
}
