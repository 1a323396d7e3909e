package dev.replyclock.web;

import dev.replyclock.config.CalendarConfig;
import dev.replyclock.config.Config;
import dev.replyclock.config.MailboxConfig;
import dev.replyclock.config.SlaPolicy;
import dev.replyclock.config.TeamConfig;
import dev.replyclock.domain.Lead;
import dev.replyclock.domain.Response;
import dev.replyclock.domain.Wait;
import dev.replyclock.report.LeadStats;
import dev.replyclock.report.Results;
import dev.replyclock.sla.ConversationAnalyzer;
import dev.replyclock.sla.Roster;
import dev.replyclock.web.auth.Access;
import dev.replyclock.web.auth.Principal;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * What the audit API and pages read, all derived from the one {@link Results} computation; figures come
 * from {@link LeadStats} (SPEC section 10), never computed another way.
 */
public final class AuditData {

    /** Newest first: start descending, then lead message id descending. */
    public static final Comparator<Lead> NEWEST_FIRST =
            Comparator.comparing(Lead::start).thenComparing(Lead::leadMessageId).reversed();

    /** A response by a rep: the first response of a lead, or the reply that closed a wait. */
    public record RepResponse(String kind, String rep, String team, String mailbox, String leadOrWaitId,
                              String conversationId, Instant opened, Response response, Lead lead) {
    }

    /**
     * A recorded SLA state change of a lead ({@code kind} first_response or attempts); {@code app} maps the
     * store's records to these, so that web never imports the store.
     */
    public record Transition(String kind, dev.replyclock.domain.SlaState state, Instant at) {
    }

    /** Per-rep figures: the leads the rep answered first, and the waits they closed. */
    public record RepFigures(String rep, String team, LeadStats stats, double attemptsPerLead, int waitsClosed,
                             List<RepResponse> responses) {
    }

    private final Results results;
    private final Function<String, Optional<ConversationAnalyzer.Result>> conversations;
    private final Function<String, List<Transition>> transitions;
    private final Roster roster;
    private final Map<String, MailboxConfig> mailboxes = new LinkedHashMap<>();
    private List<Lead> sortedFrom;
    private List<Lead> newestFirst;

    public AuditData(Results results, Function<String, Optional<ConversationAnalyzer.Result>> conversations,
                     Function<String, List<Transition>> transitions) {
        this.results = results;
        this.conversations = conversations;
        this.transitions = transitions;
        this.roster = new Roster(results.config());
        results.config().mailboxes().forEach(m -> mailboxes.put(m.id(), m));
    }

    public Config config() {
        return results.config();
    }

    public Roster roster() {
        return roster;
    }

    /** Every lead, newest first (cached until the analysis changes). */
    public synchronized List<Lead> leadsNewestFirst() {
        List<Lead> leads = results.leads();
        if (leads != sortedFrom) {
            List<Lead> copy = new ArrayList<>(leads);
            copy.sort(NEWEST_FIRST);
            newestFirst = List.copyOf(copy);
            sortedFrom = leads;
        }
        return newestFirst;
    }

    public List<Wait> waits() {
        return results.waits();
    }

    /** The lead with this message id, also one dismissed as not a lead (its page shows the disposition). */
    public Optional<Lead> lead(String id) {
        Optional<Lead> lead = results.leads().stream().filter(l -> l.leadMessageId().equals(id)).findFirst();
        if (lead.isPresent()) {
            return lead;
        }
        return conversationOf(id).map(ConversationAnalyzer.Result::dismissed).filter(l -> l.leadMessageId().equals(id));
    }

    public Optional<ConversationAnalyzer.Result> conversationOf(String messageId) {
        return conversations.apply(messageId);
    }

    /** The decoded subject of a message in an analysed conversation, or "". */
    public String subject(String messageId) {
        return conversationOf(messageId).flatMap(r -> r.conversation().messages().stream()
                .filter(m -> m.id().equals(messageId)).findFirst()).map(m -> m.subject()).orElse("");
    }

    public List<Transition> transitions(String leadMessageId) {
        return transitions.apply(leadMessageId);
    }

    public List<Lead> leads(Predicate<Lead> filter) {
        return leadsNewestFirst().stream().filter(filter).toList();
    }

    /** The zone of the calendar of this mailbox (UTC when unknown). */
    public ZoneId zone(String mailboxId) {
        MailboxConfig m = mailboxes.get(mailboxId);
        CalendarConfig c = m == null ? null : config().calendars().get(m.calendar());
        return c == null ? ZoneOffset.UTC : c.zone();
    }

    /** The zone of a team's first mailbox's calendar (UTC when it has none). */
    public ZoneId teamZone(String team) {
        return mailboxes.values().stream().filter(m -> team.equals(m.team())).findFirst()
                .map(m -> zone(m.id())).orElse(ZoneOffset.UTC);
    }

    /** The team of a configured member, or null for non-members (other internal addresses, unattributed). */
    public String memberTeam(String rep) {
        for (TeamConfig t : config().teams().values()) {
            if (t.members().stream().anyMatch(m -> m.id().equals(rep))) {
                return t.id();
            }
        }
        return null;
    }

    public String memberName(String rep) {
        for (TeamConfig t : config().teams().values()) {
            for (TeamConfig.Member m : t.members()) {
                if (m.id().equals(rep)) {
                    return m.name();
                }
            }
        }
        return rep;
    }

    /** A rep as this principal may see them: a stable pseudonym for viewers under {@code rep_names: pseudonymous}. */
    public static String repLabel(String rep, Principal who, Access access) {
        if (rep == null || !access.pseudonymousReps() || who.role() != dev.replyclock.config.AccessConfig.Role.VIEWER) {
            return rep;
        }
        return "rep-" + HexFormat.of().formatHex(Access.sha256(rep)).substring(0, 8);
    }

    /** Responses (first responses and wait closings) of leads and waits in the window whose team passes; unordered. */
    public List<RepResponse> responses(Params.Window window, Predicate<String> team) {
        List<RepResponse> out = new ArrayList<>();
        for (Lead l : results.leads()) {
            if (l.firstResponse() != null && window.contains(l.start()) && team.test(l.teamId())) {
                out.add(new RepResponse("first_response", l.firstResponse().rep(), l.teamId(), l.mailboxId(),
                        l.leadMessageId(), l.conversationId(), l.start(), l.firstResponse(), l));
            }
        }
        for (Wait w : results.waits()) {
            if (w.closedBy() != null && window.contains(w.opened()) && team.test(w.teamId())) {
                out.add(new RepResponse("wait", w.closedBy().rep(), w.teamId(), w.mailboxId(), w.messageId(),
                        w.conversationId(), w.opened(), w.closedBy(), null));
            }
        }
        return out;
    }

    /**
     * Figures per rep over the window, for teams that pass: members of those teams (also with nothing yet)
     * and every other rep who responded there. The team of a non-member is that of their first response's lead.
     */
    public List<RepFigures> reps(Params.Window window, Predicate<String> team, Instant now) {
        Map<String, List<RepResponse>> byRep = new LinkedHashMap<>();
        Map<String, String> teamOf = new LinkedHashMap<>();
        for (TeamConfig t : config().teams().values()) {
            if (team.test(t.id())) {
                t.members().forEach(m -> {
                    byRep.computeIfAbsent(m.id(), k -> new ArrayList<>());
                    teamOf.put(m.id(), t.id());
                });
            }
        }
        for (RepResponse r : responses(window, team)) {
            byRep.computeIfAbsent(r.rep(), k -> new ArrayList<>()).add(r);
            teamOf.putIfAbsent(r.rep(), r.team());
        }
        List<RepFigures> out = new ArrayList<>();
        byRep.forEach((rep, own) -> out.add(figuresOf(rep, teamOf.get(rep), own, now)));
        return out;
    }

    /** One rep's figures, with their responses newest first. */
    public RepFigures figures(String rep, String team, List<RepResponse> responses, Instant now) {
        List<RepResponse> own = new ArrayList<>(responses.stream().filter(r -> r.rep().equals(rep)).toList());
        own.sort(Comparator.comparing((RepResponse r) -> r.response().at()).reversed());
        return figuresOf(rep, team, own, now);
    }

    private static RepFigures figuresOf(String rep, String team, List<RepResponse> own, Instant now) {
        List<Lead> leads = new ArrayList<>();
        long attempts = 0;
        for (RepResponse r : own) {
            if (r.lead() != null) {
                leads.add(r.lead());
                attempts += r.lead().attempts();
            }
        }
        double perLead = leads.isEmpty() ? Double.NaN : (double) attempts / leads.size();
        return new RepFigures(rep, team, LeadStats.of(leads, now), perLead, own.size() - leads.size(), own);
    }

    /** Leads whose start falls in the month, in the zone of each lead's mailbox calendar (SPEC section 13). */
    public List<Lead> leadsInMonth(String team, YearMonth month) {
        Map<String, Instant[]> bounds = new java.util.HashMap<>();
        for (String mailbox : mailboxes.keySet()) {
            ZoneId zone = zone(mailbox);
            bounds.put(mailbox, new Instant[]{month.atDay(1).atStartOfDay(zone).toInstant(),
                    month.plusMonths(1).atDay(1).atStartOfDay(zone).toInstant()});
        }
        Instant[] utc = {month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant(),
                month.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant()};
        return results.leads().stream().filter(l -> team.equals(l.teamId())).filter(l -> {
            Instant[] b = bounds.getOrDefault(l.mailboxId(), utc);
            return !l.start().isBefore(b[0]) && l.start().isBefore(b[1]);
        }).toList();
    }

    /** The team's {@code leads_per_rep_per_month} (first of its mailboxes' policies that sets one), or null. */
    public Integer leadsPerRepTarget(String team) {
        for (MailboxConfig m : mailboxes.values()) {
            SlaPolicy p = team.equals(m.team()) ? config().slaPolicies().get(m.sla()) : null;
            if (p != null && p.leadsPerRepPerMonth() != null) {
                return p.leadsPerRepPerMonth();
            }
        }
        return null;
    }

    public int memberCount(String team) {
        TeamConfig t = config().teams().get(team);
        return t == null ? 0 : t.members().size();
    }
}
