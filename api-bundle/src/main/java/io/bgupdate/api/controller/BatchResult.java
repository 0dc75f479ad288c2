package io.bgupdate.api.controller;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What one batch did, reported to {@link Iteration#exit(BatchResult)}.
 *
 * @param outcome how the batch ended
 * @param batchSize the number of items the handler was asked to process (0 if abandoned)
 * @param items the number of items the handler reported as processed (0 unless completed)
 * @param duration how long the handler call took, to the nanosecond (zero if abandoned)
 * @param failure the cause, present exactly when the outcome is {@link Outcome#FAILED}
 */
public record BatchResult(Outcome outcome, int batchSize, int items, Duration duration, Optional<Throwable> failure) {

    /** How a batch ended. */
    public enum Outcome {
        /** The handler ran and its work and progress were committed. */
        COMPLETED,
        /** The handler or the commit failed; its work was rolled back. */
        FAILED,
        /** The handler never ran: the runner stopped waiting for {@link Iteration#enter()}. */
        ABANDONED
    }

    /** Checks that the components agree with each other. */
    public BatchResult {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(failure, "failure");
        Objects.requireNonNull(duration, "duration");
        if (failure.isPresent() != (outcome == Outcome.FAILED)) {
            throw new IllegalArgumentException("a failure is present exactly when the outcome is FAILED");
        }
    }

    /** @return how long the handler call took, in whole milliseconds */
    public long durationMillis() {
        return duration.toMillis();
    }

    /**
     * @param batchSize the items asked for
     * @param items the items processed
     * @param duration the time taken by the handler
     * @return the result of a committed batch
     */
    public static BatchResult completed(int batchSize, int items, Duration duration) {
        return new BatchResult(Outcome.COMPLETED, batchSize, items, duration, Optional.empty());
    }

    /**
     * @param batchSize the items asked for
     * @param items the items processed
     * @param durationMillis the time taken by the handler, in milliseconds
     * @return the result of a committed batch
     */
    public static BatchResult completed(int batchSize, int items, long durationMillis) {
        return completed(batchSize, items, Duration.ofMillis(durationMillis));
    }

    /**
     * @param batchSize the items asked for
     * @param duration the time until the failure
     * @param failure the cause
     * @return the result of a failed batch
     */
    public static BatchResult failed(int batchSize, Duration duration, Throwable failure) {
        return new BatchResult(Outcome.FAILED, batchSize, 0, duration, Optional.of(failure));
    }

    /**
     * @param batchSize the items asked for
     * @param durationMillis the time until the failure, in milliseconds
     * @param failure the cause
     * @return the result of a failed batch
     */
    public static BatchResult failed(int batchSize, long durationMillis, Throwable failure) {
        return failed(batchSize, Duration.ofMillis(durationMillis), failure);
    }

    /** @return the result of a batch that never ran */
    public static BatchResult abandoned() {
        return new BatchResult(Outcome.ABANDONED, 0, 0, Duration.ZERO, Optional.empty());
    }
}
