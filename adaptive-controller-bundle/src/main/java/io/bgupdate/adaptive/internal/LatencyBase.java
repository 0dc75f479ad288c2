package io.bgupdate.adaptive.internal;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The learned base latency: a windowed minimum, as LEDBAT keeps its base delay (RFC 6817 §3.4.2):
 * the minimum of each bucket of {@code bucketMillis}, over the last {@code buckets} buckets, so an
 * old minimum ages out and the base is re-learned when the database gets slower for good. Only
 * samples taken while no batch ran are offered. Not thread-safe: its owner guards it.
 */
final class LatencyBase {

    private final long bucketMillis;
    private final int buckets;
    /** Per bucket: {index, Double.doubleToLongBits(minimum)}, oldest first. */
    private final Deque<long[]> minima = new ArrayDeque<>();

    /**
     * @param bucketMillis the span of one bucket (&gt; 0)
     * @param buckets how many buckets the window keeps (&gt; 0)
     */
    LatencyBase(long bucketMillis, int buckets) {
        this.bucketMillis = bucketMillis;
        this.buckets = buckets;
    }

    /**
     * @param nowMillis when the sample was taken
     * @param latencyMillis the sample, taken while no batch ran
     */
    void offer(long nowMillis, double latencyMillis) {
        long index = Math.floorDiv(nowMillis, bucketMillis);
        long[] last = minima.peekLast();
        if (last != null && last[0] == index) {
            last[1] = Double.doubleToLongBits(Math.min(Double.longBitsToDouble(last[1]), latencyMillis));
        } else {
            minima.addLast(new long[] {index, Double.doubleToLongBits(latencyMillis)});
        }
        expire(index);
    }

    /**
     * @param nowMillis the current time
     * @return the base latency in ms, NaN if no sample is in the window
     */
    double base(long nowMillis) {
        expire(Math.floorDiv(nowMillis, bucketMillis));
        double min = Double.NaN;
        for (long[] b : minima) {
            double v = Double.longBitsToDouble(b[1]);
            min = Double.isNaN(min) ? v : Math.min(min, v);
        }
        return min;
    }

    private void expire(long index) {
        while (!minima.isEmpty() && minima.peekFirst()[0] <= index - buckets) {
            minima.removeFirst();
        }
    }
}
