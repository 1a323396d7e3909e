package dev.replyclock.alert;

import dev.replyclock.config.AlertsConfig;
import dev.replyclock.config.Config;
import dev.replyclock.config.MailboxConfig;
import dev.replyclock.figures.Figures;
import dev.replyclock.sla.BusinessCalendar;
import dev.replyclock.store.OutboxAlert;
import dev.replyclock.store.Store;
import dev.replyclock.store.SyncStatus;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The alerting of one service: routing (used by the SLA ticker), the sender draining the outbox, the daily digests
 * and sync failures. The channels (adapters) are given by the caller.
 */
public final class Alerts {

    /** How late after its time a digest is still sent (the service was down at that time). */
    static final Duration DIGEST_GRACE = Duration.ofHours(2);

    private final Config config;
    private final Store store;
    private final Clock clock;
    private final AlertRouting routing;
    private final AlertComposer composer;
    private final AlertSender sender;

    public Alerts(Config config, Store store, Figures figures, Map<String, AlertChannel> channels,
                  AlertListener listener, Clock clock) {
        this.config = config;
        this.store = store;
        this.clock = clock;
        this.routing = new AlertRouting(config.alerts(), store);
        this.composer = new AlertComposer(figures, store);
        Map<String, AlertsConfig.Channel> configs = new LinkedHashMap<>();
        config.alerts().channels().forEach(c -> configs.put(c.name(), c));
        this.sender = new AlertSender(store, composer, channels, configs, listener, clock);
    }

    public AlertRouting routing() {
        return routing;
    }

    public AlertComposer composer() {
        return composer;
    }

    public AlertSender sender() {
        return sender;
    }

    /** Drains the outbox once. */
    public int send() {
        return sender.drain();
    }

    /**
     * Enqueues each team's digest of today (its calendar's zone) once the configured local time has come on a
     * business day, up to {@link #DIGEST_GRACE} late; the outbox key keeps it to one per team, day and channel.
     * Returns how many rows were new.
     */
    public int enqueueDueDigests() {
        Instant now = clock.instant();
        LocalTime at = config.alerts().digest().at();
        int added = 0;
        for (String teamId : config.teams().keySet()) {
            List<String> channels = new ArrayList<>();
            for (AlertsConfig.Channel c : config.alerts().channels()) {
                if (c.wants(AlertEvent.DIGEST) && (c.teams().isEmpty() || c.teams().contains(teamId))) {
                    channels.add(c.name());
                }
            }
            BusinessCalendar calendar = composer.calendarOfTeam(teamId);
            if (channels.isEmpty() || calendar == null) {
                continue;
            }
            ZonedDateTime local = now.atZone(calendar.zone());
            LocalDate date = local.toLocalDate();
            Instant due = ZonedDateTime.of(date, at, calendar.zone()).toInstant();
            if (!calendar.isBusinessDay(date) || now.isBefore(due) || !now.isBefore(due.plus(DIGEST_GRACE))) {
                continue;
            }
            added += store.enqueueAlert(AlertComposer.digestSubject(teamId, date), AlertEvent.DIGEST, channels, due, now);
        }
        return added;
    }

    /**
     * After a failed poll: when the mailbox's last successful sync is older than {@code failingAfter}, enqueues one
     * sync_failing alert for this failure episode (keyed by that last success). Returns how many rows were new.
     */
    public int syncFailed(String mailboxId, Duration failingAfter) {
        Instant now = clock.instant();
        Optional<SyncStatus> status = store.lastSync(mailboxId);
        Instant lastSuccess = status.map(SyncStatus::lastSuccess).orElse(null);
        if (lastSuccess == null || now.isBefore(lastSuccess.plus(failingAfter))) {
            return 0;
        }
        String team = config.mailboxes().stream().filter(m -> m.id().equals(mailboxId)).map(MailboxConfig::team)
                .findFirst().orElse(null);
        List<String> channels = new ArrayList<>();
        for (AlertsConfig.Channel c : config.alerts().channels()) {
            if (c.wants(AlertEvent.SYNC_FAILING) && c.covers(mailboxId, team)) {
                channels.add(c.name());
            }
        }
        if (channels.isEmpty()) {
            return 0;
        }
        return store.enqueueAlert(OutboxAlert.mailboxSubject(mailboxId) + ":" + lastSuccess.toEpochMilli(),
                AlertEvent.SYNC_FAILING, channels, lastSuccess.plus(failingAfter), now);
    }
}
