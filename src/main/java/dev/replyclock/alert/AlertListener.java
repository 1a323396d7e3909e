package dev.replyclock.alert;

/**
 * What the sender reports, for metrics ({@code replyclock_alerts_sent_total{channel,event}},
 * {@code replyclock_alerts_failed_total{channel,reason}}, {@code replyclock_alert_outbox_pending}). Labels are
 * channel names, event names and short fixed reasons: never an address, a URL or a secret.
 */
public interface AlertListener {

    AlertListener NONE = new AlertListener() {
    };

    /** One alert (or digest) delivered. */
    default void sent(String channel, String event) {
    }

    /**
     * One delivery attempt failed; {@code reason} is one of {@link DeliveryException#REASONS} (plus
     * {@code unknown_channel}).
     */
    default void failed(String channel, String reason) {
    }

    /** Pending rows in the outbox after a drain. */
    default void pending(long count) {
    }
}
