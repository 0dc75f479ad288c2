package io.bgupdate.benchmarks;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Waits with a deadline, never without one. */
final class Wait {

    private Wait() {
    }

    /** Polls every millisecond until the condition holds; fails with {@code what} at the deadline. */
    static void until(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out after " + timeout.toMillis() + " ms waiting for " + what);
            }
            sleepNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    /**
     * Sleeps with sub-millisecond precision: {@code Thread.sleep(ms, ns)} rounds up to whole
     * milliseconds on Java 17, {@code parkNanos} does not (it overshoots by some 60 µs on Linux).
     */
    static void sleepNanos(long nanos) {
        long deadline = System.nanoTime() + nanos;
        for (long left = nanos; left > 0; left = deadline - System.nanoTime()) {
            LockSupport.parkNanos(left);
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted");
            }
        }
    }

    static void sleepMillis(long millis) {
        sleepNanos(TimeUnit.MILLISECONDS.toNanos(millis));
    }
}
