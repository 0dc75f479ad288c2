package io.bgupdate.runner.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import javax.sql.DataSource;

import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
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
import io.bgupdate.api.ControllerInfo;
import io.bgupdate.api.DatabaseStatus;
import io.bgupdate.api.UpdateRun;
import io.bgupdate.api.controller.BackgroundUpdateController;
import io.bgupdate.api.handler.UpdateHandler;

/**
 * The runner: one {@link DatabaseRunner} per selected {@link DataSource} service, the
 * whiteboard of handlers and controllers they share, and the {@link BackgroundUpdates} service.
 */
@Component(name = BackgroundUpdatesService.PID, service = BackgroundUpdates.class, immediate = true)
@Designate(ocd = RunnerConfig.class)
public class BackgroundUpdatesService implements BackgroundUpdates {

    /** The configuration PID, and the component name. */
    public static final String PID = "io.bgupdate.runner";

    /** The framework property naming this host among those sharing a database; by default host name and process id. */
    public static final String HOST_ID = "bgupdate.host.id";

    /** The configuration key selecting the databases: an LDAP filter over DataSource services. */
    static final String TARGET = "dataSources.target";
    static final String DEFAULT_TARGET = "(" + BackgroundUpdates.DATABASE_NAME + "=*)";

    private static final Logger LOG = LoggerFactory.getLogger(BackgroundUpdatesService.class);

    private final String hostId = hostId();

    private volatile Settings settings = Settings.DEFAULTS;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "bgupdate-timer");
        t.setDaemon(true);
        return t;
    });
    private final Controllers controllers = new Controllers(new DefaultController(() -> settings, timer),
            FrameworkUtil.getBundle(BackgroundUpdatesService.class).getSymbolicName());
    private final Handlers handlers = new Handlers();

    /** The runners by database name; also guards their start and stop and the two maps below. */
    private final Map<String, DatabaseRunner> runners = new ConcurrentSkipListMap<>();
    /** Every DataSource selected, also those of a name another serves already; guarded by {@link #runners}. */
    private final Map<ServiceReference<DataSource>, DataSource> dataSources = new HashMap<>();
    /** The DataSource each runner uses; guarded by {@link #runners}. */
    private final Map<String, ServiceReference<DataSource>> servedBy = new HashMap<>();
    private volatile boolean active;
    /** The DataSources to serve, validated; guarded by {@link #runners}. */
    private Filter selection = filter(DEFAULT_TARGET);

    @Activate
    void activate(Map<String, Object> properties) {
        configure(properties);
        active = true;
        synchronized (runners) {
            runners.values().forEach(DatabaseRunner::start);
        }
    }

    @Modified
    void modified(Map<String, Object> properties) {
        configure(properties);
    }

    /** Takes the configuration, or what of it is valid: a bad value is refused with one line naming it, and the previous one stays. */
    private void configure(Map<String, Object> properties) {
        Settings.unknownKeys(properties).forEach(key -> LOG.warn("Configuration {}: unknown key '{}' ignored (known keys: {})", PID, key,
                String.join(", ", Settings.KEYS)));
        try {
            settings = Settings.of(properties);
        } catch (IllegalArgumentException e) {
            LOG.error("Rejected configuration {}: {}; keeping {}", PID, e.getMessage(), settings);
        }
        String target = String.valueOf(properties.getOrDefault(TARGET, DEFAULT_TARGET));
        List<DatabaseRunner> stopped = new ArrayList<>();
        synchronized (runners) {
            try {
                Filter chosen = FrameworkUtil.createFilter(target);
                if (chosen.equals(selection)) {
                    return;
                }
                selection = chosen;
                LOG.info("Configuration {}: {} = {}", PID, TARGET, target);
            } catch (InvalidSyntaxException e) {
                LOG.error("Rejected configuration {}: {} is not a valid LDAP filter ('{}': {}); keeping {}", PID, TARGET, target,
                        e.getMessage(), selection);
                return;
            }
            servedBy.entrySet().removeIf(e -> {
                if (selection.match(e.getValue())) {
                    return false;
                }
                stopped.add(runners.remove(e.getKey()));
                return true;
            });
        }
        stopped.forEach(DatabaseRunner::stop);
        synchronized (runners) {
            dataSources.keySet().forEach(ref -> serve(databaseName(ref)));
        }
    }

    private static Filter filter(String filter) {
        try {
            return FrameworkUtil.createFilter(filter);
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Deactivate
    void deactivate() {
        List<DatabaseRunner> stopping;
        synchronized (runners) {
            active = false;
            stopping = new ArrayList<>(runners.values());
            runners.clear();
            servedBy.clear();
        }
        stopping.forEach(DatabaseRunner::stop);
        timer.shutdownNow();
    }

    // ---- whiteboard ---------------------------------------------------------------------------

    /** Every named DataSource; those {@value #TARGET} selects are served (validated here, so a bad filter changes nothing). */
    @Reference(name = "databases", service = DataSource.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void addDataSource(DataSource dataSource, ServiceReference<DataSource> ref) {
        synchronized (runners) {
            dataSources.put(ref, dataSource);
            serve(databaseName(ref));
        }
    }

    void removeDataSource(ServiceReference<DataSource> ref) {
        DatabaseRunner stopped = null;
        String name = databaseName(ref);
        synchronized (runners) {
            dataSources.remove(ref);
            if (ref.equals(servedBy.get(name))) {
                servedBy.remove(name);
                stopped = runners.remove(name);
            }
        }
        if (stopped != null) {
            stopped.stop();
            synchronized (runners) {
                serve(name);
            }
        }
    }

    /**
     * Serves a database from the best of its DataSources unless one serves it already: two
     * DataSources of one name (pax-jdbc may register a second for a moment) never make two
     * runners, and when the one in use goes the other takes over. Called holding {@link #runners}.
     */
    private void serve(String name) {
        if (runners.containsKey(name)) {
            return;
        }
        dataSources.keySet().stream().filter(r -> databaseName(r).equals(name) && selection.match(r))
                .max(ServiceReference::compareTo).ifPresent(ref -> {
            DatabaseRunner runner = new DatabaseRunner(name, hostId, dataSources.get(ref), controllers, handlers, () -> settings);
            runners.put(name, runner);
            servedBy.put(name, ref);
            if (active) {
                runner.start();
            }
        });
    }

    @Reference(service = BackgroundUpdateController.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void addController(BackgroundUpdateController controller, ServiceReference<BackgroundUpdateController> ref) {
        controllers.add(ref, controller);
        runners.values().forEach(DatabaseRunner::controllersChanged);
    }

    void updatedController(ServiceReference<BackgroundUpdateController> ref) {
        runners.values().forEach(DatabaseRunner::controllersChanged);
    }

    void removeController(ServiceReference<BackgroundUpdateController> ref) {
        controllers.remove(ref);
        runners.values().forEach(DatabaseRunner::controllersChanged);
    }

    @Reference(service = UpdateHandler.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void addHandler(UpdateHandler handler, ServiceReference<UpdateHandler> ref) {
        handlers.add(ref, handler);
        runners.values().forEach(DatabaseRunner::handlersChanged);
    }

    void updatedHandler(UpdateHandler handler, ServiceReference<UpdateHandler> ref) {
        handlers.remove(ref);
        addHandler(handler, ref);
    }

    void removeHandler(ServiceReference<UpdateHandler> ref) {
        handlers.remove(ref);
        runners.values().forEach(DatabaseRunner::handlersChanged);
    }

    // ---- BackgroundUpdates --------------------------------------------------------------------

    @Override
    public List<String> databases() {
        return List.copyOf(runners.keySet());
    }

    @Override
    public DatabaseStatus status(String databaseName) {
        return runner(databaseName).status();
    }

    @Override
    public List<UpdateRun> history(String databaseName) {
        return runner(databaseName).history();
    }

    @Override
    public List<ControllerInfo> controllers() {
        return controllers.all();
    }

    @Override
    public void pause(String databaseName) {
        runner(databaseName).pause();
    }

    @Override
    public void resume(String databaseName) {
        runner(databaseName).resume();
    }

    @Override
    public void startJob(String updateName, String databaseName) {
        runner(databaseName).startJob(updateName);
    }

    @Override
    public boolean hasCompleted(String updateName, String databaseName) {
        return runner(databaseName).hasCompleted(updateName);
    }

    @Override
    public CompletionStage<Void> whenCompleted(String updateName, String databaseName) {
        return runner(databaseName).whenCompleted(updateName);
    }

    private DatabaseRunner runner(String databaseName) {
        DatabaseRunner r = databaseName == null ? null : runners.get(databaseName);
        if (r == null) {
            throw new IllegalArgumentException("unknown database '" + databaseName + "'; databases: " + String.join(", ", runners.keySet()));
        }
        return r;
    }

    private static String hostId() {
        String configured = FrameworkUtil.getBundle(BackgroundUpdatesService.class).getBundleContext().getProperty(HOST_ID);
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            host = "localhost";
        }
        return host + ":" + ProcessHandle.current().pid();
    }

    private static String databaseName(ServiceReference<?> ref) {
        Object name = ref.getProperty(BackgroundUpdates.DATABASE_NAME);
        if (name == null) {
            name = ref.getProperty("dataSourceName");
        }
        return name == null ? "service-" + ref.getProperty("service.id") : name.toString();
    }
}
