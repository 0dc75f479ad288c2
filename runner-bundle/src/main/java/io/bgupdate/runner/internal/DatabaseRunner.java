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
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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

    static final int MAX_FAILURES = 5;
    private static final long MAX_BACKOFF_MILLIS = TimeUnit.MINUTES.toMillis(5);
    /** How often an idle runner looks at the database again, for changes made by other hosts. */
    private static final long IDLE_MILLIS = 2_000;
    private static final long CALLBACK_TIMEOUT_MILLIS = 10_000;
    private static final long ESTIMATE_EVERY_MILLIS = 10_000;

    private final String databaseName;
    private final String hostId;
    private final DataSource dataSource;
    private final Controllers controllers;
    private final Handlers handlers;
    private final Supplier<Settings> settings;
    private final Faults faults;
    private final Thread thread;

    /** Guards {@link #stopping}, {@link #wake} and {@link #changes}; the runner thread waits on it. */
    private final Object lock = new Object();
    private boolean stopping;
    /** Something changed (handlers, queue, pause): an idle wait ends. */
    private boolean wake;
    /** Counts changes of the controllers and the pause: a batch prepared before one is abandoned. */
    private long changes;

    private final AtomicBoolean handlersChanged = new AtomicBoolean(true);
    private final Map<String, CompletableFuture<Void>> completions = new ConcurrentHashMap<>();
    private final Map<String, UpdatePerformance> performance = new HashMap<>();

    // Written by the runner thread, read by status().
    private volatile Store store;
    private volatile boolean started;
    /** The host that runs this database's updates: this one, another sharing the database, or none known. */
    private volatile Optional<String> runsOn = Optional.empty();
    private volatile List<QueuedUpdate> queue = List.of();
    private volatile List<String> queueErrors = List.of();
    private volatile Optional<String> lastError = Optional.empty();
    private volatile Optional<CurrentUpdate> currentStatus = Optional.empty();
    private volatile long totalItems;
    private volatile long totalBusyMillis;

    private volatile int failuresInARow;

    // The runner thread's own.
    /** Its session: the batches' transactions and, on PostgreSQL, the lock that makes this host the one that runs the updates. */
    private Connection session;
    private boolean leading;
    private Current current;

    DatabaseRunner(String databaseName, String hostId, DataSource dataSource, Controllers controllers, Handlers handlers,
            Supplier<Settings> settings) {
        this.databaseName = databaseName;
        this.hostId = hostId;
        this.dataSource = dataSource;
        this.controllers = controllers;
        this.handlers = handlers;
        this.settings = settings;
        this.faults = new Faults(databaseName);
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

    String databaseName() {
        return databaseName;
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
            current = new Current(handler.name(), store.openRun(c, handler.name(), Instant.now()));
            LOG.info("Database {}: starting background update {}", databaseName, current.name);
        }
        current.progress = next.get().progress();
        runBatch(current, handler.handler(), seen);
    }

    private static List<QueuedUpdate> readQueue(Store store, Connection c, Map<String, Handlers.Registered> registered)
            throws SQLException {
        List<QueuedUpdate> view = new ArrayList<>();
        for (Store.Queued r : store.queue(c)) {
            view.add(new QueuedUpdate(r.name(), r.ordering(), r.dependsOn(), r.progress(), registered.containsKey(r.name())));
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
    private void runBatch(Current update, UpdateHandler handler, long seen) throws SQLException {
        Controllers.Chosen controller = controllers.active();
        boolean oneShot = handler.oneShot();
        Iteration iteration = onUpdate(controller, update.name, oneShot);
        Optional<Long> desiredMillis = enter(controller, iteration, seen);
        if (desiredMillis.isEmpty() && !isAbandoned(seen)) { // the controller failed: the default controller decides this batch
            exit(controller, iteration, BatchResult.abandoned());
            controller = controllers.builtIn();
            iteration = onUpdate(controller, update.name, oneShot);
            desiredMillis = enter(controller, iteration, seen);
        }
        if (desiredMillis.isEmpty() || store.state(session).paused()) { // paused (here or on another host), stopped, or swapped
            exit(controller, iteration, BatchResult.abandoned());
            return;
        }
        int size = batchSize(controller, update, desiredMillis.get());
        BatchResult result = execute(update, handler, size);
        exit(controller, iteration, result);
        if (result.outcome() == BatchResult.Outcome.COMPLETED) {
            committed(update, handler, result);
        } else {
            failed(update, result.failure().orElseThrow());
        }
    }

    private Iteration onUpdate(Controllers.Chosen controller, String updateName, boolean oneShot) {
        if (controller != controllers.builtIn()) {
            try {
                Iteration iteration = controller.controller().onUpdate(updateName, databaseName, oneShot);
                if (iteration != null) {
                    return iteration;
                }
                faults.count(describe(controller) + ": onUpdate returned null", null);
            } catch (RuntimeException e) {
                faults.count(describe(controller) + ": onUpdate threw " + e.getClass().getSimpleName(), e);
            }
        }
        return controllers.builtIn().controller().onUpdate(updateName, databaseName, oneShot);
    }

    /** @return the desired duration; empty if entering failed or the wait was abandoned */
    private Optional<Long> enter(Controllers.Chosen controller, Iteration iteration, long seen) {
        CompletableFuture<Long> entered;
        try {
            entered = iteration.enter().toCompletableFuture();
        } catch (RuntimeException e) {
            faults.count(describe(controller) + ": enter threw " + e.getClass().getSimpleName(), e);
            return Optional.empty();
        }
        if (!awaitEntry(entered, seen)) {
            entered.cancel(true);
            return Optional.empty();
        }
        try {
            Long millis = entered.getNow(null);
            if (millis == null || millis < 0) {
                faults.count(describe(controller) + ": enter yielded a duration of " + millis + " ms", null);
                return Optional.empty();
            }
            return Optional.of(millis);
        } catch (CancellationException | java.util.concurrent.CompletionException e) {
            faults.count(describe(controller) + ": enter failed with " + rootCause(e).getClass().getSimpleName(), rootCause(e));
            return Optional.empty();
        }
    }

    /** Synapse's sizing: from the measured speed and the desired duration, else the controller's default. */
    private int batchSize(Controllers.Chosen controller, Current update, long desiredMillis) {
        Settings s = settings.get();
        return performance.computeIfAbsent(update.name, n -> new UpdatePerformance()).nextBatchSize(desiredMillis,
                () -> ask(controller, "minBatchSize", controller.controller()::minBatchSize, update.name, s.minBatchSize()),
                () -> ask(controller, "defaultBatchSize", controller.controller()::defaultBatchSize, update.name, s.defaultBatchSize()));
    }

    private interface SizeCallback {
        CompletionStage<OptionalInt> call(String updateName, String databaseName);
    }

    private int ask(Controllers.Chosen controller, String callback, SizeCallback call, String updateName, int otherwise) {
        String cause = describe(controller) + ": " + callback;
        try {
            OptionalInt size = call.call(updateName, databaseName).toCompletableFuture().get(CALLBACK_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            if (size == null) {
                faults.count(cause + " returned null", null);
            } else if (size.isPresent() && size.getAsInt() < 1) {
                faults.count(cause + " returned " + size.getAsInt(), null);
            } else {
                return size.orElse(otherwise);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | RuntimeException e) {
            faults.count(cause + " failed with " + rootCause(e).getClass().getSimpleName(), rootCause(e));
        } catch (TimeoutException e) {
            faults.count(cause + " did not answer within " + CALLBACK_TIMEOUT_MILLIS + " ms", null);
        }
        return otherwise;
    }

    /** Runs the handler in one transaction with its progress; times only the handler call. */
    private BatchResult execute(Current update, UpdateHandler handler, int size) throws SQLException {
        Connection c = session;
        c.setAutoCommit(false);
        try {
            TransactionBatch batch = new TransactionBatch(update.name, databaseName, update.progress, size, c, store.dialect(), dataSource);
            long start = System.nanoTime();
            try {
                int items = handler.run(batch);
                long millis = millisSince(start);
                if (items < 0) {
                    throw new IllegalStateException("handler of " + update.name + " returned " + items + " items");
                }
                Optional<Progress> next = batch.outcome();
                store.saveBatch(c, update.name, update.run.id(), update.progress, next, items, millis, Instant.now());
                c.commit();
                update.progress = next.orElse(null);
                return BatchResult.completed(size, items, millis);
            } catch (Exception e) {
                long millis = millisSince(start);
                rollback(c);
                return BatchResult.failed(size, millis, e);
            }
        } finally {
            c.setAutoCommit(true);
        }
    }

    private void exit(Controllers.Chosen controller, Iteration iteration, BatchResult result) {
        try {
            iteration.exit(result);
        } catch (RuntimeException e) {
            faults.count(describe(controller) + ": exit threw " + e.getClass().getSimpleName(), e);
        }
    }

    // ---- after a batch ----------------------------------------------------------------------

    private void committed(Current update, UpdateHandler handler, BatchResult result) {
        performance.computeIfAbsent(update.name, n -> new UpdatePerformance()).record(result.items(), result.durationMillis());
        started = true;
        failuresInARow = 0;
        lastError = Optional.empty();
        totalItems += result.items();
        totalBusyMillis += result.durationMillis();
        update.committed(result);
        boolean complete = update.progress == null;
        if (complete) {
            LOG.info("Database {}: background update {} complete ({} items, {} ms busy)", databaseName, update.name,
                    update.items(), update.busyMillis());
            Optional.ofNullable(completions.remove(update.name)).ifPresent(f -> f.complete(null));
            current = null;
        } else if (update.shouldEstimate()) {
            update.estimate(handler, dataSource);
        }
        publishCurrent();
    }

    private void failed(Current update, Throwable failure) throws SQLException {
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
        sleep(wait);
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
        Optional<CurrentUpdate> cur = currentStatus;
        OptionalDouble speed = cur.map(c -> averageItemsPerMs(c.name())).orElse(OptionalDouble.empty());
        return new DatabaseStatus(databaseName, runnerState, hostId, runsOn, cur, totalItems, totalBusyMillis, speed, queueNow,
                controllers.active().info(), faults.snapshot(), errors);
    }

    private OptionalDouble averageItemsPerMs(String update) {
        Current c = current;
        return c != null && c.name.equals(update) ? c.speed : OptionalDouble.empty();
    }

    List<UpdateRun> history() {
        return withConnection(Store::history);
    }

    void pause() {
        withConnection((store, c) -> {
            store.setPaused(c, true);
            return null;
        });
        signal(true, () -> { });
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
        signal(true, () -> { });
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
        Current c = current;
        currentStatus = c == null ? Optional.empty() : Optional.of(c.status());
    }

    private static String describe(Controllers.Chosen controller) {
        return "controller " + controller.info().type() + " (service " + controller.info().serviceId() + ")";
    }

    private static Throwable rootCause(Throwable e) {
        Throwable t = e;
        while ((t instanceof ExecutionException || t instanceof java.util.concurrent.CompletionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    private static void rollback(Connection c) {
        try {
            c.rollback();
        } catch (SQLException e) {
            LOG.debug("rollback failed", e);
        }
    }

    /** The update being run, as the runner thread tracks it. */
    private final class Current {
        final String name;
        final Store.Run run;
        final Instant startedHere = Instant.now();
        Progress progress;
        long itemsHere;
        long busyHere;
        long batches;
        int lastBatchSize;
        OptionalDouble speed = OptionalDouble.empty();
        OptionalLong remainingAtEstimate = OptionalLong.empty();
        long itemsAtEstimate;
        long estimatedAt;
        boolean estimated;

        Current(String name, Store.Run run) {
            this.name = name;
            this.run = run;
        }

        void committed(BatchResult r) {
            itemsHere += r.items();
            busyHere += r.durationMillis();
            batches++;
            lastBatchSize = r.batchSize();
            speed = performance.get(name).averageItemsPerMs();
        }

        long items() {
            return run.items() + itemsHere;
        }

        long busyMillis() {
            return run.busyMillis() + busyHere;
        }

        boolean shouldEstimate() {
            return !estimated || System.nanoTime() - estimatedAt > TimeUnit.MILLISECONDS.toNanos(ESTIMATE_EVERY_MILLIS);
        }

        void estimate(UpdateHandler handler, DataSource ds) {
            estimated = true;
            estimatedAt = System.nanoTime();
            try (Connection c = ds.getConnection()) {
                c.setReadOnly(true);
                remainingAtEstimate = handler.estimateRemaining(c, progress);
                itemsAtEstimate = itemsHere;
            } catch (SQLException | RuntimeException e) {
                LOG.debug("Database {}: could not estimate what is left of {}", databaseName, name, e);
                remainingAtEstimate = OptionalLong.empty();
            }
        }

        CurrentUpdate status() {
            OptionalLong remaining = remainingAtEstimate.isPresent()
                    ? OptionalLong.of(Math.max(0, remainingAtEstimate.getAsLong() - (itemsHere - itemsAtEstimate)))
                    : OptionalLong.empty();
            long wallMillis = Duration.between(startedHere, Instant.now()).toMillis();
            Optional<Duration> eta = remaining.isPresent() && itemsHere > 0 && wallMillis > 0
                    ? Optional.of(Duration.ofMillis((long) (remaining.getAsLong() * (double) wallMillis / itemsHere)))
                    : Optional.empty();
            return new CurrentUpdate(name, run.started(), items(), busyMillis(), batches, lastBatchSize,
                    progress == null ? Progress.empty() : progress, remaining, eta);
        }
    }
}
