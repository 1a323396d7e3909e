package dev.replyclock.web;

import dev.replyclock.figures.Period;
import io.javalin.http.Context;

import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The query parameters of one request, checked: a parameter the endpoint does not know, a repeated one or a
 * bad value is a 400 naming it. {@code now} (an instant, for reproducible figures) and {@code format}
 * ({@code json} or {@code csv}) are known everywhere.
 */
public final class Params {

    private static final Pattern WINDOW = Pattern.compile("([1-9][0-9]{0,3})d");
    private static final Pattern DATE = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");
    private final Map<String, List<String>> values;

    public Params(Context ctx, String... allowed) {
        this.values = ctx.queryParamMap();
        Set<String> known = new HashSet<>(List.of(allowed));
        known.add("now");
        known.add("format");
        for (Map.Entry<String, List<String>> e : values.entrySet()) {
            if (!known.contains(e.getKey())) {
                throw ApiError.badParameter(e.getKey(), "unknown parameter (known: " + String.join(", ", new java.util.TreeSet<>(known)) + ")");
            }
            if (e.getValue().size() > 1) {
                throw ApiError.badParameter(e.getKey(), "given more than once");
            }
        }
    }

    /** The value, or null when absent or empty. */
    public String string(String name) {
        List<String> v = values.get(name);
        return v == null || v.isEmpty() || v.get(0).isEmpty() ? null : v.get(0);
    }

    public String choice(String name, String fallback, Set<String> allowed) {
        String v = string(name);
        if (v == null) {
            return fallback;
        }
        if (!allowed.contains(v)) {
            throw ApiError.badParameter(name, "expected one of " + String.join(", ", new java.util.TreeSet<>(allowed)) + ", got '" + v + "'");
        }
        return v;
    }

    public Instant instant(String name) {
        String v = string(name);
        if (v == null) {
            return null;
        }
        try {
            return Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw ApiError.badParameter(name, "expected an ISO-8601 instant such as 2024-03-01T12:00:00Z"
                    + (name.equals("from") || name.equals("to") ? " or a date such as 2024-03-01" : "") + ", got '" + v + "'");
        }
    }

    public int integer(String name, int fallback, int min, int max) {
        String v = string(name);
        if (v == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ApiError.badParameter(name, "expected a whole number from " + min + " to " + max + ", got '" + v + "'");
    }

    public YearMonth month(String name) {
        String v = string(name);
        if (v == null) {
            return null;
        }
        try {
            return YearMonth.parse(v);
        } catch (DateTimeParseException e) {
            throw ApiError.badParameter(name, "expected a month such as 2024-03, got '" + v + "'");
        }
    }

    public Instant now(Clock clock) {
        Instant now = instant("now");
        return now == null ? clock.instant() : now;
    }

    public boolean csv() {
        return "csv".equals(choice("format", "json", Set.of("json", "csv")));
    }

    /**
     * The period of the figures (SPEC section 10, leads by start): {@code period=} a name of {@link Period#named}
     * (calendar periods in {@code zone}), or {@code window=Nd} ({@code [now - N days, now)}), or {@code from}/{@code to}
     * ({@code [from, to)}); at most one of the three kinds; none gives {@code fallback}.
     */
    public Period period(Instant now, ZoneId zone, String fallback) {
        String name = string("period");
        String w = string("window");
        Instant from = bound("from", zone, false);
        Instant to = bound("to", zone, true);
        boolean custom = from != null || to != null;
        if ((name != null && !"custom".equals(name) ? 1 : 0) + (w != null ? 1 : 0) + (custom ? 1 : 0) > 1) {
            throw ApiError.badParameter(w != null ? "window" : "period", "give one of period, window or from/to");
        }
        if (from != null && to != null && !from.isBefore(to)) {
            throw ApiError.badParameter("to", "must be after from");
        }
        if (custom || "custom".equals(name)) {
            return Period.between(from, to, zone);
        }
        if (w != null && !WINDOW.matcher(w).matches()) {
            throw ApiError.badParameter("window", "expected a number of days such as 1d, 7d or 30d, got '" + w + "'");
        }
        try {
            return Period.named(w != null ? w : name != null ? name : fallback, now, zone);
        } catch (IllegalArgumentException e) {
            throw ApiError.badParameter("period", e.getMessage());
        }
    }

    /**
     * {@code from}/{@code to}: an instant, or a date (a page's date picker) in {@code zone} — {@code from} at its
     * start, {@code to} at its end, so that a chosen last day is included.
     */
    private Instant bound(String name, ZoneId zone, boolean end) {
        String v = string(name);
        if (v != null && DATE.matcher(v).matches()) {
            try {
                java.time.LocalDate day = java.time.LocalDate.parse(v);
                return (end ? day.plusDays(1) : day).atStartOfDay(zone).toInstant();
            } catch (DateTimeParseException e) {
                throw ApiError.badParameter(name, "no such date '" + v + "'");
            }
        }
        return instant(name);
    }

    /** The period of the API: every lead unless asked otherwise. */
    public Period period(Instant now, ZoneId zone) {
        return period(now, zone, "all");
    }
}
