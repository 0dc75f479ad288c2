package io.bgupdate.testkit;

import java.time.Duration;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.bgupdate.api.controller.BackgroundUpdateController;
import io.bgupdate.api.controller.BatchResult;
import io.bgupdate.api.controller.Iteration;

/**
 * Drives a {@link BackgroundUpdateController} as the runner does, one batch at a time, and checks
 * what it answers against the runner's rules: {@code onUpdate} returns an iteration, entering
 * yields a duration of 0 or more, batch sizes are at least 1. Each iteration is exited exactly
 * once; an abandoned one gets {@link Iteration#abandon()} and then an {@code ABANDONED} exit.
 * A committed batch moves the {@link FakeClock} (the one the controller was made with) by its
 * duration, so time-based controllers are tested without sleeping.
 *
 * <pre>
 * FakeClock clock = new FakeClock("2026-11-25T12:00:00Z");
 * ControllerDriver driver = new ControllerDriver(new NightOnly(clock), "main", clock);
 * ControllerDriver.Entered e = driver.enter("events_backfill", false);
 * assertFalse(e.isDone());                 // daytime: it waits
 * e.abandon();                              // as when the operator pauses
 * </pre>
 */
public final class ControllerDriver {

    private final BackgroundUpdateController controller;
    private final String databaseName;
    private final FakeClock clock;

    /**
     * @param controller the controller under test
     * @param databaseName the database name it is called with
     * @param clock the clock the controller reads, moved by {@link #batch}
     */
    public ControllerDriver(BackgroundUpdateController controller, String databaseName, FakeClock clock) {
        this.controller = Objects.requireNonNull(controller, "controller");
        this.databaseName = Objects.requireNonNull(databaseName, "databaseName");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** @return the clock */
    public FakeClock clock() {
        return clock;
    }

    /**
     * Calls {@code onUpdate} and enters the iteration.
     *
     * @param update the update name
     * @param oneShot whether the update runs in one go
     * @return the entered iteration, to be exited or abandoned
     * @throws AssertionError if {@code onUpdate} returns {@code null} or {@code enter} returns a {@code null} stage
     */
    public Entered enter(String update, boolean oneShot) {
        Iteration iteration = controller.onUpdate(update, databaseName, oneShot);
        if (iteration == null) {
            throw new AssertionError("onUpdate(" + update + ", " + databaseName + ", " + oneShot + ") returned null");
        }
        CompletionStage<Long> stage = iteration.enter();
        if (stage == null) {
            throw new AssertionError("enter() of " + update + " returned null");
        }
        return new Entered(iteration, stage);
    }

    /**
     * One whole batch whose entering must not wait: enter, exit with a committed result of
     * {@code items} items of a batch of {@code items}, and move the clock by {@code duration}.
     *
     * @return the desired duration entering yielded, in milliseconds
     * @throws AssertionError if entering waits, fails or yields a value out of range
     */
    public long batch(String update, int items, Duration duration) {
        Entered e = enter(update, false);
        if (!e.isDone()) {
            e.abandon();
            throw new AssertionError("entering " + update + " waits; batch(...) needs an entering that completes at once");
        }
        long desired = e.desiredMillis();
        clock.advance(duration);
        e.exit(BatchResult.completed(items, items, duration));
        return desired;
    }

    /**
     * @return the first batch size the controller gives, or {@code otherwise} for "not provided"
     * @throws AssertionError if it gives {@code null}, a size below 1, or does not answer within 10 s
     */
    public int defaultBatchSize(String update, int otherwise) {
        return size("defaultBatchSize", controller.defaultBatchSize(update, databaseName), otherwise);
    }

    /**
     * @return the least batch size the controller gives, or {@code otherwise} for "not provided"
     * @throws AssertionError if it gives {@code null}, a size below 1, or does not answer within 10 s
     */
    public int minBatchSize(String update, int otherwise) {
        return size("minBatchSize", controller.minBatchSize(update, databaseName), otherwise);
    }

    private static int size(String callback, CompletionStage<OptionalInt> stage, int otherwise) {
        OptionalInt size = await(callback, stage, Duration.ofSeconds(10));
        if (size == null || size.isPresent() && size.getAsInt() < 1) {
            throw new AssertionError(callback + " gave " + size + "; the runner needs empty or at least 1");
        }
        return size.orElse(otherwise);
    }

    private static <T> T await(String what, CompletionStage<T> stage, Duration timeout) {
        if (stage == null) {
            throw new AssertionError(what + " returned a null stage");
        }
        try {
            return stage.toCompletableFuture().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(what + ": interrupted", e);
        } catch (ExecutionException e) {
            throw new AssertionError(what + " failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError(what + " did not complete within " + timeout);
        }
    }

    /** An entered iteration: exit it once, or abandon it. */
    public final class Entered {

        private final Iteration iteration;
        private final CompletionStage<Long> stage;
        private boolean exited;

        private Entered(Iteration iteration, CompletionStage<Long> stage) {
            this.iteration = iteration;
            this.stage = stage;
        }

        /** @return the iteration */
        public Iteration iteration() {
            return iteration;
        }

        /** @return the stage entering returned */
        public CompletionStage<Long> stage() {
            return stage;
        }

        /** @return whether entering has completed */
        public boolean isDone() {
            return stage.toCompletableFuture().isDone();
        }

        /**
         * @return the desired duration of a completed entering, in milliseconds
         * @throws AssertionError if entering has not completed, failed, or yielded {@code null} or a negative value
         */
        public long desiredMillis() {
            if (!isDone()) {
                throw new AssertionError("entering has not completed");
            }
            return checked(stage.toCompletableFuture().getNow(null));
        }

        /**
         * Waits, in real time, for entering to complete (a controller that waits on a timer of its own).
         *
         * @return the desired duration, in milliseconds
         */
        public long await(Duration timeout) {
            return checked(ControllerDriver.await("enter", stage, timeout));
        }

        private long checked(Long millis) {
            if (millis == null || millis < 0) {
                throw new AssertionError("entering yielded " + millis + " ms; the runner needs 0 or more");
            }
            return millis;
        }

        /**
         * Exits the iteration with what the batch did; moves no clock.
         *
         * @throws AssertionError if it was exited before
         */
        public void exit(BatchResult result) {
            if (exited) {
                throw new AssertionError("an iteration is exited exactly once");
            }
            exited = true;
            iteration.exit(result);
        }

        /** Abandons the wait as the runner does: {@code abandon()}, the stage cancelled, then an {@code ABANDONED} exit. */
        public void abandon() {
            if (!isDone()) {
                iteration.abandon();
            }
            stage.toCompletableFuture().cancel(true);
            exit(BatchResult.abandoned());
        }
    }
}
