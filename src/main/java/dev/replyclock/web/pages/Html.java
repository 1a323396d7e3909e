package dev.replyclock.web.pages;

import dev.replyclock.figures.Directory;
import dev.replyclock.figures.Period;
import dev.replyclock.web.auth.Principal;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/** HTML building blocks: every value goes through {@link #esc}; durations and times as managers read them. */
public final class Html {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm zzz", Locale.ROOT);
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("EEE HH:mm zzz", Locale.ROOT);

    private Html() {
    }

    /** Text escaped for HTML element content and quoted attribute values. */
    public static String esc(Object value) {
        if (value == null) {
            return "";
        }
        String s = String.valueOf(value);
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** One URL path segment, percent-encoded (then still escaped where it goes into an attribute). */
    public static String seg(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    public static String link(String href, Object text) {
        return "<a href=\"" + esc(href) + "\">" + esc(text) + "</a>";
    }

    /**
     * {@code 45 s}, {@code 38 m}, {@code 2 h 15 m}, {@code 3 d 4 h}: rounded to the nearest unit shown, never cut
     * off (89 s is {@code 1 m}, 2 h 59 m 40 s is {@code 3 h 0 m}).
     */
    public static String dur(long seconds) {
        if (seconds < 0) {
            return "−" + dur(-seconds);
        }
        if (seconds < 60) {
            return seconds + " s";
        }
        long m = Math.round(seconds / 60.0);
        if (m < 60) {
            return m + " m";
        }
        if (m < 48 * 60) {
            return m / 60 + " h " + m % 60 + " m";
        }
        long h = Math.round(seconds / 3600.0);
        return h / 24 + " d " + h % 24 + " h";
    }

    /**
     * Business time with wall-clock time beside it; when the business time is much shorter (less than half the wall
     * time and at least a minute less), says that the rest was outside open hours:
     * {@code 0 s business (38 m wall, outside hours)}.
     */
    public static String durations(long business, long wall) {
        if (wall - business >= 60 && business * 2 < wall) {
            return dur(business) + " business (" + dur(wall) + " wall, outside hours)";
        }
        return dur(business) + " business · " + dur(wall) + " wall";
    }

    /** An optional business duration with its optional wall-clock one. */
    public static String durations(OptionalLong business, OptionalLong wall) {
        if (business.isEmpty()) {
            return "–";
        }
        return wall.isEmpty() ? dur(business.getAsLong()) + " business" : durations(business.getAsLong(), wall.getAsLong());
    }

    public static String time(Instant t, ZoneId zone) {
        return t == null ? "undated" : TIME.format(t.atZone(zone));
    }

    /** A weekday and clock time, for deadlines within the week. */
    public static String clock(Instant t, ZoneId zone) {
        return CLOCK.format(t.atZone(zone));
    }

    public static String seconds(Object value) {
        return value == null ? "–" : dur(((Number) value).longValue());
    }

    public static String seconds(OptionalLong value) {
        return value.isEmpty() ? "–" : dur(value.getAsLong());
    }

    public static String percent(Object compliance) {
        return compliance == null ? "–" : Math.round(((Number) compliance).doubleValue() * 1000) / 10.0 + " %";
    }

    public static String percent(OptionalDouble compliance) {
        return compliance.isEmpty() ? "–" : percent(compliance.getAsDouble());
    }

    /** {@code 62 %}: a whole percentage, for figures read from across a room. */
    public static String wholePercent(OptionalDouble compliance) {
        return compliance.isEmpty() ? "–" : Math.round(compliance.getAsDouble() * 100) + " %";
    }

    /** The class colouring a compliance against the target: good, near (within 10 points below), bad, or none. */
    public static String complianceClass(OptionalDouble compliance, double target) {
        if (compliance.isEmpty()) {
            return "none";
        }
        double c = compliance.getAsDouble();
        return c >= target ? "good" : c >= target - 0.1 ? "near" : "bad";
    }

    /** A compliance as a table cell coloured against the target, sortable by its value. */
    public static String complianceCell(String field, OptionalDouble compliance, double target) {
        return "<td data-field=\"" + field + "\" data-sort=\"" + (compliance.isEmpty() ? "" : compliance.getAsDouble())
                + "\" class=\"c-" + complianceClass(compliance, target) + "\">" + esc(percent(compliance)) + "</td>";
    }

    /** {@code (last 7 days)}: every figure names its period. */
    public static String periodNote(Period period) {
        return "<span class=\"period\">(" + esc(period.label()) + ")</span>";
    }

    /** A whole page: title, navigation, the body (already HTML), and the logout form with its CSRF token. */
    public static String page(String title, Principal who, String csrf, boolean loggedIn, String body) {
        StringBuilder b = new StringBuilder(body.length() + 1024);
        b.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>").append(esc(title)).append(" · Replyclock</title>")
                .append("<link rel=\"stylesheet\" href=\"/static/app.css\"><script src=\"/static/app.js\" defer></script>")
                .append("</head><body><header><nav><a href=\"/\">Overview</a> <a href=\"/wall\">Wall</a></nav>");
        if (loggedIn) {
            b.append("<form method=\"post\" action=\"/logout\" class=\"logout\"><input type=\"hidden\" name=\"csrf\" value=\"")
                    .append(esc(csrf)).append("\"><span>").append(esc(who.name())).append(" (")
                    .append(esc(who.role().name().toLowerCase(Locale.ROOT))).append(")</span> <button>Log out</button></form>");
        }
        b.append("</header><main><h1>").append(esc(title)).append("</h1>").append(body).append("</main></body></html>");
        return b.toString();
    }
}
