package dev.replyclock.figures;

import dev.replyclock.domain.Lead;

/**
 * Open work at one instant, whatever the period: leads started and still without a first response (not past the
 * open horizon), by state; waits without a reply; the oldest open lead and its business seconds waited.
 *
 * @param oldest null when nothing is open
 */
public record OpenNow(int pending, int atRisk, int breached, int waits, Lead oldest, long oldestBusinessSeconds) {
}
