package io.bgupdate.runner.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.function.Supplier;

import org.junit.Test;

/**
 * The tracking sizing against the goals of issue 13, on deterministic simulations
 * ({@link SizingSimulation}); Synapse's EMA on the same simulations, for comparison.
 */
public class TrackingSizingTest {

    private static final int SEEDS = 20;
    private static final int NONE = Integer.MAX_VALUE;

    private static int size(BatchSizing s, long desired, int min, int def) {
        return s.nextBatchSize(desired, () -> min, () -> def, NONE);
    }

    @Test
    public void firstBatchIsTheDefaultWithoutAskingTheMinimum() {
        TrackingSizing s = new TrackingSizing();
        assertFalse(s.averageItemsPerMs().isPresent());
        assertEquals(100, s.nextBatchSize(100, () -> {
            fail("the minimum is not needed before the first measurement");
            return 0;
        }, () -> 100, NONE));
    }

    @Test
    public void synapsesExamplesHoldForBothSizings() {
        for (Supplier<BatchSizing> kind : new Supplier[] {UpdatePerformance::new, TrackingSizing::new}) {
            BatchSizing s = kind.get();
            s.record(100, 1000); // 100 items in 1000 ms at a 100 ms target: 10
            assertEquals(10, size(s, 100, 1, 100));
            BatchSizing slow = kind.get();
            slow.record(100, 5000); // a 5 s batch: 2 items would do, the minimum of 5 wins
            assertEquals(5, size(slow, 100, 5, 100));
            slow.record(5, 250);
            assertEquals(5, size(slow, 100, 5, 100));
        }
    }

    @Test
    public void theMaximumBoundsEveryBatchAndWinsOverTheMinimum() {
        TrackingSizing s = new TrackingSizing();
        assertEquals(50, s.nextBatchSize(100, () -> 1, () -> 100, 50));
        s.record(50, 1);
        assertEquals(80, s.nextBatchSize(100, () -> 1, () -> 100, 80));
        assertEquals(3, s.nextBatchSize(100, () -> 5, () -> 100, 3));
        UpdatePerformance p = new UpdatePerformance();
        assertEquals(50, p.nextBatchSize(100, () -> 1, () -> 100, 50));
        p.record(50, 1);
        assertEquals(80, p.nextBatchSize(100, () -> 1, () -> 100, 80));
    }

    @Test
    public void aBatchGrowsAtMostTwofold() {
        TrackingSizing s = new TrackingSizing();
        s.record(100, 0.5); // 0.005 ms per item: 20,000 items would take 100 ms
        assertEquals(200, size(s, 100, 1, 100));
        s.record(200, 1);
        assertEquals(400, size(s, 100, 1, 100));
    }

    @Test
    public void batchesOfNothingAndBatchesOfNoTimeAreHarmless() {
        TrackingSizing s = new TrackingSizing();
        s.record(0, 50);
        assertFalse(s.averageItemsPerMs().isPresent());
        assertEquals(42, size(s, 100, 1, 42));
        s.record(10, 0);
        assertEquals(20, size(s, 100, 1, 42));
        assertTrue(s.averageItemsPerMs().getAsDouble() > 0);
    }

    @Test
    public void aLargeSlowdownIsFollowedInOneBatch() {
        TrackingSizing s = new TrackingSizing();
        s.record(100, 100); // 1 ms per item
        s.record(100, 300); // ×3: believed at once
        assertEquals(33, size(s, 100, 1, 100));
        s.record(33, 99);
        assertEquals(33, size(s, 100, 1, 100));
    }

    @Test
    public void aLargeStallIsForgottenWhenTheSpeedIsBack() {
        TrackingSizing s = new TrackingSizing();
        s.record(100, 100);
        s.record(100, 250); // believed at once
        assertEquals(40, size(s, 100, 1, 100));
        s.record(40, 40); // back to 1 ms per item: it was a stall
        assertEquals(80, size(s, 100, 1, 100)); // 100 at that speed, at most twice the last
        s.record(80, 80);
        assertEquals(100, size(s, 100, 1, 100));
    }

    @Test
    public void aSmallSlowdownIsBelievedTheSecondTime() {
        TrackingSizing s = new TrackingSizing();
        s.record(100, 100);
        s.record(100, 150); // a stall, or a change: not believed yet
        assertEquals(100, size(s, 100, 1, 100));
        s.record(100, 150); // a change
        assertEquals(66, size(s, 100, 1, 100));
    }

    @Test
    public void oneFastBatchIsNotBelievedTwoAre() {
        TrackingSizing s = new TrackingSizing();
        s.record(100, 100);
        s.record(100, 40);
        assertEquals(100, size(s, 100, 1, 100));
        s.record(100, 40);
        assertEquals(200, size(s, 100, 1, 100)); // 250 at the new speed, at most twice the last
    }

    @Test
    public void kindsAndBoundsAreValidatedWithTheKeyNamed() {
        assertEquals(BatchSizing.Kind.TRACKING, BatchSizing.Kind.of(" Tracking "));
        assertEquals(BatchSizing.Kind.SYNAPSE, BatchSizing.Kind.of("synapse"));
        assertEquals("batch_sizing must be synapse or tracking, not fast",
                assertThrows(IllegalArgumentException.class, () -> BatchSizing.Kind.of("fast")).getMessage());
        assertEquals("max_batch_size must be 0 (no bound) or more, not -1",
                assertThrows(IllegalArgumentException.class, () -> new BatchSizing.Choice(BatchSizing.Kind.SYNAPSE, -1)).getMessage());
        BatchSizing.Choice c = new BatchSizing.Choice(BatchSizing.Kind.TRACKING, 1000);
        assertTrue(c.create() instanceof TrackingSizing);
        assertTrue(BatchSizing.Choice.DEFAULT.create() instanceof UpdatePerformance);
        assertEquals(1000, c.maxFor(0));
        assertEquals(500, c.maxFor(500));
        assertEquals(1000, c.maxFor(5000));
        assertEquals(NONE, BatchSizing.Choice.DEFAULT.maxFor(0));
        assertEquals(7, BatchSizing.Choice.DEFAULT.maxFor(7));
    }

    // ---- the goals, on simulated handlers ---------------------------------------------------

    @Test
    public void steadyStateWithinTwoPercentAtP50AndFiveAtP90() {
        for (long seed = 1; seed <= SEEDS; seed++) {
            SizingSimulation.Run r = SizingSimulation.realistic(seed).run(new TrackingSizing());
            assertTrue("seed " + seed + ": " + r, r.steady(50) <= 0.02);
            assertTrue("seed " + seed + ": " + r, r.steady(90) <= 0.05);
        }
    }

    /** Gaussian noise only: a stall right after the change would be counted against the sizing (see the next test). */
    @Test
    public void aThreefoldChangeOfCostIsFollowedWithinThreeBatches() {
        for (double factor : new double[] {3, 1 / 3.0}) {
            for (long seed = 1; seed <= SEEDS; seed++) {
                SizingSimulation.Run r = SizingSimulation.realistic(seed).withChange(factor).withoutStalls().run(new TrackingSizing());
                assertTrue("×" + factor + " seed " + seed + ": " + r, r.recovery() >= 0 && r.recovery() <= 3);
            }
        }
    }

    /** With stalls, most runs still recover within 3 batches; none takes more than 6. */
    @Test
    public void stallsAfterTheChangeDelayTheRecoveryLittle() {
        int within3 = 0;
        for (long seed = 1; seed <= SEEDS; seed++) {
            SizingSimulation.Run r = SizingSimulation.realistic(seed).run(new TrackingSizing());
            assertTrue("seed " + seed + ": " + r, r.recovery() >= 0 && r.recovery() <= 6);
            within3 += r.recovery() <= 3 ? 1 : 0;
        }
        assertTrue(within3 + " of " + SEEDS, within3 >= SEEDS * 9 / 10);
    }

    @Test
    public void neverMoreThanTwofoldGrowthFromOneBatchToTheNext() {
        for (double factor : new double[] {3, 1 / 3.0}) {
            for (long seed = 1; seed <= SEEDS; seed++) {
                SizingSimulation.Run r = SizingSimulation.realistic(seed).withChange(factor).run(new TrackingSizing());
                assertTrue("seed " + seed + ": " + r, r.maxGrowth() <= 2);
            }
        }
    }

    @Test
    public void noOscillation() {
        for (double factor : new double[] {3, 1 / 3.0}) {
            // without noise: after the change the error only shrinks and never swings past the target
            SizingSimulation.Run r = SizingSimulation.realistic(1).withChange(factor).withoutNoise().run(new TrackingSizing());
            int from = r.sim().changeAt();
            for (int i = from + 1; i < r.sizes().length; i++) {
                assertTrue("batch " + i + ": " + r, r.error(i) <= r.error(i - 1) + 0.002); // sizes are whole items
                assertTrue("batch " + i + " swings past the target: " + r, Math.signum(r.signed(i)) == Math.signum(r.signed(from))
                        || r.error(i) <= 0.01);
            }
        }
        for (long seed = 1; seed <= SEEDS; seed++) {
            // with noise: consecutive errors are not anti-correlated (a sizing that overcorrects makes them so)
            SizingSimulation.Run r = SizingSimulation.realistic(seed).run(new TrackingSizing());
            assertTrue("seed " + seed + ": " + r, r.lag1() > -0.3);
        }
    }

    /** Synapse's EMA (weight 0.1) on the same simulations: it meets the steady-state goal but takes ~20 batches after a change. */
    @Test
    public void synapsesFiguresOnTheSameSimulations() {
        SizingSimulation.Run exact = SizingSimulation.realistic(1).withoutNoise().run(new UpdatePerformance());
        SizingSimulation.Run tracking = SizingSimulation.realistic(1).withoutNoise().run(new TrackingSizing());
        assertEquals(1, tracking.recovery());
        assertTrue(exact.toString(), exact.recovery() >= 20);
        assertEquals(3.0, exact.worstAfterChange(), 0.05); // the batch of the change itself, for both
        assertEquals(3.0, tracking.worstAfterChange(), 0.05);
        for (long seed = 1; seed <= SEEDS; seed++) {
            SizingSimulation.Run r = SizingSimulation.realistic(seed).run(new UpdatePerformance());
            assertTrue("seed " + seed + ": " + r, r.recovery() >= 15);
            assertTrue("seed " + seed + ": " + r, r.maxGrowth() > 2); // from the default 100 straight to ~10,000
        }
    }
}
