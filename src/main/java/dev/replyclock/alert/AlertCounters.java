package dev.replyclock.alert;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An {@link AlertListener} that keeps the alert counters in memory, for whoever exports metrics: {@link #SENT}
 * by channel and event, {@link #FAILED} by channel and reason, {@link #PENDING} (a gauge). Labels are channel
 * names, event names and fixed reasons only: never an address, a URL or a secret.
 */
public final class AlertCounters implements AlertListener {

    public static final String SENT = "replyclock_alerts_sent_total";
    public static final String FAILED = "replyclock_alerts_failed_total";
    public static final String PENDING = "replyclock_alert_outbox_pending";

    /** A pair of label values: (channel, event) for sent, (channel, reason) for failed. */
    public record Labels(String channel, String second) implements Comparable<Labels> {
        @Override
        public int compareTo(Labels o) {
            int c = channel.compareTo(o.channel);
            return c != 0 ? c : second.compareTo(o.second);
        }
    }

    private final Map<Labels, AtomicLong> sent = new ConcurrentHashMap<>();
    private final Map<Labels, AtomicLong> failed = new ConcurrentHashMap<>();
    private final AtomicLong pending = new AtomicLong();
    private final AlertListener next;

    public AlertCounters() {
        this(NONE);
    }

    /** Also forwards every report to {@code next} (e.g. a Micrometer binding). */
    public AlertCounters(AlertListener next) {
        this.next = next;
    }

    @Override
    public void sent(String channel, String event) {
        sent.computeIfAbsent(new Labels(channel, event), k -> new AtomicLong()).incrementAndGet();
        next.sent(channel, event);
    }

    @Override
    public void failed(String channel, String reason) {
        failed.computeIfAbsent(new Labels(channel, reason), k -> new AtomicLong()).incrementAndGet();
        next.failed(channel, reason);
    }

    @Override
    public void pending(long count) {
        pending.set(count);
        next.pending(count);
    }

    /** {@code replyclock_alerts_sent_total{channel,event}}, sorted. */
    public Map<Labels, Long> sent() {
        return snapshot(sent);
    }

    /** {@code replyclock_alerts_failed_total{channel,reason}}, sorted. */
    public Map<Labels, Long> failed() {
        return snapshot(failed);
    }

    /** {@code replyclock_alert_outbox_pending}. */
    public long pending() {
        return pending.get();
    }

    private static Map<Labels, Long> snapshot(Map<Labels, AtomicLong> map) {
        Map<Labels, Long> out = new TreeMap<>();
        map.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }
}
