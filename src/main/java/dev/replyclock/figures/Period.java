package dev.replyclock.figures;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The period a figure covers: leads by their start in {@code [from, to)}, either end open (null). {@code name} is
 * what a URL carries ({@code today}, {@code 7d}, {@code 30d}, {@code month}, {@code last_month}, {@code custom},
 * {@code all}); {@code label} is what a page prints next to the figure.
 */
public record Period(Instant from, Instant to, String name, String label) {

    private static final Pattern DAYS = Pattern.compile("([1-9][0-9]{0,3})d");
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMM yyyy HH:mm", Locale.ROOT);

    public static Period all() {
        return new Period(null, null, "all", "all time");
    }

    /** {@code [now - days, now)}. */
    public static Period lastDays(int days, Instant now) {
        return new Period(now.minus(Duration.ofDays(days)), now, days + "d", days == 1 ? "last 24 hours" : "last " + days + " days");
    }

    /**
     * A named period as of {@code now}; calendar periods (today, this month, last month) in {@code zone}.
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static Period named(String name, Instant now, ZoneId zone) {
        LocalDate today = LocalDate.ofInstant(now, zone);
        YearMonth month = YearMonth.from(today);
        switch (name) {
            case "all":
                return all();
            case "today":
                return new Period(today.atStartOfDay(zone).toInstant(), now, name, "today");
            case "month":
                return new Period(month.atDay(1).atStartOfDay(zone).toInstant(), now, name, "this month (" + month + ")");
            case "last_month":
                YearMonth last = month.minusMonths(1);
                return new Period(last.atDay(1).atStartOfDay(zone).toInstant(), month.atDay(1).atStartOfDay(zone).toInstant(),
                        name, "last month (" + last + ")");
            default:
                Matcher m = DAYS.matcher(name);
                if (m.matches()) {
                    return lastDays(Integer.parseInt(m.group(1)), now);
                }
                throw new IllegalArgumentException("expected one of today, 7d, 30d (any 1d to 9999d), month, last_month, all; got '"
                        + name + "'");
        }
    }

    /** {@code [from, to)} as given; either may be null. */
    public static Period between(Instant from, Instant to, ZoneId zone) {
        if (from == null && to == null) {
            return all();
        }
        String a = from == null ? "the start" : DAY.format(from.atZone(zone));
        String b = to == null ? "now" : DAY.format(to.atZone(zone));
        return new Period(from, to, "custom", a + " to " + b + (zone.equals(ZoneOffset.UTC) ? " UTC" : " " + zone.getId()));
    }

    public boolean contains(Instant t) {
        return (from == null || !t.isBefore(from)) && (to == null || t.isBefore(to));
    }
}
