package io.bgupdate.adaptive.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
import java.util.function.LongSupplier;

import javax.sql.DataSource;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.ComponentContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.bgupdate.api.BackgroundUpdates;
import io.bgupdate.api.controller.BackgroundUpdateController;
import io.bgupdate.api.controller.BatchResult;
import io.bgupdate.api.controller.Iteration;
import io.bgupdate.api.pressure.PressureProperties;
import io.bgupdate.api.pressure.PressureReporter;

/**
 * The adaptive controller: LEDBAT for databases. Per database it keeps a {@link DatabaseControl}
 * whose {@link ControlLaw} sets the duty cycle and the batch duration from the worst of the
 * signals: probe latency and PostgreSQL activity ({@link DatabaseSignals}, on the thread
 * {@value #SIGNALS_THREAD}), the {@link PressureReporter} whiteboard ({@link Reporters}) and Felix
 * Health Checks ({@link HealthCheckSignal}, optional). The law steps on the thread
 * {@value #CONTROL_THREAD} every {@code interval} and before every batch.
 *
 * <p>{@link Iteration#enter()} never blocks: when a batch must wait (duty-cycle rest, hold,
 * learning the base) it returns a future that the control thread completes. The wait is
 * re-examined at least every {@code interval}, so a new configuration or a released hold applies
 * at once; it ends when the runner cancels the future. The controller finds a database's
 * {@link DataSource} by its {@value BackgroundUpdates#DATABASE_NAME} (or {@code dataSourceName})
 * property; a database's signals sample while its batches ask (within the last minute), so an
 * idle database gets no probes. On deactivation the threads stop, the connections close and
 * pending waits fail.
 */
@Component(
        name = AdaptiveController.PID,
        configurationPid = AdaptiveController.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL,
        immediate = true,
        service = {BackgroundUpdateController.class, AdaptiveController.class},
        property = Constants.SERVICE_RANKING + ":Integer=" + AdaptiveController.DEFAULT_RANKING)
@Designate(ocd = AdaptiveConfiguration.class)
public class AdaptiveController implements BackgroundUpdateController {

    /** The configuration PID, also the component name. */
    public static final String PID = "io.bgupdate.adaptive";
    /** The ranking without configuration: above the rate-limit controller (100) and the default (0). */
    static final int DEFAULT_RANKING = 150;
    static final String CONTROL_THREAD = "bgupdate-adaptive-control";
    static final String SIGNALS_THREAD = "bgupdate-adaptive-signals";
    /** How often the signals thread looks for what is due. */
    static final long SIGNALS_TICK_MILLIS = 10;

    private static final Logger LOG = LoggerFactory.getLogger(AdaptiveController.class);

    private final LongSupplier clock;
    private final ConcurrentMap<String, DatabaseControl> databases = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, DatabaseSignals> signals = new ConcurrentHashMap<>();
    private final Set<Waiter> waiting = ConcurrentHashMap.newKeySet();
    private final Reporters reporters = new Reporters();
    private volatile AdaptiveSettings settings;
    private volatile String rejection;
    private volatile BundleContext context;
    private volatile ScheduledExecutorService control;
    private volatile ScheduledExecutorService sampler;
    private volatile long lastStep;
    private volatile Reading healthChecks;
    private volatile long nextHealthCheck;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile HealthCheckSignal healthCheckSignal;

    /** For DS: the system clock. */
    public AdaptiveController() {
        this(System::currentTimeMillis);
    }

    /** @param clock milliseconds, a fake one in tests */
    AdaptiveController(LongSupplier clock) {
        this.clock = clock;
    }

    @Activate
    void activate(ComponentContext cc, AdaptiveConfiguration config, Map<String, Object> properties) {
        context = cc.getBundleContext();
        settings = AdaptiveSettings.DEFAULTS;
        apply(config, properties);
        control = executor(CONTROL_THREAD);
        sampler = executor(SIGNALS_THREAD);
        control.scheduleWithFixedDelay(this::controlTick, SIGNALS_TICK_MILLIS, SIGNALS_TICK_MILLIS, TimeUnit.MILLISECONDS);
        sampler.scheduleWithFixedDelay(this::signalsTick, SIGNALS_TICK_MILLIS, SIGNALS_TICK_MILLIS, TimeUnit.MILLISECONDS);
        if (present("org.apache.felix.service.command.Descriptor")) {
            cc.enableComponent(AdaptiveCommand.NAME);
        }
        if (present("org.apache.felix.hc.api.execution.HealthCheckExecutor")) {
            cc.enableComponent(FelixHealthChecks.NAME);
        }
    }

    @Modified
    void modified(AdaptiveConfiguration config, Map<String, Object> properties) {
        apply(config, properties);
        for (Waiter w : waiting) {
            w.schedule(0);
        }
    }

    @Deactivate
    void deactivate() {
        for (ScheduledExecutorService e : new ScheduledExecutorService[] {control, sampler}) {
            e.shutdownNow();
        }
        try {
            if (!sampler.awaitTermination(2L * SignalConnection.QUERY_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                LOG.warn("{}: the signals thread did not stop within {} s", PID, 2 * SignalConnection.QUERY_TIMEOUT_SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        signals.values().forEach(DatabaseSignals::close);
        for (Waiter w : waiting) {
            w.future.completeExceptionally(new IllegalStateException("the adaptive controller " + PID + " stopped"));
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void addReporter(ServiceReference<PressureReporter> ref, PressureReporter reporter) {
        Object name = ref.getProperty(PressureProperties.NAME);
        String label = name != null ? name.toString()
                : (ref.getBundle() == null ? "?" : ref.getBundle().getSymbolicName()) + " #" + ref.getProperty(Constants.SERVICE_ID);
        reporters.add((Long) ref.getProperty(Constants.SERVICE_ID), reporter, label, ref.getProperty(PressureProperties.DATABASE));
    }

    void removeReporter(ServiceReference<PressureReporter> ref) {
        reporters.remove((Long) ref.getProperty(Constants.SERVICE_ID));
    }

    private void apply(AdaptiveConfiguration config, Map<String, Object> properties) {
        Object ranking = properties == null ? null : properties.get(Constants.SERVICE_RANKING);
        if (ranking != null && !(ranking instanceof Integer)) {
            LOG.warn("{}: service.ranking '{}' is a {}, not an Integer, so OSGi ranks this controller 0; "
                    + "write it as service.ranking=I\"{}\" in a .config file", PID, ranking, ranking.getClass().getSimpleName(), ranking);
        }
        try {
            AdaptiveSettings s = AdaptiveSettings.from(config);
            settings = s;
            rejection = null;
            LOG.info("{}: configuration in force: {}", PID, s);
        } catch (RuntimeException e) {
            rejection = e.getMessage();
            LOG.error("{}: configuration rejected, the previous one stays in force: {}", PID, e.getMessage());
        }
    }

    private boolean present(String className) {
        try {
            Class.forName(className, false, getClass().getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            LOG.debug("{}: {} is not wired: the part that needs it stays disabled", PID, className);
            return false;
        }
    }

    private static ScheduledExecutorService executor(String name) {
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
            Thread thread = new Thread(r, name);
            thread.setDaemon(true);
            return thread;
        });
        t.setRemoveOnCancelPolicy(true);
        return t;
    }

    @Override
    public Iteration onUpdate(String updateName, String databaseName, boolean oneShot) {
        Objects.requireNonNull(updateName, "updateName");
        return new AdaptiveIteration(database(Objects.requireNonNull(databaseName, "databaseName")));
    }

    private DatabaseControl database(String name) {
        return databases.computeIfAbsent(name, n -> {
            DatabaseControl c = new DatabaseControl(n, settings.gains());
            signals.put(n, new DatabaseSignals(c, () -> dataSource(n), clock));
            return c;
        });
    }

    /** @return the highest-ranked DataSource named {@code name}, or {@code null} */
    private DataSource dataSource(String name) {
        BundleContext bc = context;
        if (bc == null) {
            return null;
        }
        String v = name.replaceAll("([\\\\()*])", "\\\\$1");
        try {
            var refs = new ArrayList<>(bc.getServiceReferences(DataSource.class,
                    "(|(" + BackgroundUpdates.DATABASE_NAME + "=" + v + ")(dataSourceName=" + v + "))"));
            refs.sort(Comparator.reverseOrder());
            for (ServiceReference<DataSource> ref : refs) {
                DataSource ds = bc.getService(ref);
                if (ds != null) {
                    // Held while the bundle runs: the runner holds the same service anyway.
                    return ds;
                }
            }
            return null;
        } catch (InvalidSyntaxException | IllegalStateException e) {
            return null;
        }
    }

    /** The control thread: steps the law every {@code interval}; waiters reschedule themselves. */
    private void controlTick() {
        try {
            long now = clock.getAsLong();
            AdaptiveSettings s = settings;
            if (now - lastStep >= s.intervalMillis()) {
                lastStep = now;
                databases.values().forEach(d -> step(d, now, s));
            }
        } catch (Throwable t) {
            LOG.error("{}: control step failed, retrying", PID, t);
        }
    }

    /** The signals thread: probes and activity of every database, and the health checks, as they fall due. */
    private void signalsTick() {
        AdaptiveSettings s = settings;
        for (DatabaseSignals d : signals.values()) {
            try {
                d.sample(s);
            } catch (Throwable t) {
                LOG.error("{}: sampling failed, retrying", PID, t);
            }
        }
        HealthCheckSignal hc = healthCheckSignal;
        long now = clock.getAsLong();
        if (s.healthCheckTags().isEmpty()) {
            healthChecks = null;
        } else if (hc == null) {
            healthChecks = Reading.failing(HealthCheckSignal.SIGNAL, "no Felix Health Check executor");
        } else if (now >= nextHealthCheck) {
            nextHealthCheck = now + s.healthCheckIntervalMillis();
            try {
                healthChecks = hc.sample(s.healthCheckTags(), s.healthCheckWarnPressure());
            } catch (Throwable t) {
                healthChecks = Reading.failing(HealthCheckSignal.SIGNAL, DatabaseSignals.oneLine(t));
            }
        }
    }

    /** Applies the law to the latest readings of one database. */
    void step(DatabaseControl d, long now, AdaptiveSettings s) {
        d.step(now, readings(d, now, s), s);
    }

    /** @return every signal's latest reading for a database */
    List<Reading> readings(DatabaseControl d, long now, AdaptiveSettings s) {
        List<Reading> all = new ArrayList<>();
        if (s.probe()) {
            all.add(d.probe().reading(now, s));
        }
        DatabaseSignals ds = signals.get(d.database());
        Reading activity = ds == null ? null : ds.activityReading(now, s);
        if (activity != null) {
            all.add(activity);
        }
        if (s.reporters()) {
            reporters.read(d.database(), now, s, all);
        }
        Reading hc = healthChecks;
        if (hc != null) {
            all.add(hc);
        }
        return all;
    }

    /**
     * The live state, for the shell.
     *
     * @param settings the configuration in force
     * @param rejection the message of the last rejected configuration, or {@code null}
     * @param databases one view per database seen, by name
     */
    record Status(AdaptiveSettings settings, String rejection, List<DatabaseControl.View> databases) {
    }

    /** @return the live state */
    Status status() {
        AdaptiveSettings s = settings;
        long now = clock.getAsLong();
        List<DatabaseControl.View> views = new ArrayList<>();
        databases.values().forEach(d -> views.add(d.view(now, s)));
        views.sort(Comparator.comparing(DatabaseControl.View::database));
        return new Status(s, rejection, views);
    }

    /** One batch. */
    private final class AdaptiveIteration implements Iteration {
        private final DatabaseControl db;
        private volatile Waiter waiter;
        private volatile long enteredAt = -1;

        AdaptiveIteration(DatabaseControl db) {
            this.db = db;
        }

        @Override
        public CompletionStage<Long> enter() {
            Waiter w = new Waiter(this);
            waiter = w;
            waiting.add(w);
            w.future.whenComplete((v, e) -> {
                waiting.remove(w);
                w.cancelTask();
            });
            w.attempt();
            return w.future;
        }

        /** Lets the batch in, unless the runner cancelled the wait meanwhile (the future completes outside any lock). */
        void tryEnter(Waiter w, long durationMillis) {
            db.entered();
            enteredAt = clock.getAsLong();
            if (!w.future.complete(durationMillis)) {
                db.exited(0, clock.getAsLong());
            }
        }

        @Override
        public void exit(BatchResult result) {
            Waiter w = waiter;
            if (w != null) {
                w.future.cancel(false);
            }
            long start = enteredAt;
            if (start >= 0) {
                long now = clock.getAsLong();
                db.exited(Math.max(now - start, result.duration().toMillis()), now);
            }
        }
    }

    /** A batch waiting to enter: re-examined when its wait is over, at least every interval, and on a new configuration. */
    private final class Waiter {
        final CompletableFuture<Long> future = new CompletableFuture<>();
        private final AdaptiveIteration iteration;
        private Future<?> task;

        Waiter(AdaptiveIteration iteration) {
            this.iteration = iteration;
        }

        void attempt() {
            if (future.isDone()) {
                return;
            }
            try {
                long now = clock.getAsLong();
                AdaptiveSettings s = settings;
                step(iteration.db, now, s);
                DatabaseControl.Decision d = iteration.db.decide(now, s);
                if (d.go()) {
                    iteration.tryEnter(this, d.durationMillis());
                } else {
                    schedule(Math.min(d.waitMillis(), s.intervalMillis()));
                }
            } catch (Throwable t) {
                future.completeExceptionally(t);
            }
        }

        synchronized void schedule(long delayMillis) {
            if (future.isDone()) {
                return;
            }
            cancelTask();
            try {
                task = control.schedule(this::attempt, delayMillis, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                future.completeExceptionally(new IllegalStateException("the adaptive controller " + PID + " stopped"));
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
