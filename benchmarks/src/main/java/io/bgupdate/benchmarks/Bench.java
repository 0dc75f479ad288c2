package io.bgupdate.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The benchmark harness: runs the real runner in a real Felix framework on the embedded H2
 * database and measures it against plain-JDBC references in the same run.
 *
 * <pre>
 * Bench --full  --root DIR --work DIR   the full run: DIR/BENCHMARKS.md and DIR/docs/benchmarks/
 *              [--plan reduced]         the same measures, smaller (a loaded machine)
 * Bench --smoke --out DIR  --work DIR   a few seconds, small sizes: everything into DIR
 * </pre>
 *
 * Needs {@code -Dbundles.dir} pointing at the bundles Maven copied ({@code target/bundles}).
 */
public final class Bench {

    /** Everything that sizes a run. */
    record Plan(String name, Overhead.Params overhead, Tracking.Params tracking, RateFidelity.Params rate,
            HotSwap.Params hotSwap, Footprint.Params footprint) {
    }

    static final List<RateFidelity.Setting> SETTINGS = List.of(
            new RateFidelity.Setting("rate 1000/s", 1000, 1.0),
            new RateFidelity.Setting("rate 5000/s", 5000, 1.0),
            new RateFidelity.Setting("duty 0.25, no rate", 0, 0.25));

    static final Plan FULL = new Plan("full",
            new Overhead.Params(1_000_000, 3, 10_000, 1000, 100, 1000, 200_000, 10, 3),
            new Tracking.Params(100, 100_000, 20, 120, 270, 3),
            new RateFidelity.Params(SETTINGS, 5, 60, 100_000),
            new HotSwap.Params(600_000, 500, 10, 200_000),
            new Footprint.Params(1_000_000, 3, 3));

    /**
     * The full run's measures at a fifth of the rows and fewer repetitions, for a machine too loaded
     * for the full run (1M rows took half an hour per way and database at a load average of 30).
     */
    static final Plan REDUCED = new Plan("reduced",
            new Overhead.Params(200_000, 1, 10_000, 1000, 100, 1000, 100_000, 10, 2),
            new Tracking.Params(100, 100_000, 20, 120, 270, 2),
            new RateFidelity.Params(SETTINGS, 5, 30, 100_000),
            new HotSwap.Params(200_000, 100, 10, 200_000),
            new Footprint.Params(200_000, 1, 3));

    static final Plan SMOKE = new Plan("smoke",
            new Overhead.Params(20_000, 1, 2_000, 1000, 100, 1000, 5_000, 1, 1),
            new Tracking.Params(20, 100_000, 5, 20, 45, 1),
            new RateFidelity.Params(SETTINGS, 1, 2, 100_000),
            new HotSwap.Params(50_000, 10, 10, 200_000),
            new Footprint.Params(20_000, 1, 0.5));

    /** What a run measured, and what went wrong. */
    static final class Outcome {
        Plan plan;
        Machine machine;
        /** The commit and the bundles measured. */
        String build;
        ZonedDateTime started;
        double minutes;
        Overhead overhead;
        Tracking tracking;
        /** Measure 2 on H2 under the tracking sizing ({@link #tracking}: Synapse's). */
        Tracking trackingFast;
        /** Measures 1 and 2 on PostgreSQL. */
        PgMeasures pg;
        RateFidelity rate;
        HotSwap hotSwap;
        Footprint footprint;
        final List<String> failures = new ArrayList<>();
    }

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        int exit = 0;
        try {
            if (args.length > 0 && args[0].equals("--footprint-child")) {
                Footprint.child(Arrays.copyOfRange(args, 1, args.length));
                return;
            }
            boolean full = List.of(args).contains("--full");
            Path work = Path.of(option(args, "--work", "target/bench-work"));
            Outcome o;
            if (full) {
                Path root = Path.of(option(args, "--root", "..")).toAbsolutePath().normalize();
                System.setProperty("bench.root", root.toString());
                o = run(option(args, "--plan", "full").equals(REDUCED.name()) ? REDUCED : FULL, work);
                Report.write(o, root.resolve("BENCHMARKS.md"), root.resolve("docs/benchmarks"), "docs/benchmarks/");
                System.out.println("Wrote " + root.resolve("BENCHMARKS.md") + " and " + root.resolve("docs/benchmarks"));
            } else {
                Path out = Path.of(option(args, "--out", "target/bench-smoke")).toAbsolutePath().normalize();
                o = run(SMOKE, work);
                Report.write(o, out.resolve("BENCHMARKS.md"), out, "");
                System.out.println("Wrote " + out.resolve("BENCHMARKS.md"));
            }
            if (!o.failures.isEmpty()) {
                System.err.println("FAILED: " + String.join("; ", o.failures));
                exit = 1;
            }
        } catch (Throwable t) {
            t.printStackTrace();
            exit = 2;
        } finally {
            System.exit(exit); // Felix's and H2's threads must not keep the JVM alive
        }
    }

    private static String option(String[] args, String name, String otherwise) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return otherwise;
    }

    /** Runs every measure of the plan; the Felix measures share one framework, footprint forks JVMs. */
    static Outcome run(Plan plan, Path work) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        System.setProperty("java.awt.headless", "true");
        clean(work);
        Files.createDirectories(work);
        Log log = new Log();
        Outcome o = new Outcome();
        o.plan = plan;
        o.started = ZonedDateTime.now(ZoneOffset.UTC);
        o.machine = Machine.now();
        o.build = Machine.build(Path.of(System.getProperty("bench.root", "..")).toAbsolutePath().normalize());
        long t0 = System.nanoTime();
        log.line("%s run; %s; %s", plan.name(), o.machine.describe(), o.build);
        Path hostWork = Files.createTempDirectory(work, "host");
        try (Host host = new Host(hostWork, true)) {
            log.line("host ready in %.0f ms, serving in %.0f ms", host.readyNanos / 1e6, host.servingNanos / 1e6);
            o.overhead = new Overhead(host, plan.overhead());
            o.overhead.run(log);
            o.tracking = new Tracking(host, plan.tracking());
            o.tracking.run(log);
            o.trackingFast = new Tracking(host, plan.tracking(), Host.DB, Tracking.TRACKING);
            o.trackingFast.run(log);
            o.rate = new RateFidelity(host, plan.rate());
            o.rate.run(log);
            o.hotSwap = new HotSwap(host, plan.hotSwap());
            o.hotSwap.run(log);
            o.pg = PgMeasures.run(host, plan, work, log);
        }
        o.footprint = new Footprint(plan.footprint(), work);
        o.footprint.run(log);
        o.machine = o.machine.withLoadAtEnd();
        o.minutes = (System.nanoTime() - t0) / 60e9;
        check(o);
        log.line("done in %.1f min; load average %s", o.minutes, o.machine.loadAtEnd());
        return o;
    }

    /** Deletes what an earlier run left in the work directory (databases of up to a million rows). */
    private static void clean(Path work) throws java.io.IOException {
        if (!Files.isDirectory(work)) {
            return;
        }
        try (var files = Files.walk(work)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** The correctness conditions every run, smoke or full, must meet. */
    private static void check(Outcome o) {
        for (Overhead.Run r : o.overhead.runs) {
            if (!r.exactlyOnce()) {
                o.failures.add("overhead: " + r.way() + " rep " + r.rep() + " did not process every row exactly once");
            }
        }
        if (o.tracking.runs.isEmpty()) {
            o.failures.add("tracking: no run");
        }
        for (Tracking t : new Tracking[] {o.tracking, o.trackingFast, o.pg.synapse, o.pg.tracking}) {
            if (t != null && !t.sizingInForce()) {
                o.failures.add("tracking: the sizes do not show the " + t.label() + " in force");
            }
        }
        if (o.pg.overhead != null) {
            for (Overhead.Run r : o.pg.overhead.runs) {
                if (!r.exactlyOnce()) {
                    o.failures.add("overhead on PostgreSQL: " + r.way() + " rep " + r.rep() + " did not process every row exactly once");
                }
            }
        }
        if (o.rate.results.size() != o.plan.rate().settings().size()) {
            o.failures.add("rate: settings missing");
        }
        HotSwap h = o.hotSwap;
        if (!BackfillTable.exactlyOnce(h.check)) {
            o.failures.add("hot swap: rows lost or doubled " + Arrays.toString(h.check));
        }
        if (h.enteredNotExited != 0) {
            o.failures.add("hot swap: " + h.enteredNotExited + " iterations entered but not exited");
        }
        if (h.timeouts != 0) {
            o.failures.add("hot swap: " + h.timeouts + " swaps without a batch under the new controller within 10 s");
        }
    }
}
