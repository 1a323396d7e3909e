package dev.replyclock.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class DurationsTest {

    @Test
    void oneIntegerAndOneUnit() {
        assertEquals(Duration.ZERO, Durations.parse("0s"));
        assertEquals(Duration.ofSeconds(90), Durations.parse("90s"));
        assertEquals(Duration.ofMinutes(30), Durations.parse("30m"));
        assertEquals(Duration.ofHours(4), Durations.parse("4h"));
        assertEquals(Duration.ofDays(14), Durations.parse("14d"));
        assertEquals(Duration.ofHours(36), Durations.parse("36h"));
    }

    @Test
    void everythingElseIsRefused() {
        for (String bad : List.of("", "4", "h", "4 h", " 4h", "4h ", "1h30m", "-1h", "+1h", "1.5h", "4H", "4w",
                "4ms")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse(bad), bad);
            assertEquals("invalid duration '" + bad + "' (use <number><s|m|h|d>)", e.getMessage());
        }
        for (String tooLarge : List.of("99999999999999999999d", "9999999999999999d")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse(tooLarge), tooLarge);
            assertEquals("duration '" + tooLarge + "' is too large", e.getMessage());
        }
    }

    @Test
    void formatIsTheInverseOfParse() {
        for (String text : List.of("0d", "90s", "30m", "90m", "4h", "36h", "14d", "61s")) {
            assertEquals(text.equals("0d") ? "0d" : text, Durations.format(Durations.parse(text)));
        }
    }
}
