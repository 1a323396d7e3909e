package dev.replyclock.app;

import dev.replyclock.alert.AlertListener;
import dev.replyclock.alert.DeliveryException;
import dev.replyclock.config.AlertsConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Alert delivery as Prometheus metrics: {@code replyclock_alerts_sent_total{channel,event}},
 * {@code replyclock_alerts_failed_total{channel,reason}} and {@code replyclock_alert_outbox_pending}; labels are
 * channel names, event names and fixed reasons only. Each configured channel's counters start at 0 for its events
 * and every failure reason, so that a restart loses no series.
 */
final class AlertMetrics implements AlertListener {

    private final MeterRegistry registry;
    private final AlertListener next;
    private final AtomicLong pending = new AtomicLong();

    AlertMetrics(MeterRegistry registry, List<AlertsConfig.Channel> channels, AlertListener next) {
        this.registry = registry;
        this.next = next;
        Gauge.builder("replyclock_alert_outbox_pending", pending, AtomicLong::get)
                .description("Alerts waiting in the outbox after the last drain").register(registry);
        for (AlertsConfig.Channel channel : channels) {
            channel.events().forEach(event -> sentCounter(channel.name(), event));
            DeliveryException.REASONS.forEach(reason -> failedCounter(channel.name(), reason));
        }
    }

    @Override
    public void sent(String channel, String event) {
        sentCounter(channel, event).increment();
        next.sent(channel, event);
    }

    @Override
    public void failed(String channel, String reason) {
        failedCounter(channel, reason).increment();
        next.failed(channel, reason);
    }

    private Counter sentCounter(String channel, String event) {
        return Counter.builder("replyclock_alerts_sent").description("Alerts delivered")
                .tag("channel", channel).tag("event", event).register(registry);
    }

    private Counter failedCounter(String channel, String reason) {
        return Counter.builder("replyclock_alerts_failed").description("Alert delivery attempts that failed")
                .tag("channel", channel).tag("reason", reason).register(registry);
    }

    @Override
    public void pending(long count) {
        pending.set(count);
        next.pending(count);
    }
}
