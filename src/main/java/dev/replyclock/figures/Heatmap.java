package dev.replyclock.figures;

import java.time.ZoneId;

/**
 * Lead arrivals by weekday (0 = Monday) and hour in a calendar's zone, with that calendar's open hours marked,
 * so that leads arriving while nobody works stand out.
 *
 * @param open whether any of the hour is open on that weekday
 */
public record Heatmap(Period period, ZoneId zone, int[][] counts, boolean[][] open) {

    public int max() {
        int max = 0;
        for (int[] day : counts) {
            for (int c : day) {
                max = Math.max(max, c);
            }
        }
        return max;
    }

    /** Leads that arrived in closed hours. */
    public int outsideHours() {
        int n = 0;
        for (int d = 0; d < 7; d++) {
            for (int h = 0; h < 24; h++) {
                n += open[d][h] ? 0 : counts[d][h];
            }
        }
        return n;
    }
}
