package io.bgupdate.benchmarks;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import javax.sql.DataSource;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.osgi.framework.Bundle;

import io.bgupdate.api.controller.BackgroundUpdateController;

/**
 * P5: does a controller keep the application's latency while the back-fill runs? pgbench is the
 * application, at a fixed rate ({@code -R}) with per-transaction logs, in three phases (light,
 * heavy, light); a back-fill of {@code rows} rows runs in the background under each controller in
 * turn, each on a PostgreSQL database of its own on the same throwaway cluster. Reports, per
 * phase, the foreground p50/p99 as a ratio to the foreground alone and the back-fill rows/s as a
 * share of unthrottled; plots both over time.
 *
 * <p>{@code java ... P5Bench smoke|reduced|full OUTDIR}: smoke is seconds long (the test command
 * runs it); full runs every controller; reduced only alone, unthrottled and adaptive (default and
 * smaller probe targets), 20 s per phase.
 */
public final class P5Bench {

    /** Sizes of a run. */
    record Plan(String name, int rows, int scale, int phaseSeconds, int lightTps, int heavyTps, double fixedRate, List<String> scenarios) {
    }

    static final List<String> SCENARIOS = List.of("alone", "unthrottled", "synapse-default", "ratelimit", "threshold", "adaptive");
    static final Plan SMOKE = new Plan("smoke", 20_000, 1, 3, 50, 150, 5_000, SCENARIOS);
    static final Plan FULL = new Plan("full", 3_000_000, 10, 30, 100, 300, 20_000, SCENARIOS);
    /** Only the scenarios the adaptive controller is measured against, 20-s phases, and rows enough for an unthrottled back-fill at 110,000 rows/s; the adaptive controller with its defaults and with
     * a smaller probe target (0.5 ms / 0.5). */
    static final Plan REDUCED = new Plan("reduced", 8_000_000, 10, 20, 100, 300, 20_000, List.of("alone", "unthrottled", "adaptive", "adaptive-0.5"));
    /** {@code adaptive-T}: the adaptive controller with {@code probe.target} T ms and {@code probe.target.ratio} T. */
    static final String ADAPTIVE_AT = "adaptive-";
    static final String[] PHASES = {"light", "heavy", "light again"};

    /** One scenario's measurements. */
    static final class Run {
        final String scenario;
        /** Per phase: foreground latencies in ms. */
        final List<double[]> latencies = new ArrayList<>();
        /** Per phase: back-fill rows per second. */
        final double[] rowsPerSecond = new double[PHASES.length];
        /** Per second since the start: foreground p99 (ms) and back-fill rows. */
        double[] p99PerSecond = new double[0];
        double[] rowsPerSecondSeries = new double[0];

        Run(String scenario) {
            this.scenario = scenario;
        }
    }

    private P5Bench() {
    }

    public static void main(String[] args) throws Exception {
        Plan plan = args.length == 0 ? SMOKE : switch (args[0]) {
            case "full" -> FULL;
            case "reduced" -> REDUCED;
            case "smoke" -> SMOKE;
            default -> throw new IllegalArgumentException("P5Bench: the plan is smoke, reduced or full, not '" + args[0] + "'");
        };
        Path out = Path.of(args.length > 1 ? args[1] : "target/p5-" + plan.name());
        List<Run> runs = run(plan, out);
        System.out.println(report(plan, runs));
    }

    static List<Run> run(Plan plan, Path out) throws Exception {
        Files.createDirectories(out);
        Path work = Files.createDirectories(out.resolve("work"));
        List<Run> runs = new ArrayList<>();
        Log log = new Log();
        try (P5Postgres pg = new P5Postgres(work.resolve("pg"));
                Host host = new Host(work.resolve("felix"), true)) {
            pg.createDatabase("bench");
            P5Postgres.run(List.of(P5Postgres.pgbench().toString(), "-i", "-q", "-s", Integer.toString(plan.scale()),
                    "-h", "127.0.0.1", "-p", Integer.toString(pg.port), "-U", "postgres", "bench"), 600, pg.password);
            Bundle ratelimit = host.installRateLimit();
            Bundle adaptive = host.context().installBundle(Host.bundleFile("bgupdate-adaptive-controller").toUri().toString());
            for (String scenario : plan.scenarios()) {
                log.line("P5 %s", scenario);
                runs.add(scenario(plan, out, pg, host, scenario, ratelimit, adaptive));
            }
        }
        Files.writeString(out.resolve("P5.md"), report(plan, runs));
        plot(out, runs);
        return runs;
    }

    private static Run scenario(Plan plan, Path out, P5Postgres pg, Host host, String scenario, Bundle ratelimit, Bundle adaptive)
            throws Exception {
        Run run = new Run(scenario);
        P5Backfill backfill = new P5Backfill();
        String db = "p5_" + scenario.replaceAll("[^a-z0-9]", "_");
        if (!scenario.equals("alone")) {
            pg.createDatabase(db);
            DataSource ds = pg.dataSource(db);
            P5Backfill.create(ds, plan.rows());
            switch (scenario) {
                case "unthrottled" -> host.controller((u, d, o) -> () -> CompletableFuture.completedFuture(100L), 1000);
                case "synapse-default" -> host.configure("io.bgupdate.runner", Map.of("sleep_enabled", true));
                case "ratelimit" -> {
                    host.configure(Host.RATELIMIT_PID, Map.of("rate", plan.fixedRate(), "duty", 1.0));
                    ratelimit.start();
                }
                case "threshold" -> host.controller(new P5Threshold(pg.dataSource("bench"), 2), 1000);
                case "adaptive" -> adaptive.start();
                default -> {
                    if (!scenario.startsWith(ADAPTIVE_AT)) {
                        throw new IllegalArgumentException(scenario);
                    }
                    double t = Double.parseDouble(scenario.substring(ADAPTIVE_AT.length()));
                    host.configure("io.bgupdate.adaptive", Map.of("probe.target", t, "probe.target.ratio", t));
                    adaptive.start();
                }
            }
            host.dataSource(db, ds);
            host.handler("p5_backfill", backfill, db);
            Wait.until("the first batch of " + scenario, java.time.Duration.ofSeconds(60), () -> !backfill.done.isEmpty());
        }
        long start = System.nanoTime();
        long startEpochMicros = System.currentTimeMillis() * 1000;
        long[] phaseEnds = new long[PHASES.length];
        Path logs = Files.createDirectories(out.resolve("pgbench").resolve(scenario));
        for (int i = 0; i < PHASES.length; i++) {
            int tps = i == 1 ? plan.heavyTps() : plan.lightTps();
            long from = System.nanoTime();
            int rowsBefore = rows(backfill);
            P5Postgres.run(List.of(P5Postgres.pgbench().toString(), "-n", "-c", "4", "-j", "2", "-R", Integer.toString(tps),
                    "-T", Integer.toString(plan.phaseSeconds()), "-l", "--log-prefix=" + logs.resolve("phase" + i),
                    "-h", "127.0.0.1", "-p", Integer.toString(pg.port), "-U", "postgres", "bench"), plan.phaseSeconds() + 120L, pg.password);
            phaseEnds[i] = System.nanoTime();
            run.rowsPerSecond[i] = (rows(backfill) - rowsBefore) * 1e9 / (phaseEnds[i] - from);
            run.latencies.add(latencies(logs, "phase" + i, null));
        }
        if (!scenario.equals("alone")) {
            host.updates().pause(db);
            host.unregisterAll();
            if (scenario.equals("ratelimit")) {
                ratelimit.stop();
            } else if (scenario.startsWith("adaptive")) {
                adaptive.stop();
            } else if (scenario.equals("synapse-default")) {
                host.configure("io.bgupdate.runner", Map.of("sleep_enabled", false));
            }
        }
        int seconds = (int) Math.ceil((phaseEnds[PHASES.length - 1] - start) / 1e9);
        run.rowsPerSecondSeries = new double[seconds];
        for (P5Backfill.Done d : backfill.done) {
            int s = (int) ((d.endNanos() - start) / 1_000_000_000L);
            if (s >= 0 && s < seconds) {
                run.rowsPerSecondSeries[s] += d.rows();
            }
        }
        run.p99PerSecond = perSecondP99(logs, startEpochMicros, seconds);
        return run;
    }

    private static int rows(P5Backfill b) {
        return b.done.stream().mapToInt(P5Backfill.Done::rows).sum();
    }

    /** Reads pgbench's per-transaction logs: latency = time + schedule lag (from the scheduled start), in ms. */
    static double[] latencies(Path dir, String prefix, List<long[]> timed) throws IOException {
        List<Double> all = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().startsWith(prefix + ".")).toList()) {
                for (String line : Files.readAllLines(f)) {
                    String[] c = line.trim().split("\\s+");
                    if (c.length >= 7 && !c[2].equals("skipped")) {
                        long micros = Long.parseLong(c[2]) + Long.parseLong(c[6]);
                        all.add(micros / 1000.0);
                        if (timed != null) {
                            timed.add(new long[] {Long.parseLong(c[4]) * 1_000_000 + Long.parseLong(c[5]), micros});
                        }
                    }
                }
            }
        }
        return all.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    }

    private static double[] perSecondP99(Path dir, long startEpochMicros, int seconds) throws IOException {
        List<long[]> timed = new ArrayList<>();
        for (int i = 0; i < PHASES.length; i++) {
            latencies(dir, "phase" + i, timed);
        }
        List<List<Double>> buckets = new ArrayList<>();
        for (int s = 0; s < seconds; s++) {
            buckets.add(new ArrayList<>());
        }
        for (long[] t : timed) {
            int s = (int) ((t[0] - startEpochMicros) / 1_000_000);
            if (s >= 0 && s < seconds) {
                buckets.get(s).add(t[1] / 1000.0);
            }
        }
        double[] p99 = new double[seconds];
        for (int s = 0; s < seconds; s++) {
            double[] v = buckets.get(s).stream().mapToDouble(Double::doubleValue).sorted().toArray();
            p99[s] = v.length == 0 ? Double.NaN : percentile(v, 0.99);
        }
        return p99;
    }

    static double percentile(double[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }

    static String report(Plan plan, List<Run> runs) {
        Map<String, Run> by = new LinkedHashMap<>();
        runs.forEach(r -> by.put(r.scenario, r));
        Run alone = by.get("alone");
        Run full = by.get("unthrottled");
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "P5 (%s): pgbench -c 4 -j 2 -R %d / %d / %d tps, %d s per phase, scale %d; back-fill of %,d rows%n%n",
                plan.name(), plan.lightTps(), plan.heavyTps(), plan.lightTps(), plan.phaseSeconds(), plan.scale(), plan.rows()));
        b.append("| controller | phase | fg p50 ms | fg p99 ms | p50 / alone | p99 / alone | back-fill rows/s | share of unthrottled |\n");
        b.append("|---|---|---|---|---|---|---|---|\n");
        for (Run r : runs) {
            for (int i = 0; i < PHASES.length; i++) {
                double[] l = r.latencies.get(i);
                double p50 = percentile(l, 0.5);
                double p99 = percentile(l, 0.99);
                double a50 = alone == null ? Double.NaN : percentile(alone.latencies.get(i), 0.5);
                double a99 = alone == null ? Double.NaN : percentile(alone.latencies.get(i), 0.99);
                double share = full == null || full.rowsPerSecond[i] == 0 ? Double.NaN : r.rowsPerSecond[i] / full.rowsPerSecond[i];
                b.append(String.format(Locale.ROOT, "| %s | %s | %.2f | %.2f | %.2f | %.2f | %,.0f | %s |%n", r.scenario, PHASES[i], p50, p99,
                        p50 / a50, p99 / a99, r.rowsPerSecond[i], r.scenario.equals("alone") ? "–" : String.format(Locale.ROOT, "%.0f %%", 100 * share)));
            }
        }
        return b.toString();
    }

    private static void plot(Path out, List<Run> runs) throws IOException {
        Color[] palette = {Color.BLACK, new Color(214, 39, 40), new Color(255, 127, 14), new Color(148, 103, 189),
            new Color(140, 86, 75), new Color(31, 119, 180)};
        XYChart lat = chart("P5: foreground p99 per second (pgbench, light -> heavy -> light)", "foreground p99 (ms)");
        XYChart rate = chart("P5: back-fill rows per second", "rows/s");
        for (int i = 0; i < runs.size(); i++) {
            Run r = runs.get(i);
            double[] x = new double[r.p99PerSecond.length];
            Arrays.setAll(x, s -> s);
            double[] y = r.p99PerSecond.clone();
            for (int s = 0; s < y.length; s++) {
                y[s] = Double.isNaN(y[s]) ? 0 : y[s];
            }
            if (x.length > 0) {
                var s = lat.addSeries(r.scenario, x, y);
                s.setMarker(SeriesMarkers.NONE);
                s.setLineColor(palette[i % palette.length]);
            }
            if (!r.scenario.equals("alone") && r.rowsPerSecondSeries.length > 0) {
                double[] rx = new double[r.rowsPerSecondSeries.length];
                Arrays.setAll(rx, s -> s);
                var s = rate.addSeries(r.scenario, rx, r.rowsPerSecondSeries);
                s.setMarker(SeriesMarkers.NONE);
                s.setLineColor(palette[i % palette.length]);
            }
        }
        BitmapEncoder.saveBitmap(lat, out.resolve("p5-latency.png").toString(), BitmapEncoder.BitmapFormat.PNG);
        BitmapEncoder.saveBitmap(rate, out.resolve("p5-backfill.png").toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    private static XYChart chart(String title, String y) {
        XYChart c = new XYChartBuilder().width(1100).height(480).title(title).xAxisTitle("time since the phases began (s)").yAxisTitle(y).build();
        c.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        c.getStyler().setXAxisTickMarkSpacingHint(80);
        return c;
    }
}
