package dev.replyclock.alert;

import dev.replyclock.config.AlertsConfig;
import dev.replyclock.config.Config;
import dev.replyclock.config.MailboxConfig;
import dev.replyclock.domain.Lead;
import dev.replyclock.domain.SlaState;
import dev.replyclock.figures.Directory;
import dev.replyclock.figures.Figures;
import dev.replyclock.figures.Period;
import dev.replyclock.figures.RepFigures;
import dev.replyclock.figures.WorstWait;
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
import java.util.List;
import java.util.Map;

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
    private final Figures figures;
    private final Directory directory;
    private final Store store;

    public AlertComposer(Figures figures, Store store) {
        this.config = figures.config();
        this.figures = figures;
        this.directory = figures.directory();
        this.store = store;
    }

    /** The calendar of a mailbox, or null for an unknown one. */
    public BusinessCalendar calendarOf(String mailboxId) {
        return directory.calendar(mailboxId);
    }

    /** The calendar of a team: its first mailbox's; null when the team has no mailbox. */
    public BusinessCalendar calendarOfTeam(String teamId) {
        return directory.teamCalendar(teamId);
    }

    /** Current leads by id: read once per drain. */
    public Map<String, Lead> leadsById() {
        Map<String, Lead> map = new HashMap<>();
        for (Lead lead : figures.leads()) {
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
        MailboxConfig mailbox = directory.mailbox(lead.mailboxId());
        ZonedDateTime deadline = lead.deadline().atZone(directory.zone(lead.mailboxId()));
        String subject = store.messageSubject(lead.leadMessageId()).orElse("");
        String rep = lead.firstResponse() == null ? null : directory.memberName(lead.firstResponse().rep());
        return new AlertMessage(event, lead.mailboxId(), mailbox == null ? lead.mailboxId() : mailbox.address(),
                lead.teamId(), lead.party(), subject, figures.waited(lead, now), deadline, rep, leadLink(lead.leadMessageId()), null);
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
        MailboxConfig mailbox = directory.mailbox(mailboxId);
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
     * A team's digest, read from the query layer: the team's figures over {@code [now - window, now)}, its worst
     * open waits (business time) and the reps who answered its leads first in that period.
     */
    public DigestMessage digest(String teamId, LocalDate date, Instant now) {
        AlertsConfig.Digest options = config.alerts().digest();
        Period period = new Period(now.minus(options.window()), now, "digest", "last " + Text.duration(options.window()));
        List<DigestMessage.Wait> worst = new ArrayList<>();
        for (WorstWait w : figures.worstWaits(teamId::equals, now, options.worstWaits())) {
            worst.add(new DigestMessage.Wait(w.lead().mailboxId(), w.lead().party(),
                    store.messageSubject(w.lead().leadMessageId()).orElse(""), Duration.ofSeconds(w.businessSeconds()),
                    w.state().label()));
        }
        List<DigestMessage.RepLine> reps = new ArrayList<>();
        figures.reps(period, teamId::equals, now).stream().filter(f -> f.firstResponses() > 0)
                .sorted(Comparator.comparing(RepFigures::rep))
                .forEach(f -> reps.add(new DigestMessage.RepLine(f.name(), f.stats())));
        return new DigestMessage(teamId, date, options.window(), figures.team(teamId, period, now).stats(), List.copyOf(worst),
                List.copyOf(reps), config.http().publicUrl());
    }
}
