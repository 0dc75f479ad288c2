package io.bgupdate.runner.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.bgupdate.api.CurrentUpdate;
import io.bgupdate.api.DatabaseStatus;
import io.bgupdate.api.QueuedUpdate;
import io.bgupdate.api.RunnerState;
import io.bgupdate.api.UpdateRun;
import io.bgupdate.api.controller.BatchResult;
import io.bgupdate.api.controller.Iteration;
import io.bgupdate.api.handler.Progress;
import io.bgupdate.api.handler.UpdateHandler;

/**
 * Runs one database's background updates on a thread of its own, one batch at a time:
 * queue → controller → batch size → handler → commit → status. See {@link #runBatch}.
 */
final class DatabaseRunner {

    private static final Logger LOG = LoggerFactory.getLogger(DatabaseRunner.class);

    private static final int MAX_FAILURES = 5;
    private static final long MAX_BACKOFF_MILLIS = TimeUnit.MINUTES.toMillis(5);
    /** How often an idle runner looks at the database again, for changes made by other hosts. */
    private static final long IDLE_MILLIS = 2_000;

    private final String databaseName;
    private final String hostId;
    private final DataSource dataSource;
    private final Controllers controllers;
    private final Handlers handlers;
    private final Supplier<Settings> settings;
    private final Faults faults;
    private final ControllerCalls calls;
    private final Thread thread;

    /** Guards {@link #stopping}, {@link #wake}, {@link #changes} and {@link #operatorActions}; the runner thread waits on it. */
    private final Object lock = new Object();
    private boolean stopping;
    /** Something changed (handlers, queue, pause): an idle wait ends. */
    private boolean wake;
    /** Counts changes of the controllers and the pause: a batch prepared before one is abandoned. */
    private long changes;
    /** Counts pauses and resumes: a failure's back-off ends early for these only. */
    private long operatorActions;

    private final AtomicBoolean handlersChanged = new AtomicBoolean(true);
    private final Map<String, CompletableFuture<Void>> completions = new ConcurrentHashMap<>();
    private final Map<String, BatchSizing> performance = new HashMap<>();

    // Written by the runner thread, read by status().
    private volatile Store store;
    private volatile boolean started;
    /** The host that runs this database's updates: this one, another sharing the database, or none known. */
    private volatile Optional<String> runsOn = Optional.empty();
    private volatile List<QueuedUpdate> queue = List.of();
    private volatile List<String> queueErrors = List.of();
    private volatile Optional<String> lastError = Optional.empty();
    private volatile Optional<CurrentUpdate> currentStatus = Optional.empty();
    private volatile OptionalDouble currentSpeed = OptionalDouble.empty();
    private volatile long totalItems;
    private volatile long totalBusyMillis;

    private volatile int failuresInARow;

    // The runner thread's own.
    /** Its session: the batches' transactions and, on PostgreSQL, the lock that makes this host the one that runs the updates. */
    private Connection session;
    private boolean leading;
    private CurrentRun current;

    DatabaseRunner(String databaseName, String hostId, DataSource dataSource, Controllers controllers, Handlers handlers,
            Supplier<Settings> settings) {
        this.databaseName = databaseName;
        this.hostId = hostId;
        this.dataSource = dataSource;
        this.controllers = controllers;
        this.handlers = handlers;
        this.settings = settings;
        this.faults = new Faults(databaseName);
        this.calls = new ControllerCalls(databaseName, controllers, faults);
        this.thread = new Thread(this::loop, "bgupdate-runner-" + databaseName);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Stops the thread: a wait ends at once, a batch in flight finishes (or, after 5 s, is interrupted). */
    void stop() {
        signal(true, () -> stopping = true);
        try {
            thread.join(5_000);
            if (thread.isAlive()) {
                LOG.warn("Database {}: the batch in flight has not finished after 5 s; interrupting it", databaseName);
                thread.interrupt();
                thread.join(5_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        completions.values().forEach(f -> f.cancel(false));
    }

    void handlersChanged() {
        handlersChanged.set(true);
        signal(false, () -> { });
    }

    void controllersChanged() {
        signal(true, () -> { });
    }

    // ---- the loop -------------------------------------------------------------------------

    private void loop() {
        long dbFailures = 0;
        while (!isStopping()) {
            try {
                step();
                dbFailures = 0;
            } catch (SQLException e) { // the database failed, not a handler: reconnect, never abort
                lastError = Optional.of("database unavailable: " + e.getMessage());
                LOG.warn("Database {}: {} (reconnecting)", databaseName, e.toString());
                closeSession();
                sleep(backoff(++dbFailures));
            } catch (RuntimeException e) {
                lastError = Optional.of("internal error: " + e);
                LOG.error("Database {}: unexpected error in the runner (retrying)", databaseName, e);
                sleep(backoff(++dbFailures));
            }
        }
        closeSession();
        LOG.debug("Database {}: runner stopped", databaseName);
    }

    private Connection session() throws SQLException {
        if (session == null) {
            session = dataSource.getConnection();
            session.setAutoCommit(true);
            store(session).dialect().prepareSession(session, hostId);
        }
        return session;
    }

    /** @return the store, its tables created by the first caller */
    private synchronized Store store(Connection c) throws SQLException {
        if (store == null) {
            store = Store.open(c, databaseName);
            LOG.info("Database {}: runner started on {} as host {}", databaseName, store.dialect(), hostId);
        }
        return store;
    }

    private void closeSession() {
        if (leading) {
            LOG.info("Database {}: this host no longer runs the updates", databaseName);
        }
        leading = false;
        if (session != null) {
            try {
                session.close();
            } catch (SQLException e) {
                LOG.debug("Database {}: closing the session failed", databaseName, e);
            }
            session = null;
        }
    }

    /** Looks at the queue and runs one batch, or waits if nothing can run here. */
    private void step() throws SQLException {
        long seen = changes();
        Connection c = session();
        if (handlersChanged.getAndSet(false)) {
            enqueueNewUpdates(c);
        }
        Map<String, Handlers.Registered> registered = handlers.forDatabase(databaseName);
        queue = readQueue(store, c, registered);
        if (!completions.isEmpty()) {
            completeWaiters(c);
        }
        if (!leading && !(leading = store.dialect().tryLead(c))) {
            runsOn = store.dialect().leader(c);
            sleep(IDLE_MILLIS);
            return;
        }
        if (!runsOn.equals(Optional.of(hostId))) {
            runsOn = Optional.of(hostId);
            LOG.info("Database {}: this host ({}) runs the updates", databaseName, hostId);
        }
        Store.State state = store.state(c);
        if (state.paused() || state.aborted().isPresent()) {
            sleep(IDLE_MILLIS);
            return;
        }
        Optional<QueuedUpdate> next = chooseUpdate();
        Handlers.Registered handler = next.map(u -> registered.get(u.name())).orElse(null);
        if (handler == null) {
            sleep(IDLE_MILLIS);
            return;
        }
        if (current == null || !current.name.equals(handler.name())) {
            current = new CurrentRun(handler.name(), store.openRun(c, handler.name(), Instant.now()), next.get().progress());
            LOG.info("Database {}: starting background update {}", databaseName, current.name);
        }
        current.progress = next.get().progress();
        runBatch(current, handler.handler(), handler.maxBatchSize(), seen);
    }

    private static List<QueuedUpdate> readQueue(Store store, Connection c, Map<String, Handlers.Registered> registered)
            throws SQLException {
        List<QueuedUpdate> view = new ArrayList<>();
        for (Store.Queued r : store.queue(c)) {
            view.add(new StatusRecords.Queued(r.name(), r.ordering(), r.dependsOn(), r.progress(), registered.containsKey(r.name())));
        }
        return UpdateQueue.sorted(view);
    }

    /** Keeps the current update until it leaves the queue; otherwise chooses as Synapse does. */
    private Optional<QueuedUpdate> chooseUpdate() throws SQLException {
        if (current != null) {
            Optional<QueuedUpdate> same = queue.stream().filter(u -> u.name().equals(current.name)).findFirst();
            if (same.isPresent()) {
                queueErrors = same.get().hasHandler() ? List.of()
                        : List.of("update " + current.name + " is running but its handler is no longer registered");
                return same;
            }
            current = null;
            publishCurrent();
        }
        UpdateQueue.Choice choice = UpdateQueue.choose(queue, store.completedNames(session)::contains);
        queueErrors = choice.errors();
        choice.errors().forEach(e -> LOG.debug("Database {}: {}", databaseName, e));
        return choice.next();
    }

    // ---- one batch: the data path -----------------------------------------------------------

    /**
     * One batch of an update: the controller in force is asked for an iteration and entered
     * (it may wait there), the batch is sized from its desired duration, the handler runs in a
     * transaction that commits its work with its progress, and the iteration is exited with
     * what the batch did. A change of controllers or of the pause since {@code seen} abandons
     * the batch before its handler runs.
     */
    private void runBatch(CurrentRun update, UpdateHandler handler, int maxBatchSize, long seen) throws SQLException {
        Controllers.Chosen controller = controllers.active();
        boolean oneShot = handler.oneShot();
        Iteration iteration = calls.onUpdate(controller, update.name, oneShot);
        Optional<Long> desiredMillis = enter(controller, iteration, seen);
        if (desiredMillis.isEmpty() && !isAbandoned(seen)) { // the controller failed: the default controller decides this batch
            calls.exit(controller, iteration, BatchResult.abandoned());
            controller = controllers.builtIn();
            iteration = calls.onUpdate(controller, update.name, oneShot);
            desiredMillis = enter(controller, iteration, seen);
        }
        if (desiredMillis.isEmpty() || store.state(session).paused()) { // paused (here or on another host), stopped, or swapped
            calls.exit(controller, iteration, BatchResult.abandoned());
            return;
        }
        int size = batchSize(controller, update, desiredMillis.get(), maxBatchSize);
        BatchResult result = execute(update, handler, size);
        calls.exit(controller, iteration, result);
        if (result.outcome() == BatchResult.Outcome.COMPLETED) {
            committed(update, handler, result);
        } else {
            failed(update, result.failure().orElseThrow());
        }
    }

    /** @return the desired duration; empty if entering failed or the wait was abandoned */
    private Optional<Long> enter(Controllers.Chosen controller, Iteration iteration, long seen) {
        Optional<CompletableFuture<Long>> entered = calls.enter(controller, iteration);
        if (entered.isEmpty()) {
            return Optional.empty();
        }
        if (!awaitEntry(entered.get(), seen)) {
            if (!entered.get().isDone()) {
                calls.abandon(controller, iteration);
            }
            entered.get().cancel(true);
            return Optional.empty();
        }
        return calls.desiredMillis(controller, entered.get());
    }

    /** The configured sizing: from the measured speed and the desired duration, else the controller's default. */
    private int batchSize(Controllers.Chosen controller, CurrentRun update, long desiredMillis, int maxBatchSize) {
        Settings s = settings.get();
        return performance(update.name).nextBatchSize(desiredMillis,
                () -> calls.size(controller, "minBatchSize", controller.controller()::minBatchSize, update.name, s.minBatchSize()),
                () -> calls.size(controller, "defaultBatchSize", controller.controller()::defaultBatchSize, update.name,
                        s.defaultBatchSize()), s.sizing().maxFor(maxBatchSize));
    }

    private BatchSizing performance(String update) {
        return performance.computeIfAbsent(update, n -> settings.get().sizing().create());
    }

    /** Runs the handler in one transaction with its progress; times only the handler call. */
    private BatchResult execute(CurrentRun update, UpdateHandler handler, int size) throws SQLException {
        Connection c = session;
        c.setAutoCommit(false);
        try {
            TransactionBatch batch = new TransactionBatch(update.name, databaseName, update.progress, size, c, store.dialect(), dataSource);
            long start = System.nanoTime();
            try {
                int items = batch.execute(handler);
                Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
                if (items < 0) {
                    throw new IllegalStateException("handler of " + update.name + " returned " + items + " items");
                }
                Optional<Progress> next = batch.outcome();
                store.saveBatch(c, update.name, update.run.id(), update.progress, next, items, elapsed.toMillis(), Instant.now());
                c.commit();
                BatchResult result = BatchResult.completed(size, items, elapsed);
                update.committed(result, next);
                return result;
            } catch (Exception e) {
                rollback(c);
                return BatchResult.failed(size, Duration.ofNanos(System.nanoTime() - start), e);
            }
        } finally {
            c.setAutoCommit(true);
        }
    }

    // ---- after a batch ----------------------------------------------------------------------

    private void committed(CurrentRun update, UpdateHandler handler, BatchResult result) {
        performance(update.name).record(result.items(), result.duration().toNanos() / 1e6);
        started = true;
        failuresInARow = 0;
        lastError = Optional.empty();
        totalItems += result.items();
        totalBusyMillis += result.durationMillis();
        if (update.isComplete()) {
            LOG.info("Database {}: background update {} complete ({} items, {} ms busy)", databaseName, update.name,
                    update.items(), update.busyMillis());
            Optional.ofNullable(completions.remove(update.name)).ifPresent(f -> f.complete(null));
            current = null;
        } else {
            update.estimate(handler, session);
        }
        publishCurrent();
    }

    private void failed(CurrentRun update, Throwable failure) throws SQLException {
        if (failure instanceof SQLException e && Dialect.isConnectionFailure(e, session)) {
            throw e; // the database went away: waited out by the loop, not counted against the handler
        }
        failuresInARow++;
        lastError = Optional.of("update " + update.name + " failed (" + failuresInARow + " in a row): " + failure);
        if (failuresInARow >= MAX_FAILURES) {
            store.setAborted(session, lastError);
            LOG.error("Database {}: background update {} failed {} times in a row; updates ABORTED until resumed",
                    databaseName, update.name, failuresInARow, failure);
            return;
        }
        long wait = backoff(failuresInARow);
        LOG.warn("Database {}: background update {} failed ({} in a row), retrying in {} ms", databaseName, update.name,
                failuresInARow, wait, failure);
        backOff(wait);
    }

    private long backoff(long failures) {
        long base = settings.get().retryBackoffMillis();
        return Math.min(MAX_BACKOFF_MILLIS, base << Math.min(failures - 1, 20));
    }

    // ---- status and control -----------------------------------------------------------------

    DatabaseStatus status() {
        List<QueuedUpdate> queueNow = queue;
        Store.State state = new Store.State(false, Optional.empty());
        List<String> errors = new ArrayList<>();
        try {
            Store.State[] read = new Store.State[1];
            queueNow = withConnection((store, c) -> {
                read[0] = store.state(c);
                return readQueue(store, c, handlers.forDatabase(databaseName));
            });
            state = read[0];
        } catch (IllegalStateException e) {
            errors.add(e.getMessage());
        }
        RunnerState runnerState = state.aborted().isPresent() ? RunnerState.ABORTED
                : state.paused() ? RunnerState.DISABLED
                : store != null && queueNow.isEmpty() ? RunnerState.COMPLETE
                : started || runsOn.filter(h -> !h.equals(hostId)).isPresent() ? RunnerState.RUNNING
                : RunnerState.NOT_STARTED;
        errors.addAll(queueErrors);
        state.aborted().or(() -> lastError).ifPresent(errors::add);
        return new StatusRecords.Status(databaseName, runnerState, hostId, runsOn, currentStatus, totalItems, totalBusyMillis, currentSpeed, queueNow,
                controllers.active().info(), faults.snapshot(), errors);
    }

    List<UpdateRun> history() {
        return withConnection(Store::history);
    }

    void pause() {
        withConnection((store, c) -> {
            store.setPaused(c, true);
            return null;
        });
        signal(true, () -> operatorActions++);
        LOG.info("Database {}: paused", databaseName);
    }

    /** Clears the pause and an abort, on every host sharing the database. */
    void resume() {
        withConnection((store, c) -> {
            store.setPaused(c, false);
            store.setAborted(c, Optional.empty());
            return null;
        });
        failuresInARow = 0;
        lastError = Optional.empty();
        signal(true, () -> operatorActions++);
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
        signal(false, () -> { });
    }

    boolean hasCompleted(String updateName) {
        return withConnection((store, c) -> store.hasCompleted(c, updateName));
    }

    CompletionStage<Void> whenCompleted(String updateName) {
        CompletableFuture<Void> f = completions.computeIfAbsent(updateName, n -> new CompletableFuture<>());
        if (hasCompleted(updateName)) {
            completions.remove(updateName, f);
            f.complete(null);
        }
        return f.minimalCompletionStage();
    }

    /** Tells the waiters of updates completed by another host sharing the database. */
    private void completeWaiters(Connection c) throws SQLException {
        for (String name : completions.keySet()) {
            if (store.hasCompleted(c, name)) {
                Optional.ofNullable(completions.remove(name)).ifPresent(f -> f.complete(null));
            }
        }
    }

    private void enqueueNewUpdates(Connection c) throws SQLException {
        for (Handlers.Registered h : handlers.forDatabase(databaseName).values()) {
            if (store.enqueue(c, h.name(), h.ordering(), h.dependsOn(), true)) {
                LOG.info("Database {}: queued background update {}", databaseName, h.name());
            }
        }
    }

    private interface SqlCall<T> {
        T call(Store store, Connection c) throws SQLException;
    }

    /** Runs a call for another thread (status, commands) on a connection of its own. */
    private <T> T withConnection(SqlCall<T> call) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            return call.call(store(c), c);
        } catch (SQLException e) {
            throw new IllegalStateException("database " + databaseName + " unavailable: " + e.getMessage(), e);
        }
    }

    // ---- waiting ----------------------------------------------------------------------------

    private void signal(boolean abandonBatch, Runnable change) {
        synchronized (lock) {
            change.run();
            wake = true;
            if (abandonBatch) {
                changes++;
            }
            lock.notifyAll();
        }
    }

    private long changes() {
        synchronized (lock) {
            return changes;
        }
    }

    private boolean isStopping() {
        synchronized (lock) {
            return stopping;
        }
    }

    private boolean isAbandoned(long seen) {
        synchronized (lock) {
            return changes != seen || stopping;
        }
    }

    /** Waits out a failure's back-off; only a pause, a resume or a stop ends it early. */
    private void backOff(long millis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        synchronized (lock) {
            long actions = operatorActions;
            try {
                for (long left; !stopping && operatorActions == actions && (left = deadline - System.nanoTime()) > 0; ) {
                    TimeUnit.NANOSECONDS.timedWait(lock, left);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stopping = true;
            }
        }
    }

    /** Waits up to {@code millis}; returns early when something changes or the runner stops. */
    private void sleep(long millis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        synchronized (lock) {
            try {
                for (long left; !stopping && !wake && (left = deadline - System.nanoTime()) > 0; ) {
                    TimeUnit.NANOSECONDS.timedWait(lock, left);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stopping = true;
            }
            wake = false;
        }
    }

    /**
     * Waits until entering completes; ends early, returning {@code false}, when the runner
     * stops, or the controllers or the pause changed since {@code seen}.
     */
    private boolean awaitEntry(CompletableFuture<?> entered, long seen) {
        entered.whenComplete((v, e) -> {
            synchronized (lock) {
                lock.notifyAll();
            }
        });
        try {
            while (true) {
                synchronized (lock) {
                    if (stopping || changes != seen) {
                        return false;
                    }
                    if (entered.isDone()) {
                        return true;
                    }
                    lock.wait(IDLE_MILLIS);
                }
                if (!entered.isDone() && store.state(session).paused()) { // paused on another host
                    return false;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            signal(true, () -> stopping = true);
            return false;
        } catch (SQLException e) {
            LOG.debug("Database {}: could not read the pause while waiting for the controller", databaseName, e);
            return false;
        }
    }

    private void publishCurrent() {
        CurrentRun c = current;
        currentStatus = c == null ? Optional.empty() : Optional.of(c.status());
        currentSpeed = c == null ? OptionalDouble.empty() : performance(c.name).averageItemsPerMs();
    }


    private static void rollback(Connection c) {
        try {
            c.rollback();
        } catch (SQLException e) {
            LOG.debug("rollback failed", e);
        }
    }
}
