package io.bgupdate.ratelimit.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;

import org.junit.Test;

public class TimeWindowsTest {

    private static final ZoneId UTC = ZoneOffset.UTC;
    private static final TimeWindows NIGHTS_AND_WEEKENDS = TimeWindows.parse("Mon-Fri 22:00-06:00, Sat-Sun 00:00-24:00");

    /** 2026-11-23 is a Monday. */
    private static Instant at(String localDateTime, ZoneId zone) {
        return LocalDateTime.parse(localDateTime).atZone(zone).toInstant();
    }

    private static Instant utc(String localDateTime) {
        return at(localDateTime, UTC);
    }

    @Test
    public void emptyOrAlwaysMeansNoRestriction() {
        assertTrue(TimeWindows.parse("").always());
        assertTrue(TimeWindows.parse(" always ").always());
        assertTrue(TimeWindows.parse(null).always());
        TimeWindows.State s = TimeWindows.ALWAYS.state(utc("2026-11-23T12:00"), UTC);
        assertTrue(s.open());
        assertNull(s.change());
    }

    @Test
    public void aWeekdayNightIsOpenUntilMorning() {
        TimeWindows.State s = NIGHTS_AND_WEEKENDS.state(utc("2026-11-24T23:00"), UTC);
        assertTrue(s.open());
        assertEquals(utc("2026-11-25T06:00"), s.change());
    }

    @Test
    public void aWeekdayAfternoonIsClosedUntilTheEvening() {
        TimeWindows.State s = NIGHTS_AND_WEEKENDS.state(utc("2026-11-25T12:00"), UTC);
        assertFalse(s.open());
        assertEquals(utc("2026-11-25T22:00"), s.change());
    }

    @Test
    public void fridayNightRunsIntoTheWeekendUntilMondayMidnight() {
        TimeWindows.State s = NIGHTS_AND_WEEKENDS.state(utc("2026-11-27T23:00"), UTC);
        assertTrue(s.open());
        assertEquals(utc("2026-11-30T00:00"), s.change());
    }

    @Test
    public void mondayEarlyMorningIsClosedBecauseSundayHasNoNightEntry() {
        TimeWindows.State s = NIGHTS_AND_WEEKENDS.state(utc("2026-11-30T03:00"), UTC);
        assertFalse(s.open());
        assertEquals(utc("2026-11-30T22:00"), s.change());
    }

    @Test
    public void theEndIsExclusiveAndTheStartInclusive() {
        assertFalse(NIGHTS_AND_WEEKENDS.state(utc("2026-11-25T06:00"), UTC).open());
        assertTrue(NIGHTS_AND_WEEKENDS.state(utc("2026-11-25T22:00"), UTC).open());
    }

    @Test
    public void windowsAreReadInTheirZone() {
        ZoneId tokyo = ZoneId.of("Asia/Tokyo");
        Instant afternoonUtc = utc("2026-11-25T13:00");
        assertFalse(NIGHTS_AND_WEEKENDS.state(afternoonUtc, UTC).open());
        TimeWindows.State s = NIGHTS_AND_WEEKENDS.state(afternoonUtc, tokyo);
        assertTrue(s.open());
        assertEquals(at("2026-11-26T06:00", tokyo), s.change());
    }

    @Test
    public void aWindowInADaylightSavingGapMovesForward() {
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        TimeWindows w = TimeWindows.parse("Sun 02:30-04:00");
        TimeWindows.State s = w.state(Instant.parse("2026-03-29T01:15:00Z"), berlin);
        assertFalse(s.open());
        assertEquals(Instant.parse("2026-03-29T01:30:00Z"), s.change());
    }

    @Test
    public void withoutDaysAnEntryAppliesEveryDayAndWrappingRangesWork() {
        TimeWindows daily = TimeWindows.parse("01:00-02:00");
        assertTrue(daily.state(utc("2026-11-28T01:30"), UTC).open());
        TimeWindows longWeekend = TimeWindows.parse("fri-MONDAY 00:00-24:00");
        assertTrue(longWeekend.state(utc("2026-11-30T12:00"), UTC).open());
        assertFalse(longWeekend.state(utc("2026-11-24T12:00"), UTC).open());
        assertEquals(utc("2026-12-01T00:00"), longWeekend.state(utc("2026-11-30T12:00"), UTC).change());
    }

    @Test
    public void aWindowCoveringTheWholeWeekNeverCloses() {
        TimeWindows.State s = TimeWindows.parse("00:00-24:00").state(utc("2026-11-25T12:00"), UTC);
        assertTrue(s.open());
        assertNull(s.change());
    }

    @Test
    public void malformedWindowsAreRejectedWithTheEntry() {
        rejects("Mon-Fri 22:00", "malformed window 'Mon-Fri 22:00'");
        rejects("Mon-Fri 22:00-06:00,", "malformed window ''");
        rejects("Mo 22:00-06:00", "unknown day 'Mo'");
        rejects("Mon 25:00-06:00", "no such time 25:00");
        rejects("Mon 22:60-06:00", "no such time 22:60");
        rejects("Mon 24:00-06:00", "no such time 24:00");
        rejects("Mon 22:00-24:30", "no such time 24:30");
        rejects("Mon 06:00-06:00", "start and end are equal");
    }

    private static void rejects(String text, String message) {
        try {
            TimeWindows.parse(text);
            fail("accepted " + text);
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage(), e.getMessage().contains(message));
            assertTrue(e.getMessage(), e.getMessage().startsWith("windows: "));
            assertFalse(e.getMessage().contains("\n"));
        }
    }
}
