package io.bgupdate.ratelimit.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.time.Instant;

import org.junit.Test;

import io.bgupdate.api.controller.BatchResult;

/** How batches are let in, with a clock that only moves when told. */
public class DatabaseLimiterTest {

    /** A Wednesday. */
    private final MutableClock clock = new MutableClock("2026-11-25T12:00:00Z");
    private final DatabaseLimiter limiter = new DatabaseLimiter("main", clock.millis());

    private static Limits limits(String... keysAndValues) {
        Limits l = Limits.DEFAULTS.with("duty", "1").with("zone", "UTC");
        for (int i = 0; i < keysAndValues.length; i += 2) {
            l = l.with(keysAndValues[i], keysAndValues[i + 1]);
        }
        return l;
    }

    private DatabaseLimiter.Decision enter(Limits l) {
        return limiter.enter("backfill", false, l, clock.instant());
    }

    private void exit(Limits l, BatchResult r) {
        limiter.exit("backfill", false, r, l, clock.instant());
    }

    @Test
    public void withoutARateLimitTheFirstBatchHasTheMaximumDuration() {
        DatabaseLimiter.Decision d = enter(limits("rate", "0"));
        assertTrue(d.go());
        assertEquals(100, d.desiredMillis());
    }

    @Test
    public void itemsAreChargedOnExitAndTheNextBatchWaitsForTheBudget() {
        Limits l = limits("rate", "100", "burst", "100", "batch.default", "100");
        assertTrue(enter(l).go());
        exit(l, BatchResult.completed(100, 100, 50));
        DatabaseLimiter.Decision d = enter(l);
        assertFalse(d.go());
        assertEquals("tokens", d.reason());
        // speed 2 items/ms: a 100 ms batch would be 200 items, capped to the capacity of 100
        assertEquals(1000, d.waitMillis());
        clock.advance(999);
        assertFalse(enter(l).go());
        clock.advance(1);
        d = enter(l);
        assertTrue(d.go());
        // 100 tokens at 2 items/ms: 50 ms, so the batch does not overdraw the bucket
        assertEquals(50, d.desiredMillis());
    }

    @Test
    public void theRunnersFirstBatchIsBudgetedAtTheDefaultBatchSize() {
        Limits l = limits("rate", "10", "burst", "500", "batch.default", "300");
        assertTrue(enter(l).go());
        exit(l, BatchResult.completed(300, 300, 30));
        exit(l, BatchResult.completed(300, 300, 30));
        exit(l, BatchResult.completed(300, 300, 30));
        exit(l, BatchResult.completed(300, 300, 30));
        // 500 - 1200 = -700, but the debt stops at one bucket (-500; 1 ms at 10 items/ms is less); a full
        // batch at 10 items/ms needs min(500, 100 * 10) = 500 tokens: 1000 at 10/s
        DatabaseLimiter.Decision d = enter(l);
        assertEquals(100_000, d.waitMillis());
    }

    @Test
    public void aFasterRateLetsAWaitingBatchInAtTheNextAttempt() {
        Limits slow = limits("rate", "1", "burst", "10");
        assertTrue(enter(slow).go());
        exit(slow, BatchResult.completed(10, 10, 10));
        assertEquals(10_000, enter(slow).waitMillis());
        clock.advance(1);
        assertTrue(enter(limits("rate", "0")).go());
    }

    @Test
    public void outsideAWindowEnteringWaitsUntilItOpens() {
        Limits l = limits("windows", "Mon-Fri 22:00-06:00");
        DatabaseLimiter.Decision d = enter(l);
        assertFalse(d.go());
        assertEquals("window", d.reason());
        assertEquals(10 * 3600_000L, d.waitMillis());
        clock.set(Instant.parse("2026-11-25T22:00:00Z"));
        assertTrue(enter(l).go());
    }

    @Test
    public void theDesiredDurationEndsWhenTheWindowCloses() {
        Limits l = limits("rate", "0", "windows", "Mon-Fri 22:00-06:00");
        clock.set(Instant.parse("2026-11-26T05:59:59.960Z"));
        DatabaseLimiter.Decision d = enter(l);
        assertTrue(d.go());
        assertEquals(40, d.desiredMillis());
    }

    @Test
    public void theDutyCycleRestsAfterEachBatchAndCountsFailures() {
        Limits l = limits("duty", "0.25");
        assertTrue(enter(l).go());
        exit(l, BatchResult.completed(10, 10, 100));
        DatabaseLimiter.Decision d = enter(l);
        assertEquals("duty cycle", d.reason());
        assertEquals(300, d.waitMillis());
        clock.advance(300);
        assertTrue(enter(l).go());
        exit(l, BatchResult.failed(10, 40, new RuntimeException("boom")));
        assertEquals(120, enter(l).waitMillis());
    }

    @Test
    public void anAbandonedBatchCostsNothing() {
        Limits l = limits("rate", "10", "burst", "10", "duty", "0.1");
        assertTrue(enter(l).go());
        exit(l, BatchResult.abandoned());
        assertTrue(enter(l).go());
    }

    @Test
    public void aOneShotUpdateNeedsNoTokensButRespectsWindowsAndDutyCycle() {
        Limits l = limits("rate", "1", "burst", "1", "duty", "0.5");
        assertTrue(enter(l).go());
        exit(l, BatchResult.completed(1, 1, 10));
        limiter.exit("backfill", false, BatchResult.completed(5, 5, 0), l, clock.instant());
        assertEquals("tokens", enter(l).reason());
        DatabaseLimiter.Decision d = limiter.enter("index", true, l, clock.instant());
        assertTrue(d.go());
        assertEquals(100, d.desiredMillis());
        limiter.exit("index", true, BatchResult.completed(1, 1, 60_000), l, clock.instant());
        assertEquals("duty cycle", limiter.enter("index", true, l, clock.instant()).reason());
        assertEquals(60_000, limiter.enter("index", true, l, clock.instant()).waitMillis());
        assertFalse(limiter.enter("index", true, l.with("windows", "Sat 00:00-24:00"), clock.instant()).go());
    }

    @Test
    public void eachUpdateHasASpeedEstimateOfItsOwn() {
        Limits l = limits("rate", "1000", "burst", "1000", "batch.default", "300");
        assertTrue(enter(l).go());
        exit(l, BatchResult.completed(300, 300, 1));
        clock.advance(10_000);
        // the speed of backfill (300 items/ms) says nothing about purge: no estimate, the shortest batch
        DatabaseLimiter.Decision d = limiter.enter("purge", false, l, clock.instant());
        assertTrue(d.go());
        assertEquals(1, d.desiredMillis());
        limiter.exit("purge", false, BatchResult.abandoned(), l, clock.instant());
        // back to backfill, as the runner keeps its estimate, so do we: 1000 tokens at 300 items/ms
        assertEquals(3, enter(l).desiredMillis());
    }

    @Test
    public void theViewShowsTokensStateAndAchievedRate() {
        Limits l = limits("rate", "100", "burst", "500", "windows", "Mon-Fri 22:00-06:00");
        enter(l);
        DatabaseLimiter.View v = limiter.view(l, clock.instant());
        assertEquals(DatabaseLimiter.Phase.WAITING, v.phase());
        assertEquals("window", v.reason());
        assertEquals(Instant.parse("2026-11-25T22:00:00Z"), v.until());
        assertEquals(500, v.tokens(), 0);
        assertFalse(v.window().open());
        clock.set(Instant.parse("2026-11-25T22:00:00Z"));
        assertTrue(enter(l).go());
        assertEquals(DatabaseLimiter.Phase.IN_BATCH, limiter.view(l, clock.instant()).phase());
        exit(l, BatchResult.completed(300, 300, 100));
        clock.advance(1000);
        v = limiter.view(l, clock.instant());
        assertEquals(DatabaseLimiter.Phase.IDLE, v.phase());
        assertEquals("backfill", v.update());
        assertEquals(300, v.tokens(), 1e-9);
        assertEquals(5, v.itemsPerSecond(), 1e-9);
    }

    /**
     * The runner's batch sizing to the letter ({@code UpdatePerformance}: moving averages of items and of
     * fractional milliseconds), so that the controller's budget is checked against what the runner does.
     */
    private static final class RunnerSizing {
        private long totalItems;
        private double avgItems;
        private double avgMillis;

        int size(long desiredMillis, Limits l) {
            if (totalItems == 0) {
                return l.firstBatch();
            }
            double speed = avgMillis == 0 ? 0 : avgItems / avgMillis;
            return (int) Math.max(Math.min(Math.floor(desiredMillis * speed), Integer.MAX_VALUE), l.batchMin());
        }

        void record(int items, Duration d) {
            totalItems += items;
            avgItems += 0.1 * (items - avgItems);
            avgMillis += 0.1 * (d.toNanos() / 1e6 - avgMillis);
        }
    }

    /**
     * Runs batches of a fresh database for {@code seconds} of fake time at {@code nanosPerItem}, sized as
     * the runner sizes them.
     *
     * @return {items processed, longest wait in ms, lowest balance}
     */
    private double[] simulate(Limits l, long nanosPerItem, int seconds) {
        DatabaseLimiter db = new DatabaseLimiter("main", clock.millis());
        RunnerSizing runner = new RunnerSizing();
        Instant end = clock.instant().plusSeconds(seconds);
        long items = 0;
        long longestWait = 0;
        double lowest = Double.MAX_VALUE;
        while (clock.instant().isBefore(end)) {
            DatabaseLimiter.Decision d = db.enter("backfill", false, l, clock.instant());
            if (!d.go()) {
                longestWait = Math.max(longestWait, d.waitMillis());
                clock.advance(d.waitMillis());
                continue;
            }
            int size = runner.size(d.desiredMillis(), l);
            Duration took = Duration.ofNanos(size * nanosPerItem);
            clock.advance(took);
            db.exit("backfill", false, BatchResult.completed(size, size, took), l, clock.instant());
            runner.record(size, took);
            items += size;
            lowest = Math.min(lowest, db.view(l, clock.instant()).tokens());
        }
        return new double[] {items, longestWait, lowest};
    }

    @Test
    public void subMillisecondBatchesKeepTheRateWithoutOverdrawingOrStalling() {
        // at 1 µs per item the first batch (batch.default, 100 items) takes 0.1 ms: 0 in whole milliseconds
        for (long nanosPerItem : new long[] {1_000, 500, 3_000, 50_000}) {
            Limits l = limits("rate", "1000");
            double[] r = simulate(l, nanosPerItem, 60);
            double oneMillisecond = 1_000_000.0 / nanosPerItem;
            double overdraft = Math.max(l.capacity(), Math.ceil(oneMillisecond));
            String at = nanosPerItem + " ns/item: " + (long) r[0] + " items in 60 s, longest wait " + (long) r[1]
                    + " ms, lowest balance " + r[2];
            assertTrue("overdrawn beyond one batch: " + at, r[2] >= -overdraft);
            assertTrue("stalled: " + at, r[1] <= Math.ceil((overdraft + l.capacity()) * 1000 / l.rate()));
            assertTrue("above the rate: " + at, r[0] <= 60 * l.rate() + l.capacity() + oneMillisecond);
            assertTrue("below the rate: " + at, r[0] >= 0.95 * 60 * l.rate());
        }
    }

    @Test
    public void aBatchFarLargerThanBudgetedLeavesADebtOfOneBucketAtMost() {
        // e.g. a one-shot update, or a runner that sized the batch from its own older estimate
        Limits l = limits("rate", "1000", "burst", "500");
        assertTrue(enter(l).go());
        exit(l, BatchResult.completed(1_000_000, 1_000_000, Duration.ofSeconds(1)));
        assertEquals(-500, limiter.view(l, clock.instant()).tokens(), 1e-9);
        DatabaseLimiter.Decision d = enter(l);
        assertEquals("tokens", d.reason());
        assertEquals("the debt and one batch at 1000 items/s", 1000, d.waitMillis());
        limiter.exit("index", true, BatchResult.completed(1_000_000, 1_000_000, Duration.ofMillis(10)), l, clock.instant());
        assertEquals(-500, limiter.view(l, clock.instant()).tokens(), 1e-9);
    }

    @Test
    public void theDutyCycleCountsSubMillisecondBatches() {
        Limits l = limits("rate", "0", "duty", "0.1");
        assertTrue(enter(l).go());
        exit(l, BatchResult.completed(100, 100, Duration.ofNanos(600_000)));
        // 0.6 ms busy at duty 0.1: a rest of 5.4 ms, rounded
        assertEquals(5, enter(l).waitMillis());
    }

    @Test
    public void withoutAnEstimateOfItsOwnTheControllerAsksForTheShortestBatch() {
        // the runner may have measured the update before this controller started: 100 ms of its items could
        // empty the bucket many times over, 1 ms cannot (and a runner without an estimate runs batch.default)
        Limits l = limits("rate", "1000");
        assertEquals(1, enter(l).desiredMillis());
        exit(l, BatchResult.completed(100, 100, Duration.ofNanos(100_000)));
        assertEquals(0.9, limiter.view(l, clock.instant()).tokens() / 1000, 1e-9);
    }
}
