package io.bgupdate.itests;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits with a deadline, never without one. */
final class Await {

    static final Duration LONG = Duration.ofSeconds(60);

    private Await() {
    }

    static void until(String what, BooleanSupplier condition) {
        until(what, LONG, condition);
    }

    static void until(String what, Duration timeout, BooleanSupplier condition) {
        until(what, timeout, condition, () -> "");
    }

    /** Polls every 20 ms until the condition holds; fails with {@code what} and {@code detail} at the deadline. */
    static void until(String what, Duration timeout, BooleanSupplier condition, Supplier<String> detail) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what + " " + detail.get());
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
    }
}
