package dev.replyclock.figures;

import dev.replyclock.config.CalendarConfig;
import dev.replyclock.domain.Lead;
import dev.replyclock.report.LeadStats;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** Trends, speed to lead and the arrival heatmap: the figures that spread leads over time or buckets. */
final class Distributions {

    private final Figures figures;

    Distributions(Figures figures) {
        this.figures = figures;
    }

    /** {@link Figures#TREND_WEEKS} weeks up to the current one (Monday 00:00 in the zone), oldest first. */
    List<WeekPoint> trend(Predicate<Lead> filter, ZoneId zone, Instant now) {
        LocalDate thisMonday = LocalDate.ofInstant(now, zone).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        LocalDate first = thisMonday.minusWeeks(Figures.TREND_WEEKS - 1);
        Instant from = first.atStartOfDay(zone).toInstant();
        List<List<Lead>> weeks = new ArrayList<>();
        Instant[] bounds = new Instant[Figures.TREND_WEEKS + 1];
        for (int i = 0; i <= Figures.TREND_WEEKS; i++) {
            bounds[i] = first.plusWeeks(i).atStartOfDay(zone).toInstant();
            if (i < Figures.TREND_WEEKS) {
                weeks.add(new ArrayList<>());
            }
        }
        for (Lead l : figures.leadsStartedIn(from, now)) {
            if (l.start().isBefore(from) || !l.start().isBefore(now) || !filter.test(l)) {
                continue;
            }
            int i = 0;
            while (i < Figures.TREND_WEEKS - 1 && !l.start().isBefore(bounds[i + 1])) {
                i++;
            }
            weeks.get(i).add(l);
        }
        List<WeekPoint> out = new ArrayList<>();
        for (int i = 0; i < Figures.TREND_WEEKS; i++) {
            out.add(new WeekPoint(first.plusWeeks(i), LeadStats.of(weeks.get(i), now)));
        }
        return out;
    }

    SpeedToLead speed(Predicate<Lead> filter, Period period, Instant now) {
        int[] business = new int[SpeedToLead.LABELS.size()];
        int[] wall = new int[SpeedToLead.LABELS.size()];
        int unanswered = 0;
        for (Lead l : figures.leadsStartedIn(period.from(), period.to())) {
            if (!period.contains(l.start()) || l.start().isAfter(now) || !filter.test(l)) {
                continue;
            }
            if (l.firstResponse() == null) {
                unanswered++;
            } else {
                business[SpeedToLead.bucket(l.firstResponse().businessSeconds())]++;
                wall[SpeedToLead.bucket(l.firstResponse().wallSeconds())]++;
            }
        }
        return new SpeedToLead(period, business, wall, unanswered);
    }

    Heatmap heatmap(Predicate<Lead> filter, ZoneId zone, CalendarConfig hours, Period period) {
        int[][] counts = new int[7][24];
        for (Lead l : figures.leadsStartedIn(period.from(), period.to())) {
            if (period.contains(l.start()) && filter.test(l)) {
                ZonedDateTime t = l.start().atZone(zone);
                counts[t.getDayOfWeek().getValue() - 1][t.getHour()]++;
            }
        }
        boolean[][] open = new boolean[7][24];
        if (hours != null) {
            for (DayOfWeek day : DayOfWeek.values()) {
                for (CalendarConfig.OpenInterval interval : hours.hours().getOrDefault(day, List.of())) {
                    for (int h = 0; h < 24; h++) {
                        open[day.getValue() - 1][h] |= interval.startMinute() < (h + 1) * 60 && interval.endMinute() > h * 60;
                    }
                }
            }
        }
        return new Heatmap(period, zone, counts, open);
    }
}
