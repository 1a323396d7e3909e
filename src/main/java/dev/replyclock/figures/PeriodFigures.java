package dev.replyclock.figures;

import dev.replyclock.report.LeadStats;

import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * The figures of the leads that started in a period (SPEC section 10) and of the waits opened in it.
 *
 * @param attemptsCompliance met / (met + breached) of the attempts part; empty without data
 * @param wallMedian         nearest-rank median wall-clock seconds of the same first responses (shown beside)
 * @param replyMedian        nearest-rank median business seconds of the replies closing the period's waits
 */
public record PeriodFigures(Period period, LeadStats stats, OptionalLong wallMedian, OptionalDouble attemptsCompliance,
                            OptionalLong replyMedian, OptionalLong replyP90) {
}
