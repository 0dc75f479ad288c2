package io.bgupdate.api.controller;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What one batch did, reported to {@link Iteration#exit(BatchResult)}. Immutable; made by the
 * runner (and by tests) through the static factories, so that later versions can add
 * accessors without breaking anyone.
 */
public final class BatchResult {

    /**
     * How a batch ended. Later versions may add constants: a controller that switches on it
     * keeps a default branch.
     */
    public enum Outcome {
        /** The handler ran and its work and progress were committed. */
        COMPLETED,
        /** The handler or the commit failed; its work was rolled back. */
        FAILED,
        /** The handler never ran: the runner stopped waiting for {@link Iteration#enter()}. */
        ABANDONED
    }

    private static final BatchResult ABANDONED = new BatchResult(Outcome.ABANDONED, 0, 0, Duration.ZERO, null);

    private final Outcome outcome;
    private final int batchSize;
    private final int items;
    private final Duration duration;
    private final Throwable failure;

    private BatchResult(Outcome outcome, int batchSize, int items, Duration duration, Throwable failure) {
        this.outcome = outcome;
        this.batchSize = batchSize;
        this.items = items;
        this.duration = Objects.requireNonNull(duration, "duration");
        this.failure = failure;
    }

    /**
     * @param batchSize the items asked for
     * @param items the items processed
     * @param duration the time taken by the handler
     * @return the result of a committed batch
     */
    public static BatchResult completed(int batchSize, int items, Duration duration) {
        return new BatchResult(Outcome.COMPLETED, batchSize, items, duration, null);
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
        return new BatchResult(Outcome.FAILED, batchSize, 0, duration, Objects.requireNonNull(failure, "failure"));
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
        return ABANDONED;
    }

    /** @return how the batch ended */
    public Outcome outcome() {
        return outcome;
    }

    /** @return the number of items the handler was asked to process (0 if abandoned) */
    public int batchSize() {
        return batchSize;
    }

    /** @return the number of items the handler reported as processed (0 unless completed) */
    public int items() {
        return items;
    }

    /** @return how long the handler call took, to the nanosecond (zero if abandoned) */
    public Duration duration() {
        return duration;
    }

    /** @return how long the handler call took, in whole milliseconds */
    public long durationMillis() {
        return duration.toMillis();
    }

    /** @return the cause, present exactly when the outcome is {@link Outcome#FAILED} */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BatchResult r && r.outcome == outcome && r.batchSize == batchSize && r.items == items
                && r.duration.equals(duration) && Objects.equals(r.failure, failure);
    }

    @Override
    public int hashCode() {
        return Objects.hash(outcome, batchSize, items, duration, failure);
    }

    @Override
    public String toString() {
        return "BatchResult[" + outcome + ", batchSize=" + batchSize + ", items=" + items + ", duration=" + duration
                + (failure == null ? "" : ", failure=" + failure) + "]";
    }
}
