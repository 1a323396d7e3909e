package dev.replyclock.figures;

import dev.replyclock.config.CalendarConfig;
import dev.replyclock.config.Config;
import dev.replyclock.config.MailboxConfig;
import dev.replyclock.config.SlaPolicy;
import dev.replyclock.config.TeamConfig;
import dev.replyclock.sla.BusinessCalendar;

import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Who and where: teams, members, mailboxes and their calendars, looked up here only; each calendar built once. */
public final class Directory {


    private final Config config;
    private final Map<String, MailboxConfig> mailboxes = new LinkedHashMap<>();
    /** The mailboxes with leads and SLA figures (not the reply-only ones). */
    private final Map<String, MailboxConfig> leadMailboxes = new LinkedHashMap<>();
    private final Map<String, BusinessCalendar> calendarOfMailbox = new HashMap<>();
    private final Map<String, String> teamOfMember = new HashMap<>();
    private final Map<String, String> nameOfMember = new HashMap<>();

    Directory(Config config) {
        this.config = config;
        Map<String, BusinessCalendar> calendars = new HashMap<>();
        config.calendars().forEach((name, calendar) -> calendars.put(name, new BusinessCalendar(calendar)));
        for (MailboxConfig m : config.mailboxes()) {
            mailboxes.put(m.id(), m);
            BusinessCalendar calendar = calendars.get(m.calendar());
            if (calendar != null) {
                calendarOfMailbox.put(m.id(), calendar);
            }
        }
        config.leadMailboxes().forEach(m -> leadMailboxes.put(m.id(), m));
        for (TeamConfig t : config.teams().values()) {
            for (TeamConfig.Member m : t.members()) {
                teamOfMember.putIfAbsent(m.id(), t.id());
                nameOfMember.putIfAbsent(m.id(), m.name() == null ? m.id() : m.name());
            }
        }
    }

    public Config config() {
        return config;
    }

    public List<String> teams() {
        return List.copyOf(config.teams().keySet());
    }

    public boolean isTeam(String team) {
        return config.teams().containsKey(team);
    }

    public List<MailboxConfig> mailboxes() {
        return List.copyOf(mailboxes.values());
    }

    /** The mailboxes that have leads and SLA figures: all but the {@code replies_only} ones. */
    public List<MailboxConfig> leadMailboxes() {
        return List.copyOf(leadMailboxes.values());
    }

    public MailboxConfig mailbox(String id) {
        return mailboxes.get(id);
    }

    /** The calendar of a mailbox; null for an unknown mailbox. */
    public BusinessCalendar calendar(String mailboxId) {
        return calendarOfMailbox.get(mailboxId);
    }

    /** A team's calendar: its first lead mailbox's; null when the team has none. */
    public BusinessCalendar teamCalendar(String team) {
        for (MailboxConfig m : leadMailboxes.values()) {
            if (m.team().equals(team)) {
                return calendarOfMailbox.get(m.id());
            }
        }
        return null;
    }

    /** The zone of a mailbox's calendar (UTC when unknown). */
    public ZoneId zone(String mailboxId) {
        BusinessCalendar c = calendarOfMailbox.get(mailboxId);
        return c == null ? ZoneOffset.UTC : c.zone();
    }

    /** The zone of a team's calendar (UTC when it has no mailbox). */
    public ZoneId teamZone(String team) {
        BusinessCalendar c = teamCalendar(team);
        return c == null ? ZoneOffset.UTC : c.zone();
    }

    /** A team's zone, or for no team (several teams) the {@link #homeZone}: where calendar periods are taken. */
    public ZoneId zoneOf(String teamOrNull) {
        return teamOrNull == null ? homeZone() : teamZone(teamOrNull);
    }

    /** The zone of the first mailbox: the one the whole instance's pages use for "today" (UTC without mailboxes). */
    public ZoneId homeZone() {
        return mailboxes.isEmpty() ? ZoneOffset.UTC : zone(mailboxes.keySet().iterator().next());
    }

    /** The open hours of a team's calendar, for marking them; null without a calendar. */
    public CalendarConfig teamHours(String team) {
        for (MailboxConfig m : leadMailboxes.values()) {
            if (m.team().equals(team)) {
                return config.calendars().get(m.calendar());
            }
        }
        return null;
    }

    /** The team of a configured member; null for anyone else (internal addresses, unattributed). */
    public String memberTeam(String rep) {
        return teamOfMember.get(rep);
    }

    public boolean isMember(String rep) {
        return teamOfMember.containsKey(rep);
    }

    /** A member's name; anyone else by their id. */
    public String memberName(String rep) {
        return nameOfMember.getOrDefault(rep, rep);
    }

    public List<TeamConfig.Member> members(String team) {
        TeamConfig t = config.teams().get(team);
        return t == null ? List.of() : t.members();
    }

    public int memberCount(String team) {
        return members(team).size();
    }

    private SlaPolicy teamPolicy(String team, java.util.function.Predicate<SlaPolicy> has) {
        for (MailboxConfig m : leadMailboxes.values()) {
            SlaPolicy p = team.equals(m.team()) ? config.slaPolicies().get(m.sla()) : null;
            if (p != null && has.test(p)) {
                return p;
            }
        }
        return null;
    }

    /**
     * The first-response compliance a team aims at, as a ratio, for colouring figures: its first mailbox's
     * {@code compliance_target_percent} (90 % when the team has no mailbox or {@code team} is null).
     */
    public double complianceTarget(String team) {
        SlaPolicy p = team == null ? null : teamPolicy(team, x -> true);
        return (p == null ? SlaPolicy.DEFAULT_COMPLIANCE_TARGET_PERCENT : p.complianceTargetPercent()) / 100.0;
    }

    /** The team's {@code leads_per_rep_per_month} (first of its mailboxes' policies that sets one), or null. */
    public Integer leadsPerRepTarget(String team) {
        SlaPolicy p = teamPolicy(team, x -> x.leadsPerRepPerMonth() != null);
        return p == null ? null : p.leadsPerRepPerMonth();
    }

    /** The team's first_response target (its first mailbox's policy), or null. */
    public Duration firstResponseTarget(String team) {
        SlaPolicy p = teamPolicy(team, x -> x.firstResponse() != null);
        return p == null ? null : p.firstResponse();
    }

    /** The shortest time without a sync that counts as stale: a few missed polls are not an outage. */
    static final Duration MIN_STALE = Duration.ofMinutes(5);

    /**
     * How long without a successful sync makes a mailbox's figures stale (the wall's banner) and its sync failing
     * (the {@code sync_failing} alert): three poll intervals, at least {@link #MIN_STALE}.
     */
    public Duration staleAfter() {
        Duration poll = config.pollInterval() == null ? Config.DEFAULT_POLL_INTERVAL : config.pollInterval();
        Duration three = poll.multipliedBy(3);
        return three.compareTo(MIN_STALE) < 0 ? MIN_STALE : three;
    }
}
