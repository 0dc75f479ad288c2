package io.bgupdate.benchmarks;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntToLongFunction;

import io.bgupdate.api.handler.Batch;
import io.bgupdate.api.handler.UpdateHandler;

/**
 * A handler with a known cost: each item costs {@code nanosPerItem(batchIndex)} nanoseconds, spent
 * sleeping, and no SQL of its own (the runner still commits its progress). Runs until
 * {@link #finish} is called, then completes at its next batch.
 */
final class SyntheticHandler implements UpdateHandler {

    final Calls calls = new Calls();
    private final Probe probe;
    private final IntToLongFunction nanosPerItem;
    private final AtomicBoolean finish = new AtomicBoolean();

    /** @param nanosPerItem the cost per item of the batch with the given index (0 for the first) */
    SyntheticHandler(Probe probe, IntToLongFunction nanosPerItem) {
        this.probe = probe;
        this.nanosPerItem = nanosPerItem;
    }

    void finish() {
        finish.set(true);
    }

    @Override
    public int run(Batch batch) {
        long start = System.nanoTime();
        String owner = probe.take();
        long target = probe.target();
        if (finish.get()) {
            batch.complete();
            return 0;
        }
        int index = calls.size();
        int items = batch.size();
        Wait.sleepNanos(nanosPerItem.applyAsLong(index) * items);
        batch.saveProgress(batch.progress().with("done", batch.progress().getLong("done", 0) + items));
        calls.add(new Call(start, System.nanoTime(), batch.size(), items, owner, target));
        return items;
    }
}
