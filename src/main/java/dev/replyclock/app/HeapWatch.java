package dev.replyclock.app;

import com.sun.management.GarbageCollectionNotificationInfo;

import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The most heap that was still in use right after a garbage collection: the live data a run really needed,
 * which is what {@code -Xmx} must fit (the sum of the pools' peaks counts garbage too).
 */
final class HeapWatch {

    private final AtomicLong peakLive = new AtomicLong();

    HeapWatch() {
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener((notification, handback) -> {
                    if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
                        GarbageCollectionNotificationInfo info =
                                GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
                        long used = info.getGcInfo().getMemoryUsageAfterGc().values().stream().mapToLong(MemoryUsage::getUsed).sum();
                        peakLive.accumulateAndGet(used, Math::max);
                    }
                }, null, null);
            }
        }
    }

    /** Peak live heap after a collection, or the current use when no collection happened yet. */
    long peakLiveBytes() {
        long current = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        return Math.max(peakLive.get(), peakLive.get() == 0 ? current : 0);
    }
}
