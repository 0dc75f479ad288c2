package io.bgupdate.ratelimit.internal;

/**
 * A token bucket of items, refilled at the rate in force and charged with the items each batch
 * actually processed. The balance may go below zero (a batch larger than the tokens, at most the
 * overdraft the caller allows): that debt is repaid before the next batch may start.
 *
 * <p>Not thread-safe: {@link DatabaseLimiter} guards it. Times are milliseconds of the injected
 * clock, passed in, so that tests never sleep.
 */
final class TokenBucket {

    private double tokens;
    private long last;
    /** Whether the last refill had no rate limit; the next limited refill then starts full. */
    private boolean unlimited = true;

    /**
     * Adds the tokens earned since the last call, at {@code rate}, up to {@code capacity}.
     * Rate and capacity are passed on every call, so a new configuration applies at once.
     *
     * @param now the current time in milliseconds
     * @param rate items per second; 0 for no limit (the bucket is then full when a limit returns)
     * @param capacity the most tokens the bucket holds
     */
    void refill(long now, double rate, long capacity) {
        if (rate <= 0) {
            unlimited = true;
            tokens = 0;
        } else if (unlimited) {
            unlimited = false;
            tokens = capacity;
        } else {
            tokens = Math.min(capacity, tokens + Math.max(0, now - last) * rate / 1000.0);
        }
        last = now;
    }

    /**
     * Refills to {@code now} and charges a batch that is over, in that order but capping only after
     * the charge: the tokens earned while the batch ran count, as if its items had been taken when
     * it started. (Capping first lost them whenever a batch started with a full bucket, about 10%
     * of the rate when a batch needs the whole bucket.)
     *
     * @param items the items the batch processed, taken from the balance (which may go negative)
     * @param overdraft the most the balance may go below zero; items beyond it are not charged
     */
    void refillAndCharge(long now, double rate, long capacity, long items, double overdraft) {
        if (rate <= 0 || unlimited) {
            refill(now, rate, capacity);
            return;
        }
        tokens = Math.max(-overdraft, Math.min(capacity, tokens + Math.max(0, now - last) * rate / 1000.0 - items));
        last = now;
    }

    /**
     * @param need the tokens the next batch needs
     * @param rate items per second
     * @return milliseconds until the balance reaches {@code need} (0 if it has), as of the last refill
     */
    long millisUntil(long need, double rate) {
        if (unlimited || tokens >= need) {
            return 0;
        }
        return Math.max(1, (long) Math.ceil((need - tokens) * 1000.0 / rate));
    }

    /** @return the balance as of the last refill; 0 when there is no rate limit */
    double tokens() {
        return tokens;
    }

    /** @return whether the last refill had no rate limit */
    boolean unlimited() {
        return unlimited;
    }
}
