package dev.replyclock.alert;

import java.time.Duration;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/** Formatting shared by the adapters: durations a person reads at a glance, escaping. */
public final class Text {

    private Text() {
    }

    /** {@code 3h10m}, {@code 45m}, {@code 2d4h}, {@code 0m}: rounded to the minute, as the pages round. */
    public static String duration(Duration d) {
        if (d == null) {
            return "-";
        }
        long minutes = Math.max(0, Math.round(d.getSeconds() / 60.0));
        long days = minutes / (24 * 60);
        long hours = minutes / 60 % 24;
        long mins = minutes % 60;
        StringBuilder sb = new StringBuilder();
        if (days > 0) {
            sb.append(days).append('d');
        }
        if (hours > 0) {
            sb.append(hours).append('h');
        }
        if (mins > 0 || sb.length() == 0) {
            sb.append(mins).append('m');
        }
        return sb.toString();
    }

    public static String seconds(OptionalLong seconds) {
        return seconds.isPresent() ? duration(Duration.ofSeconds(seconds.getAsLong())) : "-";
    }

    public static String percent(OptionalDouble ratio) {
        return ratio.isPresent() ? String.format(Locale.ROOT, "%.0f%%", ratio.getAsDouble() * 100) : "-";
    }

    /** HTML text and attribute escaping ({@code & < > " '}). */
    public static String html(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    /** One line: CR/LF and other control characters become blanks (header-safe, log-safe). */
    public static String oneLine(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            sb.append(Character.isISOControl(c) ? ' ' : c);
        }
        return sb.toString();
    }

    public static String orDash(String s) {
        return s == null || s.isEmpty() ? "-" : s;
    }

    /** At most {@code max} characters, with an ellipsis when cut (Slack limits a text object to 3000). */
    public static String truncate(String s, int max) {
        if (s == null || s.length() <= max) {
            return s;
        }
        return s.substring(0, Math.max(0, max - 1)) + "\u2026";
    }
}
