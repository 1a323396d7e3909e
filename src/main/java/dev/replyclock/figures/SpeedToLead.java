package dev.replyclock.figures;

import java.util.List;

/**
 * How fast leads got their first response: counts per bucket (at most 5 m, 30 m, 1 h, 4 h, 24 h, more) in business
 * time and, beside it, in wall-clock time, plus the leads still unanswered. The thresholds of the speed-to-lead
 * studies (e.g. HBR 2011, "The short life of online sales leads").
 */
public record SpeedToLead(Period period, int[] business, int[] wall, int unanswered) {

    /** Upper bounds in seconds, inclusive; the last bucket is above the last bound. */
    public static final long[] BOUNDS = {300, 1800, 3600, 4 * 3600, 24 * 3600};
    public static final List<String> LABELS = List.of("≤ 5 m", "≤ 30 m", "≤ 1 h", "≤ 4 h", "≤ 24 h", "> 24 h");

    static int bucket(long seconds) {
        int i = 0;
        while (i < BOUNDS.length && seconds > BOUNDS[i]) {
            i++;
        }
        return i;
    }

    public int answered() {
        int n = 0;
        for (int c : business) {
            n += c;
        }
        return n;
    }
}
