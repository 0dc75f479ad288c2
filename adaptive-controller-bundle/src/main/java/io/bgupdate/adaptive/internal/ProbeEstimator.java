package io.bgupdate.adaptive.internal;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.Locale;

/**
 * Turns probe latencies into a pressure, without I/O (the simulation drives it as the JDBC probe
 * does). Both sides of the comparison are filtered alike, so that the probe's noise cancels: the
 * current latency is the median of the last {@code probe.filter} samples younger than
 * {@code probe.window} (and at least how long a probe still in flight for longer than
 * {@code probe.interval} has taken); the base is a {@link LatencyBase} of the medians of the last
 * {@code probe.filter} samples taken while no batch ran. A median ignores spikes (a probe
 * descheduled on a busy machine) up to half the samples, and follows the duty cycle: it rises when
 * more than half the recent probes ran beside a slowing batch. The pressure is
 * {@code (current - base) / target} with {@code target = max(probe.target, probe.target.ratio * base)}.
 * Thread-safe: one lock guards all.
 */
final class ProbeEstimator {

    static final String SIGNAL = "probe";

    /** {time, latency in ms}: the last {@code probe.filter} samples, oldest first. */
    private final Deque<double[]> window = new ArrayDeque<>();
    /** The last {@code probe.filter} samples taken while no batch ran, in ms, oldest first. */
    private final Deque<Double> idleWindow = new ArrayDeque<>();
    private LatencyBase base;
    private long bucketMillis;
    private int buckets;
    private long lastSampleMillis = Long.MIN_VALUE;
    private long lastIdleMillis = Long.MIN_VALUE;
    private long idleSamples;
    private String error;
    private long inFlightSince = Long.MIN_VALUE;

    /**
     * @param nowMillis when the probe ended
     * @param latencyMillis how long it took
     * @param idle whether no batch ran while it did
     * @param s the settings in force
     */
    synchronized void sample(long nowMillis, double latencyMillis, boolean idle, AdaptiveSettings s) {
        ensureBase(s);
        inFlightSince = Long.MIN_VALUE;
        error = null;
        lastSampleMillis = nowMillis;
        window.addLast(new double[] {nowMillis, latencyMillis});
        while (window.size() > s.probeFilter()) {
            window.removeFirst();
        }
        if (idle) {
            idleWindow.addLast(latencyMillis);
            while (idleWindow.size() > s.probeFilter()) {
                idleWindow.removeFirst();
            }
            if (2 * idleWindow.size() > s.probeFilter()) {
                // a median of more than half the filter's samples: one early outlier cannot become the base
                base.offer(nowMillis, median(idleWindow.stream().mapToDouble(Double::doubleValue).toArray()));
            }
            lastIdleMillis = nowMillis;
            idleSamples++;
        }
    }

    /** @param nowMillis when a probe starts */
    synchronized void started(long nowMillis) {
        inFlightSince = nowMillis;
    }

    /** @param message why the probe failed: reported, never fatal */
    synchronized void failed(String message) {
        inFlightSince = Long.MIN_VALUE;
        error = message;
    }

    /**
     * @param nowMillis the current time
     * @param s the settings in force
     * @return the probe's reading
     */
    synchronized Reading reading(long nowMillis, AdaptiveSettings s) {
        ensureBase(s);
        while (!window.isEmpty() && window.peekFirst()[0] < nowMillis - s.probeWindowMillis()) {
            window.removeFirst();
        }
        if (error != null) {
            return Reading.failing(SIGNAL, error);
        }
        double current = window.isEmpty() ? Double.NaN : median(window.stream().mapToDouble(w -> w[1]).toArray());
        if (inFlightSince != Long.MIN_VALUE) {
            double flying = nowMillis - inFlightSince;
            if (Double.isNaN(current)) {
                current = flying > s.probeWindowMillis() ? flying : Double.NaN;
            } else if (flying > s.probeIntervalMillis()) {
                current = Math.max(current, flying);
            }
        }
        if (Double.isNaN(current)) {
            return Reading.failing(SIGNAL, lastSampleMillis == Long.MIN_VALUE ? "no sample yet" : "stale");
        }
        double b = base.base(nowMillis);
        if (Double.isNaN(b)) {
            return new Reading(SIGNAL, String.format(Locale.ROOT, "%.2f ms", current), Double.NaN, false, "learning the base");
        }
        double target = s.probeTarget(b);
        double inflation = Math.max(0, current - b);
        return Reading.of(SIGNAL, String.format(Locale.ROOT, "%.2f ms (base %.2f, +%.2f, target +%.2f)", current, b, inflation, target),
                inflation / target);
    }

    /** @return the base latency now, NaN if not learned */
    synchronized double base(long nowMillis) {
        return base == null ? Double.NaN : base.base(nowMillis);
    }

    /** @return whether the probe delivered a sample within {@code withinMillis} */
    synchronized boolean working(long nowMillis, long withinMillis) {
        return error == null && lastSampleMillis != Long.MIN_VALUE && nowMillis - lastSampleMillis <= withinMillis;
    }

    /** @return when the last idle sample came, {@link Long#MIN_VALUE} if none */
    synchronized long lastIdleMillis() {
        return lastIdleMillis;
    }

    /** @return how many idle samples came so far */
    synchronized long idleSamples() {
        return idleSamples;
    }

    /** @return the median of {@code v} (the mean of the middle two when even), which it sorts */
    static double median(double[] v) {
        Arrays.sort(v);
        int m = v.length / 2;
        return v.length % 2 == 1 ? v[m] : (v[m - 1] + v[m]) / 2;
    }

    private void ensureBase(AdaptiveSettings s) {
        if (base == null || bucketMillis != s.baseBucketMillis() || buckets != s.baseBuckets()) {
            base = new LatencyBase(s.baseBucketMillis(), s.baseBuckets());
            bucketMillis = s.baseBucketMillis();
            buckets = s.baseBuckets();
        }
    }
}
