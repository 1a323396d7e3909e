package dev.replyclock.sla;

import dev.replyclock.config.CalendarConfig;
import dev.replyclock.config.CalendarConfig.OpenInterval;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.zone.ZoneRules;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Business time of one calendar (SPEC section 7). Each local date's open intervals are turned into instants
 * with the zone's rules on that date: a local time skipped by DST moves forward by the gap, a repeated one
 * takes the earlier offset (what {@link ZonedDateTime#of} does).
 */
public final class BusinessCalendar {

    /** How far {@link #deadline} looks before giving up; a valid calendar opens every week. */
    private static final int MAX_DAYS_AHEAD = 366 * 20;

    private final String name;
    private final ZoneId zone;
    private final ZoneRules rules;
    private final Map<DayOfWeek, List<OpenInterval>> hours;
    private final Set<LocalDate> holidays;

    public BusinessCalendar(CalendarConfig config) {
        this.name = config.name();
        this.zone = config.zone();
        this.rules = zone.getRules();
        this.hours = new EnumMap<>(DayOfWeek.class);
        this.hours.putAll(config.hours());
        this.holidays = Set.copyOf(config.holidays());
    }

    public String name() {
        return name;
    }

    public ZoneId zone() {
        return zone;
    }

    /** Length of {@code [from, to)} that falls inside open hours, in whole seconds (rounded down). */
    public long businessSeconds(Instant from, Instant to) {
        return businessTime(from, to).getSeconds();
    }

    /** Length of {@code [from, to)} that falls inside open hours. */
    public Duration businessTime(Instant from, Instant to) {
        if (!to.isAfter(from)) {
            return Duration.ZERO;
        }
        // Start a day early: an interval of the previous local date can reach past midnight (24:00 + DST).
        LocalDate day = LocalDate.ofInstant(from, zone).minusDays(1);
        LocalDate last = LocalDate.ofInstant(to, zone).plusDays(1);
        long nanos = 0;
        for (; !day.isAfter(last); day = day.plusDays(1)) {
            for (OpenInterval interval : openIntervals(day)) {
                Instant start = max(instantOf(day, interval.startMinute()), from);
                Instant end = min(instantOf(day, interval.endMinute()), to);
                if (end.isAfter(start)) {
                    nanos += Duration.between(start, end).toNanos();
                }
            }
        }
        return Duration.ofNanos(nanos);
    }

    /**
     * The earliest instant {@code t} with {@code businessTime(from, t) == amount}; {@code deadline(a, 0) = a}.
     * A start in closed time therefore counts from the next opening.
     */
    public Instant deadline(Instant from, Duration amount) {
        if (amount.isZero() || amount.isNegative()) {
            return from;
        }
        Duration remaining = amount;
        LocalDate day = LocalDate.ofInstant(from, zone).minusDays(1);
        for (int i = 0; i < MAX_DAYS_AHEAD; i++, day = day.plusDays(1)) {
            for (OpenInterval interval : openIntervals(day)) {
                Instant end = instantOf(day, interval.endMinute());
                if (!end.isAfter(from)) {
                    continue;
                }
                Instant start = max(instantOf(day, interval.startMinute()), from);
                Duration available = Duration.between(start, end);
                if (available.isNegative()) {
                    continue;
                }
                if (remaining.compareTo(available) <= 0) {
                    return start.plus(remaining);
                }
                remaining = remaining.minus(available);
            }
        }
        throw new IllegalStateException("calendar " + name + " does not open within " + MAX_DAYS_AHEAD + " days of " + from);
    }

    /** Whether {@code at} lies inside open hours (an interval's start is open, its end is not). */
    public boolean isOpen(Instant at) {
        return nextOpening(at).equals(at);
    }

    /**
     * The earliest instant at or after {@code from} that lies inside open hours: {@code from} itself when open,
     * else the next interval's start (quiet hours end there).
     */
    public Instant nextOpening(Instant from) {
        LocalDate day = LocalDate.ofInstant(from, zone).minusDays(1);
        for (int i = 0; i < MAX_DAYS_AHEAD; i++, day = day.plusDays(1)) {
            for (OpenInterval interval : openIntervals(day)) {
                Instant start = instantOf(day, interval.startMinute());
                Instant end = instantOf(day, interval.endMinute());
                if (end.isAfter(from) && end.isAfter(start)) {
                    return max(start, from);
                }
            }
        }
        throw new IllegalStateException("calendar " + name + " does not open within " + MAX_DAYS_AHEAD + " days of " + from);
    }

    /** Whether the local date has open hours (not a holiday, and the weekday has intervals). */
    public boolean isBusinessDay(LocalDate day) {
        return !openIntervals(day).isEmpty();
    }

    /** The open intervals of a local date: none on a holiday. */
    private List<OpenInterval> openIntervals(LocalDate day) {
        if (holidays.contains(day)) {
            return List.of();
        }
        return hours.getOrDefault(day.getDayOfWeek(), List.of());
    }

    /**
     * The local time on that day as an instant, as {@link ZonedDateTime#of} gives it: the offset before a transition
     * (in a gap, that is the gap's length later in local time with the offset after) without building a ZonedDateTime
     * and its list of valid offsets (every deadline and business time goes through here).
     */
    private Instant instantOf(LocalDate day, int minuteOfDay) {
        LocalDateTime local = day.atStartOfDay().plusMinutes(minuteOfDay);
        return local.toInstant(rules.getOffset(local));
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
