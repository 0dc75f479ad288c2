package io.bgupdate.runner.internal;

import java.util.OptionalDouble;
import java.util.function.IntSupplier;

/**
 * The measured speed of one update and the batch size that follows from it: Synapse's
 * {@code BackgroundUpdatePerformance}, exactly. Totals, and exponential moving averages of the
 * items and duration of each batch ({@code avg += 0.1 * (x - avg)}, both starting at 0).
 * Only the runner thread of the update's database touches it. {@code batch_sizing = synapse}.
 */
final class UpdatePerformance implements BatchSizing {

    private static final double ALPHA = 0.1;

    private long totalItems;
    private double totalMillis;
    private double avgItems;
    private double avgMillis;

    /**
     * Records one committed batch: the items the handler processed and how long its call took, in
     * fractional milliseconds as Synapse measures them (a batch under a millisecond is not 0).
     */
    @Override
    public void record(int items, double millis) {
        totalItems += items;
        totalMillis += millis;
        avgItems += ALPHA * (items - avgItems);
        avgMillis += ALPHA * (millis - avgMillis);
    }

    /** @return averaged items per ms: none before any item, 0 if the averaged duration is 0 */
    @Override
    public OptionalDouble averageItemsPerMs() {
        if (totalItems == 0) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(avgMillis == 0 ? 0 : avgItems / avgMillis);
    }

    /**
     * The size of the next batch: {@code max(floor(desiredMillis * itemsPerMs), minSize)} once
     * measured, else {@code defaultSize}. Only the size that is needed is asked for.
     */
    int nextBatchSize(long desiredMillis, IntSupplier minSize, IntSupplier defaultSize) {
        OptionalDouble speed = averageItemsPerMs();
        if (speed.isEmpty()) {
            return defaultSize.getAsInt();
        }
        double items = Math.floor(desiredMillis * speed.getAsDouble());
        return (int) Math.max(Math.min(items, Integer.MAX_VALUE), minSize.getAsInt());
    }

    /** Synapse's size, then at most {@code maxSize}. */
    @Override
    public int nextBatchSize(long desiredMillis, IntSupplier minSize, IntSupplier defaultSize, int maxSize) {
        return Math.min(nextBatchSize(desiredMillis, minSize, defaultSize), maxSize);
    }

    long totalItems() {
        return totalItems;
    }

    double totalMillis() {
        return totalMillis;
    }
}
