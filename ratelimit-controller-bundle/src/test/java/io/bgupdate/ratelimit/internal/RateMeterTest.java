package io.bgupdate.ratelimit.internal;

import static org.junit.Assert.assertEquals;

import org.junit.Test;

public class RateMeterTest {

    @Test
    public void averagesOverTheLastMinute() {
        RateMeter meter = new RateMeter(60_000, 0);
        meter.record(10_000, 600);
        assertEquals(60, meter.perSecond(10_000), 1e-9);
        meter.record(70_000, 1200);
        assertEquals(20, meter.perSecond(70_000), 1e-9);
        assertEquals(0, meter.perSecond(200_000), 0);
    }

    @Test
    public void aYoungMeterDividesByItsAgeButAtLeastOneSecond() {
        RateMeter meter = new RateMeter(60_000, 0);
        meter.record(100, 50);
        assertEquals(50, meter.perSecond(100), 1e-9);
        assertEquals(10, meter.perSecond(5_000), 1e-9);
    }
}
