package io.bgupdate.runner.internal;

import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.bgupdate.api.CurrentUpdate;
import io.bgupdate.api.QueuedUpdate;
import io.bgupdate.api.controller.BatchResult;

/**
 * The thread that runs one database's updates: it keeps a {@link Session}, queues the updates
 * of new handlers, chooses the next update and hands each batch to the {@link BatchPipeline}.
 * Its loop survives anything (any {@link Throwable}), reports it in the status and opens a new
 * session at a short, capped interval when the database failed, apart from the handler's back-off.
 * Its volatile fields are what the status shows.
 */
final class RunnerThread {

    private static final Logger LOG = LoggerFactory.getLogger(RunnerThread.class);

    static final int MAX_FAILURES = 5;
    private static final long MAX_BACKOFF_MILLIS = TimeUnit.MINUTES.toMillis(5);
    /** The first wait before opening a session again after the database failed; it doubles up to {@link #MAX_RECONNECT_MILLIS}. */
    static final long RECONNECT_MILLIS = 20;
    static final long MAX_RECONNECT_MILLIS = 2_000;
    /** How often an idle runner looks at the database again, for changes made by other hosts. */
    static final long IDLE_MILLIS = 2_000;
    /** How long the handlers must be unchanged before a new update is chosen: registrations of a start settle first. */
    static final long SETTLE_MILLIS = 500;
    /** How long {@link #stop()} waits at each of its steps: finish, interrupt, abort the session. */
    static final long STOP_STEP_MILLIS = 5_000;

    private final String databaseName;
    private final String hostId;
    private final DataSource dataSource;
    private final Handlers handlers;
    private final Supplier<Settings> settings;
    private final Signals signals;
    private final BatchPipeline pipeline;
    private final Thread thread;

    final AtomicBoolean handlersChanged = new AtomicBoolean(true);
    volatile long handlersChangedAt = System.nanoTime();
    final Map<String, CompletableFuture<Void>> completions = new ConcurrentHashMap<>();

    // Written by the runner thread, read by the status.
    volatile Store store;
    volatile boolean started;
    /** Whether the queue has been read, with every registered handler's update queued, since the handlers last changed. */
    volatile boolean queueKnown;
    volatile Optional<String> runsOn = Optional.empty();
    volatile List<QueuedUpdate> queue = List.of();
    volatile List<String> queueErrors = List.of();
    /** Handlers whose update could not be queued, with the reason, by update name. */
    final Map<String, String> refused = new ConcurrentHashMap<>();
    volatile Optional<String> lastError = Optional.empty();
    volatile Optional<CurrentUpdate> currentStatus = Optional.empty();
    volatile OptionalDouble currentSpeed = OptionalDouble.empty();
    volatile long totalItems;
    volatile long totalBusyMillis;
    volatile int failuresInARow;

    // The runner thread's own (the session is read by stop() too).
    private volatile Session session;
    private boolean ledBefore;
    private CurrentRun current;
    private Map<String, Store.Queued> rows = Map.of();

    RunnerThread(String databaseName, String hostId, DataSource dataSource, Controllers controllers, Handlers handlers,
            Supplier<Settings> settings, Signals signals, Faults faults) {
        this.databaseName = databaseName;
        this.hostId = hostId;
        this.dataSource = dataSource;
        this.handlers = handlers;
        this.settings = settings;
        this.signals = signals;
        this.pipeline = new BatchPipeline(databaseName, dataSource, controllers, new ControllerCalls(databaseName, controllers, faults),
                settings, signals);
        this.thread = new Thread(this::loop, "bgupdate-runner-" + databaseName);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /**
     * Stops the thread: a wait ends at once, a batch in flight may finish; after
     * {@value #STOP_STEP_MILLIS} ms the thread is interrupted, after as long again its session is
     * aborted (the batch's statement fails, the database rolls it back and drops the lease).
     *
     * @return whether the thread ended
     */
    boolean stop() {
        signals.stop();
        try {
            if (!ended(STOP_STEP_MILLIS)) {
                LOG.warn("Database {}: the batch in flight has not finished after {} ms; interrupting it", databaseName, STOP_STEP_MILLIS);
                thread.interrupt();
                if (!ended(STOP_STEP_MILLIS)) {
                    Session s = session;
                    LOG.warn("Database {}: the batch in flight ignores the interrupt; aborting its session", databaseName);
                    if (s != null) {
                        Session.abort(s.connection);
                    }
                    if (!ended(STOP_STEP_MILLIS)) {
                        LOG.error("Database {}: the handler does not return although its connection was aborted: {}", databaseName,
                                List.of(thread.getStackTrace()));
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        completions.values().forEach(f -> f.cancel(false));
        return !thread.isAlive();
    }

    private boolean ended(long millis) throws InterruptedException {
        thread.join(millis);
        return !thread.isAlive();
    }

    // ---- the loop -------------------------------------------------------------------------

    private void loop() {
        long databaseFailures = 0;
        while (!signals.isStopping()) {
            try {
                step();
                databaseFailures = 0;
            } catch (Throwable t) { // whatever it is, the loop goes on and the status says so
                if (signals.isStopping()) {
                    break;
                }
                boolean database = t instanceof SQLException;
                String error = (database ? "database unavailable: " : "runner error: ") + message(t);
                if (!lastError.equals(Optional.of(error))) {
                    LOG.warn("Database {}: {} (opening a new session)", databaseName, error, database ? null : t);
                }
                lastError = Optional.of(error);
                closeSession();
                signals.backOff(Math.min(MAX_RECONNECT_MILLIS, RECONNECT_MILLIS << Math.min(databaseFailures++, 20)));
            }
        }
        closeSession();
        LOG.debug("Database {}: runner stopped", databaseName);
    }

    private static String message(Throwable t) {
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }

    private Session session() throws SQLException {
        if (session == null) {
            session = Session.open(dataSource, databaseName, hostId);
            store = session.store;
            handlersChanged.set(true); // the queue may have been lost with the database: queue again what has not completed
            if (lastError.filter(e -> e.startsWith("database unavailable")).isPresent()) {
                lastError = Optional.empty();
                LOG.info("Database {}: connected again", databaseName);
            }
        }
        return session;
    }

    private void closeSession() {
        Session s = session;
        session = null;
        if (s != null) {
            if (s.isLeading()) {
                LOG.info("Database {}: this host no longer runs the updates", databaseName);
                runsOn = Optional.empty();
            }
            s.close();
        }
        current = null;
    }

    /** Looks at the queue and runs one batch, or waits if nothing can run here. */
    private void step() throws SQLException {
        long seen = signals.changes();
        Session s = session();
        if (handlersChanged.getAndSet(false)) {
            try {
                enqueueNewUpdates(s);
            } catch (SQLException | RuntimeException | Error e) {
                handlersChanged.set(true); // tried again after the reconnect: a handler is never lost
                throw e;
            }
        }
        Map<String, Handlers.Registered> registered = handlers.forDatabase(databaseName);
        Map<String, Store.Queued> read = new HashMap<>();
        s.store.queue(s.connection).forEach(r -> read.put(r.name(), r));
        rows = read;
        queue = view(read, registered);
        queueKnown = !handlersChanged.get();
        if (!completions.isEmpty()) {
            completeWaiters(s);
        }
        if (!s.lead()) {
            runsOn = s.leader();
            signals.sleep(IDLE_MILLIS);
            return;
        }
        if (!runsOn.equals(Optional.of(hostId))) {
            runsOn = Optional.of(hostId);
            LOG.info("Database {}: this host ({}) runs the updates{}", databaseName, hostId, ledBefore ? " again" : "");
            ledBefore = true;
        }
        Store.State state = s.store.state(s.connection);
        if (state.paused() || state.aborted().isPresent()) {
            signals.sleep(IDLE_MILLIS);
            return;
        }
        long unsettled = SETTLE_MILLIS - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - handlersChangedAt);
        if (current == null && unsettled > 0) { // choose once the handlers registered together are all queued: ordering holds
            signals.sleep(unsettled);
            return;
        }
        Optional<QueuedUpdate> next = chooseUpdate(s);
        Handlers.Registered handler = next.map(u -> registered.get(u.name())).orElse(null);
        if (handler == null) {
            signals.sleep(IDLE_MILLIS);
            return;
        }
        if (current == null || !current.name.equals(handler.name())) {
            current = new CurrentRun(handler.name(), s.store.openRun(s.connection, handler.name(), Instant.now()));
            LOG.info("Database {}: starting background update {}", databaseName, current.name);
        }
        current.at(read.get(handler.name()));
        BatchPipeline.Outcome outcome = pipeline.run(s, current, handler.handler(), handler.maxBatchSize(), seen);
        switch (outcome.kind()) {
            case COMMITTED -> committed(s, current, handler, outcome.result());
            case HANDLER_FAILED -> failed(s, current, outcome.result().failure().orElseThrow());
            case DATABASE_FAILED -> throw databaseFailure(outcome.cause().orElseThrow());
            case ABANDONED -> { }
        }
    }

    private static SQLException databaseFailure(Throwable cause) {
        return cause instanceof SQLException e ? e : new SQLException("the batch could not be saved: " + cause, cause);
    }

    private static List<QueuedUpdate> view(Map<String, Store.Queued> rows, Map<String, Handlers.Registered> registered) {
        List<QueuedUpdate> view = new ArrayList<>();
        for (Store.Queued r : rows.values()) {
            view.add(new StatusRecords.Queued(r.name(), r.ordering(), r.dependsOn(), r.progress(), registered.containsKey(r.name())));
        }
        return UpdateQueue.sorted(view);
    }

    /** Keeps the current update until it leaves the queue; otherwise chooses as Synapse does. */
    private Optional<QueuedUpdate> chooseUpdate(Session s) throws SQLException {
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
        UpdateQueue.Choice choice = UpdateQueue.choose(queue, s.store.completedNames(s.connection)::contains);
        queueErrors = choice.errors();
        choice.errors().forEach(e -> LOG.debug("Database {}: {}", databaseName, e));
        return choice.next();
    }

    /** Queues the update of every registered handler; a name the queue cannot hold is refused alone, naming it. */
    private void enqueueNewUpdates(Session s) throws SQLException {
        for (Handlers.Registered h : handlers.forDatabase(databaseName).values()) {
            if (h.name().length() > Store.MAX_NAME) {
                refuse(h.name(), "its name is longer than " + Store.MAX_NAME + " characters");
                continue;
            }
            try {
                if (s.store.enqueue(s.connection, h.name(), h.ordering(), h.dependsOn(), true)) {
                    LOG.info("Database {}: queued background update {}", databaseName, h.name());
                }
                refused.remove(h.name());
            } catch (SQLException e) {
                if (e.getSQLState() == null || !e.getSQLState().startsWith("22")) { // not the handler's data: the database failed
                    throw e;
                }
                refuse(h.name(), e.getMessage());
            }
        }
        refused.keySet().retainAll(handlers.forDatabase(databaseName).keySet());
    }

    private void refuse(String name, String reason) {
        String error = "update " + abbreviated(name) + " refused: " + reason;
        if (!error.equals(refused.put(name, error))) {
            LOG.error("Database {}: {}", databaseName, error);
        }
    }

    private static String abbreviated(String name) {
        return name.length() <= 60 ? name : name.substring(0, 60) + "...(" + name.length() + " characters)";
    }

    /** Tells the waiters of updates completed by another host sharing the database. */
    private void completeWaiters(Session s) throws SQLException {
        for (String name : completions.keySet()) {
            if (s.store.hasCompleted(s.connection, name)) {
                Optional.ofNullable(completions.remove(name)).ifPresent(f -> f.complete(null));
            }
        }
    }

    // ---- after a batch ----------------------------------------------------------------------

    private void committed(Session s, CurrentRun update, Handlers.Registered handler, BatchResult result) {
        pipeline.performance(update.name).record(result.items(), result.duration().toNanos() / 1e6);
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
            update.estimate(handler.handler(), s.connection);
        }
        publishCurrent();
    }

    private void failed(Session s, CurrentRun update, Throwable failure) throws SQLException {
        failuresInARow++;
        lastError = Optional.of("update " + update.name + " failed (" + failuresInARow + " in a row): " + failure);
        if (failuresInARow >= MAX_FAILURES) {
            s.store.setAborted(s.connection, lastError);
            LOG.error("Database {}: background update {} failed {} times in a row; updates ABORTED until resumed",
                    databaseName, update.name, failuresInARow, failure);
            return;
        }
        long wait = Math.min(MAX_BACKOFF_MILLIS, settings.get().retryBackoffMillis() << Math.min(failuresInARow - 1, 20));
        LOG.warn("Database {}: background update {} failed ({} in a row), retrying in {} ms", databaseName, update.name,
                failuresInARow, wait, failure);
        signals.backOff(wait);
    }

    private void publishCurrent() {
        CurrentRun c = current;
        currentStatus = c == null ? Optional.empty() : Optional.of(c.status());
        currentSpeed = c == null ? OptionalDouble.empty() : pipeline.performance(c.name).averageItemsPerMs();
    }
}
