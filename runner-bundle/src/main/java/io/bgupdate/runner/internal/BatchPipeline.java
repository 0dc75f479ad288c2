package io.bgupdate.runner.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.bgupdate.api.controller.BatchResult;
import io.bgupdate.api.controller.Iteration;
import io.bgupdate.api.handler.Progress;
import io.bgupdate.api.handler.UpdateHandler;

/**
 * One batch of an update, the data path, top to bottom: the controller in force is asked for an
 * iteration and entered (it may wait there), the batch is sized from the desired duration, the
 * handler runs in a transaction, the transaction commits the handler's work with the new
 * progress, and the iteration is exited with what the batch did.
 *
 * <p>Whatever a plug-in or the database throws (any {@link Throwable}): the transaction is
 * rolled back unless it committed, auto-commit is switched back on only once nothing is open
 * (under JDBC that switch would commit), the iteration is exited exactly once, and the outcome
 * says whose fault it was: a handler's failure counts towards the abort, a failed save or commit
 * never does.
 */
final class BatchPipeline {

    private static final Logger LOG = LoggerFactory.getLogger(BatchPipeline.class);
    /** How often a wait for the controller looks at the pause, which another host may have set. */
    static final long PAUSE_POLL_MILLIS = 2_000;

    /** How a batch ended, for the thread that runs the batches. */
    enum Kind {
        /** The handler never ran: stopped, paused, the controllers changed or could not be entered. */
        ABANDONED,
        /** The handler's work and the new progress were committed. */
        COMMITTED,
        /** The handler failed; its work was rolled back. Counts towards the abort. */
        HANDLER_FAILED,
        /** The database failed (connection, save, commit or rollback): nothing was committed; the session must be opened anew. */
        DATABASE_FAILED
    }

    /** A batch's outcome: what the controller was told, and for {@link Kind#DATABASE_FAILED} the cause. */
    record Outcome(Kind kind, BatchResult result, Optional<Throwable> cause) {

        static Outcome of(Kind kind, BatchResult result) {
            return new Outcome(kind, result, result.failure());
        }
    }

    private final String databaseName;
    private final DataSource dataSource;
    private final Controllers controllers;
    private final ControllerCalls calls;
    private final Supplier<Settings> settings;
    private final Signals signals;
    private final Map<String, BatchSizing> performance = new HashMap<>();

    BatchPipeline(String databaseName, DataSource dataSource, Controllers controllers, ControllerCalls calls,
            Supplier<Settings> settings, Signals signals) {
        this.databaseName = databaseName;
        this.dataSource = dataSource;
        this.controllers = controllers;
        this.calls = calls;
        this.settings = settings;
        this.signals = signals;
    }

    /**
     * Runs one batch of {@code update} in the session. A change of the controllers or of the
     * pause since {@code seen} (see {@link Signals#changes()}) abandons it before its handler runs.
     *
     * @throws SQLException only if reading the pause failed before the handler ran
     */
    Outcome run(Session session, CurrentRun update, UpdateHandler handler, int maxBatchSize, long seen) throws SQLException {
        Controllers.Chosen controller = controllers.active();
        boolean oneShot = oneShot(handler);
        Iteration iteration = calls.onUpdate(controller, update.name, oneShot);
        Outcome outcome = Outcome.of(Kind.ABANDONED, BatchResult.abandoned());
        try {
            Optional<Long> desiredMillis = enter(session, controller, iteration, seen);
            if (desiredMillis.isEmpty() && !signals.isAbandoned(seen)) { // the controller failed: the default decides this batch
                calls.exit(controller, iteration, BatchResult.abandoned());
                controller = controllers.builtIn();
                iteration = calls.onUpdate(controller, update.name, oneShot);
                desiredMillis = enter(session, controller, iteration, seen);
            }
            if (desiredMillis.isEmpty() || session.store.state(session.connection).paused()) { // stopped, swapped, paused anywhere
                return outcome;
            }
            int size = batchSize(controller, update.name, desiredMillis.get(), maxBatchSize);
            outcome = execute(session, update, handler, size);
            return outcome;
        } finally {
            calls.exit(controller, iteration, outcome.result());
        }
    }

    /** @return the desired duration; empty if entering failed or the wait was abandoned */
    private Optional<Long> enter(Session session, Controllers.Chosen controller, Iteration iteration, long seen) {
        Optional<CompletableFuture<Long>> entered = calls.enter(controller, iteration);
        if (entered.isEmpty()) {
            return Optional.empty();
        }
        if (!signals.await(entered.get(), seen, PAUSE_POLL_MILLIS, () -> pausedElsewhere(session))) {
            if (!entered.get().isDone()) {
                calls.abandon(controller, iteration);
            }
            entered.get().cancel(true);
            return Optional.empty();
        }
        return calls.desiredMillis(controller, entered.get());
    }

    private boolean pausedElsewhere(Session session) {
        try {
            return session.store.state(session.connection).paused();
        } catch (SQLException e) {
            LOG.debug("Database {}: could not read the pause while waiting for the controller", databaseName, e);
            return true;
        }
    }

    /**
     * The configured sizing: from the measured speed and the desired duration, else the
     * controller's default; at most the smaller of the configured and the handler's maximum.
     */
    private int batchSize(Controllers.Chosen controller, String update, long desiredMillis, int maxBatchSize) {
        Settings s = settings.get();
        return performance(update).nextBatchSize(desiredMillis,
                () -> calls.size(controller, "minBatchSize", controller.controller()::minBatchSize, update, s.minBatchSize()),
                () -> calls.size(controller, "defaultBatchSize", controller.controller()::defaultBatchSize, update,
                        s.defaultBatchSize()), s.sizing().maxFor(maxBatchSize));
    }

    BatchSizing performance(String update) {
        return performance.computeIfAbsent(update, n -> settings.get().sizing().create());
    }

    /**
     * The handler in one transaction, then the save of its progress and the commit, timed from
     * the handler call to the commit, both included (the controller's desired duration is a
     * promise about the whole transaction, as in Synapse, whose handlers commit inside their
     * timed call). The history's busy time is written inside the transaction, so it leaves out
     * the commit itself. Rolls back unless committed.
     */
    private Outcome execute(Session session, CurrentRun update, UpdateHandler handler, int size) {
        Connection c = session.connection;
        long start = System.nanoTime();
        boolean committed = false;
        try {
            c.setAutoCommit(false);
            start = System.nanoTime();
            int items;
            Optional<Progress> next;
            Duration elapsed;
            try {
                TransactionBatch batch = new TransactionBatch(update.name, databaseName, update.progress, size, c,
                        session.dialect(), dataSource);
                items = batch.execute(handler); // the handler, or a ready-made update executed through the dialect
                elapsed = Duration.ofNanos(System.nanoTime() - start);
                if (items < 0) {
                    throw new IllegalStateException("handler of " + update.name + " returned " + items + " items");
                }
                next = batch.outcome();
            } catch (Throwable t) { // a plug-in's fault, whatever it is (a bundle being updated throws LinkageErrors)
                BatchResult failed = BatchResult.failed(size, Duration.ofNanos(System.nanoTime() - start), t);
                return Outcome.of(isConnectionFailure(t, c) ? Kind.DATABASE_FAILED : Kind.HANDLER_FAILED, failed);
            }
            session.store.saveBatch(c, update.name, update.run.id(), update.progressText, next, items, elapsed.toMillis(),
                    Instant.now());
            c.commit();
            committed = true;
            BatchResult result = BatchResult.completed(size, items, Duration.ofNanos(System.nanoTime() - start));
            update.committed(result, next);
            return Outcome.of(Kind.COMMITTED, result);
        } catch (SQLException | RuntimeException | Error e) { // the save, the commit or the connection
            return new Outcome(Kind.DATABASE_FAILED,
                    BatchResult.failed(size, Duration.ofNanos(System.nanoTime() - start), e), Optional.of(e));
        } finally {
            if (!committed) {
                rollback(c);
            } else {
                restoreAutoCommit(c);
            }
        }
    }

    private static boolean oneShot(UpdateHandler handler) {
        try {
            return handler.oneShot();
        } catch (Throwable t) {
            return false;
        }
    }

    private static boolean isConnectionFailure(Throwable t, Connection c) {
        return t instanceof SQLException e && Dialect.isConnectionFailure(e, c);
    }

    /** Rolls back; only then turns auto-commit back on. If the rollback fails the connection is aborted, never committed. */
    private void rollback(Connection c) {
        try {
            if (!c.getAutoCommit()) {
                c.rollback();
                c.setAutoCommit(true);
            }
        } catch (SQLException | RuntimeException e) {
            LOG.debug("Database {}: rollback failed; the session is aborted", databaseName, e);
            Session.abort(c);
        }
    }

    private void restoreAutoCommit(Connection c) {
        try {
            c.setAutoCommit(true);
        } catch (SQLException | RuntimeException e) {
            Session.abort(c); // committed already; the next use finds the session broken
        }
    }
}
