package io.bgupdate.api.controller;

import java.util.Objects;
import java.util.Optional;

/**
 * What one batch did, reported to {@link Iteration#exit(BatchResult)}.
 *
 * @param outcome how the batch ended
 * @param batchSize the number of items the handler was asked to process (0 if abandoned)
 * @param items the number of items the handler reported as processed (0 unless completed)
 * @param durationMillis how long the handler call took, in milliseconds (0 if abandoned)
 * @param failure the cause, present exactly when the outcome is {@link Outcome#FAILED}
 */
public record BatchResult(Outcome outcome, int batchSize, int items, long durationMillis, Optional<Throwable> failure) {

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
        if (failure.isPresent() != (outcome == Outcome.FAILED)) {
            throw new IllegalArgumentException("a failure is present exactly when the outcome is FAILED");
        }
    }

    /**
     * @param batchSize the items asked for
     * @param items the items processed
     * @param durationMillis the time taken by the handler
     * @return the result of a committed batch
     */
    public static BatchResult completed(int batchSize, int items, long durationMillis) {
        return new BatchResult(Outcome.COMPLETED, batchSize, items, durationMillis, Optional.empty());
    }

    /**
     * @param batchSize the items asked for
     * @param durationMillis the time until the failure
     * @param failure the cause
     * @return the result of a failed batch
     */
    public static BatchResult failed(int batchSize, long durationMillis, Throwable failure) {
        return new BatchResult(Outcome.FAILED, batchSize, 0, durationMillis, Optional.of(failure));
    }

    /** @return the result of a batch that never ran */
    public static BatchResult abandoned() {
        return new BatchResult(Outcome.ABANDONED, 0, 0, 0, Optional.empty());
    }
}
