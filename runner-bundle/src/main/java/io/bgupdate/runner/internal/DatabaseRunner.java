package io.bgupdate.runner.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.bgupdate.api.DatabaseStatus;
import io.bgupdate.api.QueuedUpdate;
import io.bgupdate.api.RunnerState;
import io.bgupdate.api.UpdateRun;

/**
 * One database's runner as the service and the shell see it: its status and the operator's
 * commands, which work on connections of their own. The batches run on a {@link RunnerThread};
 * each batch is a {@link BatchPipeline} run; the lease is a {@link Session}.
 */
final class DatabaseRunner {

    private static final Logger LOG = LoggerFactory.getLogger(DatabaseRunner.class);

    private final String databaseName;
    private final String hostId;
    private final DataSource dataSource;
    private final Controllers controllers;
    private final Handlers handlers;
    private final Faults faults;
    private final Signals signals = new Signals();
    private final RunnerThread thread;

    DatabaseRunner(String databaseName, String hostId, DataSource dataSource, Controllers controllers, Handlers handlers,
            Supplier<Settings> settings) {
        this.databaseName = databaseName;
        this.hostId = hostId;
        this.dataSource = dataSource;
        this.controllers = controllers;
        this.handlers = handlers;
        this.faults = new Faults(databaseName);
        this.thread = new RunnerThread(databaseName, hostId, dataSource, controllers, handlers, settings, signals, faults);
    }

    void start() {
        thread.start();
    }

    /** Stops the runner's thread; see {@link RunnerThread#stop()}. @return whether it ended */
    boolean stop() {
        return thread.stop();
    }

    void handlersChanged() {
        thread.handlersChangedAt = System.nanoTime();
        thread.handlersChanged.set(true);
        thread.queueKnown = false;
        signals.wake();
    }

    void controllersChanged() {
        signals.abandon();
    }

    DatabaseStatus status() {
        List<QueuedUpdate> queueNow = thread.queue;
        Store.State state = new Store.State(false, Optional.empty());
        List<String> errors = new ArrayList<>();
        boolean unreachable = false;
        try {
            Store.State[] read = new Store.State[1];
            queueNow = withConnection((store, c) -> {
                read[0] = store.state(c);
                List<QueuedUpdate> view = new ArrayList<>();
                var registered = handlers.forDatabase(databaseName);
                for (Store.Queued r : store.queue(c)) {
                    view.add(new StatusRecords.Queued(r.name(), r.ordering(), r.dependsOn(), r.progress(), registered.containsKey(r.name())));
                }
                return UpdateQueue.sorted(view);
            });
            state = read[0];
        } catch (IllegalStateException e) {
            errors.add(e.getMessage());
            unreachable = true;
        }
        RunnerState runnerState = state.aborted().isPresent() ? RunnerState.ABORTED
                : state.paused() ? RunnerState.DISABLED
                : thread.queueKnown && queueNow.isEmpty() ? RunnerState.COMPLETE
                : thread.started || thread.runsOn.filter(h -> !h.equals(hostId)).isPresent() ? RunnerState.RUNNING
                : RunnerState.NOT_STARTED;
        errors.addAll(thread.queueErrors);
        errors.addAll(thread.refused.values());
        boolean saidUnreachable = unreachable; // one line per database error, not two
        state.aborted().or(() -> thread.lastError).filter(e -> !(saidUnreachable && e.startsWith("database unavailable")))
                .ifPresent(errors::add);
        return new StatusRecords.Status(databaseName, runnerState, hostId, thread.runsOn, thread.currentStatus, thread.totalItems,
                thread.totalBusyMillis, thread.currentSpeed, queueNow, controllers.active().info(), faults.snapshot(), errors);
    }

    List<UpdateRun> history() {
        return withConnection(Store::history);
    }

    void pause() {
        withConnection((store, c) -> {
            store.setPaused(c, true);
            return null;
        });
        signals.operatorAction();
        LOG.info("Database {}: paused", databaseName);
    }

    /** Clears the pause and an abort, on every host sharing the database. */
    void resume() {
        withConnection((store, c) -> {
            store.setPaused(c, false);
            store.setAborted(c, Optional.empty());
            return null;
        });
        thread.failuresInARow = 0;
        thread.lastError = Optional.empty();
        signals.operatorAction();
        LOG.info("Database {}: resumed", databaseName);
    }

    void startJob(String updateName) {
        Handlers.Registered h = handlers.forDatabase(databaseName).get(updateName);
        if (h == null) {
            throw new IllegalArgumentException("no handler is registered for update '" + updateName + "' on database " + databaseName);
        }
        if (!withConnection((store, c) -> store.enqueue(c, h.name(), h.ordering(), h.dependsOn(), false))) {
            throw new IllegalArgumentException("update '" + updateName + "' is already queued on database " + databaseName);
        }
        LOG.info("Database {}: update {} queued again", databaseName, updateName);
        signals.wake();
    }

    boolean hasCompleted(String updateName) {
        return withConnection((store, c) -> store.hasCompleted(c, updateName));
    }

    CompletionStage<Void> whenCompleted(String updateName) {
        CompletableFuture<Void> f = thread.completions.computeIfAbsent(updateName, n -> new CompletableFuture<>());
        if (hasCompleted(updateName)) {
            thread.completions.remove(updateName, f);
            f.complete(null);
        }
        return f.minimalCompletionStage();
    }

    private interface SqlCall<T> {
        T call(Store store, Connection c) throws SQLException;
    }

    /** Runs a call for another thread (status, commands) on a connection of its own. */
    private <T> T withConnection(SqlCall<T> call) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            Store store = thread.store;
            if (store == null) {
                store = Store.open(c, databaseName);
                thread.store = store;
            }
            return call.call(store, c);
        } catch (SQLException | RuntimeException | Error e) { // the DataSource may be a plug-in's pool: whatever it throws
            throw new IllegalStateException("database " + databaseName + " unavailable: " + e.getMessage(), e);
        }
    }
}
