package io.bgupdate.benchmarks;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import org.osgi.framework.ServiceRegistration;

import io.bgupdate.api.BackgroundUpdates;
import io.bgupdate.api.RunnerState;
import io.bgupdate.api.handler.UpdateHandler;

/**
 * Measure 1: the same back-fill over the same rows, four ways, on the same database: one bulk
 * {@code UPDATE}; a hand-written JDBC loop of primary-key-range batches that commits a progress row
 * with each batch; and the runner, unthrottled (a controller that never waits), once with a large
 * target duration and once with Synapse's default 100 ms. The order rotates with each repetition.
 * Then an attribution run of the runner's time between batches, and 1b: the runner's default
 * first batch on the same back-fill.
 */
final class Overhead {

    /**
     * @param rows rows of the table
     * @param reps repetitions of the four ways
     * @param loopBatch rows per batch of the JDBC loop
     * @param targetMillis the large batch duration the runner's controller asks for
     * @param shortTargetMillis the second, Synapse's default
     * @param firstBatch the first batch size the runner's controller asks for
     * @param defaultRows rows of the back-fill of 1b
     * @param defaultSeconds the longest a trial of 1b may run
     * @param defaultTrials trials of 1b
     */
    record Params(long rows, int reps, int loopBatch, long targetMillis, long shortTargetMillis, int firstBatch, long defaultRows,
            double defaultSeconds, int defaultTrials) {
    }

    /** One way of doing the back-fill, once. */
    record Run(String way, int rep, double seconds, long rows, boolean exactlyOnce, int batches,
            double medianBatch, double medianGapMicros, double outsidePerBatchMicros, double firstBatchMillis,
            double commitPerBatchMicros, double progressPerBatchMicros, double handlerSeconds, long estimates, double estimateMillis,
            double medianHandlerMillis, double medianCycleMillis) {

        double rowsPerSecond() {
            return rows / seconds;
        }
    }

    /**
     * Where the runner's time outside the handler goes, per batch, from one run on a
     * {@link TimedDataSource}: µs per batch of each kind of call, and the JDBC loop's commit at the
     * runner's median batch size on the same database.
     */
    record Attribution(long targetMillis, int batches, double medianBatch, double outsideMicros, double connectMicros,
            double closeMicros, double executeMicros, double commitMicros, double otherJdbcMicros, double estimateMicros,
            double javaMicros, double connectionsPerBatch, double statementsPerBatch, double loopCommitMicros,
            double loopProgressMicros, double loopRowsPerSecond, double runnerRowsPerSecond) {

        /** @return the runner's own work per batch: outside the handler, but neither the commit nor the handler's estimate */
        double ownMicros() {
            return outsideMicros - commitMicros - estimateMicros;
        }
    }

    /**
     * One trial of 1b: the runner's default first batch (100 rows) on the same back-fill.
     *
     * @param firstBatchMicros how long the first handler call took, as the handler measured it
     * @param firstReportedMillis how long the runner said it took (what its sizing uses)
     * @param secondBatch the size of the second batch
     * @param rowsPerSecond rows processed per second until done or the time limit
     * @param shareOfOne share of the batches of 1 row
     * @param finished whether the back-fill finished within the limit
     */
    record DefaultTrial(double firstBatchMicros, long firstReportedMillis, int secondBatch, double rowsPerSecond, double shareOfOne,
            int batches, boolean finished) {
    }

    static final String BULK = "bulk UPDATE";
    static final String LOOP = "JDBC loop";
    static final String RUNNER = "runner";
    static final String RUNNER_SHORT = "runner, short target";
    static final String LOOP_LARGE = "JDBC loop, runner-sized";
    /** The batch size of {@link #LOOP_LARGE} before the runner has run. */
    static final int LOOP_LARGE_DEFAULT = 100_000;

    private final Host host;
    private final Params params;
    /** The database measured: the runner's name for it, and its DataSource ({@code null}: the embedded H2). */
    final String database;
    private final DataSource dataSource;
    final List<Run> runs = new ArrayList<>();
    Attribution attribution;
    final List<DefaultTrial> defaultTrials = new ArrayList<>();

    Overhead(Host host, Params params) {
        this(host, params, Host.DB, null);
    }

    /** On another database the runner serves: the five ways only (no attribution run, no 1b). */
    Overhead(Host host, Params params, String database, DataSource dataSource) {
        this.host = host;
        this.params = params;
        this.database = database;
        this.dataSource = dataSource;
    }

    private boolean embedded() {
        return database.equals(Host.DB);
    }

    Params params() {
        return params;
    }

    void run(Log log) throws Exception {
        DataSource ds = embedded() ? host.dataSource() : dataSource;
        List<String> ways = List.of(BULK, LOOP, RUNNER, RUNNER_SHORT, LOOP_LARGE);
        // warm-up: the JIT compiles H2's, the runner's and the harness's paths before anything counts
        for (int k = 0; k < ways.size(); k++) {
            String table = "bench_warmup_" + k;
            BackfillTable.create(ds, table, Math.max(1000, params.rows() / 10));
            once(ds, ways.get(k), table, -1);
            BackfillTable.drop(ds, table);
        }
        log.line("overhead on %s: warmed up", database);
        for (int rep = 0; rep < params.reps(); rep++) {
            for (int k = 0; k < ways.size(); k++) {
                String way = ways.get((k + rep) % ways.size());
                String table = "bench_overhead_" + rep + "_" + k;
                BackfillTable.create(ds, table, params.rows());
                System.gc();
                Run r = once(ds, way, table, rep);
                BackfillTable.drop(ds, table);
                runs.add(r);
                log.line("overhead %s rep %d %-20s %8.0f rows/s  %6.2f s  %4d batches, median %,.0f rows  %s", database, rep, way,
                        r.rowsPerSecond(), r.seconds(), r.batches(), r.medianBatch(),
                        r.exactlyOnce() ? "every row exactly once" : "ROWS WRONG");
            }
        }
        if (!embedded()) {
            return;
        }
        attribution = attribute();
        log.line("overhead: attribution %s", attribution);
        for (int i = 0; i < params.defaultTrials(); i++) {
            DefaultTrial t = defaultFirstBatch(ds, i);
            defaultTrials.add(t);
            log.line("overhead: default first batch, trial %d: %s", i, t);
        }
    }

    private Run once(DataSource ds, String way, String table, int rep) throws Exception {
        return switch (way) {
            case BULK -> bulk(ds, table, rep);
            case LOOP -> loop(ds, table, rep, params.loopBatch());
            case LOOP_LARGE -> relabel(loop(ds, table, rep, runnerBatch()), LOOP_LARGE);
            case RUNNER -> runner(ds, table, rep, RUNNER, params.targetMillis());
            default -> runner(ds, table, rep, RUNNER_SHORT, params.shortTargetMillis());
        };
    }

    /** @return the median batch size of the runner with the large target so far, for the loop that imitates it */
    private int runnerBatch() {
        List<Double> sizes = runs.stream().filter(r -> r.way().equals(RUNNER)).map(Run::medianBatch).toList();
        return sizes.isEmpty() ? LOOP_LARGE_DEFAULT : (int) Stats.of(sizes).median();
    }

    private static Run relabel(Run r, String way) {
        return new Run(way, r.rep(), r.seconds(), r.rows(), r.exactlyOnce(), r.batches(), r.medianBatch(), r.medianGapMicros(),
                r.outsidePerBatchMicros(), r.firstBatchMillis(), r.commitPerBatchMicros(), r.progressPerBatchMicros(),
                r.handlerSeconds(), r.estimates(), r.estimateMillis(), r.medianHandlerMillis(), r.medianCycleMillis());
    }

    private Run bulk(DataSource ds, String table, int rep) throws SQLException {
        long t0 = System.nanoTime();
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            BackfillTable.bulk(c, table);
            c.commit();
        }
        double s = seconds(System.nanoTime() - t0);
        long[] check = BackfillTable.check(ds, table);
        return new Run(BULK, rep, s, params.rows(), BackfillTable.exactlyOnce(check), 1, params.rows(), 0, 0, 0, 0, 0, s, 0, 0, s * 1e3,
                s * 1e3);
    }

    /** The JDBC loop: one connection, per batch the work, the progress row and a commit. */
    static Run loop(DataSource ds, String table, int rep, int batch) throws SQLException {
        List<Double> commits = new ArrayList<>();
        List<Double> progress = new ArrayList<>();
        List<Double> cycles = new ArrayList<>();
        int batches = 0;
        long work = 0;
        long rows = 0;
        long t0 = System.nanoTime();
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS bench_progress (name VARCHAR(255) PRIMARY KEY, last_id BIGINT NOT NULL)");
                s.execute(BackfillTable.resetProgress(c, table));
            }
            c.commit();
            try (PreparedStatement save = c.prepareStatement("UPDATE bench_progress SET last_id = ? WHERE name = ?")) {
                long from = 0;
                while (true) {
                    long b0 = System.nanoTime();
                    BackfillTable.Step step = BackfillTable.batch(c, table, from, batch);
                    long b1 = System.nanoTime();
                    work += b1 - b0;
                    if (step.items() == 0) {
                        c.commit();
                        break;
                    }
                    save.setLong(1, step.last());
                    save.setString(2, table);
                    save.executeUpdate();
                    long b2 = System.nanoTime();
                    c.commit();
                    long b3 = System.nanoTime();
                    commits.add((b3 - b1) / 1e3);
                    progress.add((b2 - b1) / 1e3);
                    cycles.add((b3 - b0) / 1e6);
                    rows += step.items();
                    from = step.last();
                    batches++;
                }
            }
        }
        double s = seconds(System.nanoTime() - t0);
        long[] check = BackfillTable.check(ds, table);
        return new Run(LOOP, rep, s, rows, BackfillTable.exactlyOnce(check), batches, batch, 0, 0, 0,
                Stats.of(commits).median(), Stats.of(progress).median(), seconds(work), 0, 0, Double.NaN, Stats.of(cycles).median());
    }

    /** The runner under a controller ranked 1000 that never waits, from registration of the handler to its completion. */
    private Run runner(DataSource ds, String table, int rep, String way, long targetMillis) throws Exception {
        Probe probe = new Probe();
        ServiceRegistration<?> controller = host.controller(
                new FixedController("unthrottled", targetMillis, probe, OptionalInt.of(params.firstBatch())), 1000);
        try {
            BackgroundUpdates updates = host.updates();
            String name = table + "_backfill";
            TableHandler handler = new TableHandler(table, probe);
            CompletableFuture<Void> done = updates.whenCompleted(name, database).toCompletableFuture();
            AtomicLong doneAt = new AtomicLong();
            done.whenComplete((v, e) -> doneAt.set(System.nanoTime()));
            long t0 = System.nanoTime();
            ServiceRegistration<UpdateHandler> reg = host.handler(name, handler, database);
            try {
                done.get(30, TimeUnit.MINUTES);
            } finally {
                reg.unregister();
            }
            long wall = doneAt.get() - t0;
            List<Call> calls = handler.calls.snapshot();
            List<Double> gaps = new ArrayList<>();
            List<Double> sizes = new ArrayList<>();
            List<Double> handlerMillis = new ArrayList<>();
            List<Double> cycles = new ArrayList<>();
            long inHandler = 0;
            for (int i = 0; i < calls.size(); i++) {
                inHandler += calls.get(i).nanos();
                sizes.add((double) calls.get(i).items());
                if (i > 0) {
                    gaps.add((calls.get(i).start() - calls.get(i - 1).end()) / 1e3);
                }
                // the batches after the first, but not the last one, which finds nothing and completes
                if (i > 0 && i + 1 < calls.size()) {
                    handlerMillis.add(calls.get(i).nanos() / 1e6);
                    cycles.add((calls.get(i + 1).start() - calls.get(i).start()) / 1e6);
                }
            }
            long[] check = BackfillTable.check(ds, table);
            int batches = calls.size();
            return new Run(way, rep, seconds(wall), params.rows(), BackfillTable.exactlyOnce(check), batches,
                    Stats.of(sizes).median(), Stats.of(gaps).median(), (wall - inHandler) / 1e3 / batches,
                    calls.isEmpty() ? 0 : (calls.get(0).start() - t0) / 1e6, 0, 0, seconds(inHandler),
                    handler.estimates.get(), handler.estimateNanos.get() / 1e6, Stats.of(handlerMillis).median(),
                    Stats.of(cycles).median());
        } finally {
            controller.unregister();
        }
    }

    /**
     * One more runner run (short target, many batches) on a second H2 database made by the same
     * factory, behind a {@link TimedDataSource}; then the JDBC loop at the runner's median batch size.
     */
    private Attribution attribute() throws Exception {
        DataSource raw = host.newH2("jdbc:h2:file:" + host.workDir().resolve("attribution").toAbsolutePath() + ";DB_CLOSE_ON_EXIT=FALSE");
        try (Connection keepOpen = raw.getConnection()) {
            TimedDataSource timed = new TimedDataSource(raw);
            ServiceRegistration<DataSource> dsReg = host.dataSource("bench", timed.dataSource());
            Probe probe = new Probe();
            ServiceRegistration<?> controller = host.controller(
                    new FixedController("unthrottled", params.shortTargetMillis(), probe, OptionalInt.of(params.firstBatch())), 1000);
            try {
                BackgroundUpdates updates = host.updates();
                Wait.until("the runner serving database bench", Duration.ofSeconds(30),
                        () -> updates.databases().contains("bench") && updates.status("bench").state() == RunnerState.COMPLETE);
                String table = "bench_attribution";
                BackfillTable.create(raw, table, params.rows());
                TableHandler handler = new TableHandler(table, probe, timed);
                CompletableFuture<Void> done = updates.whenCompleted(table, "bench").toCompletableFuture();
                AtomicLong doneAt = new AtomicLong();
                done.whenComplete((v, e) -> doneAt.set(System.nanoTime()));
                TimedDataSource.Cost[] costs = {timed.connect, timed.close, timed.execute, timed.commit, timed.other};
                long[] startNanos = new long[costs.length];
                long[] startCounts = new long[costs.length];
                for (int i = 0; i < costs.length; i++) {
                    startNanos[i] = costs[i].nanos.get();
                    startCounts[i] = costs[i].count.get();
                }
                long t0 = System.nanoTime();
                ServiceRegistration<UpdateHandler> reg = host.handler(table, handler, "bench");
                try {
                    done.get(30, TimeUnit.MINUTES);
                } finally {
                    reg.unregister();
                }
                long wall = doneAt.get() - t0;
                List<Call> calls = handler.calls.snapshot();
                int n = calls.size();
                long inHandler = calls.stream().mapToLong(Call::nanos).sum();
                double[] per = new double[costs.length];
                double sum = 0;
                for (int i = 0; i < costs.length; i++) {
                    per[i] = (costs[i].nanos.get() - startNanos[i]) / 1e3 / n;
                    sum += per[i];
                }
                double estimate = handler.estimateNanos.get() / 1e3 / n;
                double outside = (wall - inHandler) / 1e3 / n;
                double statements = (double) (timed.execute.count.get() - startCounts[2]) / n;
                double connections = (double) (timed.connect.count.get() - startCounts[0]) / n;
                double median = Stats.of(calls.stream().map(Call::items).toList()).median();
                if (!BackfillTable.exactlyOnce(BackfillTable.check(raw, table))) {
                    throw new IllegalStateException("attribution run: rows wrong");
                }
                BackfillTable.drop(raw, table);
                BackfillTable.create(raw, table, params.rows());
                Run loop = loop(raw, table, -1, (int) Math.max(1, median));
                BackfillTable.drop(raw, table);
                return new Attribution(params.shortTargetMillis(), n, median, outside, per[0], per[1], per[2], per[3], per[4],
                        estimate, outside - sum - estimate, connections, statements, loop.commitPerBatchMicros(),
                        loop.progressPerBatchMicros(), loop.rowsPerSecond(), params.rows() * 1e9 / wall);
            } finally {
                controller.unregister();
                dsReg.unregister();
            }
        }
    }

    /**
     * 1b: the same back-fill with the runner's own first batch (100 rows) under the large-target
     * controller, stopped after {@code defaultSeconds} if it has not finished.
     */
    private DefaultTrial defaultFirstBatch(DataSource ds, int trial) throws Exception {
        String table = "bench_default_" + trial;
        BackfillTable.create(ds, table, params.defaultRows());
        Probe probe = new Probe();
        FixedController fc = new FixedController("unthrottled", params.targetMillis(), probe);
        ServiceRegistration<?> controller = host.controller(fc, 1000);
        TableHandler handler = new TableHandler(table, probe);
        CompletableFuture<Void> done = host.updates().whenCompleted(table, Host.DB).toCompletableFuture();
        AtomicLong doneAt = new AtomicLong();
        done.whenComplete((v, e) -> doneAt.set(System.nanoTime()));
        long t0 = System.nanoTime();
        ServiceRegistration<UpdateHandler> reg = host.handler(table, handler);
        boolean finished;
        long end;
        try {
            try {
                done.get((long) (params.defaultSeconds() * 1000), TimeUnit.MILLISECONDS);
                finished = true;
                end = doneAt.get();
            } catch (java.util.concurrent.TimeoutException e) {
                finished = false;
                end = System.nanoTime();
                handler.finish.set(true);
                done.get(60, TimeUnit.SECONDS);
            }
        } finally {
            reg.unregister();
            controller.unregister();
        }
        List<Call> calls = handler.calls.snapshot();
        long rows = 0;
        long ones = 0;
        for (Call c : calls) {
            if (c.end() <= end) {
                rows += c.items();
            }
            if (c.items() == 1) {
                ones++;
            }
        }
        BackfillTable.drop(ds, table);
        return new DefaultTrial(calls.isEmpty() ? Double.NaN : calls.get(0).nanos() / 1e3, fc.firstReportedMillis.get(),
                calls.size() > 1 ? calls.get(1).size() : -1, rows / seconds(end - t0), calls.isEmpty() ? 0 : (double) ones / calls.size(),
                calls.size(), finished);
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }
}
