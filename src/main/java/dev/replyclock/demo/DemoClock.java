package dev.replyclock.demo;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The demo's clock: starts at {@code origin} and runs {@code speed} times faster than the wall clock, so that a
 * 30-minute SLA goes at risk and breaches while someone watches (speed 60: one demo minute per second).
 */
public final class DemoClock extends Clock {

    private final Instant origin;
    private final long startNanos;
    private final double speed;

    public DemoClock(Instant origin, double speed) {
        this(origin, System.nanoTime(), speed);
    }

    private DemoClock(Instant origin, long startNanos, double speed) {
        if (!(speed > 0)) {
            throw new IllegalArgumentException("speed must be more than 0");
        }
        this.origin = origin;
        this.startNanos = startNanos;
        this.speed = speed;
    }

    public double speed() {
        return speed;
    }

    /** Wall-clock time for a span of demo time. */
    public Duration real(Duration demo) {
        return Duration.ofNanos((long) (demo.toNanos() / speed));
    }

    @Override
    public Instant instant() {
        long elapsed = System.nanoTime() - startNanos;
        return origin.plusNanos((long) (elapsed * speed));
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        if (zone.equals(ZoneOffset.UTC)) {
            return this;
        }
        throw new UnsupportedOperationException("the demo clock is UTC");
    }
}
