package io.bgupdate.ratelimit.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

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
    public void aFullBucketLetsTheFirstBatchInWithTheMaximumDuration() {
        DatabaseLimiter.Decision d = enter(limits("rate", "1000"));
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
        // 500 - 1200 = -700; at 10 items/ms a full batch needs min(500, 100 * 10) = 500 tokens: 1200 at 10/s
        DatabaseLimiter.Decision d = enter(l);
        assertEquals(120_000, d.waitMillis());
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
        Limits l = limits("windows", "Mon-Fri 22:00-06:00");
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
    public void aNewUpdateStartsWithoutASpeedEstimate() {
        Limits l = limits("rate", "1000", "burst", "1000", "batch.default", "300");
        assertTrue(enter(l).go());
        exit(l, BatchResult.completed(300, 300, 1));
        clock.advance(10_000);
        // the speed of backfill (300 items/ms) says nothing about purge: its first batch is batch.default
        DatabaseLimiter.Decision d = limiter.enter("purge", false, l, clock.instant());
        assertTrue(d.go());
        assertEquals(100, d.desiredMillis());
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
}
