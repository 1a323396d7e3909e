package dev.replyclock.web;

import io.javalin.http.Context;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The query parameters of one request, checked: a parameter the endpoint does not know, a repeated one or a
 * bad value is a 400 naming it. {@code now} (an instant, for reproducible figures) and {@code format}
 * ({@code json} or {@code csv}) are known everywhere.
 */
public final class Params {

    private static final Pattern WINDOW = Pattern.compile("([1-9][0-9]{0,3})d");
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
            throw ApiError.badParameter(name, "expected an ISO-8601 instant such as 2024-03-01T12:00:00Z, got '" + v + "'");
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
     * The aggregation window (SPEC section 10): {@code window=Nd} gives {@code [now - N days, now)},
     * {@code from}/{@code to} give {@code [from, to)}; neither gives every lead.
     */
    public Window window(Instant now) {
        String w = string("window");
        Instant from = values.containsKey("from") ? instant("from") : null;
        Instant to = values.containsKey("to") ? instant("to") : null;
        if (w != null) {
            if (from != null || to != null) {
                throw ApiError.badParameter("window", "give either window or from/to, not both");
            }
            Matcher m = WINDOW.matcher(w);
            if (!m.matches()) {
                throw ApiError.badParameter("window", "expected a number of days such as 1d, 7d or 30d, got '" + w + "'");
            }
            return new Window(now.minus(Duration.ofDays(Long.parseLong(m.group(1)))), now, w);
        }
        if (from != null && to != null && !from.isBefore(to)) {
            throw ApiError.badParameter("to", "must be after from");
        }
        return new Window(from, to, from == null && to == null ? "all" : null);
    }

    /** {@code [from, to)}; either end may be open (null). */
    public record Window(Instant from, Instant to, String label) {

        public static final Window ALL = new Window(null, null, "all");

        public boolean contains(Instant t) {
            return (from == null || !t.isBefore(from)) && (to == null || t.isBefore(to));
        }
    }
}
