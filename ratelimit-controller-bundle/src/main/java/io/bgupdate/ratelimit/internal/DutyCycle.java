package io.bgupdate.ratelimit.internal;

/**
 * Keeps the share of wall time spent inside batches at or below a duty cycle {@code d}: after a
 * batch that was busy {@code b} ms, the next one may start {@code b * (1 - d) / d} ms after it ended.
 * With Synapse's defaults, 100 ms of work per 1100 ms ({@code d = 1/11}), that rest is 1000 ms.
 *
 * <p>The rest is computed when the next batch asks, with the duty cycle in force then, so a new
 * configuration also shortens or lengthens a rest already begun. Not thread-safe:
 * {@link DatabaseLimiter} guards it.
 */
final class DutyCycle {

    private boolean recorded;
    private double lastBusy;
    private long lastEnd;

    /**
     * @param busyMillis how long the batch was busy, in fractional milliseconds (a batch under 1 ms rests too)
     * @param endMillis when it ended
     */
    void record(double busyMillis, long endMillis) {
        recorded = true;
        lastBusy = Math.max(0, busyMillis);
        lastEnd = endMillis;
    }

    /**
     * @param now the current time in milliseconds
     * @param duty the duty cycle in force, in (0, 1]
     * @return milliseconds until the next batch may start; 0 if it may now
     */
    long millisUntilAllowed(long now, double duty) {
        if (!recorded || duty >= 1) {
            return 0;
        }
        long allowed = lastEnd + Math.round(lastBusy * (1 - duty) / duty);
        return Math.max(0, allowed - now);
    }
}
