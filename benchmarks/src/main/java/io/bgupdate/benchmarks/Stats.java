package io.bgupdate.benchmarks;

import java.util.Arrays;
import java.util.Collection;

/** Order statistics of a sample. */
final class Stats {

    private final double[] sorted;

    Stats(double... values) {
        sorted = values.clone();
        Arrays.sort(sorted);
    }

    static Stats of(Collection<? extends Number> values) {
        return new Stats(values.stream().mapToDouble(Number::doubleValue).toArray());
    }

    int n() {
        return sorted.length;
    }

    /** @param p in [0, 100]; linear interpolation between closest ranks; NaN if empty */
    double percentile(double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        double rank = p / 100.0 * (sorted.length - 1);
        int lo = (int) Math.floor(rank);
        int hi = (int) Math.ceil(rank);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
    }

    double median() {
        return percentile(50);
    }

    double min() {
        return sorted.length == 0 ? Double.NaN : sorted[0];
    }

    double max() {
        return sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1];
    }

    double mean() {
        return sorted.length == 0 ? Double.NaN : Arrays.stream(sorted).average().orElse(Double.NaN);
    }

    double sum() {
        return Arrays.stream(sorted).sum();
    }
}
