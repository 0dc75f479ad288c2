package io.bgupdate.runner.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * What the other threads tell a runner thread, and its waits: stop, wake up (handlers or queue
 * changed), abandon the batch being prepared (controllers or pause changed), end a back-off
 * (an operator paused or resumed). Every wait has a deadline.
 */
final class Signals {

    private final Object lock = new Object();
    private boolean stopping;
    private boolean wake;
    /** Counts changes of the controllers and the pause: a batch prepared before one is abandoned. */
    private long changes;
    /** Counts pauses and resumes: a failure's back-off ends early for these only. */
    private long operatorActions;

    void stop() {
        signal(true, () -> stopping = true);
    }

    void wake() {
        signal(false, () -> { });
    }

    /** Controllers or the pause changed: a batch not yet begun is abandoned. */
    void abandon() {
        signal(true, () -> { });
    }

    void operatorAction() {
        signal(true, () -> operatorActions++);
    }

    private void signal(boolean abandonBatch, Runnable change) {
        synchronized (lock) {
            change.run();
            wake = true;
            if (abandonBatch) {
                changes++;
            }
            lock.notifyAll();
        }
    }

    /** @return a mark that {@link #isAbandoned(long)} compares with */
    long changes() {
        synchronized (lock) {
            return changes;
        }
    }

    boolean isStopping() {
        synchronized (lock) {
            return stopping;
        }
    }

    boolean isAbandoned(long seen) {
        synchronized (lock) {
            return changes != seen || stopping;
        }
    }

    /** Waits out a failure's back-off; only a pause, a resume or a stop ends it early. */
    void backOff(long millis) {
        synchronized (lock) {
            long actions = operatorActions;
            waitUntil(millis, () -> stopping || operatorActions != actions);
        }
    }

    /** Waits up to {@code millis}; returns early when something changes or the runner stops. */
    void sleep(long millis) {
        synchronized (lock) {
            waitUntil(millis, () -> stopping || wake);
            wake = false;
        }
    }

    /**
     * Waits until the future completes, polling {@code abandon} every {@code pollMillis}.
     *
     * @return whether it completed; {@code false} when the runner stops, the controllers or
     *         the pause changed since {@code seen}, or {@code abandon} says so
     */
    boolean await(CompletableFuture<?> future, long seen, long pollMillis, BooleanSupplier abandon) {
        future.whenComplete((v, e) -> {
            synchronized (lock) {
                lock.notifyAll();
            }
        });
        while (true) {
            synchronized (lock) {
                waitUntil(pollMillis, () -> stopping || changes != seen || future.isDone());
                if (stopping || changes != seen) {
                    return false;
                }
                if (future.isDone()) {
                    return true;
                }
            }
            if (abandon.getAsBoolean()) {
                return false;
            }
        }
    }

    /** Holding the lock: waits until the condition holds or the time is up; an interrupt stops the runner. */
    private void waitUntil(long millis, BooleanSupplier done) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        try {
            for (long left; !done.getAsBoolean() && (left = deadline - System.nanoTime()) > 0; ) {
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping = true;
            changes++;
        }
    }
}
