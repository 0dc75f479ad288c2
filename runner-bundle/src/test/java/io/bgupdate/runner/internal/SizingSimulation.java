package io.bgupdate.runner.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * A simulated handler under a sizing, batch by batch, deterministic: a batch of n items takes
 * {@code fixedMillis + n × cost} ms, where the cost per item is {@code costMillis} before batch
 * {@code changeAt} and {@code changeFactor} times it from there on, times noise from a seeded
 * {@link Random}: log-normal with {@code sigma}, and with probability {@code stallChance} a stall
 * that makes the batch 20–60% longer (a checkpoint, a lock wait, a GC pause).
 */
record SizingSimulation(long targetMillis, double fixedMillis, double costMillis, double changeFactor, int changeAt, int batches,
        double sigma, double stallChance, long seed) {

    /** Default first batch, minimum batch: the runner's defaults. */
    static final int DEFAULT_SIZE = 100;
    static final int MIN_SIZE = 1;
    /** Batches left out of the steady-state figures at the start. */
    static final int WARMUP = 20;

    /** A 100 ms target, 0.5 ms per batch of fixed cost, 10 µs per item, ×3 at batch 120, 1% noise and 3% stalls. */
    static SizingSimulation realistic(long seed) {
        return new SizingSimulation(100, 0.5, 0.01, 3, 120, 270, 0.01, 0.03, seed);
    }

    SizingSimulation withChange(double factor) {
        return new SizingSimulation(targetMillis, fixedMillis, costMillis, factor, changeAt, batches, sigma, stallChance, seed);
    }

    SizingSimulation withoutStalls() {
        return new SizingSimulation(targetMillis, fixedMillis, costMillis, changeFactor, changeAt, batches, sigma, 0, seed);
    }

    SizingSimulation withoutNoise() {
        return new SizingSimulation(targetMillis, fixedMillis, costMillis, changeFactor, changeAt, batches, 0, 0, seed);
    }

    /** What the simulation did: the sizes and durations, batch by batch. */
    record Run(SizingSimulation sim, int[] sizes, double[] millis, boolean[] stalled) {

        double error(int i) {
            return Math.abs(millis[i] / sim.targetMillis() - 1);
        }

        /** @return (actual / target − 1), signed */
        double signed(int i) {
            return millis[i] / sim.targetMillis() - 1;
        }

        /** @return the q-th percentile of |actual/target − 1| over batches [from, to) */
        double percentile(int from, int to, double q) {
            double[] e = new double[to - from];
            for (int i = from; i < to; i++) {
                e[i - from] = error(i);
            }
            Arrays.sort(e);
            return e[(int) Math.min(e.length - 1, Math.ceil(q / 100 * e.length) - 1)];
        }

        /** Steady state: after the warm-up, before the change. */
        double steady(double q) {
            return percentile(WARMUP, sim.changeAt(), q);
        }

        /**
         * @return batches from the change until the first of 5 in a row within 10% of the target
         *         (a stalled batch neither counts nor breaks the row: no sizing foresees it); -1 if never
         */
        int recovery() {
            for (int i = sim.changeAt(); i + 5 <= sizes.length; i++) {
                boolean ok = !stalled[i];
                for (int k = i, n = 0; ok && n < 5 && k < sizes.length; k++) {
                    ok &= stalled[k] || error(k) <= 0.10;
                    n += stalled[k] ? 0 : 1;
                }
                if (ok) {
                    return i - sim.changeAt();
                }
            }
            return -1;
        }

        /** @return the largest actual/target from the change on */
        double worstAfterChange() {
            double worst = 0;
            for (int i = sim.changeAt(); i < millis.length; i++) {
                worst = Math.max(worst, millis[i] / sim.targetMillis());
            }
            return worst;
        }

        /** @return the largest ratio of a batch's size to the one before */
        double maxGrowth() {
            double g = 0;
            for (int i = 1; i < sizes.length; i++) {
                g = Math.max(g, (double) sizes[i] / sizes[i - 1]);
            }
            return g;
        }

        /** @return the lag-1 autocorrelation of the signed errors over the steady state (strongly negative: oscillation) */
        double lag1() {
            List<Double> e = new ArrayList<>();
            for (int i = WARMUP; i < sim.changeAt(); i++) {
                e.add(signed(i));
            }
            double mean = e.stream().mapToDouble(Double::doubleValue).average().orElse(0);
            double num = 0;
            double den = 0;
            for (int i = 0; i < e.size(); i++) {
                den += (e.get(i) - mean) * (e.get(i) - mean);
                if (i > 0) {
                    num += (e.get(i) - mean) * (e.get(i - 1) - mean);
                }
            }
            return num / den;
        }

        @Override
        public String toString() {
            return String.format("p50 %.2f%% p90 %.2f%% recovery %d worst %.2fx growth %.2fx lag1 %.2f", 100 * steady(50),
                    100 * steady(90), recovery(), worstAfterChange(), maxGrowth(), lag1());
        }
    }

    Run run(BatchSizing sizing) {
        Random random = new Random(seed);
        int[] sizes = new int[batches];
        double[] millis = new double[batches];
        boolean[] stalled = new boolean[batches];
        for (int i = 0; i < batches; i++) {
            int n = sizing.nextBatchSize(targetMillis, () -> MIN_SIZE, () -> DEFAULT_SIZE, Integer.MAX_VALUE);
            double cost = i < changeAt ? costMillis : costMillis * changeFactor;
            double noise = Math.exp(sigma * random.nextGaussian());
            stalled[i] = random.nextDouble() < stallChance;
            if (stalled[i]) {
                noise *= 1.2 + 0.4 * random.nextDouble();
            }
            sizes[i] = n;
            millis[i] = (fixedMillis + n * cost) * noise;
            sizing.record(n, millis[i]);
        }
        return new Run(this, sizes, millis, stalled);
    }
}
