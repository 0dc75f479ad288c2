package io.bgupdate.benchmarks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceRegistration;

import io.bgupdate.api.handler.UpdateHandler;

/**
 * Measure 3: the rate-limit controller bundle, configured through Config Admin, throttling a
 * handler whose items cost {@code nanosPerItem} each (slept; unthrottled it would do
 * 1e9/nanosPerItem items/s). For each setting, after a warm-up, items per second and the duty
 * cycle (share of wall time inside handler calls) over the window, against what is configured.
 */
final class RateFidelity {

    /**
     * One configuration of the controller.
     *
     * @param label how the report names it
     * @param rate items/s, 0 for none
     * @param duty the duty cycle, 1 for none
     */
    record Setting(String label, double rate, double duty) {
        boolean limitsRate() {
            return rate > 0;
        }
    }

    /**
     * @param settings the settings, run one after the other on one update
     * @param warmupSeconds left out after each change of setting
     * @param windowSeconds measured
     * @param nanosPerItem the cost of an item
     */
    record Params(List<Setting> settings, double warmupSeconds, double windowSeconds, long nanosPerItem) {
    }

    /**
     * The figures of one setting.
     *
     * @param itemsPerSecond items of the batches that ended in the window after its first batch, over the time from
     *        the end of that first batch to the end of the last: free of the ±1 batch quantization of a fixed window
     * @param windowItemsPerSecond items of the batches that ended in the window, over the window
     * @param perSecond items per 1-s bucket of the window (by batch end)
     * @param dutyPerSecond busy share per 1-s bucket
     * @param spreadRate min and max of items/s over 10-s sub-windows
     */
    record Result(Setting setting, double itemsPerSecond, double windowItemsPerSecond, double duty, double[] perSecond,
            double[] dutyPerSecond, double[] spreadRate, double[] spreadDuty, int batches, double medianBatch) {

        /** @return achieved / configured − 1 of the limit that binds (the rate if there is one, else the duty cycle) */
        double error() {
            return setting.limitsRate() ? itemsPerSecond / setting.rate() - 1 : duty / setting.duty() - 1;
        }
    }

    private final Host host;
    final Params params;
    final List<Result> results = new ArrayList<>();

    RateFidelity(Host host, Params params) {
        this.host = host;
        this.params = params;
    }

    void run(Log log) throws Exception {
        Bundle bundle = host.installRateLimit();
        configure(params.settings().get(0));
        bundle.start();
        Probe probe = new Probe();
        SyntheticHandler handler = new SyntheticHandler(probe, i -> params.nanosPerItem());
        String name = "rate_fidelity";
        CompletableFuture<Void> done = host.updates().whenCompleted(name, Host.DB).toCompletableFuture();
        ServiceRegistration<UpdateHandler> reg = host.handler(name, handler);
        try {
            for (int i = 0; i < params.settings().size(); i++) {
                Setting s = params.settings().get(i);
                if (i > 0) {
                    configure(s);
                }
                long from = System.nanoTime() + (long) (params.warmupSeconds() * 1e9);
                long to = from + (long) (params.windowSeconds() * 1e9);
                Wait.sleepNanos(to - System.nanoTime());
                // the batch in flight at the end of the window ends after it: wait for it
                Wait.sleepNanos((long) 0.3e9);
                Result r = measure(s, handler.calls.snapshot(), from, to);
                results.add(r);
                log.line("rate %-28s %8.1f items/s  duty %.3f  error %+.2f %%", s.label(), r.itemsPerSecond(), r.duty(), 100 * r.error());
            }
            handler.finish();
            done.get(60, TimeUnit.SECONDS);
        } finally {
            reg.unregister();
            bundle.stop();
        }
    }

    private void configure(Setting s) throws Exception {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("service.ranking", 2000);
        values.put("rate", s.rate());
        values.put("duty", s.duty());
        host.configure(Host.RATELIMIT_PID, values);
    }

    private Result measure(Setting s, List<Call> calls, long from, long to) {
        int seconds = (int) Math.round((to - from) / 1e9);
        double[] perSecond = new double[seconds];
        double[] busy = new double[seconds];
        long items = 0;
        long busyNanos = 0;
        long firstEnd = -1;
        long lastEnd = -1;
        long itemsAfterFirst = 0;
        List<Double> sizes = new ArrayList<>();
        for (Call c : calls) {
            if (c.end() >= from && c.end() < to) {
                items += c.items();
                if (firstEnd < 0) {
                    firstEnd = c.end();
                } else {
                    itemsAfterFirst += c.items();
                }
                lastEnd = c.end();
                perSecond[(int) Math.min(seconds - 1, (c.end() - from) / 1_000_000_000L)] += c.items();
                sizes.add((double) c.items());
            }
            // busy time, clipped to the window and split over the buckets it covers
            long a = Math.max(c.start(), from);
            long b = Math.min(c.end(), to);
            for (long t = a; t < b; ) {
                int bucket = (int) ((t - from) / 1_000_000_000L);
                long bucketEnd = from + (bucket + 1) * 1_000_000_000L;
                long upto = Math.min(b, bucketEnd);
                busy[Math.min(seconds - 1, bucket)] += (upto - t) / 1e9;
                busyNanos += upto - t;
                t = upto;
            }
        }
        double window = (to - from) / 1e9;
        int sub = Math.max(1, Math.min(10, seconds));
        List<Double> subRates = new ArrayList<>();
        List<Double> subDuties = new ArrayList<>();
        for (int k = 0; k + sub <= seconds; k += sub) {
            double it = 0;
            double bu = 0;
            for (int j = k; j < k + sub; j++) {
                it += perSecond[j];
                bu += busy[j];
            }
            subRates.add(it / sub);
            subDuties.add(bu / sub);
        }
        Stats rates = Stats.of(subRates);
        Stats duties = Stats.of(subDuties);
        double rate = lastEnd > firstEnd ? itemsAfterFirst / ((lastEnd - firstEnd) / 1e9) : items / window;
        return new Result(s, rate, items / window, busyNanos / 1e9 / window, perSecond, busy,
                new double[] {rates.min(), rates.max()}, new double[] {duties.min(), duties.max()}, sizes.size(),
                Stats.of(sizes).median());
    }
}
