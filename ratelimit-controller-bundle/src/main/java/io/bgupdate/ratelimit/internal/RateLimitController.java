package io.bgupdate.ratelimit.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.Constants;
import org.osgi.service.component.ComponentContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.bgupdate.api.controller.BackgroundUpdateController;
import io.bgupdate.api.controller.BatchResult;
import io.bgupdate.api.controller.Iteration;

/**
 * A controller that limits background updates by items per second (a token bucket with a burst),
 * by duty cycle and by weekly time windows, with overrides per update and per database; see
 * {@link RateLimitConfiguration} for the properties and {@link DatabaseLimiter#enter} for how a
 * batch is let in.
 *
 * <p>It registers with a positive {@code service.ranking} (configurable) so that it takes over
 * from the runner's default controller at the next batch, and hands back when it stops. The
 * configuration is one {@link RateLimitSettings} snapshot in a volatile field; a new one applies
 * to the next attempt to enter, including those already waiting, which are re-examined at once.
 *
 * <p>{@link Iteration#enter()} never blocks: when a batch must wait it returns a
 * {@link CompletableFuture} that the thread {@value #TIMER_THREAD} completes later. The wait is
 * re-examined at least every {@link #MAX_WAIT_SLICE_MILLIS} ms and ends at once when the runner
 * cancels the future (pause, stop, another controller taking over) or exits the iteration. On
 * deactivation the timer stops and pending waits fail.
 */
@Component(
        name = RateLimitController.PID,
        configurationPid = RateLimitController.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL,
        immediate = true,
        service = {BackgroundUpdateController.class, RateLimitController.class},
        property = Constants.SERVICE_RANKING + ":Integer=" + RateLimitController.DEFAULT_RANKING)
@Designate(ocd = RateLimitConfiguration.class)
public class RateLimitController implements BackgroundUpdateController {

    /** The configuration PID, also the component name. */
    public static final String PID = "io.bgupdate.ratelimit";
    /** The ranking without configuration: above the runner's default controller (0). */
    static final int DEFAULT_RANKING = 100;
    /** The longest a waiting batch goes without the limits being examined again. */
    static final long MAX_WAIT_SLICE_MILLIS = 60_000;
    static final String TIMER_THREAD = "bgupdate-ratelimit-timer";

    private static final Logger LOG = LoggerFactory.getLogger(RateLimitController.class);
    private static final String GOGO_PACKAGE_CLASS = "org.apache.felix.service.command.Descriptor";
    private static final ConfigurationCheck CHECK = new ConfigurationCheck(RateLimitConfiguration.class);

    private final Clock clock;
    private final ConcurrentMap<String, DatabaseLimiter> databases = new ConcurrentHashMap<>();
    /** The batches waiting to enter, so that a new configuration or deactivation reaches them. */
    private final Set<Waiter> waiting = ConcurrentHashMap.newKeySet();
    private volatile RateLimitSettings settings = RateLimitSettings.DEFAULTS;
    /** The message of the last rejected configuration, or {@code null} once a good one came. */
    private volatile String rejection;
    /** The unknown keys of the configuration in force, each quoted, with a suggestion when one is close. */
    private volatile List<String> ignored = List.of();
    private volatile ScheduledExecutorService timer;

    /** For DS: the system clock. */
    public RateLimitController() {
        this(Clock.systemUTC());
    }

    /** @param clock the clock of every limit, a fake one in tests */
    RateLimitController(Clock clock) {
        this.clock = clock;
    }

    @Activate
    void activate(ComponentContext context, RateLimitConfiguration config, Map<String, Object> properties) {
        start(config, properties);
        if (gogoPresent()) {
            context.enableComponent(RateLimitCommand.NAME);
        }
    }

    /** Starts the timer and applies the configuration: {@link #activate} without DS. */
    void start(RateLimitConfiguration config, Map<String, Object> properties) {
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
            Thread thread = new Thread(r, TIMER_THREAD);
            thread.setDaemon(true);
            return thread;
        });
        t.setRemoveOnCancelPolicy(true);
        timer = t;
        apply(config, properties);
    }

    @Modified
    void modified(RateLimitConfiguration config, Map<String, Object> properties) {
        apply(config, properties);
        for (Waiter w : waiting) {
            w.schedule(0);
        }
    }

    @Deactivate
    void deactivate() {
        ScheduledExecutorService t = timer;
        if (t != null) {
            t.shutdownNow();
        }
        for (Waiter w : waiting) {
            w.future.completeExceptionally(new IllegalStateException("the rate-limit controller " + PID + " stopped"));
        }
    }

    /**
     * Checks the raw properties (DS's typed view hides a value of the wrong type behind a bare
     * conversion error or a default), then the values; applies the configuration as a whole or not
     * at all, in one log line either way. Unknown keys are named in a warning and ignored.
     */
    private void apply(RateLimitConfiguration config, Map<String, Object> properties) {
        RateLimitSettings s;
        List<String> unknown;
        try {
            unknown = CHECK.check(properties);
            s = RateLimitSettings.from(config);
        } catch (RuntimeException e) {
            String message = e.getMessage() == null ? e.toString() : e.getMessage().replaceAll("\\s*[\\r\\n]+\\s*", " ");
            rejection = message;
            LOG.error("{}: configuration rejected, the previous one stays in force: {}", PID, message);
            return;
        }
        Object ranking = properties == null ? null : properties.get(Constants.SERVICE_RANKING);
        if (ranking != null && !(ranking instanceof Integer)) {
            LOG.warn("{}: service.ranking '{}' is a {}, not an Integer, so OSGi ranks this controller 0; "
                    + "write it as service.ranking=I\"{}\" in a .config file", PID, ranking,
                    ranking.getClass().getSimpleName(), ranking);
        }
        settings = s;
        rejection = null;
        ignored = List.copyOf(unknown);
        if (unknown.isEmpty()) {
            LOG.info("{}: in force from the next batch: {}", PID, s);
        } else {
            LOG.warn("{}: in force from the next batch, ignoring the unknown {} {} (known: {}): {}", PID,
                    unknown.size() == 1 ? "property" : "properties", String.join(", ", unknown), String.join(", ", CHECK.keys()), s);
        }
    }

    /** @return whether this bundle is wired to the Gogo command package, so the shell command can work */
    private boolean gogoPresent() {
        try {
            Class.forName(GOGO_PACKAGE_CLASS, false, getClass().getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            LOG.debug("{}: no Gogo shell, the ratelimit command stays disabled", PID);
            return false;
        }
    }

    @Override
    public Iteration onUpdate(String updateName, String databaseName, boolean oneShot) {
        Objects.requireNonNull(updateName, "updateName");
        Objects.requireNonNull(databaseName, "databaseName");
        return new RateLimitIteration(updateName, databaseName, oneShot, limiter(databaseName));
    }

    @Override
    public CompletionStage<OptionalInt> defaultBatchSize(String updateName, String databaseName) {
        return CompletableFuture.completedFuture(OptionalInt.of(settings.limitsFor(updateName, databaseName).firstBatch()));
    }

    @Override
    public CompletionStage<OptionalInt> minBatchSize(String updateName, String databaseName) {
        return CompletableFuture.completedFuture(OptionalInt.of(settings.limitsFor(updateName, databaseName).batchMin()));
    }

    private DatabaseLimiter limiter(String database) {
        return databases.computeIfAbsent(database, d -> new DatabaseLimiter(d, clock.millis()));
    }

    /**
     * The live state, for the shell.
     *
     * @param settings the configuration in force
     * @param rejection the message of the last rejected configuration, or {@code null}
     * @param ignored the unknown keys of the configuration in force
     * @param now the time of this view
     * @param databases one view per database seen, by name
     */
    record Status(RateLimitSettings settings, String rejection, List<String> ignored, Instant now,
                  List<DatabaseLimiter.View> databases) {
    }

    /** @return the live state */
    Status status() {
        RateLimitSettings s = settings;
        Instant now = clock.instant();
        List<DatabaseLimiter.View> views = new ArrayList<>();
        for (Map.Entry<String, DatabaseLimiter> e : databases.entrySet()) {
            String update = e.getValue().update();
            Limits limits = update == null ? s.base() : s.limitsFor(update, e.getKey());
            views.add(e.getValue().view(limits, now));
        }
        views.sort(Comparator.comparing(DatabaseLimiter.View::database));
        return new Status(s, rejection, ignored, now, views);
    }

    /** @return the batches waiting to enter (diagnostics and tests) */
    int waitingBatches() {
        return waiting.size();
    }

    /** @return the attempts pending on the timer (diagnostics and tests) */
    int scheduledAttempts() {
        return timer instanceof ScheduledThreadPoolExecutor t ? t.getQueue().size() : 0;
    }

    /** @return the clock of every limit */
    Clock clock() {
        return clock;
    }

    /** One batch. */
    private final class RateLimitIteration implements Iteration {
        private final String update;
        private final String database;
        private final boolean oneShot;
        private final DatabaseLimiter limiter;
        private volatile Waiter waiter;

        RateLimitIteration(String update, String database, boolean oneShot, DatabaseLimiter limiter) {
            this.update = update;
            this.database = database;
            this.oneShot = oneShot;
            this.limiter = limiter;
        }

        /** Lets the batch in now if it may, else returns a future the timer completes when it may. */
        @Override
        public CompletionStage<Long> enter() {
            DatabaseLimiter.Decision d = decide();
            if (d.go()) {
                return CompletableFuture.completedFuture(d.desiredMillis());
            }
            Waiter w = new Waiter(this);
            waiter = w;
            waiting.add(w);
            w.future.whenComplete((v, e) -> {
                waiting.remove(w);
                w.cancelTask();
            });
            w.schedule(d.waitMillis());
            return w.future;
        }

        DatabaseLimiter.Decision decide() {
            return limiter.enter(update, oneShot, settings.limitsFor(update, database), clock.instant());
        }

        /** Accounts for the batch; also ends a wait the runner did not cancel. */
        @Override
        public void exit(BatchResult result) {
            Waiter w = waiter;
            if (w != null) {
                w.future.cancel(false);
            }
            limiter.exit(update, oneShot, result, settings.limitsFor(update, database), clock.instant());
        }

        @Override
        public String toString() {
            return update + "@" + database;
        }
    }

    /** The asynchronous wait of one batch: asks again each time its timer task runs. */
    private final class Waiter implements Runnable {
        final CompletableFuture<Long> future = new CompletableFuture<>();
        private final RateLimitIteration iteration;
        /** Guarded by this. */
        private Future<?> task;

        Waiter(RateLimitIteration iteration) {
            this.iteration = iteration;
        }

        @Override
        public void run() {
            if (future.isDone()) {
                return;
            }
            try {
                DatabaseLimiter.Decision d = iteration.decide();
                if (d.go()) {
                    future.complete(d.desiredMillis());
                } else {
                    schedule(d.waitMillis());
                }
            } catch (RuntimeException e) {
                LOG.warn("{}: entering {} failed: {}", PID, iteration, e.toString());
                future.completeExceptionally(e);
            }
        }

        /** (Re)schedules the next attempt, replacing a pending one. */
        synchronized void schedule(long delayMillis) {
            if (future.isDone()) {
                return;
            }
            cancelTask();
            ScheduledExecutorService t = timer;
            try {
                if (t == null) {
                    throw new RejectedExecutionException();
                }
                task = t.schedule(this, Math.min(delayMillis, MAX_WAIT_SLICE_MILLIS), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                future.completeExceptionally(new IllegalStateException("the rate-limit controller " + PID + " is not active"));
            }
        }

        synchronized void cancelTask() {
            if (task != null) {
                task.cancel(false);
                task = null;
            }
        }
    }
}
