package dev.replyclock.config;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A business calendar (SPEC section 7): for each day of the week its open intervals, sorted and merged,
 * in local wall-clock time. {@code 24x7} is every day {@code 00:00-24:00}. A day missing from the map is closed.
 */
public record CalendarConfig(String name, ZoneId zone, Map<DayOfWeek, List<OpenInterval>> hours, Set<LocalDate> holidays) {

    /** One open interval of a day, in minutes since local midnight; {@code endMinute} may be 1440 (24:00). */
    public record OpenInterval(int startMinute, int endMinute) {
    }
}
