package io.bgupdate.ratelimit.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

public class TokenBucketTest {

    private final TokenBucket bucket = new TokenBucket();

    @Test
    public void startsFullAndRefillsAtTheRateUpToTheCapacity() {
        bucket.refill(0, 100, 500);
        assertEquals(500, bucket.tokens(), 0);
        bucket.refillAndCharge(0, 100, 500, 400, Double.MAX_VALUE);
        bucket.refill(1000, 100, 500);
        assertEquals(200, bucket.tokens(), 1e-9);
        bucket.refill(10_000, 100, 500);
        assertEquals(500, bucket.tokens(), 0);
    }

    @Test
    public void debtIsRepaidBeforeTheNextBatch() {
        bucket.refill(0, 100, 500);
        bucket.refillAndCharge(0, 100, 500, 700, Double.MAX_VALUE);
        assertEquals(-200, bucket.tokens(), 0);
        assertEquals(3000, bucket.millisUntil(100, 100));
        bucket.refill(3000, 100, 500);
        assertEquals(0, bucket.millisUntil(100, 100));
    }

    @Test
    public void waitIsRoundedUpToAWholeMillisecond() {
        bucket.refill(0, 3, 10);
        bucket.refillAndCharge(0, 3, 10, 10, Double.MAX_VALUE);
        long wait = bucket.millisUntil(1, 3);
        assertEquals(334, wait);
        bucket.refill(wait, 3, 10);
        assertEquals(0, bucket.millisUntil(1, 3));
    }

    @Test
    public void aNewRateAndCapacityApplyAtTheNextRefill() {
        bucket.refill(0, 100, 500);
        bucket.refillAndCharge(0, 100, 500, 500, Double.MAX_VALUE);
        bucket.refill(1000, 1000, 200);
        assertEquals(200, bucket.tokens(), 0);
    }

    @Test
    public void noRateMeansNoWaitAndAFullBucketWhenALimitReturns() {
        bucket.refill(0, 0, 0);
        bucket.refillAndCharge(0, 0, 0, 1_000_000, Double.MAX_VALUE);
        assertTrue(bucket.unlimited());
        assertEquals(0, bucket.millisUntil(1_000_000, 0));
        bucket.refill(10, 50, 80);
        assertEquals(80, bucket.tokens(), 0);
    }

    @Test
    public void aClockGoingBackwardsEarnsNothing() {
        bucket.refill(10_000, 100, 500);
        bucket.refillAndCharge(10_000, 100, 500, 500, Double.MAX_VALUE);
        bucket.refill(5_000, 100, 500);
        assertEquals(0, bucket.tokens(), 0);
    }

    @Test
    public void tokensEarnedDuringABatchThatStartedFullCount() {
        bucket.refill(0, 1000, 1000);              // full: a batch of 1,000 items may start
        bucket.refillAndCharge(100, 1000, 1000, 1000, Double.MAX_VALUE); // it took 100 ms, earning 100 tokens meanwhile
        assertEquals(100, bucket.tokens(), 1e-9);
        assertEquals("one second per 1,000 items in all, not 1.1 s", 900, bucket.millisUntil(1000, 1000));
    }

    @Test
    public void theDebtStopsAtTheOverdraftAllowed() {
        bucket.refill(0, 100, 500);
        bucket.refillAndCharge(1000, 100, 500, 1_000_000, 500);
        assertEquals(-500, bucket.tokens(), 0);
        assertEquals("the debt and one bucket at 100 items/s, not 10,000 s", 10_000, bucket.millisUntil(500, 100));
    }
}
