package io.bgupdate.runner.internal;

import java.util.OptionalDouble;
import java.util.function.IntSupplier;

/**
 * A sizing that follows a change of speed within a batch or two ({@code batch_sizing = tracking}).
 * It keeps an estimate of the cost of one item (ms) and sizes the next batch as
 * {@code floor(desired / cost)}, as Synapse does with its averaged speed. A batch whose cost per
 * item is within {@value #BAND_PERCENT}% of the estimate (in log terms) is noise: the estimate
 * moves a quarter of the way to it. Outside that band it may be a change of speed:
 * <ul>
 * <li>more than {@value #JUMP_PERCENT}% slower: the estimate becomes the new cost at once, so the
 * next batch is on target;
 * <li>otherwise (slower by less, or faster): one such batch is not believed (a stall, a lucky
 * batch); two in a row are, and the estimate becomes the new cost.
 * </ul>
 * After such a jump the old estimate is kept for one batch: if that batch is back at the old cost,
 * the jump was a stall and the old estimate returns.
 * A batch never grows to more than twice the items of the last one, so a wrong estimate costs
 * little. Without noise a ×3 step of the cost is followed in one batch; a ×1.5 step in two;
 * a ÷3 step in three (two of them growing ×2).
 */
final class TrackingSizing implements BatchSizing {

    static final int BAND_PERCENT = 15;
    static final int JUMP_PERCENT = 80;
    /** The band in log terms: |ln(cost / estimate)| up to this is noise. */
    private static final double BAND = Math.log1p(BAND_PERCENT / 100.0);
    /** Slower by more than this (in log terms) is believed at once. */
    private static final double JUMP = Math.log1p(JUMP_PERCENT / 100.0);
    /** How far a batch within the band moves the estimate (in log terms). */
    private static final double WEIGHT = 0.25;
    /** The shortest duration believed: a batch timed at 0 ms still has a finite speed. */
    private static final double MIN_MILLIS = 1e-3;
    static final int MAX_GROWTH = 2;

    /** ms per item; NaN before the first batch with items. */
    private double cost = Double.NaN;
    /** The estimate before the last jump, if the last batch made one; NaN when there is none to return to. */
    private double before = Double.NaN;
    /** The direction (+1 slower, -1 faster) of the last batch outside the band, not yet believed; 0 for none. */
    private int outside;
    private int lastItems;

    @Override
    public void record(int items, double millis) {
        if (items <= 0) {
            return;
        }
        lastItems = items;
        double c = Math.max(millis, MIN_MILLIS) / items;
        if (Double.isNaN(cost)) {
            cost = c;
            return;
        }
        double back = before;
        before = Double.NaN;
        if (!Double.isNaN(back) && Math.abs(Math.log(c / back)) < Math.abs(Math.log(c / cost))) {
            cost = back; // the slow batch was a stall: the speed before it is back
        }
        double d = Math.log(c / cost);
        int direction = (int) Math.signum(d);
        if (Math.abs(d) <= BAND) {
            cost *= Math.exp(WEIGHT * d);
            outside = 0;
        } else if (d > JUMP) {
            before = cost;
            cost = c;
            outside = 0;
        } else if (outside == direction) {
            before = cost;
            cost = c;
            outside = 0;
        } else {
            outside = direction;
        }
    }

    @Override
    public int nextBatchSize(long desiredMillis, IntSupplier minSize, IntSupplier defaultSize, int maxSize) {
        if (Double.isNaN(cost)) {
            return Math.min(defaultSize.getAsInt(), maxSize);
        }
        // the relative epsilon keeps an exact quotient exact (100 ms at 10 ms per item is 10, not 9)
        double items = Math.floor(desiredMillis / cost * (1 + 1e-12));
        items = Math.min(items, (double) lastItems * MAX_GROWTH);
        int size = (int) Math.max(Math.min(items, Integer.MAX_VALUE), minSize.getAsInt());
        return Math.min(size, maxSize);
    }

    @Override
    public OptionalDouble averageItemsPerMs() {
        return Double.isNaN(cost) ? OptionalDouble.empty() : OptionalDouble.of(1 / cost);
    }
}
