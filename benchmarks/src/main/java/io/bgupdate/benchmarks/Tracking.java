package io.bgupdate.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.ServiceRegistration;

import io.bgupdate.api.handler.UpdateHandler;

/**
 * Measure 2, the fixed scenario: a controller that asks for {@code targetMillis} per batch and
 * never waits; a handler whose items cost {@code nanosPerItem} each (slept) for the first
 * {@code changeAt} batches and three times as much after. Per batch, the handler's measured
 * duration against the target. The first {@code warmup} batches are left out of the error
 * statistics. The reference is Synapse's algorithm computed without noise on the same cost model
 * ({@link #simulate}).
 */
final class Tracking {

    /**
     * @param targetMillis the controller's batch duration
     * @param nanosPerItem the cost of an item before the change
     * @param warmup batches left out at the start
     * @param changeAt the index of the first batch at three times the cost
     * @param batches all batches
     * @param reps repetitions
     */
    record Params(long targetMillis, long nanosPerItem, int warmup, int changeAt, int batches, int reps) {
    }

    /** One batch: its start (s since the first batch), the target, the size, the duration (ms). */
    record Point(int index, double seconds, long target, int size, double millis) {
        double error() {
            return Math.abs(millis / target - 1);
        }
    }

    /**
     * The figures of one run.
     *
     * @param p50Steady p50 of |actual/target − 1| from the warm-up to the change
     * @param p90Steady p90 of the same
     * @param p50All p50 from the warm-up to the end (the change included)
     * @param p90All p90 of the same
     * @param recovery batches from the change until one within 10% that starts 5 within 10% in a row; -1 if never
     * @param worst the largest actual/target from the change on (the batch of the change included)
     * @param worstAfter the same from the batch after the change on: what the sizing could have avoided
     * @param maxGrowth the largest ratio of a batch's size to the one before it
     */
    record Figures(double p50Steady, double p90Steady, double p50All, double p90All, int recovery, double worst, double worstAfter,
            double maxGrowth) {
    }

    /** The runner configuration's {@code batch_sizing} values. */
    static final String SYNAPSE = "synapse";
    static final String TRACKING = "tracking";

    private final Host host;
    final Params params;
    /** The database the runner runs the update on. */
    final String database;
    /** The runner's {@code batch_sizing} during the runs. */
    final String sizing;
    final List<List<Point>> runs = new ArrayList<>();
    final List<Figures> figures = new ArrayList<>();
    Figures reference;
    List<Point> referencePoints;

    Tracking(Host host, Params params) {
        this(host, params, Host.DB, SYNAPSE);
    }

    Tracking(Host host, Params params, String database, String sizing) {
        this.host = host;
        this.params = params;
        this.database = database;
        this.sizing = sizing;
    }

    void run(Log log) throws Exception {
        referencePoints = simulate(params);
        reference = figures(referencePoints, params);
        log.line("tracking: Synapse's algorithm without noise: %s", reference);
        // the runner makes an update's sizing at its first batch: every run below is a new update
        host.configureRunner(java.util.Map.of("batch_sizing", sizing));
        try {
            for (int rep = 0; rep < params.reps(); rep++) {
                List<Point> points = once("tracking_" + sizing + "_" + rep);
                runs.add(points);
                Figures f = figures(points, params);
                figures.add(f);
                log.line("tracking on %s, %s sizing, rep %d: %s", database, sizing, rep, f);
            }
        } finally {
            host.configureRunner(java.util.Map.of("batch_sizing", SYNAPSE));
        }
    }

    /**
     * @return whether the sizes are consistent with the sizing asked for: the tracking one never grows
     *         more than ×2 (Synapse's grows ×10 after the first batch of the full run, but not in every scenario)
     */
    boolean sizingInForce() {
        return !sizing.equals(TRACKING) || figures.stream().allMatch(f -> f.maxGrowth() <= 2);
    }

    String label() {
        return (sizing.equals(TRACKING) ? "tracking" : "Synapse") + " sizing on " + (database.equals(Host.DB) ? "H2" : "PostgreSQL");
    }

    private List<Point> once(String name) throws Exception {
        Probe probe = new Probe();
        ServiceRegistration<?> reg = host.controller(new FixedController(name, params.targetMillis(), probe), 1000);
        SyntheticHandler handler = new SyntheticHandler(probe,
                i -> i < params.changeAt() ? params.nanosPerItem() : 3 * params.nanosPerItem());
        CompletableFuture<Void> done = host.updates().whenCompleted(name, database).toCompletableFuture();
        ServiceRegistration<UpdateHandler> h = host.handler(name, handler, database);
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30 + params.batches() * params.targetMillis() * 3 / 1000);
            Wait.until("batches of " + name, java.time.Duration.ofNanos(deadline - System.nanoTime()),
                    () -> handler.calls.size() >= params.batches());
            handler.finish();
            done.get(60, TimeUnit.SECONDS);
        } finally {
            h.unregister();
            reg.unregister();
        }
        List<Call> calls = handler.calls.snapshot().subList(0, params.batches());
        long t0 = calls.get(0).start();
        List<Point> points = new ArrayList<>();
        for (int i = 0; i < calls.size(); i++) {
            Call c = calls.get(i);
            points.add(new Point(i, (c.start() - t0) / 1e9, c.target(), c.size(), c.nanos() / 1e6));
        }
        return points;
    }

    static Figures figures(List<Point> points, Params p) {
        List<Double> steady = new ArrayList<>();
        List<Double> all = new ArrayList<>();
        for (Point pt : points) {
            if (pt.index() >= p.warmup()) {
                all.add(pt.error());
                if (pt.index() < p.changeAt()) {
                    steady.add(pt.error());
                }
            }
        }
        int recovery = -1;
        for (int i = p.changeAt(); i + 5 <= points.size(); i++) {
            boolean ok = true;
            for (int k = i; k < i + 5; k++) {
                ok &= points.get(k).error() <= 0.10;
            }
            if (ok) {
                recovery = i - p.changeAt();
                break;
            }
        }
        double worst = 0;
        double worstAfter = 0;
        for (int i = p.changeAt(); i < points.size(); i++) {
            double r = points.get(i).millis() / points.get(i).target();
            worst = Math.max(worst, r);
            worstAfter = i > p.changeAt() ? Math.max(worstAfter, r) : worstAfter;
        }
        double growth = 0;
        for (int i = 1; i < points.size(); i++) {
            growth = Math.max(growth, (double) points.get(i).size() / points.get(i - 1).size());
        }
        Stats s = Stats.of(steady);
        Stats a = Stats.of(all);
        return new Figures(s.median(), s.percentile(90), a.median(), a.percentile(90), recovery, worst, worstAfter, growth);
    }

    /**
     * Synapse's {@code BackgroundUpdatePerformance} on the same scenario with an exact cost model:
     * a batch of n items takes n × cost, timed in whole milliseconds as Synapse's
     * {@code clock.time_msec()} does; first batch 100 items, minimum 1.
     */
    static List<Point> simulate(Params p) {
        List<Point> points = new ArrayList<>();
        double avgItems = 0;
        double avgMillis = 0;
        long totalItems = 0;
        double clock = 0;
        for (int i = 0; i < p.batches(); i++) {
            int size;
            if (totalItems == 0) {
                size = 100;
            } else {
                double perMs = avgMillis == 0 ? 0 : avgItems / avgMillis;
                size = (int) Math.max(Math.floor(p.targetMillis() * perMs), 1);
            }
            long cost = i < p.changeAt() ? p.nanosPerItem() : 3 * p.nanosPerItem();
            double millis = size * cost / 1e6;
            long measured = (long) Math.floor(millis);
            points.add(new Point(i, clock / 1000, p.targetMillis(), size, millis));
            clock += millis;
            totalItems += size;
            avgItems += 0.1 * (size - avgItems);
            avgMillis += 0.1 * (measured - avgMillis);
        }
        return points;
    }
}
