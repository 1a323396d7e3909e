package dev.replyclock.sla;

import dev.replyclock.config.CalendarConfig;
import dev.replyclock.config.CalendarConfig.OpenInterval;
import org.junit.jupiter.api.Test;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

class BusinessCalendarTest {

    private static final OpenInterval NINE_TO_FIVE = new OpenInterval(9 * 60, 17 * 60);

    static BusinessCalendar weekdays(String zone, List<OpenInterval> intervals, LocalDate... holidays) {
        Map<DayOfWeek, List<OpenInterval>> hours = new EnumMap<>(DayOfWeek.class);
        for (DayOfWeek d : List.of(DayOfWeek.MONDAY, DayOfWeek.TUESDAY, DayOfWeek.WEDNESDAY, DayOfWeek.THURSDAY, DayOfWeek.FRIDAY)) {
            hours.put(d, intervals);
        }
        return new BusinessCalendar(new CalendarConfig("test", ZoneId.of(zone), hours, Set.of(holidays)));
    }

    static BusinessCalendar always(String zone, LocalDate... holidays) {
        Map<DayOfWeek, List<OpenInterval>> hours = new EnumMap<>(DayOfWeek.class);
        for (DayOfWeek d : DayOfWeek.values()) {
            hours.put(d, List.of(new OpenInterval(0, 24 * 60)));
        }
        return new BusinessCalendar(new CalendarConfig("24x7", ZoneId.of(zone), hours, Set.of(holidays)));
    }

    private static Instant t(String s) {
        return Instant.parse(s);
    }

    @Test
    void berlinSpringForwardWeekendKeepsEightHourDays() {
        BusinessCalendar berlin = weekdays("Europe/Berlin", List.of(NINE_TO_FIVE));
        // Fri 29 Mar 2024 16:00 CET -> Mon 1 Apr 10:00 CEST: 1 h + 1 h.
        assertEquals(7200, berlin.businessSeconds(t("2024-03-29T15:00:00Z"), t("2024-04-01T08:00:00Z")));
        // Monday opens at 09:00 CEST = 07:00Z.
        assertEquals(t("2024-04-01T07:00:01Z"), berlin.deadline(t("2024-03-30T12:00:00Z"), Duration.ofSeconds(1)));
    }

    @Test
    void newYorkSpringForwardUsesMondaysOffset() {
        BusinessCalendar ny = weekdays("America/New_York", List.of(NINE_TO_FIVE));
        assertEquals(9900, ny.businessSeconds(t("2024-03-08T20:30:00Z"), t("2024-03-11T14:15:00Z")));
        assertEquals(t("2024-03-11T15:30:00Z"), ny.deadline(t("2024-03-08T20:30:00Z"), Duration.ofHours(4)));
    }

    @Test
    void berlinFallBackUsesMondaysOffset() {
        BusinessCalendar berlin = weekdays("Europe/Berlin", List.of(NINE_TO_FIVE));
        assertEquals(7200, berlin.businessSeconds(t("2024-10-25T14:00:00Z"), t("2024-10-28T09:00:00Z")));
        assertEquals(t("2024-10-28T11:00:00Z"), berlin.deadline(t("2024-10-25T14:00:00Z"), Duration.ofHours(4)));
    }

    @Test
    void twentyFourSevenDstDaysAreTwentyThreeAndTwentyFiveHoursLong() {
        BusinessCalendar berlin = always("Europe/Berlin");
        // Local midnight to local midnight of 31 Mar 2024 (spring forward) and 27 Oct 2024 (fall back).
        assertEquals(23 * 3600, berlin.businessSeconds(t("2024-03-30T23:00:00Z"), t("2024-03-31T22:00:00Z")));
        assertEquals(25 * 3600, berlin.businessSeconds(t("2024-10-26T22:00:00Z"), t("2024-10-27T23:00:00Z")));
    }

    @Test
    void intervalStartingInTheDstGapMovesForwardByTheGap() {
        Map<DayOfWeek, List<OpenInterval>> hours = new EnumMap<>(DayOfWeek.class);
        hours.put(DayOfWeek.SUNDAY, List.of(new OpenInterval(2 * 60 + 30, 5 * 60)));
        BusinessCalendar ny = new BusinessCalendar(new CalendarConfig("gap", ZoneId.of("America/New_York"), hours, Set.of()));
        // Sun 10 Mar 2024: 02:30 does not exist and becomes 03:30 EDT (07:30Z); 05:00 EDT = 09:00Z.
        assertEquals(t("2024-03-10T07:30:00Z"), ny.deadline(t("2024-03-10T00:00:00Z"), Duration.ofSeconds(1)).minusSeconds(1));
        assertEquals(90 * 60, ny.businessSeconds(t("2024-03-10T00:00:00Z"), t("2024-03-10T12:00:00Z")));
    }

    @Test
    void intervalStartingInTheRepeatedHourTakesTheEarlierOffset() {
        Map<DayOfWeek, List<OpenInterval>> hours = new EnumMap<>(DayOfWeek.class);
        hours.put(DayOfWeek.SUNDAY, List.of(new OpenInterval(60 + 30, 3 * 60)));
        BusinessCalendar ny = new BusinessCalendar(new CalendarConfig("overlap", ZoneId.of("America/New_York"), hours, Set.of()));
        // Sun 3 Nov 2024: 01:30 happens twice; the first, EDT (05:30Z), opens; 03:00 EST = 08:00Z closes: 2.5 h.
        assertEquals(t("2024-11-03T05:30:00Z"), ny.deadline(t("2024-11-03T00:00:00Z"), Duration.ofSeconds(1)).minusSeconds(1));
        assertEquals(150 * 60, ny.businessSeconds(t("2024-11-03T00:00:00Z"), t("2024-11-03T12:00:00Z")));
    }

    @Test
    void splitDayDeadlineSkipsLunch() {
        BusinessCalendar split = weekdays("Europe/Berlin", List.of(new OpenInterval(9 * 60, 12 * 60), new OpenInterval(13 * 60, 17 * 60)));
        // Tue 27 Feb 2024 10:00 CET + 4 h = 15:00 CET.
        assertEquals(t("2024-02-27T14:00:00Z"), split.deadline(t("2024-02-27T09:00:00Z"), Duration.ofHours(4)));
        assertEquals(9000, split.businessSeconds(t("2024-02-26T09:00:00Z"), t("2024-02-26T12:30:00Z")));
    }

    @Test
    void deadlineExactlyAtClosingTimeStaysOnThatDay() {
        BusinessCalendar berlin = weekdays("Europe/Berlin", List.of(NINE_TO_FIVE));
        // Mon 26 Feb 13:00 CET + 4 h = 17:00 CET, not Tue 09:00.
        assertEquals(t("2024-02-26T16:00:00Z"), berlin.deadline(t("2024-02-26T12:00:00Z"), Duration.ofHours(4)));
    }

    @Test
    void saturdayNightLeadStartsMondayMorning() {
        BusinessCalendar berlin = weekdays("Europe/Berlin", List.of(NINE_TO_FIVE));
        assertEquals(t("2024-03-04T12:00:00Z"), berlin.deadline(t("2024-03-02T21:30:00Z"), Duration.ofHours(4)));
        assertEquals(2700, berlin.businessSeconds(t("2024-03-02T21:30:00Z"), t("2024-03-04T08:45:00Z")));
    }

    @Test
    void holidaysCloseTheDayAlsoUnderTwentyFourSeven() {
        BusinessCalendar xmas = always("Europe/Berlin", LocalDate.of(2024, 12, 25), LocalDate.of(2024, 12, 26));
        // 24 Dec 12:00 CET -> 27 Dec 12:00 CET: 12 h on the 24th and 12 h on the 27th.
        assertEquals(24 * 3600, xmas.businessSeconds(t("2024-12-24T11:00:00Z"), t("2024-12-27T11:00:00Z")));
        // A lead on the holiday starts its clock at 27 Dec 00:00 CET = 26 Dec 23:00Z.
        assertEquals(t("2024-12-27T00:00:00Z"), xmas.deadline(t("2024-12-25T09:00:00Z"), Duration.ofHours(1)));
    }

    @Test
    void deadlineOfZeroIsTheStartEvenWhenClosed() {
        BusinessCalendar berlin = weekdays("Europe/Berlin", List.of(NINE_TO_FIVE));
        assertEquals(t("2024-03-02T21:30:00Z"), berlin.deadline(t("2024-03-02T21:30:00Z"), Duration.ZERO));
    }

    @Test
    void emptyOrBackwardRangeHasNoBusinessTime() {
        BusinessCalendar berlin = weekdays("Europe/Berlin", List.of(NINE_TO_FIVE));
        assertEquals(0, berlin.businessSeconds(t("2024-02-26T12:00:00Z"), t("2024-02-26T10:00:00Z")));
    }

    @Test
    void nextOpeningIsTheInstantItselfWhenOpenElseTheNextIntervalStart() {
        BusinessCalendar berlin = weekdays("Europe/Berlin", List.of(new OpenInterval(9 * 60, 12 * 60),
                new OpenInterval(13 * 60, 17 * 60)), LocalDate.of(2024, 12, 25));
        // Open: Tue 10 Dec 2024 10:00 CET.
        assertEquals(t("2024-12-10T09:00:00Z"), berlin.nextOpening(t("2024-12-10T09:00:00Z")));
        assertEquals(true, berlin.isOpen(t("2024-12-10T09:00:00Z")));
        // Lunch break: opens again at 13:00 CET; the end of an interval is closed.
        assertEquals(t("2024-12-10T12:00:00Z"), berlin.nextOpening(t("2024-12-10T11:00:00Z")));
        assertEquals(false, berlin.isOpen(t("2024-12-10T11:00:00Z")));
        // Friday evening to Monday 09:00 CET.
        assertEquals(t("2024-12-16T08:00:00Z"), berlin.nextOpening(t("2024-12-13T18:30:00Z")));
        // Christmas Eve evening: the 25th is a holiday, the 26th a Thursday.
        assertEquals(t("2024-12-26T08:00:00Z"), berlin.nextOpening(t("2024-12-24T17:00:00Z")));
        assertEquals(false, berlin.isBusinessDay(LocalDate.of(2024, 12, 25)));
        assertEquals(false, berlin.isBusinessDay(LocalDate.of(2024, 12, 14)));
        assertEquals(true, berlin.isBusinessDay(LocalDate.of(2024, 12, 26)));
        // 24x7 is always open.
        assertEquals(t("2024-12-14T03:00:00Z"), always("UTC").nextOpening(t("2024-12-14T03:00:00Z")));
    }
}
