package io.bgupdate.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.sql.DataSource;

/**
 * Measure 5, each sample in a fresh JVM of its own (same options for all): start to ready, heap
 * and RSS idle and during a back-fill. Three kinds of JVM:
 * <ul>
 * <li>{@code bgupdate}: Felix with the platform bundles and the runner, ready when the
 * BackgroundUpdates service is registered (and, second figure, the runner serves the database);
 * the back-fill is the runner's, unthrottled as in measure 1;
 * <li>{@code platform}: the same Felix without the runner, ready when every bundle is active: the
 * reference for start-up;
 * <li>{@code jdbc}: no OSGi, H2 opened through JDBC and the hand-written loop of measure 1: the
 * reference for memory.
 * </ul>
 */
final class Footprint {

    static final String BGUPDATE = "bgupdate";
    static final String PLATFORM = "platform";
    static final String JDBC = "jdbc";
    static final String CHILD_OPTIONS = "-Xms32m -Xmx512m -XX:+UseG1GC";

    /**
     * @param rows rows of the back-fill
     * @param reps fresh JVMs of each kind
     * @param idleSeconds how long a JVM stays idle before its idle sample
     */
    record Params(long rows, int reps, double idleSeconds) {
    }

    private final Params params;
    private final Path work;
    /** One map of figures per child JVM, by kind. */
    final Map<String, List<Map<String, Double>>> samples = new LinkedHashMap<>();

    Footprint(Params params, Path work) {
        this.params = params;
        this.work = work;
    }

    void run(Log log) throws Exception {
        for (int rep = 0; rep < params.reps(); rep++) {
            for (String kind : List.of(PLATFORM, BGUPDATE, JDBC)) {
                Map<String, Double> figures = child(kind, rep);
                samples.computeIfAbsent(kind, k -> new ArrayList<>()).add(figures);
                log.line("footprint rep %d %-8s %s", rep, kind, figures);
            }
        }
    }

    /** @return the median over the JVMs of one kind of one figure, NaN if absent */
    Stats stats(String kind, String key) {
        List<Double> values = new ArrayList<>();
        for (Map<String, Double> m : samples.getOrDefault(kind, List.of())) {
            if (m.containsKey(key)) {
                values.add(m.get(key));
            }
        }
        return Stats.of(values);
    }

    private Map<String, Double> child(String kind, int rep) throws Exception {
        // a directory of its own: the jdbc JVM must not open a database file an earlier run left behind
        Path dir = Files.createTempDirectory(Files.createDirectories(work), "footprint-" + kind + "-" + rep + "-");
        Path out = dir.resolve("figures.properties");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(CHILD_OPTIONS.split(" ")));
        command.add("-Dbundles.dir=" + System.getProperty("bundles.dir", "target/bundles"));
        command.add("-Djava.awt.headless=true");
        command.add("-cp");
        command.add(System.getProperty("bench.classpath", System.getProperty("java.class.path")));
        command.add(Bench.class.getName());
        command.addAll(List.of("--footprint-child", kind, Long.toString(params.rows()), Double.toString(params.idleSeconds()),
                dir.toString(), out.toString()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("output.txt").toFile()).start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException("footprint child " + kind + " did not finish in 10 minutes; see " + dir);
        }
        if (p.exitValue() != 0 || !Files.exists(out)) {
            throw new IllegalStateException("footprint child " + kind + " failed (exit " + p.exitValue() + "); see "
                    + dir.resolve("output.txt") + ":\n" + Files.readString(dir.resolve("output.txt")));
        }
        Properties props = new Properties();
        try (var in = Files.newInputStream(out)) {
            props.load(in);
        }
        Map<String, Double> figures = new LinkedHashMap<>();
        for (String k : new java.util.TreeSet<>(props.stringPropertyNames())) {
            figures.put(k, Double.parseDouble(props.getProperty(k)));
        }
        return figures;
    }

    // ---- in the child JVM ------------------------------------------------------------------------

    /** The child's main: {@code kind rows idleSeconds workDir outFile}. */
    static void child(String[] args) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        String kind = args[0];
        long rows = Long.parseLong(args[1]);
        double idle = Double.parseDouble(args[2]);
        Path work = Path.of(args[3]);
        Path out = Path.of(args[4]);
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        Map<String, Double> f = new LinkedHashMap<>();
        switch (kind) {
            case BGUPDATE, PLATFORM -> {
                try (Host host = new Host(work, kind.equals(BGUPDATE))) {
                    f.put("ready.ms", host.readyNanos / 1e6);
                    f.put("serving.ms", host.servingNanos / 1e6);
                    f.put("jvm.ready.ms", (double) (System.currentTimeMillis() - jvmStart));
                    idle(f, idle);
                    if (kind.equals(BGUPDATE)) {
                        DataSource ds = host.dataSource();
                        BackfillTable.create(ds, "footprint", rows);
                        Probe probe = new Probe();
                        host.controller(new FixedController("unthrottled", 1000, probe, OptionalInt.of(1000)), 1000);
                        TableHandler handler = new TableHandler("footprint", probe);
                        CompletableFuture<Void> done = host.updates().whenCompleted("footprint", Host.DB).toCompletableFuture();
                        sampleWhile(f, () -> {
                            host.handler("footprint", handler);
                            done.get(10, TimeUnit.MINUTES);
                        });
                        if (!BackfillTable.exactlyOnce(BackfillTable.check(ds, "footprint"))) {
                            throw new IllegalStateException("footprint back-fill: rows wrong");
                        }
                    }
                }
            }
            case JDBC -> {
                long t0 = System.nanoTime();
                org.h2.jdbcx.JdbcDataSource ds = new org.h2.jdbcx.JdbcDataSource();
                ds.setURL("jdbc:h2:file:" + work.resolve("jdbc").toAbsolutePath() + ";DB_CLOSE_ON_EXIT=FALSE");
                try (Connection keepOpen = ds.getConnection()) {
                    f.put("ready.ms", (System.nanoTime() - t0) / 1e6);
                    f.put("serving.ms", (System.nanoTime() - t0) / 1e6);
                    f.put("jvm.ready.ms", (double) (System.currentTimeMillis() - jvmStart));
                    idle(f, idle);
                    BackfillTable.create(ds, "footprint", rows);
                    sampleWhile(f, () -> Overhead.loop(ds, "footprint", -1, 10_000));
                    if (!BackfillTable.exactlyOnce(BackfillTable.check(ds, "footprint"))) {
                        throw new IllegalStateException("footprint back-fill: rows wrong");
                    }
                }
            }
            default -> throw new IllegalArgumentException("unknown kind " + kind);
        }
        Properties props = new Properties();
        f.forEach((k, v) -> props.setProperty(k, Double.toString(v)));
        try (var o = Files.newOutputStream(out)) {
            props.store(o, kind);
        }
    }

    private static void idle(Map<String, Double> f, double seconds) {
        Wait.sleepNanos((long) (seconds * 1e9));
        System.gc();
        System.gc();
        Wait.sleepMillis(200);
        f.put("idle.heap.mb", heapUsedMb());
        f.put("idle.rss.mb", procStatus("VmRSS"));
    }

    private interface Work {
        void run() throws Exception;
    }

    /** Runs the work while sampling heap and RSS every 20 ms; records their peaks and means. */
    private static void sampleWhile(Map<String, Double> f, Work work) throws Exception {
        List<Double> heap = new ArrayList<>();
        List<Double> rss = new ArrayList<>();
        AtomicBoolean running = new AtomicBoolean(true);
        Thread sampler = new Thread(() -> {
            while (running.get()) {
                synchronized (heap) {
                    heap.add(heapUsedMb());
                    rss.add(procStatus("VmRSS"));
                }
                Wait.sleepMillis(20);
            }
        }, "footprint-sampler");
        sampler.setDaemon(true);
        long t0 = System.nanoTime();
        sampler.start();
        try {
            work.run();
        } finally {
            running.set(false);
            sampler.join(1000);
        }
        synchronized (heap) {
            f.put("backfill.seconds", (System.nanoTime() - t0) / 1e9);
            f.put("backfill.heap.peak.mb", Stats.of(heap).max());
            f.put("backfill.heap.mean.mb", Stats.of(heap).mean());
            f.put("backfill.rss.peak.mb", Stats.of(rss).max());
            f.put("backfill.rss.mean.mb", Stats.of(rss).mean());
        }
        f.put("hwm.rss.mb", procStatus("VmHWM"));
    }

    static double heapUsedMb() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1048576.0;
    }

    /** @return a {@code kB} line of /proc/self/status in MiB, NaN where there is none */
    static double procStatus(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(key + ":")) {
                    return Long.parseLong(line.substring(key.length() + 1).replace("kB", "").trim()) / 1024.0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }
}
