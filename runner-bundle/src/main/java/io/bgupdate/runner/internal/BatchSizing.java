package io.bgupdate.runner.internal;

import java.util.Locale;
import java.util.OptionalDouble;
import java.util.function.IntSupplier;

/**
 * How one update's batches are sized: from the batches it has done and the duration the
 * controller wants, the number of items of the next. One object per update, touched only by the
 * runner thread of its database. Chosen by the runner configuration's {@code batch_sizing}.
 */
interface BatchSizing {

    /** The sizings {@code batch_sizing} chooses from. */
    enum Kind {
        /** Synapse's exponential moving averages, exactly ({@link UpdatePerformance}). */
        SYNAPSE,
        /** Follows a change of speed within a batch or two ({@link TrackingSizing}). */
        TRACKING;

        /** @throws IllegalArgumentException with a one-line message naming the key and the choices */
        static Kind of(String value) {
            for (Kind k : values()) {
                if (k.key().equals(value == null ? "" : value.trim().toLowerCase(Locale.ROOT))) {
                    return k;
                }
            }
            throw new IllegalArgumentException("batch_sizing must be synapse or tracking, not " + value);
        }

        /** @return its value of {@code batch_sizing} */
        String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * The runner configuration's choice: which sizing, and the largest batch.
     *
     * @param kind {@code batch_sizing}
     * @param maxBatchSize {@code max_batch_size}; 0 for no bound
     */
    record Choice(Kind kind, int maxBatchSize) {

        static final Choice DEFAULT = new Choice(Kind.SYNAPSE, 0);

        public Choice {
            if (maxBatchSize < 0) {
                throw new IllegalArgumentException("max_batch_size must be 0 (no bound) or more, not " + maxBatchSize);
            }
        }

        /** @return a new sizing of this kind, for one update */
        BatchSizing create() {
            return kind == Kind.SYNAPSE ? new UpdatePerformance() : new TrackingSizing();
        }

        /**
         * @param handlerMax the update's own bound ({@code bgupdate.update.max.batch.size}), 0 for none
         * @return the largest batch: the smaller of both bounds, {@link Integer#MAX_VALUE} for none
         */
        int maxFor(int handlerMax) {
            int own = maxBatchSize == 0 ? Integer.MAX_VALUE : maxBatchSize;
            return handlerMax <= 0 ? own : Math.min(own, handlerMax);
        }
    }

    /**
     * Records one committed batch of the update.
     *
     * @param items the items the handler processed (a batch of none says nothing about the speed)
     * @param millis how long the batch took, in fractional milliseconds
     */
    void record(int items, double millis);

    /**
     * The size of the next batch. Before the first measured batch it is {@code defaultSize};
     * after, it follows from the speed, at least {@code minSize}. Only the size that is needed
     * is asked for. {@code maxSize} bounds every batch, also the first, and wins over the minimum.
     *
     * @param desiredMillis the duration the controller wants
     * @param maxSize the largest batch, {@link Integer#MAX_VALUE} for no bound
     */
    int nextBatchSize(long desiredMillis, IntSupplier minSize, IntSupplier defaultSize, int maxSize);

    /** @return the items per ms the sizing works with; empty before any item */
    OptionalDouble averageItemsPerMs();
}
