package dev.replyclock.config;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A business calendar (SPEC section 7): for each day of the week its open intervals, sorted and merged,
 * in local wall-clock time. {@code 24x7} is every day {@code 00:00-24:00}. A day missing from the map is closed.
 */
public record CalendarConfig(String name, ZoneId zone, Map<DayOfWeek, List<OpenInterval>> hours, Set<LocalDate> holidays) {

    private static final String HOURS_KINDS = "expected 24x7 or a map of days to lists of HH:MM-HH:MM";
    private static final List<String> DAY_NAMES = List.of("mon", "tue", "wed", "thu", "fri", "sat", "sun");

    /** One open interval of a day, in minutes since local midnight; {@code endMinute} may be 1440 (24:00). */
    public record OpenInterval(int startMinute, int endMinute) {

        private static final Pattern INTERVAL = Pattern.compile("([0-9]{2}):([0-9]{2})-([0-9]{2}):([0-9]{2})");

        /**
         * Parses {@code HH:MM-HH:MM}: two digits each, no blanks, start before end, end may be {@code 24:00}.
         *
         * @throws IllegalArgumentException with the message for the config error
         */
        public static OpenInterval parse(String text) {
            Matcher m = INTERVAL.matcher(text);
            if (!m.matches()) {
                throw new IllegalArgumentException("invalid interval '" + text + "' (use HH:MM-HH:MM)");
            }
            int sh = Integer.parseInt(m.group(1));
            int sm = Integer.parseInt(m.group(2));
            int eh = Integer.parseInt(m.group(3));
            int em = Integer.parseInt(m.group(4));
            boolean endIsMidnight = eh == 24 && em == 0;
            if (sh > 23 || sm > 59 || em > 59 || (eh > 23 && !endIsMidnight)) {
                throw new IllegalArgumentException("invalid time in interval '" + text + "' (use 00:00 to 23:59, or 24:00 as end)");
            }
            int start = sh * 60 + sm;
            int end = eh * 60 + em;
            if (end == start) {
                throw new IllegalArgumentException("empty interval '" + text + "' (start must be before end)");
            }
            if (end < start) {
                throw new IllegalArgumentException("overnight interval '" + text + "' (split it at midnight)");
            }
            return new OpenInterval(start, end);
        }
    }

    /**
     * Expands a day key: {@code mon}..{@code sun} (any case), ranges ({@code mon-fri}, wrapping {@code fri-mon})
     * and comma lists of both ({@code mon,wed-fri}).
     *
     * @throws IllegalArgumentException with the message for the config error
     */
    public static Set<DayOfWeek> parseDays(String key) {
        EnumSet<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        for (String part : key.toLowerCase(Locale.ROOT).split(",", -1)) {
            String[] ends = part.split("-", -1);
            if (ends.length > 2) {
                throw badDays(key);
            }
            DayOfWeek from = day(ends[0], key);
            DayOfWeek to = ends.length == 2 ? day(ends[1], key) : from;
            for (DayOfWeek d = from; ; d = d.plus(1)) {
                days.add(d);
                if (d == to) {
                    break;
                }
            }
        }
        return days;
    }

    private static DayOfWeek day(String name, String key) {
        int i = DAY_NAMES.indexOf(name.trim());
        if (i < 0) {
            throw badDays(key);
        }
        return DayOfWeek.of(i + 1);
    }

    private static IllegalArgumentException badDays(String key) {
        return new IllegalArgumentException("invalid day key '" + key
                + "' (use mon..sun, ranges like mon-fri or fri-mon, lists like mon,wed)");
    }

    /** Sorts intervals and merges those that overlap or touch. */
    public static List<OpenInterval> merge(Collection<OpenInterval> intervals) {
        List<OpenInterval> sorted = new ArrayList<>(intervals);
        sorted.sort(Comparator.comparingInt(OpenInterval::startMinute).thenComparingInt(OpenInterval::endMinute));
        List<OpenInterval> out = new ArrayList<>();
        for (OpenInterval i : sorted) {
            OpenInterval last = out.isEmpty() ? null : out.get(out.size() - 1);
            if (last != null && i.startMinute() <= last.endMinute()) {
                out.set(out.size() - 1, new OpenInterval(last.startMinute(), Math.max(last.endMinute(), i.endMinute())));
            } else {
                out.add(i);
            }
        }
        return List.copyOf(out);
    }

    /** Reads {@code calendars.NAME}: {@code zone} and {@code hours} required, {@code holidays} optional. */
    /** Open minutes in a week without holidays; 0 for a calendar that never opens. */
    public long weeklyOpenMinutes() {
        long minutes = 0;
        for (List<OpenInterval> day : hours.values()) {
            for (OpenInterval interval : day) {
                minutes += interval.endMinute() - interval.startMinute();
            }
        }
        return minutes;
    }

    static CalendarConfig from(String name, YamlNode node) {
        YamlMap map = node.asMap();
        ZoneId zone = zone(map.required("zone"));
        YamlNode hoursNode = map.required("hours");
        Map<DayOfWeek, List<OpenInterval>> hours = hoursNode == null ? Map.of() : hours(hoursNode);
        Set<LocalDate> holidays = new TreeSet<>();
        YamlNode holidaysNode = map.get("holidays");
        if (holidaysNode != null) {
            for (YamlNode item : holidaysNode.asList()) {
                String text = item.asString();
                if (text != null) {
                    try {
                        holidays.add(LocalDate.parse(text));
                    } catch (DateTimeParseException e) {
                        item.error("invalid date '" + text + "' (use YYYY-MM-DD)");
                    }
                }
            }
        }
        map.finish();
        return new CalendarConfig(name, zone, hours, Collections.unmodifiableSet(holidays));
    }

    private static ZoneId zone(YamlNode node) {
        String text = node == null ? null : node.asString();
        if (text == null) {
            return null;
        }
        if (!ZoneId.getAvailableZoneIds().contains(text)) {
            node.error("unknown time zone '" + text + "' (use an IANA id like Europe/Berlin)");
            return null;
        }
        return ZoneId.of(text);
    }

    private static Map<DayOfWeek, List<OpenInterval>> hours(YamlNode node) {
        Map<DayOfWeek, List<OpenInterval>> byDay = new EnumMap<>(DayOfWeek.class);
        if (node.isScalar()) {
            String text = node.asString();
            if (text != null && text.equalsIgnoreCase("24x7")) {
                for (DayOfWeek d : DayOfWeek.values()) {
                    byDay.put(d, List.of(new OpenInterval(0, 1440)));
                }
            } else if (text != null) {
                node.error(HOURS_KINDS);
            }
            return Collections.unmodifiableMap(byDay);
        }
        if (!node.isMap()) {
            node.error(HOURS_KINDS);
            return Map.of();
        }
        YamlMap map = node.asMap();
        boolean bad = false;
        for (Map.Entry<String, YamlNode> e : map.all().entrySet()) {
            Set<DayOfWeek> days = Set.of();
            try {
                days = parseDays(e.getKey());
            } catch (IllegalArgumentException ex) {
                map.key(e.getKey()).error(ex.getMessage());
                bad = true;
            }
            bad |= !e.getValue().isList(); // reported by asList
            for (YamlNode item : e.getValue().asList()) {
                String text = item.asString();
                if (text == null) {
                    bad = true;
                    continue;
                }
                try {
                    OpenInterval interval = OpenInterval.parse(text);
                    for (DayOfWeek d : days) {
                        byDay.computeIfAbsent(d, k -> new ArrayList<>()).add(interval);
                    }
                } catch (IllegalArgumentException ex) {
                    item.error(ex.getMessage());
                    bad = true;
                }
            }
        }
        byDay.replaceAll((d, list) -> merge(list));
        byDay.values().removeIf(List::isEmpty);
        if (byDay.isEmpty() && !bad) {
            node.error("calendar never opens");
        }
        return Collections.unmodifiableMap(byDay);
    }
}
