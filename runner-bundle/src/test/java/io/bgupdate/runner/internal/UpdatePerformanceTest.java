package io.bgupdate.runner.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.fail;

import java.util.OptionalDouble;

import org.junit.Test;

public class UpdatePerformanceTest {

    private static int size(UpdatePerformance p, long desired, int min, int def) {
        return p.nextBatchSize(desired, () -> min, () -> def);
    }

    @Test
    public void firstBatchUsesTheDefaultSizeWithoutAskingTheMinimum() {
        UpdatePerformance p = new UpdatePerformance();
        assertFalse(p.averageItemsPerMs().isPresent());
        assertEquals(100, p.nextBatchSize(100, () -> {
            fail("the minimum is not needed before the first measurement");
            return 0;
        }, () -> 100));
    }

    @Test
    public void specExampleHundredItemsInOneSecondGivesTenForHundredMs() {
        UpdatePerformance p = new UpdatePerformance();
        p.record(100, 1000);
        assertEquals(0.1, p.averageItemsPerMs().getAsDouble(), 1e-12);
        assertEquals(10, size(p, 100, 1, 100));
    }

    @Test
    public void movingAveragesFollowSynapse() {
        UpdatePerformance p = new UpdatePerformance();
        p.record(100, 1000); // avg items 10, avg ms 100
        p.record(200, 1000); // avg items 10 + 0.1*(200-10) = 29, avg ms 100 + 0.1*900 = 190
        assertEquals(29.0 / 190.0, p.averageItemsPerMs().getAsDouble(), 1e-12);
        assertEquals((long) Math.floor(500 * 29.0 / 190.0), size(p, 500, 1, 100));
        assertEquals(300, p.totalItems());
        assertEquals(2000, p.totalMillis(), 0);
    }

    @Test
    public void minimumWinsOverTheFormulaAndZeroDurationGivesZeroSpeed() {
        UpdatePerformance p = new UpdatePerformance();
        p.record(5, 0);
        assertEquals(OptionalDouble.of(0), p.averageItemsPerMs());
        assertEquals(7, size(p, 100, 7, 100));
    }

    @Test
    public void batchesOfNothingLeaveTheSpeedUnknown() {
        UpdatePerformance p = new UpdatePerformance();
        p.record(0, 50);
        assertFalse(p.averageItemsPerMs().isPresent());
        assertEquals(42, size(p, 100, 1, 42));
    }

    @Test
    public void aBatchUnderAMillisecondStillMeasuresASpeed() {
        UpdatePerformance p = new UpdatePerformance();
        p.record(100, 0.25);
        assertEquals(400, p.averageItemsPerMs().getAsDouble(), 1e-9);
        assertEquals(40_000, size(p, 100, 1, 100));
    }

    @Test
    public void hugeTargetsDoNotOverflow() {
        UpdatePerformance p = new UpdatePerformance();
        p.record(1_000_000, 1);
        assertEquals(Integer.MAX_VALUE, size(p, Long.MAX_VALUE / 2, 1, 100));
    }
}
