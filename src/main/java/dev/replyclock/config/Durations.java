package dev.replyclock.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Configuration durations: exactly one integer and one unit, {@code <n><s|m|h|d>} ({@code 0s}, {@code 30m}, {@code 14d}). */
public final class Durations {

    private static final Pattern DURATION = Pattern.compile("([0-9]+)([smhd])");

    private Durations() {
    }

    /** The largest whole unit that divides {@code d} ({@code 4h}, {@code 90m}, {@code 14d}); inverse of {@link #parse}. */
    public static String format(Duration d) {
        long s = d.getSeconds();
        if (s % 86_400 == 0) {
            return s / 86_400 + "d";
        }
        if (s % 3_600 == 0) {
            return s / 3_600 + "h";
        }
        return s % 60 == 0 ? s / 60 + "m" : s + "s";
    }

    /**
     * Parses {@code 90s}, {@code 30m}, {@code 4h}, {@code 14d} ({@code d} = 24 hours). No blanks, no
     * combinations ({@code 1h30m}), no sign or fraction.
     *
     * @throws IllegalArgumentException {@code invalid duration '<text>' (use <number><s|m|h|d>)}, or
     *         {@code duration '<text>' is too large} beyond {@link Duration}'s range
     */
    public static Duration parse(String text) {
        Matcher m = DURATION.matcher(text);
        if (m.matches()) {
            try {
                long n = Long.parseLong(m.group(1));
                return switch (m.group(2)) {
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                };
            } catch (ArithmeticException | NumberFormatException tooLarge) {
                throw new IllegalArgumentException("duration '" + text + "' is too large");
            }
        }
        throw new IllegalArgumentException("invalid duration '" + text + "' (use <number><s|m|h|d>)");
    }
}
