package io.bgupdate.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import javax.sql.DataSource;

import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceRegistration;

import io.bgupdate.api.controller.BackgroundUpdateController;
import io.bgupdate.api.handler.UpdateHandler;

/**
 * Measure 4: while a back-fill runs, the controller in force is swapped {@code swaps} times by
 * registering and unregistering a controller service, then {@code swaps} times by stopping and
 * starting the rate-limit controller bundle (configured not to throttle). After each swap the
 * harness waits for the first batch entered by the new controller. At the end the back-fill is
 * finished unthrottled and every row must have been processed exactly once.
 */
final class HotSwap {

    /**
     * @param rows rows of the back-fill
     * @param swaps swaps of each kind
     * @param targetMillis the batch duration every controller asks for (short, so that the batch
     *        in flight at a swap is short)
     * @param nanosPerItem extra cost per row, so that the rows last through the swaps
     */
    record Params(long rows, int swaps, long targetMillis, long nanosPerItem) {
    }

    /** One swap: its kind, how long the swap call took, and how long until the first batch under the new controller started. */
    record Swap(String kind, double callMillis, double toFirstBatchMillis) {
    }

    static final String REGISTER = "register";
    static final String UNREGISTER = "unregister";
    static final String BUNDLE_START = "bundle start";
    static final String BUNDLE_STOP = "bundle stop";

    private final Host host;
    final Params params;
    final List<Swap> swaps = new ArrayList<>();
    long[] check;
    long batches;
    long abandoned;
    long enteredNotExited;
    long failedBatches;
    long timeouts;

    HotSwap(Host host, Params params) {
        this.host = host;
        this.params = params;
    }

    void run(Log log) throws Exception {
        DataSource ds = host.dataSource();
        String table = "bench_hotswap";
        BackfillTable.create(ds, table, params.rows());
        Probe probe = new Probe();
        FixedController base = new FixedController("base", params.targetMillis(), probe, OptionalInt.of(50));
        ServiceRegistration<BackgroundUpdateController> baseReg = host.controller(base, 10);
        List<FixedController> swapped = new ArrayList<>();
        TableHandler handler = new TableHandler(table, probe);
        handler.nanosPerItem.set(params.nanosPerItem());
        String name = table;
        CompletableFuture<Void> done = host.updates().whenCompleted(name, Host.DB).toCompletableFuture();
        ServiceRegistration<UpdateHandler> reg = host.handler(name, handler);
        Bundle rateLimit = host.installRateLimit();
        try {
            Wait.until("the back-fill's first batches", Duration.ofSeconds(30), () -> handler.calls.size() >= 5);
            for (int i = 0; i < params.swaps(); i++) {
                FixedController next = new FixedController("swap-" + i, params.targetMillis(), probe);
                swapped.add(next);
                long t0 = System.nanoTime();
                ServiceRegistration<BackgroundUpdateController> r = host.controller(next, 500);
                long t1 = System.nanoTime();
                await(REGISTER, handler, t0, t1, next.tag::equals);
                t0 = System.nanoTime();
                r.unregister();
                t1 = System.nanoTime();
                await(UNREGISTER, handler, t0, t1, base.tag::equals);
                if (done.isDone()) {
                    throw new IllegalStateException("the back-fill completed during the swaps: give it more rows");
                }
            }
            log.line("hot swap: %d register/unregister swaps done", 2 * params.swaps());
            Map<String, Object> unthrottled = new LinkedHashMap<>();
            unthrottled.put("service.ranking", 500);
            unthrottled.put("rate", 0.0);
            unthrottled.put("duty", 1.0);
            unthrottled.put("duration.max", params.targetMillis());
            host.configure(Host.RATELIMIT_PID, unthrottled);
            for (int i = 0; i < params.swaps(); i++) {
                long t0 = System.nanoTime();
                rateLimit.start();
                long t1 = System.nanoTime();
                await(BUNDLE_START, handler, t0, t1, Objects::isNull);
                t0 = System.nanoTime();
                rateLimit.stop();
                t1 = System.nanoTime();
                await(BUNDLE_STOP, handler, t0, t1, base.tag::equals);
                if (done.isDone()) {
                    throw new IllegalStateException("the back-fill completed during the swaps: give it more rows");
                }
            }
            log.line("hot swap: %d bundle stop/start swaps done", 2 * params.swaps());
            // finish unthrottled and check every row
            handler.nanosPerItem.set(0);
            FixedController finish = new FixedController("finish", 1000, probe, OptionalInt.of(1000));
            swapped.add(finish);
            host.controller(finish, 900);
            done.get(10, TimeUnit.MINUTES);
        } finally {
            reg.unregister();
            baseReg.unregister();
            if (rateLimit.getState() == Bundle.ACTIVE) {
                rateLimit.stop();
            }
        }
        check = BackfillTable.check(ds, table);
        BackfillTable.drop(ds, table);
        List<FixedController> all = new ArrayList<>(swapped);
        all.add(base);
        for (FixedController c : all) {
            abandoned += c.abandoned.get();
            enteredNotExited += c.entered.get() - c.exited.get();
            failedBatches += c.failed.get();
        }
        batches = handler.calls.size();
        log.line("hot swap: rows %s, %d batches, %d abandoned entries, %d entered but not exited, %d failed, %d timeouts",
                java.util.Arrays.toString(check), batches, abandoned, enteredNotExited, failedBatches, timeouts);
    }

    /** Waits for the first batch after {@code t0} entered by the controller the test accepts, and records the swap. */
    private void await(String kind, TableHandler handler, long t0, long t1, Predicate<String> owner) {
        int from = Math.max(0, handler.calls.size() - 2);
        Call[] first = new Call[1];
        try {
            Wait.until(kind + " swap", Duration.ofSeconds(10), () -> (first[0] = handler.calls.firstFrom(from, t0, owner)) != null);
            swaps.add(new Swap(kind, (t1 - t0) / 1e6, (first[0].start() - t0) / 1e6));
        } catch (IllegalStateException timedOut) {
            timeouts++;
            swaps.add(new Swap(kind, (t1 - t0) / 1e6, Double.NaN));
        }
    }

    /** @return the swaps of one kind */
    List<Swap> of(String kind) {
        return swaps.stream().filter(s -> s.kind().equals(kind)).toList();
    }
}
