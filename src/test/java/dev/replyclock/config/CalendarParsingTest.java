package dev.replyclock.config;

import static java.time.DayOfWeek.FRIDAY;
import static java.time.DayOfWeek.MONDAY;
import static java.time.DayOfWeek.SATURDAY;
import static java.time.DayOfWeek.SUNDAY;
import static java.time.DayOfWeek.THURSDAY;
import static java.time.DayOfWeek.TUESDAY;
import static java.time.DayOfWeek.WEDNESDAY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.replyclock.config.CalendarConfig.OpenInterval;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CalendarParsingTest {

    @TempDir
    Path dir;

    @Test
    void dayKeys() {
        assertEquals(EnumSet.of(MONDAY), CalendarConfig.parseDays("mon"));
        assertEquals(EnumSet.range(MONDAY, FRIDAY), CalendarConfig.parseDays("mon-fri"));
        assertEquals(EnumSet.of(FRIDAY, SATURDAY, SUNDAY, MONDAY), CalendarConfig.parseDays("fri-mon"));
        assertEquals(EnumSet.of(MONDAY, WEDNESDAY), CalendarConfig.parseDays("mon,wed"));
        assertEquals(EnumSet.of(MONDAY, WEDNESDAY, THURSDAY, FRIDAY, SUNDAY), CalendarConfig.parseDays("MON,Wed-fri,sun"));
        assertEquals(EnumSet.of(SUNDAY), CalendarConfig.parseDays("sun-sun"));
        for (String bad : List.of("", "monday", "mon-", "mon-tue-wed", "mon,,tue", "fry")) {
            assertThrows(IllegalArgumentException.class, () -> CalendarConfig.parseDays(bad), bad);
        }
    }

    @Test
    void intervals() {
        assertEquals(new OpenInterval(540, 1020), OpenInterval.parse("09:00-17:00"));
        assertEquals(new OpenInterval(0, 1440), OpenInterval.parse("00:00-24:00"));
        assertEquals(new OpenInterval(1379, 1440), OpenInterval.parse("22:59-24:00"));
        for (String bad : List.of("9:00-17:00", "09:00 -17:00", "09:00-17", "24:00-24:00", "10:00-24:01",
                "23:60-24:00", "22:00-06:00", "09:00-09:00", "09.00-17.00")) {
            assertThrows(IllegalArgumentException.class, () -> OpenInterval.parse(bad), bad);
        }
    }

    @Test
    void mergeSortsAndJoinsOverlappingAndTouchingIntervals() {
        List<OpenInterval> merged = CalendarConfig.merge(List.of(
                new OpenInterval(780, 1020), new OpenInterval(540, 720), new OpenInterval(600, 660),
                new OpenInterval(1000, 1100), new OpenInterval(1200, 1300), new OpenInterval(1300, 1440)));
        assertEquals(List.of(new OpenInterval(540, 720), new OpenInterval(780, 1100), new OpenInterval(1200, 1440)),
                merged);
    }

    @Test
    void dayNamedTwiceGetsTheUnionMerged() throws IOException {
        Path file = dir.resolve("config.yaml");
        Files.writeString(file, """
                calendars:
                  c:
                    zone: UTC
                    hours:
                      mon-wed: ["09:00-12:00"]
                      Tue: ["11:00-14:00", "16:00-24:00"]
                      sun,tue: ["15:00-16:00"]
                """);
        Map<DayOfWeek, List<OpenInterval>> hours = ConfigLoader.load(file, k -> null).calendars().get("c").hours();
        assertEquals(List.of(new OpenInterval(540, 720)), hours.get(MONDAY));
        assertEquals(List.of(new OpenInterval(540, 840), new OpenInterval(900, 1440)), hours.get(TUESDAY));
        assertEquals(List.of(new OpenInterval(900, 960)), hours.get(SUNDAY));
        assertEquals(EnumSet.of(MONDAY, TUESDAY, WEDNESDAY, SUNDAY), EnumSet.copyOf(hours.keySet()));
    }

    @Test
    void roundTheClock() throws IOException {
        Path file = dir.resolve("config.yaml");
        Files.writeString(file, "calendars: {c: {zone: Asia/Tokyo, hours: 24X7, holidays: [2025-01-01]}}\n");
        CalendarConfig c = ConfigLoader.load(file, k -> null).calendars().get("c");
        for (DayOfWeek d : DayOfWeek.values()) {
            assertEquals(List.of(new OpenInterval(0, 1440)), c.hours().get(d));
        }
        assertEquals(1, c.holidays().size());
    }
}
