package dev.replyclock.alert;

/** Where alerts go: one configured channel (Slack webhook, SMTP recipients). Implementations are adapters. */
public interface AlertChannel {

    String name();

    /** Delivers one alert; throws when it did not (retryable or not). */
    void send(AlertMessage message) throws DeliveryException;

    /** Delivers one team's daily digest. */
    void send(DigestMessage digest) throws DeliveryException;
}
