package io.bgupdate.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import org.apache.felix.framework.FrameworkFactory;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceListener;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.launch.Framework;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

import io.bgupdate.api.BackgroundUpdates;
import io.bgupdate.api.RunnerState;
import io.bgupdate.api.controller.BackgroundUpdateController;
import io.bgupdate.api.handler.UpdateHandler;
import io.bgupdate.api.handler.UpdateProperties;

/**
 * A whole Felix framework in this JVM with SCR, Config Admin, Metatype, H2 and the bgupdate
 * runner, installed from the files Maven copied to {@code target/bundles}, on an embedded H2
 * database of its own. The API and Config Admin packages come from the class path, exported by
 * the system bundle, so the harness registers handlers and controllers and calls the services
 * directly (as the itests' {@code EmbeddedFelix} does).
 */
final class Host implements AutoCloseable {

    /** The platform bundles, in install order. */
    static final List<String> PLATFORM = List.of("slf4j-api", "slf4j-simple", "org.osgi.util.function", "org.osgi.util.promise",
            "org.osgi.service.component", "org.apache.felix.scr", "org.apache.felix.configadmin", "org.apache.felix.log",
            "org.apache.felix.metatype", "org.osgi.service.jdbc", "h2");
    static final String RUNNER = "bgupdate-runner";
    /** The embedded H2 database the runner serves, a bundle of its own. */
    static final String DATASOURCE = "bgupdate-datasource";
    static final String RATELIMIT = "bgupdate-ratelimit-controller";
    static final String RATELIMIT_BSN = "io.bgupdate.ratelimit";
    static final String RATELIMIT_PID = "io.bgupdate.ratelimit";
    static final String DB = BackgroundUpdates.DEFAULT_DATABASE;
    /** The runner's configuration PID. */
    static final String RUNNER_PID = "io.bgupdate.runner";

    private final Framework framework;
    private final Path work;
    private final List<ServiceRegistration<?>> registrations = new ArrayList<>();
    /** Nanos from creating the framework to the BackgroundUpdates service; -1 for a host without the runner. */
    final long readyNanos;
    /** Nanos from creating the framework to the runner serving the embedded database (state COMPLETE). */
    final long servingNanos;

    /**
     * @param work a directory for the framework cache and the database
     * @param withRunner whether to install the runner (false: the platform alone, a reference)
     */
    Host(Path work, boolean withRunner) throws Exception {
        long t0 = System.nanoTime();
        this.work = work;
        Files.createDirectories(work);
        Map<String, String> config = new HashMap<>();
        config.put(Constants.FRAMEWORK_STORAGE, Files.createTempDirectory(work, "felix").toString());
        config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        config.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA,
                "io.bgupdate.api;version=1.0.0,io.bgupdate.api.controller;version=1.0.0,io.bgupdate.api.handler;version=1.1.0,"
                        + "io.bgupdate.api.pressure;version=1.0.0,"
                        + "org.osgi.service.cm;version=1.6.1");
        config.put("bgupdate.data.dir", Files.createTempDirectory(work, "db").toString());
        framework = new FrameworkFactory().newFramework(config);
        framework.start();
        try {
            long[] times = boot(t0, withRunner);
            readyNanos = times[0];
            servingNanos = times[1];
        } catch (Exception | Error e) {
            framework.stop();
            throw e;
        }
    }

    /** Installs and starts the bundles, waits until ready; @return {ready, serving} nanos since {@code t0} */
    private long[] boot(long t0, boolean withRunner) throws Exception {
        AtomicLong ready = new AtomicLong(-1);
        ServiceListener listener = e -> {
            if (e.getType() == ServiceEvent.REGISTERED) {
                ready.compareAndSet(-1, System.nanoTime() - t0);
            }
        };
        context().addServiceListener(listener, "(objectClass=" + BackgroundUpdates.class.getName() + ")");
        List<Bundle> bundles = new ArrayList<>();
        for (String name : PLATFORM) {
            bundles.add(install(name));
        }
        if (withRunner) {
            bundles.add(install(RUNNER));
            bundles.add(install(DATASOURCE));
        }
        for (Bundle b : bundles) {
            if (b.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                b.start();
            }
        }
        long serving;
        if (withRunner) {
            Wait.until("the BackgroundUpdates service", Duration.ofSeconds(60), () -> ready.get() >= 0);
            BackgroundUpdates updates = updates();
            Wait.until("the runner serving the embedded database", Duration.ofSeconds(60),
                    () -> updates.databases().contains(DB) && updates.status(DB).state() == RunnerState.COMPLETE);
            serving = System.nanoTime() - t0;
        } else {
            Wait.until("every platform bundle active", Duration.ofSeconds(60), () -> {
                for (Bundle b : bundles) {
                    if (b.getState() != Bundle.ACTIVE && b.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                        return false;
                    }
                }
                return true;
            });
            ready.compareAndSet(-1, System.nanoTime() - t0);
            serving = ready.get();
        }
        context().removeServiceListener(listener);
        // The harness's ConfigurationAdmin class must be the one Config Admin implements.
        configAdmin();
        return new long[] {ready.get(), serving};
    }

    static Path bundleFile(String name) {
        return Path.of(System.getProperty("bundles.dir", "target/bundles"), name + ".jar");
    }

    /** Installs the rate-limit controller bundle, not started. */
    Bundle installRateLimit() throws Exception {
        Bundle b = bundle(RATELIMIT_BSN);
        return b != null ? b : install(RATELIMIT);
    }

    private Bundle install(String name) throws Exception {
        Path file = bundleFile(name);
        if (!Files.isRegularFile(file)) {
            throw new IOException("missing bundle " + file + " (run mvn -f benchmarks/pom.xml process-test-resources)");
        }
        return context().installBundle(file.toUri().toString());
    }

    Path workDir() {
        return work;
    }

    BundleContext context() {
        return framework.getBundleContext();
    }

    Bundle bundle(String symbolicName) {
        for (Bundle b : context().getBundles()) {
            if (symbolicName.equals(b.getSymbolicName())) {
                return b;
            }
        }
        return null;
    }

    BackgroundUpdates updates() {
        return service(BackgroundUpdates.class, null);
    }

    DataSource dataSource() {
        return service(DataSource.class, "(" + BackgroundUpdates.DATABASE_NAME + "=" + DB + ")");
    }

    ConfigurationAdmin configAdmin() {
        Object found = service(Object.class, "(objectClass=" + ConfigurationAdmin.class.getName() + ")");
        if (!(found instanceof ConfigurationAdmin ca)) {
            throw new IllegalStateException("Config Admin does not implement the class path's ConfigurationAdmin: "
                    + "org.osgi.service.cm is not wired to the system bundle");
        }
        return ca;
    }

    /** Waits up to 30 s for a service. */
    <T> T service(Class<T> type, String filter) {
        Object[] found = new Object[1];
        Wait.until(type.getSimpleName() + (filter == null ? "" : " " + filter), Duration.ofSeconds(30), () -> {
            try {
                ServiceReference<?>[] refs = context().getServiceReferences(type == Object.class ? null : type.getName(), filter);
                if (refs == null || refs.length == 0) {
                    return false;
                }
                found[0] = context().getService(refs[0]);
                return found[0] != null;
            } catch (org.osgi.framework.InvalidSyntaxException e) {
                throw new IllegalArgumentException(e);
            }
        });
        return type.cast(found[0]);
    }

    /** Configures a PID (a multi-location configuration, so it survives bundle stop and start). */
    void configure(String pid, Map<String, ?> values) throws IOException {
        Configuration c = configAdmin().getConfiguration(pid, "?");
        Dictionary<String, Object> props = new Hashtable<>(values);
        c.update(props);
    }

    /** Configures the runner and waits until its service shows the values (SCR applies a configuration asynchronously). */
    void configureRunner(Map<String, ?> values) throws IOException {
        configure(RUNNER_PID, values);
        Wait.until("runner configuration " + values, Duration.ofSeconds(30), () -> {
            ServiceReference<BackgroundUpdates> ref = context().getServiceReference(BackgroundUpdates.class);
            return ref != null && values.entrySet().stream().allMatch(e -> e.getValue().equals(ref.getProperty(e.getKey())));
        });
    }

    /** On the embedded database only: a handler for every database would also run on the others the harness registers. */
    ServiceRegistration<UpdateHandler> handler(String name, UpdateHandler handler) {
        return handler(name, handler, DB);
    }

    /** @param database the database it runs on, {@code null} for every database */
    ServiceRegistration<UpdateHandler> handler(String name, UpdateHandler handler, String database) {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(UpdateProperties.NAME, name);
        if (database != null) {
            props.put(UpdateProperties.DATABASE, database);
        }
        return track(context().registerService(UpdateHandler.class, handler, props));
    }

    ServiceRegistration<BackgroundUpdateController> controller(BackgroundUpdateController c, int ranking) {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(Constants.SERVICE_RANKING, ranking);
        return track(context().registerService(BackgroundUpdateController.class, c, props));
    }

    /** Registers a DataSource the runner serves under {@code name}. */
    ServiceRegistration<DataSource> dataSource(String name, DataSource ds) {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(BackgroundUpdates.DATABASE_NAME, name);
        return track(context().registerService(DataSource.class, ds, props));
    }

    /**
     * Makes a new H2 database with H2's own {@code DataSourceFactory} service, the one the
     * embedded database comes from (called reflectively: org.osgi.service.jdbc is not on the
     * harness's class path).
     */
    DataSource newH2(String url) throws Exception {
        Object factory = service(Object.class, "(&(objectClass=org.osgi.service.jdbc.DataSourceFactory)(osgi.jdbc.driver.class=org.h2.Driver))");
        java.util.Properties props = new java.util.Properties();
        props.setProperty("url", url);
        Class<?> api = null;
        for (Class<?> i : factory.getClass().getInterfaces()) {
            if (i.getName().equals("org.osgi.service.jdbc.DataSourceFactory")) {
                api = i;
            }
        }
        if (api == null) {
            throw new IllegalStateException("H2's DataSourceFactory does not implement org.osgi.service.jdbc.DataSourceFactory directly");
        }
        return (DataSource) api.getMethod("createDataSource", java.util.Properties.class).invoke(factory, props);
    }

    private <T> ServiceRegistration<T> track(ServiceRegistration<T> r) {
        registrations.add(r);
        return r;
    }

    /** Unregisters what the harness registered and is still registered. */
    void unregisterAll() {
        for (ServiceRegistration<?> r : registrations) {
            try {
                r.unregister();
            } catch (IllegalStateException alreadyGone) {
                // unregistered by the scenario
            }
        }
        registrations.clear();
    }

    @Override
    public void close() throws Exception {
        unregisterAll();
        framework.stop();
        if (framework.waitForStop(30_000).getType() == FrameworkEvent.WAIT_TIMEDOUT) {
            throw new IllegalStateException("the framework did not stop within 30 s");
        }
    }
}
