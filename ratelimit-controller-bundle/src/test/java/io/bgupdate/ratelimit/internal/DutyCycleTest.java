package io.bgupdate.ratelimit.internal;

import static org.junit.Assert.assertEquals;

import org.junit.Test;

public class DutyCycleTest {

    private final DutyCycle duty = new DutyCycle();

    @Test
    public void theFirstBatchNeverWaits() {
        assertEquals(0, duty.millisUntilAllowed(0, 0.01));
    }

    @Test
    public void synapsesDefaultRestsOneSecondAfterAHundredMilliseconds() {
        duty.record(100, 5_000);
        assertEquals(1000, duty.millisUntilAllowed(5_000, Limits.DEFAULT_DUTY));
        assertEquals(400, duty.millisUntilAllowed(5_600, Limits.DEFAULT_DUTY));
        assertEquals(0, duty.millisUntilAllowed(6_000, Limits.DEFAULT_DUTY));
    }

    @Test
    public void theRestScalesWithTheBusyTime() {
        duty.record(300, 0);
        assertEquals(300, duty.millisUntilAllowed(0, 0.5));
        assertEquals(2700, duty.millisUntilAllowed(0, 0.1));
    }

    @Test
    public void aNewDutyCycleChangesARestAlreadyBegun() {
        duty.record(100, 0);
        assertEquals(900, duty.millisUntilAllowed(0, 0.1));
        assertEquals(0, duty.millisUntilAllowed(0, 1));
        assertEquals(100, duty.millisUntilAllowed(0, 0.5));
    }
}
