package io.bgupdate.itests;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Hashtable;
import java.util.concurrent.atomic.AtomicReference;

import javax.sql.DataSource;

import org.apache.felix.framework.FrameworkFactory;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A whole Felix framework started and stopped by a test, for what Pax Exam cannot do: stop the
 * framework in the middle of an update and start a new one on the same database. The API
 * packages come from the test's class path (exported by the system bundle), so that the test
 * registers handlers and controllers and calls the services directly.
 */
final class EmbeddedFelix implements AutoCloseable {

    private final Framework framework;

    /**
     * A new, empty database for a test: on H2 a directory for the embedded database, on
     * PostgreSQL the URL of a new database in the test cluster.
     */
    static String newDatabase() throws Exception {
        if (!TestDatabase.postgres()) {
            return Felix.newDataDir().toString();
        }
        return TestDatabase.pgUrl(TestDatabase.createPgDatabase(pgDataSource(TestDatabase.pgUrl("postgres"))));
    }

    static DataSource pgDataSource(String url) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(url);
        ds.setUser(TestDatabase.pgUser());
        ds.setPassword(TestDatabase.pgPassword());
        return ds;
    }

    EmbeddedFelix(String database) throws Exception {
        this(database, null);
    }

    /**
     * Starts a framework on the database {@link #newDatabase()} made: on H2 the runner's embedded
     * database in that directory, on PostgreSQL a DataSource registered from outside.
     *
     * @param hostId the host's name for the runner, or null for the default
     */
    EmbeddedFelix(String database, String hostId) throws Exception {
        boolean postgres = TestDatabase.postgres();
        Path dataDir = postgres ? Felix.newDataDir() : Path.of(database);
        Map<String, String> config = new HashMap<>();
        if (hostId != null) {
            config.put("bgupdate.host.id", hostId);
        }
        config.put(Constants.FRAMEWORK_STORAGE, Felix.newDataDir().toString());
        config.put("felix.service.urlhandlers", "false"); // leaves the JVM's URL handlers to Pax Exam, in the same JVM
        config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        config.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA,
                "io.bgupdate.api;version=1.0.0,io.bgupdate.api.controller;version=1.0.0,io.bgupdate.api.handler;version=1.1.0");
        config.put("bgupdate.data.dir", dataDir.toString());
        framework = new FrameworkFactory().newFramework(config);
        framework.start();
        List<Bundle> bundles = new ArrayList<>();
        for (String name : Felix.RUNTIME) {
            bundles.add(context().installBundle(Felix.bundleFile(name).toUri().toString()));
        }
        for (String name : Felix.BGUPDATE) {
            bundles.add(context().installBundle(Felix.bundleFile(name).toUri().toString()));
        }
        for (Bundle b : bundles) {
            if (b.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                b.start();
            }
        }
        if (postgres) {
            Hashtable<String, Object> props = new Hashtable<>();
            props.put("bgupdate.database", "main");
            context().registerService(DataSource.class, pgDataSource(database), props);
        }
    }

    BundleContext context() {
        return framework.getBundleContext();
    }

    /** Waits for a service and returns it. */
    <T> T service(Class<T> type, String filter) {
        AtomicReference<T> found = new AtomicReference<>();
        Await.until(type.getSimpleName() + " " + filter, Duration.ofSeconds(30), () -> {
            try {
                var refs = context().getServiceReferences(type, filter);
                for (ServiceReference<T> ref : refs) {
                    found.set(context().getService(ref));
                    return true;
                }
                return false;
            } catch (InvalidSyntaxException e) {
                throw new IllegalArgumentException(e);
            }
        });
        return found.get();
    }

    /** Stops the framework as a shutdown would, and waits for it. */
    @Override
    public void close() throws Exception {
        framework.stop();
        if (framework.waitForStop(30_000).getType() == org.osgi.framework.FrameworkEvent.WAIT_TIMEDOUT) {
            throw new AssertionError("the framework did not stop within 30 s");
        }
    }
}
