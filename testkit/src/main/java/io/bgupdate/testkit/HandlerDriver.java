package io.bgupdate.testkit;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

import javax.sql.DataSource;

import io.bgupdate.api.handler.Progress;
import io.bgupdate.api.handler.UpdateHandler;
import io.bgupdate.runner.internal.TransactionBatch;

/**
 * Runs an {@link UpdateHandler} against a {@link DataSource} batch by batch, as the runner does,
 * with the runner's own batch code: one transaction per batch on a guarded connection (commit,
 * rollback and close refused), the work committed together with the progress the handler saved,
 * the update done once the handler {@linkplain io.bgupdate.api.handler.Batch#complete() completes}
 * it, and {@link io.bgupdate.api.handler.IndexUpdate} and
 * {@link io.bgupdate.api.handler.ConstraintValidation} executed with the runner's SQL for the
 * database (H2 or PostgreSQL). A failing batch is rolled back and the progress stays.
 *
 * <pre>
 * DataSource ds = TestDatabases.h2();
 * ... create and fill the tables ...
 * List&lt;BatchRun&gt; batches = HandlerDriver.of(ds, new EventsKindBackfill()).size(500).rollingBackEachBatchOnce().runToCompletion();
 * ... assert every row was updated exactly once ...
 * </pre>
 *
 * <p>{@link #rollingBackEachBatchOnce()} is the exactly-once check: each batch first runs and is
 * rolled back, as when a commit fails or the host dies before it, and then runs again from the
 * same progress and commits. A handler that keeps all its work in the batch's transaction leaves
 * every row as one run would; one that writes elsewhere (another connection, a file, a queue)
 * shows it doubled. Not thread-safe; one driver per test.
 */
public final class HandlerDriver {

    /** The most batches {@link #runToCompletion()} runs before it decides the update never completes. */
    public static final int DEFAULT_MAX_BATCHES = 1_000_000;

    private final DataSource dataSource;
    private final UpdateHandler handler;
    private String updateName = "test_update";
    private String databaseName = "main";
    private int size = 100;
    private int maxBatches = DEFAULT_MAX_BATCHES;
    private boolean rollBackFirst;
    private Progress progress = Progress.empty();
    private boolean complete;

    private HandlerDriver(DataSource dataSource, UpdateHandler handler) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.handler = Objects.requireNonNull(handler, "handler");
    }

    /**
     * @param dataSource the database the handler works on
     * @param handler the handler
     * @return a driver at empty progress, batches of 100 items
     */
    public static HandlerDriver of(DataSource dataSource, UpdateHandler handler) {
        return new HandlerDriver(dataSource, handler);
    }

    /**
     * @param update the update name the batch tells the handler ({@code test_update} by default)
     * @param database the database name ({@code main} by default)
     * @return this driver
     */
    public HandlerDriver named(String update, String database) {
        this.updateName = Objects.requireNonNull(update, "update");
        this.databaseName = Objects.requireNonNull(database, "database");
        return this;
    }

    /**
     * @param items the batch size of every following batch, at least 1
     * @return this driver
     */
    public HandlerDriver size(int items) {
        if (items < 1) {
            throw new IllegalArgumentException("a batch size is at least 1, not " + items);
        }
        this.size = items;
        return this;
    }

    /**
     * @param saved the progress to start from, as a batch committed earlier saved it
     * @return this driver
     */
    public HandlerDriver from(Progress saved) {
        this.progress = Objects.requireNonNull(saved, "saved");
        this.complete = false;
        return this;
    }

    /**
     * @param batches the most batches {@link #runToCompletion()} runs
     * @return this driver
     */
    public HandlerDriver maxBatches(int batches) {
        this.maxBatches = batches;
        return this;
    }

    /**
     * Makes every following committed batch run twice: once rolled back, as when its commit
     * fails, then again from the same progress, committed. See the class description.
     *
     * @return this driver
     */
    public HandlerDriver rollingBackEachBatchOnce() {
        this.rollBackFirst = true;
        return this;
    }

    /** @return the progress the last committed batch saved (the starting progress before the first) */
    public Progress progress() {
        return progress;
    }

    /** @return whether a committed batch completed the update */
    public boolean isComplete() {
        return complete;
    }

    /**
     * Runs batches until the handler completes the update.
     *
     * @return the committed batches, in order
     * @throws AssertionError if it does not complete within the most batches, or a batch
     *         breaks the runner's rules (no progress saved, fewer than 0 items)
     * @throws Exception the first failure of the handler, its batch rolled back
     */
    public List<BatchRun> runToCompletion() throws Exception {
        List<BatchRun> runs = new ArrayList<>();
        while (!complete) {
            if (runs.size() >= maxBatches) {
                throw new AssertionError("update " + updateName + " did not complete in " + maxBatches + " batches; progress " + progress);
            }
            runs.add(runBatch());
        }
        return runs;
    }

    /**
     * Runs one batch and commits it with its progress.
     *
     * @return the batch
     * @throws Exception the handler's failure, the batch rolled back and the progress unchanged
     */
    public BatchRun runBatch() throws Exception {
        if (complete) {
            throw new IllegalStateException("update " + updateName + " is complete; call from(progress) to run it again");
        }
        if (rollBackFirst) {
            runBatchRolledBack();
        }
        BatchRun run = batch(true);
        progress = run.progressAfter().orElse(progress);
        complete = run.completed();
        return run;
    }

    /**
     * Runs one batch and rolls it back, as when its commit fails: nothing changes, the progress
     * stays, and the batch shows what the handler did and decided.
     *
     * @return the batch
     * @throws Exception the handler's failure
     */
    public BatchRun runBatchRolledBack() throws Exception {
        return batch(false);
    }

    private BatchRun batch(boolean commit) throws Exception {
        OptionalLong remaining;
        try (Connection c = dataSource.getConnection()) {
            remaining = handler.estimateRemaining(c, progress);
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                TransactionBatch batch = TransactionBatch.open(updateName, databaseName, progress, size, c, dataSource);
                int items = batch.execute(handler);
                Optional<Progress> next;
                try {
                    next = batch.outcome();
                } catch (IllegalStateException e) {
                    throw new AssertionError(e.getMessage(), e);
                }
                if (commit) {
                    c.commit();
                } else {
                    c.rollback();
                }
                return new BatchRun(size, items, progress, next, remaining, commit);
            } catch (Exception | Error e) {
                rollback(c, e);
                throw e;
            }
        }
    }

    private static void rollback(Connection c, Throwable cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }
}
