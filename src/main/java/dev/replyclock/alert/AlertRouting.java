package dev.replyclock.alert;

import dev.replyclock.config.AlertsConfig;
import dev.replyclock.store.Store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which channels an alert goes to, decided when its transition is recorded: the channels that want the event and
 * cover the lead's team and mailbox, unless the transition is a back-fill — its instant lies before the first
 * successful sync of that mailbox, or more than {@code alert_horizon} before now. A back-fill is recorded (the
 * transition) but never sent.
 */
public final class AlertRouting {

    private final AlertsConfig alerts;
    private final Store store;

    public AlertRouting(AlertsConfig alerts, Store store) {
        this.alerts = alerts;
        this.store = store;
    }

    /** Channel names, in configuration order; empty for a back-fill or an event without alert (null). */
    public List<String> channels(String event, String mailboxId, String teamId, Instant occurredAt, Instant now) {
        if (event == null || alerts.channels().isEmpty()) {
            return List.of();
        }
        if (isBackfill(mailboxId, occurredAt, now)) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        for (AlertsConfig.Channel channel : alerts.channels()) {
            if (channel.wants(event) && channel.covers(mailboxId, teamId)) {
                names.add(channel.name());
            }
        }
        return names;
    }

    /** Before the mailbox's first successful sync (or it never synced), or older than the horizon. */
    public boolean isBackfill(String mailboxId, Instant occurredAt, Instant now) {
        if (occurredAt.isBefore(now.minus(alerts.alertHorizon()))) {
            return true;
        }
        Optional<Instant> firstSync = store.firstSuccessfulSync(mailboxId);
        return firstSync.isEmpty() || occurredAt.isBefore(firstSync.get());
    }
}
