package dev.replyclock.alert;

import dev.replyclock.config.AlertsConfig;
import dev.replyclock.domain.Lead;
import dev.replyclock.sla.BusinessCalendar;
import dev.replyclock.store.OutboxAlert;
import dev.replyclock.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Drains the alert outbox: sends each pending row through its channel, in enqueue order per channel, and marks it
 * sent. A retryable failure (Slack 429 with its {@code Retry-After}, 5xx, timeout, connection) keeps the row
 * pending with exponential back-off and holds that channel's later rows, so the order is kept; any other failure
 * marks the row failed and is reported. Quiet hours hold a row until its calendar's next opening.
 *
 * <p>Exactly once: a row leaves {@code pending} only after its channel accepted it (or it was given up); the row
 * is unique per lead, event and channel. A crash between the channel's acceptance and the mark is the one window
 * in which a message can be sent twice.
 *
 * <p>Several instances (one PostgreSQL store): each row is claimed before it is acted on
 * ({@link Store#claimAlert}), so only one sender sends it; a row claimed by another sender holds that channel's
 * later rows, as a back-off does, to keep the order. A claim lasts {@link #CLAIM_LEASE}: the row of a sender that
 * died holding it is sent by another one after that.
 */
public final class AlertSender {

    private static final Logger LOG = LoggerFactory.getLogger(AlertSender.class);
    static final Duration MAX_BACKOFF = Duration.ofMinutes(5);
    private static final int BATCH = 500;
    /** Longer than any channel's send timeout, so a live sender never loses a claim mid-send. */
    public static final Duration CLAIM_LEASE = Duration.ofMinutes(2);

    private final Store store;
    private final AlertComposer composer;
    private final Map<String, AlertChannel> channels;
    private final Map<String, AlertsConfig.Channel> configs;
    private final AlertListener listener;
    private final Clock clock;
    private final String claimant = "sender-" + UUID.randomUUID();
    private final Duration lease;

    public AlertSender(Store store, AlertComposer composer, Map<String, AlertChannel> channels,
                       Map<String, AlertsConfig.Channel> configs, AlertListener listener, Clock clock) {
        this(store, composer, channels, configs, listener, clock, CLAIM_LEASE);
    }

    /** With another claim lease (tests of a sender killed holding a claim). */
    public AlertSender(Store store, AlertComposer composer, Map<String, AlertChannel> channels,
                       Map<String, AlertsConfig.Channel> configs, AlertListener listener, Clock clock,
                       Duration lease) {
        this.lease = lease;
        this.store = store;
        this.composer = composer;
        this.channels = Map.copyOf(channels);
        this.configs = Map.copyOf(configs);
        this.listener = listener;
        this.clock = clock;
    }

    /** Sends what is due; returns how many were delivered. */
    public int drain() {
        return drain(Integer.MAX_VALUE);
    }

    /** Sends at most {@code maxSends} due rows (tests stop in the middle of sending). */
    public synchronized int drain(int maxSends) {
        Instant now = clock.instant();
        List<OutboxAlert> pending = store.pendingAlerts(BATCH);
        if (pending.isEmpty()) {
            listener.pending(0);
            return 0;
        }
        Map<String, Lead> leads = composer.leadsById();
        Set<String> held = new HashSet<>();
        int sent = 0;
        for (OutboxAlert alert : pending) {
            if (sent >= maxSends) {
                break;
            }
            if (held.contains(alert.channel())) {
                continue;
            }
            if (alert.nextAttemptAt().isAfter(now)) {
                if (alert.attempts() > 0) {
                    held.add(alert.channel()); // backing off: later rows wait, to keep the order
                }
                continue;
            }
            if (!store.claimAlert(alert, claimant, now, now.plus(lease))) {
                held.add(alert.channel()); // another sender has it: its channel's later rows wait, to keep the order
                continue;
            }
            AlertChannel channel = channels.get(alert.channel());
            if (channel == null) {
                store.finishAlert(alert, OutboxAlert.FAILED, alert.attempts(), "no channel named " + alert.channel(), now);
                listener.failed(alert.channel(), "unknown_channel");
                continue;
            }
            AlertComposer.Composed composed = composer.compose(alert, leads, now);
            if (composed.cancelReason() != null) {
                store.finishAlert(alert, OutboxAlert.CANCELLED, alert.attempts(), composed.cancelReason(), now);
                LOG.debug("alert {} of {} for {} cancelled: {}", alert.event(), alert.subjectId(), alert.channel(),
                        composed.cancelReason());
                continue;
            }
            Instant opening = quietUntil(alert, composed, now);
            if (opening != null) {
                store.postponeAlert(alert, alert.attempts(), opening, "quiet hours");
                continue;
            }
            try {
                if (composed.message() != null) {
                    channel.send(composed.message());
                } else {
                    channel.send(composed.digest());
                }
                store.finishAlert(alert, OutboxAlert.SENT, alert.attempts() + 1, null, clock.instant());
                listener.sent(alert.channel(), alert.event());
                sent++;
            } catch (DeliveryException e) {
                int attempts = alert.attempts() + 1;
                listener.failed(alert.channel(), e.reason());
                if (e.retryable()) {
                    Duration wait = backoff(attempts);
                    if (e.retryAfter() != null) {
                        wait = e.retryAfter();
                    }
                    store.postponeAlert(alert, attempts, now.plus(wait), e.reason());
                    held.add(alert.channel());
                    LOG.warn("channel {}: {} alert not delivered ({}), retry in {} s", alert.channel(), alert.event(),
                            e.getMessage(), wait.toSeconds());
                } else {
                    store.finishAlert(alert, OutboxAlert.FAILED, attempts, e.reason(), now);
                    LOG.error("channel {}: {} alert rejected, not retried: {}", alert.channel(), alert.event(),
                            e.getMessage());
                }
            } catch (RuntimeException e) {
                // A bug or a bad value: report it and do not loop on the row.
                int attempts = alert.attempts() + 1;
                listener.failed(alert.channel(), DeliveryException.REJECTED);
                store.finishAlert(alert, OutboxAlert.FAILED, attempts, e.getClass().getSimpleName(), now);
                LOG.error("channel {}: {} alert failed: {}", alert.channel(), alert.event(), e.getClass().getName());
            }
        }
        listener.pending(store.pendingAlertCount());
        return sent;
    }

    /** 1 s, 2 s, 4 s ... at most {@link #MAX_BACKOFF}. */
    static Duration backoff(int attempts) {
        int exp = Math.min(Math.max(attempts - 1, 0), 20);
        Duration d = Duration.ofSeconds(1L << exp);
        return d.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : d;
    }

    /** The next opening when the channel's quiet hours hold this alert now, else null. */
    private Instant quietUntil(OutboxAlert alert, AlertComposer.Composed composed, Instant now) {
        AlertsConfig.Channel config = configs.get(alert.channel());
        if (config == null || composed.message() == null || config.quietHours() == AlertsConfig.QuietHours.OFF) {
            return null;
        }
        if (config.quietHours() == AlertsConfig.QuietHours.HOLD_EXCEPT_BREACHED
                && AlertEvent.BREACHED.equals(alert.event())) {
            return null;
        }
        BusinessCalendar calendar = composer.calendarOf(composed.message().mailboxId());
        if (calendar == null) {
            return null;
        }
        Instant opening = calendar.nextOpening(now);
        return opening.equals(now) ? null : opening;
    }
}
