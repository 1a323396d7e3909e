package dev.replyclock.alert;

import dev.replyclock.config.AlertsConfig;
import dev.replyclock.config.Config;
import dev.replyclock.config.MailboxConfig;
import dev.replyclock.config.TeamConfig;
import dev.replyclock.domain.Lead;
import dev.replyclock.domain.SlaState;
import dev.replyclock.report.LeadStats;
import dev.replyclock.report.Results;
import dev.replyclock.sla.BusinessCalendar;
import dev.replyclock.store.OutboxAlert;
import dev.replyclock.store.Store;
import dev.replyclock.store.SyncStatus;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns an outbox row into what a channel sends, from the current results (the one computation): an alert about
 * a lead, a sync failure, or a team's digest. Says instead why the row should no longer be sent (the lead was
 * answered before its at_risk alert went out, or it is already breached).
 */
public final class AlertComposer {

    /** Either a message, a digest, or the reason not to send. */
    public record Composed(AlertMessage message, DigestMessage digest, String cancelReason) {
        static Composed cancel(String reason) {
            return new Composed(null, null, reason);
        }
    }

    private final Config config;
    private final Results results;
    private final Store store;
    private final Map<String, MailboxConfig> mailboxes = new HashMap<>();
    private final Map<String, BusinessCalendar> calendars = new HashMap<>();

    public AlertComposer(Config config, Results results, Store store) {
        this.config = config;
        this.results = results;
        this.store = store;
        for (MailboxConfig m : config.leadMailboxes()) {
            mailboxes.put(m.id(), m);
            calendars.put(m.id(), new BusinessCalendar(config.calendars().get(m.calendar())));
        }
    }

    /** The calendar of a mailbox, or null for an unknown one. */
    public BusinessCalendar calendarOf(String mailboxId) {
        return calendars.get(mailboxId);
    }

    /** The calendar of a team: its first mailbox's; null when the team has no mailbox. */
    public BusinessCalendar calendarOfTeam(String teamId) {
        for (MailboxConfig m : config.leadMailboxes()) {
            if (m.team().equals(teamId)) {
                return calendars.get(m.id());
            }
        }
        return null;
    }

    /** Current leads by id: read once per drain. */
    public Map<String, Lead> leadsById() {
        Map<String, Lead> map = new HashMap<>();
        for (Lead lead : results.leads()) {
            map.put(lead.leadMessageId(), lead);
        }
        return map;
    }

    public Composed compose(OutboxAlert alert, Map<String, Lead> leads, Instant now) {
        return switch (alert.event()) {
            case AlertEvent.DIGEST -> digest(alert.subjectId(), now);
            case AlertEvent.SYNC_FAILING -> syncFailing(alert.subjectId());
            default -> lead(alert, leads.get(alert.subjectId()), now);
        };
    }

    private Composed lead(OutboxAlert alert, Lead lead, Instant now) {
        if (lead == null) {
            return Composed.cancel("the lead no longer exists");
        }
        if (lead.disposition() != null) {
            return Composed.cancel("a disposition stands on the lead (" + lead.disposition().label() + ")");
        }
        if (lead.expired(now)) {
            return Composed.cancel("expired: unanswered past its open horizon");
        }
        if (AlertEvent.AT_RISK.equals(alert.event())) {
            if (lead.firstResponse() != null) {
                return Composed.cancel("answered before the alert went out");
            }
            // Only where the breached alert goes too: a channel that takes at_risk alone would hear nothing.
            if (lead.firstResponseState(now) == SlaState.BREACHED && receives(alert.channel(), AlertEvent.BREACHED)) {
                return Composed.cancel("already breached: the breached alert says it");
            }
        }
        return new Composed(message(alert.event(), lead, now), null, null);
    }

    private boolean receives(String channel, String event) {
        return config.alerts().channels().stream().anyMatch(c -> c.name().equals(channel) && c.wants(event));
    }

    /** The alert about a lead (also the sample of {@code alert-test}). */
    public AlertMessage message(String event, Lead lead, Instant now) {
        MailboxConfig mailbox = mailboxes.get(lead.mailboxId());
        BusinessCalendar calendar = calendars.get(lead.mailboxId());
        Instant waitedUntil = lead.firstResponse() != null ? lead.firstResponse().at() : now;
        Duration waited = calendar == null ? Duration.between(lead.start(), waitedUntil)
                : calendar.businessTime(lead.start(), waitedUntil);
        ZonedDateTime deadline = calendar == null ? lead.deadline().atZone(java.time.ZoneOffset.UTC)
                : lead.deadline().atZone(calendar.zone());
        String subject = store.messageSubject(lead.leadMessageId()).orElse("");
        String rep = lead.firstResponse() == null ? null : repName(lead.teamId(), lead.firstResponse().rep());
        return new AlertMessage(event, lead.mailboxId(), mailbox == null ? lead.mailboxId() : mailbox.address(),
                lead.teamId(), lead.party(), subject, waited, deadline, rep, leadLink(lead.leadMessageId()), null);
    }

    private String repName(String teamId, String repId) {
        TeamConfig team = config.teams().get(teamId);
        if (team != null) {
            for (TeamConfig.Member m : team.members()) {
                if (m.id().equals(repId)) {
                    return m.name();
                }
            }
        }
        return repId;
    }

    /** {@code <public_url>/leads/<id>}, or null without a public URL. */
    public String leadLink(String leadMessageId) {
        String base = config.http().publicUrl();
        if (base == null) {
            return null;
        }
        return stripSlash(base) + "/leads/" + URLEncoder.encode(leadMessageId, StandardCharsets.UTF_8);
    }

    private static String stripSlash(String base) {
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    private Composed syncFailing(String subjectId) {
        // mailbox:<id>:<since>
        String rest = subjectId.substring("mailbox:".length());
        int colon = rest.lastIndexOf(':');
        String mailboxId = colon < 0 ? rest : rest.substring(0, colon);
        MailboxConfig mailbox = mailboxes.get(mailboxId);
        String error = store.lastSync(mailboxId).map(SyncStatus::lastError).orElse(null);
        return new Composed(new AlertMessage(AlertEvent.SYNC_FAILING, mailboxId,
                mailbox == null ? mailboxId : mailbox.address(), mailbox == null ? null : mailbox.team(), null, null,
                null, null, null, config.http().publicUrl(), error == null ? null : Text.oneLine(error)), null, null);
    }

    /** The subject of a team's digest of a local date. */
    public static String digestSubject(String teamId, LocalDate date) {
        return "digest:" + teamId + ":" + date;
    }

    private Composed digest(String subjectId, Instant now) {
        String rest = subjectId.substring("digest:".length());
        int colon = rest.lastIndexOf(':');
        String teamId = rest.substring(0, colon);
        LocalDate date = LocalDate.parse(rest.substring(colon + 1));
        return new Composed(null, digest(teamId, date, now), null);
    }

    /**
     * A team's digest: {@link LeadStats} over the team's leads that started in the window before {@code now}, the
     * worst open waits (business time), and per rep {@link LeadStats} over the leads the rep answered first.
     */
    public DigestMessage digest(String teamId, LocalDate date, Instant now) {
        AlertsConfig.Digest options = config.alerts().digest();
        Instant from = now.minus(options.window());
        List<Lead> team = new ArrayList<>();
        List<DigestMessage.Wait> open = new ArrayList<>();
        for (Lead lead : results.leads()) {
            if (!teamId.equals(lead.teamId())) {
                continue;
            }
            if (!lead.start().isBefore(from) && lead.start().isBefore(now)) {
                team.add(lead);
            }
            if (lead.open(now) && lead.start().isBefore(now)) {
                BusinessCalendar calendar = calendars.get(lead.mailboxId());
                Duration waited = calendar == null ? Duration.between(lead.start(), now)
                        : calendar.businessTime(lead.start(), now);
                open.add(new DigestMessage.Wait(lead.mailboxId(), lead.party(),
                        store.messageSubject(lead.leadMessageId()).orElse(""), waited,
                        lead.firstResponseState(now).label()));
            }
        }
        open.sort(Comparator.comparing(DigestMessage.Wait::waited).reversed()
                .thenComparing(DigestMessage.Wait::party, Comparator.nullsLast(Comparator.naturalOrder())));
        List<DigestMessage.Wait> worst = List.copyOf(open.subList(0, Math.min(options.worstWaits(), open.size())));
        Map<String, List<Lead>> byRep = new LinkedHashMap<>();
        for (Lead lead : team) {
            if (lead.firstResponse() != null) {
                byRep.computeIfAbsent(lead.firstResponse().rep(), k -> new ArrayList<>()).add(lead);
            }
        }
        List<DigestMessage.RepLine> reps = new ArrayList<>();
        byRep.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> reps.add(new DigestMessage.RepLine(repName(teamId, e.getKey()), LeadStats.of(e.getValue(), now))));
        return new DigestMessage(teamId, date, options.window(), LeadStats.of(team, now), worst, List.copyOf(reps),
                Optional.ofNullable(config.http().publicUrl()).orElse(null));
    }
}
