package io.bgupdate.ratelimit.internal;

import java.util.ArrayDeque;

/**
 * The items per second achieved over a sliding window (a minute in the controller). Before the
 * meter is a window old it divides by its age instead, at least one second. Not thread-safe:
 * {@link DatabaseLimiter} guards it.
 */
final class RateMeter {

    private final long windowMillis;
    private final long startMillis;
    /** Pairs of {@code {time, items}}, oldest first. */
    private final ArrayDeque<long[]> samples = new ArrayDeque<>();
    private long sum;

    /**
     * @param windowMillis the length of the window
     * @param startMillis when measuring began
     */
    RateMeter(long windowMillis, long startMillis) {
        this.windowMillis = windowMillis;
        this.startMillis = startMillis;
    }

    /**
     * @param now when the items were processed, in milliseconds
     * @param items how many
     */
    void record(long now, long items) {
        samples.addLast(new long[] {now, items});
        sum += items;
        prune(now);
    }

    /**
     * @param now the current time in milliseconds
     * @return items per second over the window ending now
     */
    double perSecond(long now) {
        prune(now);
        long span = Math.min(windowMillis, Math.max(1000, now - startMillis));
        return sum * 1000.0 / span;
    }

    private void prune(long now) {
        while (!samples.isEmpty() && samples.peekFirst()[0] <= now - windowMillis) {
            sum -= samples.removeFirst()[1];
        }
    }
}
