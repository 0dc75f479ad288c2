package io.bgupdate.adaptive.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.LongToDoubleFunction;

/**
 * A database as a single queue, to test the control law against without sleeping: the foreground
 * brings a utilisation {@code rho_f(t)} (the load profile), a running batch adds {@code rho_b};
 * the queue follows the utilisation with a time constant (a queue integrates), and a request then
 * takes {@code s / (1 - u)} (M/M/1), with a little seeded noise. Time advances in fixed steps of
 * a simulated clock; a run with the same seed and profile is the same run.
 *
 * <p>It drives a {@link DatabaseControl} as the controller does: batches start when
 * {@link DatabaseControl#decide} lets them and last the desired duration; the probe samples every
 * {@code probe.interval}; the law steps every {@code interval} and before every batch.
 */
final class SimulatedDatabase {

    static final long STEP_MILLIS = 5;

    /** One sample of the run, every 100 ms. */
    record Point(long millis, double foreground, double alone, double duty, double pressure, boolean batching, double items) {
    }

    final double serviceMillis;
    final double backgroundUtilisation;
    final double tauMillis;
    final LongToDoubleFunction foreground;
    final DatabaseControl control;
    final AdaptiveSettings settings;
    final List<Point> points = new ArrayList<>();
    /** Extra readings added at each step, e.g. a critical one. */
    List<Reading> extra = List.of();
    /** Start times of every batch, in ms. */
    final List<Long> batchStarts = new ArrayList<>();

    /** Probe noise: relative Gaussian jitter of every sample. */
    double jitter = 0.05;
    /** Probe noise: the share of samples hit by a spike (a probe descheduled on a shared machine). */
    double spikeShare;
    /** Probe noise: the mean of a spike's extra latency, exponentially distributed, in ms. */
    double spikeMillis;

    private final Random noise;
    private long now;
    private double queue;
    private boolean batching;
    private long batchEnd;
    private long batchStart;
    private double items;

    SimulatedDatabase(AdaptiveSettings settings, LongToDoubleFunction foreground, double serviceMillis,
            double backgroundUtilisation, double tauMillis, long seed) {
        this.settings = settings;
        this.foreground = foreground;
        this.serviceMillis = serviceMillis;
        this.backgroundUtilisation = backgroundUtilisation;
        this.tauMillis = tauMillis;
        this.noise = new Random(seed);
        this.control = new DatabaseControl("sim", settings.gains());
        this.queue = foreground.applyAsDouble(0);
    }

    /**
     * Makes the probe as noisy as on a shared machine: 15 % jitter, and one sample in {@code 1/share}
     * delayed by an exponential spike of mean {@code spikeMillis}.
     *
     * @return this
     */
    SimulatedDatabase noisy(double share, double spikeMillis) {
        this.jitter = 0.15;
        this.spikeShare = share;
        this.spikeMillis = spikeMillis;
        return this;
    }

    /** @return the latency a request sees now */
    double latency() {
        return serviceMillis / (1 - Math.min(0.98, queue));
    }

    /** @return the latency with the foreground alone at time t, in steady state */
    double alone(long t) {
        return serviceMillis / (1 - Math.min(0.98, foreground.applyAsDouble(t)));
    }

    /** Runs until {@code untilMillis}. */
    void runUntil(long untilMillis) {
        while (now < untilMillis) {
            now += STEP_MILLIS;
            double rho = foreground.applyAsDouble(now) + (batching ? backgroundUtilisation : 0);
            queue += (rho - queue) * (1 - Math.exp(-STEP_MILLIS / tauMillis));
            if (batching) {
                // Items go at the share of capacity the foreground leaves: 1 item per ms at an idle database.
                items += STEP_MILLIS * Math.max(0, 1 - foreground.applyAsDouble(now));
                if (now >= batchEnd) {
                    batching = false;
                    control.exited(now - batchStart, now);
                }
            }
            if (now % settings.probeIntervalMillis() == 0) {
                double sample = latency() * (1 + jitter * noise.nextGaussian());
                if (spikeShare > 0 && noise.nextDouble() < spikeShare) {
                    sample += -spikeMillis * Math.log(1 - noise.nextDouble());
                }
                control.probe().sample(now, Math.max(0.01, sample), !batching, settings);
            }
            if (now % settings.intervalMillis() == 0) {
                step();
            }
            if (!batching) {
                step();
                DatabaseControl.Decision d = control.decide(now, settings);
                if (d.go()) {
                    control.entered();
                    batching = true;
                    batchStart = now;
                    batchEnd = now + Math.max(STEP_MILLIS, d.durationMillis());
                    batchStarts.add(now);
                }
            }
            if (now % 100 == 0) {
                Reading probe = control.probe().reading(now, settings);
                points.add(new Point(now, latency(), alone(now), control.duty(), probe.pressure(), batching, items));
            }
        }
    }

    private void step() {
        List<Reading> all = new ArrayList<>();
        all.add(control.probe().reading(now, settings));
        all.addAll(extra);
        control.step(now, all, settings);
    }

    long now() {
        return now;
    }

    /** @return items processed so far */
    double items() {
        return items;
    }
}
