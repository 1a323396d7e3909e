package dev.replyclock.web.pages;

import dev.replyclock.web.auth.Principal;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** HTML building blocks: every value goes through {@link #esc}; durations and times as managers read them. */
public final class Html {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm zzz", Locale.ROOT);

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

    /** {@code 2 h 15 m}, {@code 3 d 4 h}, {@code 45 s}. */
    public static String dur(long seconds) {
        if (seconds < 60) {
            return seconds + " s";
        }
        long m = seconds / 60;
        if (m < 60) {
            return m + " m";
        }
        long h = m / 60;
        if (h < 48) {
            return h + " h " + (m % 60) + " m";
        }
        return (h / 24) + " d " + (h % 24) + " h";
    }

    /** {@code 2 h 15 m business · 3 h 40 m}. */
    public static String durations(long business, long wall) {
        return dur(business) + " business · " + dur(wall);
    }

    public static String time(Instant t, ZoneId zone) {
        return t == null ? "undated" : TIME.format(t.atZone(zone));
    }

    public static String seconds(Object value) {
        return value == null ? "–" : dur(((Number) value).longValue());
    }

    public static String percent(Object compliance) {
        return compliance == null ? "–" : Math.round(((Number) compliance).doubleValue() * 1000) / 10.0 + " %";
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
