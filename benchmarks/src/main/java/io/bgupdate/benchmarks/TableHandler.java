package io.bgupdate.benchmarks;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;

import io.bgupdate.api.handler.Batch;
import io.bgupdate.api.handler.Progress;
import io.bgupdate.api.handler.UpdateHandler;

/**
 * The runner's back-fill handler: {@link BackfillTable#batch}, its progress saved with it, and
 * optionally a known extra cost per row (slept), recording every call.
 */
final class TableHandler implements UpdateHandler {

    final String table;
    final Calls calls = new Calls();
    /** Extra cost per row, in nanoseconds, spent sleeping after the SQL. */
    final AtomicLong nanosPerItem = new AtomicLong();
    /** Time spent in {@link #estimateRemaining}, which the runner calls outside the handler call. */
    final AtomicLong estimateNanos = new AtomicLong();
    final AtomicLong estimates = new AtomicLong();
    /** Makes the next batch complete the update, whatever is left. */
    final java.util.concurrent.atomic.AtomicBoolean finish = new java.util.concurrent.atomic.AtomicBoolean();
    private final Probe probe;
    private final TimedDataSource timed;

    TableHandler(String table, Probe probe) {
        this(table, probe, null);
    }

    /** @param timed the attribution data source to tell when the handler runs, or {@code null} */
    TableHandler(String table, Probe probe, TimedDataSource timed) {
        this.table = table;
        this.probe = probe;
        this.timed = timed;
    }

    @Override
    public int run(Batch batch) throws Exception {
        long start = System.nanoTime();
        if (timed != null) {
            timed.inHandler = true;
        }
        try {
            return runTimed(batch, start);
        } finally {
            if (timed != null) {
                timed.inHandler = false;
            }
        }
    }

    private int runTimed(Batch batch, long start) throws Exception {
        String owner = probe.take();
        if (finish.get()) {
            batch.complete();
            return 0;
        }
        long from = batch.progress().getLong("last_id", 0);
        BackfillTable.Step step = BackfillTable.batch(batch.connection(), table, from, batch.size());
        if (step.items() == 0) {
            batch.complete();
        } else {
            batch.saveProgress(batch.progress().with("last_id", step.last()));
        }
        Wait.sleepNanos(nanosPerItem.get() * step.items());
        calls.add(new Call(start, System.nanoTime(), batch.size(), step.items(), owner, probe.target()));
        return step.items();
    }

    @Override
    public OptionalLong estimateRemaining(Connection c, Progress progress) throws SQLException {
        long t0 = System.nanoTime();
        if (timed != null) {
            timed.inHandler = true;
        }
        try (PreparedStatement p = c.prepareStatement("SELECT COUNT(*) FROM " + table + " WHERE id > ?")) {
            p.setLong(1, progress.getLong("last_id", 0));
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                return OptionalLong.of(rs.getLong(1));
            }
        } finally {
            if (timed != null) {
                timed.inHandler = false;
            }
            estimates.incrementAndGet();
            estimateNanos.addAndGet(System.nanoTime() - t0);
        }
    }
}
