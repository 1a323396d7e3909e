package dev.replyclock.figures;

import dev.replyclock.report.LeadStats;

import java.time.LocalDate;

/** One week of a trend: the leads that started in the week (Monday 00:00 in the calendar's zone), up to now. */
public record WeekPoint(LocalDate monday, LeadStats stats) {
}
