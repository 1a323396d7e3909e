package dev.replyclock.app;

import dev.replyclock.alert.AlertListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Alert delivery as Prometheus metrics: {@code replyclock_alerts_sent_total{channel,event}},
 * {@code replyclock_alerts_failed_total{channel,reason}} and {@code replyclock_alert_outbox_pending}; labels are
 * channel names, event names and fixed reasons only.
 */
final class AlertMetrics implements AlertListener {

    private final MeterRegistry registry;
    private final AlertListener next;
    private final AtomicLong pending = new AtomicLong();

    AlertMetrics(MeterRegistry registry, AlertListener next) {
        this.registry = registry;
        this.next = next;
        Gauge.builder("replyclock_alert_outbox_pending", pending, AtomicLong::get)
                .description("Alerts waiting in the outbox after the last drain").register(registry);
    }

    @Override
    public void sent(String channel, String event) {
        Counter.builder("replyclock_alerts_sent").description("Alerts delivered")
                .tag("channel", channel).tag("event", event).register(registry).increment();
        next.sent(channel, event);
    }

    @Override
    public void failed(String channel, String reason) {
        Counter.builder("replyclock_alerts_failed").description("Alert delivery attempts that failed")
                .tag("channel", channel).tag("reason", reason).register(registry).increment();
        next.failed(channel, reason);
    }

    @Override
    public void pending(long count) {
        pending.set(count);
        next.pending(count);
    }
}
