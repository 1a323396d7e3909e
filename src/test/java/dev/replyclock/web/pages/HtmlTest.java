package dev.replyclock.web.pages;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Durations as managers read them: rounded to the unit shown, and wall time beside a much shorter business time. */
class HtmlTest {

    @Test
    void durationsAreRoundedNotCutOff() {
        assertEquals("59 s", Html.dur(59));
        assertEquals("1 m", Html.dur(89));
        assertEquals("2 m", Html.dur(90));
        assertEquals("1 h 0 m", Html.dur(3599));
        assertEquals("3 h 0 m", Html.dur(3 * 3600 - 20));
        assertEquals("47 h 59 m", Html.dur(47 * 3600 + 59 * 60 + 20));
        assertEquals("2 d 0 h", Html.dur(48 * 3600 - 10));
        assertEquals("3 d 5 h", Html.dur(3 * 86400 + 4 * 3600 + 1800));
        assertEquals("−5 m", Html.dur(-300));
    }

    @Test
    void businessTimeMuchShorterThanWallTimeSaysWhy() {
        assertEquals("0 s business (38 m wall, outside hours)", Html.durations(0, 38 * 60));
        assertEquals("1 h 0 m business · 1 h 5 m wall", Html.durations(3600, 3900));
        assertEquals("30 s business · 45 s wall", Html.durations(30, 45));
    }
}
